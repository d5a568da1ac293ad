"""Spreadsheet pages: templates, export of a filtered list, import with a progress page (HTMX)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from zhouqiao.accounts import scope
from zhouqiao.catalog import access, importing, posting, selectors, spreadsheets, tasks
from zhouqiao.catalog.forms import ImportForm
from zhouqiao.catalog.models import ImportJob
from zhouqiao.core import clock
from zhouqiao.core.errors import DomainError
from zhouqiao.core.spreadsheets import xlsx_response

EXPORT_LIMIT = 100_000


def template_download(request, kind):
    if kind not in spreadsheets.COLUMNS:
        raise Http404
    name = {"achievement": "achievement-template.xlsx", "demand": "demand-template.xlsx"}[kind]
    return xlsx_response(spreadsheets.build_template(kind), name)


def export(request, kind):
    """The list as filtered on the page, in the import layout; each row holds only what the viewer
    may see (``access``), so a confidential demand's details stay empty for outsiders."""
    filters = selectors.Filters.parse(request.GET)
    if kind == "achievement":
        qs, fields, row = (
            selectors.achievements_for(request.user, filters),
            access.achievement_fields,
            (spreadsheets.achievement_row),
        )
        qs = qs.prefetch_related("ip_items", "attachments")
    elif kind == "demand":
        qs, fields, row = (
            selectors.demands_for(request.user, filters),
            access.demand_fields,
            spreadsheets.demand_row,
        )
        qs = qs.prefetch_related("attachments")
    else:
        raise Http404
    rows = (row(data) for data in (fields(request.user, r) for r in qs[:EXPORT_LIMIT]) if data)
    stamp = timezone.localtime(clock.now()).strftime("%Y%m%d-%H%M")
    return xlsx_response(spreadsheets.export_workbook(kind, rows), f"{kind}s-{stamp}.xlsx")


@login_required
def import_upload(request):
    # The organisations the user may post for (catalog.posting); the service checks the kind too.
    organisations = {
        o.pk: o for kind in ("achievement", "demand") for o in posting.organisations_for(request.user, kind)
    }
    organisations = sorted(organisations.values(), key=lambda o: o.name)
    if not organisations:
        messages.error(request, _("请先加入或注册一个机构，才能导入成果或需求。"))
        return redirect("web:workspace")
    form = ImportForm(
        request.POST or None,
        request.FILES or None,
        organisations=organisations,
        initial={"kind": request.GET.get("kind", "achievement")},
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            job = importing.start_import(
                actor=request.user,
                owner_id=d["owner"],
                kind=d["kind"],
                upload=d["file"],
                submit=d["submit_for_review"],
                now=clock.now(),
            )
        except DomainError as exc:
            form.add_error("file", str(exc.message))
        else:
            transaction.on_commit(lambda: tasks.run_import.enqueue(job.pk))
            return redirect("catalog:import_job", pk=job.pk)
    return render(request, "catalog/import.html", {"form": form})


def _job_for(request, pk) -> ImportJob:
    job = get_object_or_404(ImportJob.objects.select_related("owner"), pk=pk)
    if not scope.is_member(request.user, job.owner):
        raise Http404
    return job


@login_required
def import_job(request, pk):
    job = _job_for(request, pk)
    template = "catalog/partials/import_progress.html" if request.htmx else "catalog/import_job.html"
    return render(request, template, {"job": job})
