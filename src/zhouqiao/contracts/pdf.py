"""Registration certificates as PDF (WeasyPrint; Noto CJK from Debian's fonts-noto-cjk)."""

from django.template.loader import render_to_string


def render_pdf(template: str, context: dict) -> bytes:
    import weasyprint  # imported here: it loads pango, which only PDF pages need

    html = render_to_string(template, context)
    return weasyprint.HTML(string=html).write_pdf()
