"""查重/查新 pages (paste a text, or check a held record), the PDF novelty report, and the staff
page that imports the patent corpus."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhouqiao.contracts.pdf import pdf_response
from zhouqiao.core import audit, clock
from zhouqiao.core.errors import NotFound, PermissionDenied, ValidationFailed
from zhouqiao.ops.ratelimit import ratelimit
from zhouqiao.search import novelty, patents
from zhouqiao.search.forms import NoveltyForm, PatentImportForm, RecordPickForm

MAX_UPLOAD = 50 * 1024 * 1024


def _record_subject(request, kind, pk):
    try:
        return novelty.record_subject(request.user, kind, pk)
    except NotFound:
        raise Http404 from None
    except PermissionDenied:
        raise DjangoPermissionDenied from None


def _page(request, form, check=None):
    return render(
        request,
        "search/novelty.html",
        {
            "form": form,
            "check": check,
            "pick_form": RecordPickForm() if novelty.may_check_records(request.user) else None,
            "may_import": patents.may_import(request.user),
        },
    )


@login_required
@ratelimit("novelty", methods=None)
def novelty_page(request):
    if request.GET.get("kind") and request.GET.get("pk"):
        pick = RecordPickForm(request.GET)
        if pick.is_valid() and novelty.may_check_records(request.user):
            return redirect(
                "search:novelty_record", kind=pick.cleaned_data["kind"], pk=pick.cleaned_data["pk"]
            )
    form = NoveltyForm(request.POST or None)
    subject = _pasted(form) if request.method == "POST" else None
    return _page(request, form, novelty.check(subject, now=clock.now()) if subject else None)


def _pasted(form):
    if not form.is_valid():
        return None
    d = form.cleaned_data
    try:
        return novelty.pasted(d["title"], d["text"], d["keywords"])
    except ValidationFailed as exc:
        form.add_error(None, str(exc.message))
        return None


@login_required
@ratelimit("novelty", methods=None)
def novelty_record(request, kind, pk):
    subject = _record_subject(request, kind, pk)
    return _page(request, None, novelty.check(subject, now=clock.now()))


def _report(request, check):
    audit.record(
        "search.novelty_report",
        actor=request.user,
        target=check.subject.record,
        after={
            "title": check.subject.title,
            "results": len(check.results),
            "near_duplicates": len(check.near_duplicates),
        },
        now=check.checked_at,
    )
    stamp = timezone.localtime(check.checked_at).strftime("%Y%m%d-%H%M")
    response = pdf_response(
        "search/novelty_report.html",
        {"check": check, "checked_by": request.user},
        filename=f"novelty-report-{stamp}.pdf",
    )
    # 下载查新报告: a file to keep, not a page (a POSTed check cannot be reopened from the address).
    response["Content-Disposition"] = response["Content-Disposition"].replace("inline", "attachment", 1)
    return response


@login_required
@require_POST
@ratelimit("novelty", methods=None)
def novelty_pdf(request):
    form = NoveltyForm(request.POST)
    subject = _pasted(form)
    if subject is None:
        return _page(request, form)
    return _report(request, novelty.check(subject, now=clock.now()))


@login_required
@ratelimit("novelty", methods=None)
def novelty_record_pdf(request, kind, pk):
    return _report(request, novelty.check(_record_subject(request, kind, pk), now=clock.now()))


@login_required
def patent_import(request):
    if not patents.may_import(request.user):
        raise DjangoPermissionDenied
    form = PatentImportForm(request.POST or None, request.FILES or None)
    result, errors = None, []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > MAX_UPLOAD:
            form.add_error("file", _("文件过大：不能超过 50 MB。"))
        else:
            try:
                result = patents.import_csv(
                    upload.read(), actor=request.user, filename=upload.name, now=clock.now()
                )
            except ValidationFailed as exc:
                form.add_error("file", str(exc.message))
                errors = exc.detail.get("errors", [])
    return render(
        request,
        "search/patent_import.html",
        {"form": form, "result": result, "errors": errors, "corpus": patents.PatentRecord.objects.count()},
    )
