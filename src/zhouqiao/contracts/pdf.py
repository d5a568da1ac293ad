"""Printable documents as PDF (WeasyPrint; Noto CJK from Debian's fonts-noto-cjk): the
registration certificate and the policy app's income distribution sheet both extend
``contracts/print_base.html`` (A4, the CJK serif font) and go through these two helpers."""

from django.http import HttpResponse
from django.template.loader import render_to_string


def render_pdf(template: str, context: dict) -> bytes:
    import weasyprint  # imported here: it loads pango, which only PDF pages need

    html = render_to_string(template, context)
    return weasyprint.HTML(string=html).write_pdf()


def pdf_response(template: str, context: dict, *, filename: str) -> HttpResponse:
    response = HttpResponse(render_pdf(template, context), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response
