"""Annual reports: the list (public: published reports; statistics staff: the generate form and
their jurisdiction's reports), one report's versions with the progress of a running generation
(HTMX polling), and the downloads."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.db.models import Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhouqiao.accounts import scope
from zhouqiao.accounts.models import Duty
from zhouqiao.core import clock
from zhouqiao.core.errors import DomainError
from zhouqiao.insights.reports import access, services
from zhouqiao.insights.reports.models import AnnualReport, ReportVersion
from zhouqiao.insights.reports.states import VersionStatus


def _staff_reports_q(user) -> Q:
    return scope.region_q(user, "region") | scope.region_q(user, "region", Duty.STATISTICS)


def report_list(request):
    published = (
        AnnualReport.objects.filter(published_version__isnull=False)
        .select_related("region", "published_version")
        .order_by("-year", "region_id")
    )
    regions = access.generating_regions(request.user)
    staff_reports = (
        AnnualReport.objects.filter(_staff_reports_q(request.user))
        .select_related("region", "published_version")
        .order_by("-year", "region_id")[:100]
        if getattr(request.user, "is_authenticated", False)
        else []
    )
    today = clock.local_date()
    return render(
        request,
        "annual_reports/report_list.html",
        {
            "published": published[:200],
            "regions": regions,
            "years": list(range(today.year, today.year - 10, -1)),
            "default_year": today.year - 1,
            "staff_reports": staff_reports,
        },
    )


@login_required
@require_POST
def generate(request):
    try:
        version = services.request_generation(
            actor=request.user,
            region_code=request.POST.get("region", ""),
            year=request.POST.get("year", ""),
            now=clock.now(),
        )
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("annual_reports:report_list")
    messages.success(request, _("已提交生成，完成后会通知您。"))
    return redirect("annual_reports:report_detail", pk=version.report_id)


def _report(request, pk) -> tuple[AnnualReport, bool]:
    report = get_object_or_404(AnnualReport.objects.select_related("region"), pk=pk)
    staff = access.can_see_drafts(request.user, report.region_id)
    if not staff and report.published_version_id is None:
        raise Http404
    return report, staff


def report_detail(request, pk):
    report, staff = _report(request, pk)
    versions = list(report.versions.select_related("requested_by")) if staff else []
    running = next((v for v in versions if v.status in (VersionStatus.QUEUED, VersionStatus.RUNNING)), None)
    return render(
        request,
        "annual_reports/report_detail.html",
        {
            "report": report,
            "staff": staff,
            "versions": versions,
            "running": running,
            "latest": versions[0] if versions else None,
            "can_generate": access.can_generate(request.user, report.region_id),
        },
    )


def version_progress(request, pk):
    version = get_object_or_404(ReportVersion.objects.select_related("report"), pk=pk)
    if not access.can_see_drafts(request.user, version.report.region_id):
        raise Http404
    return render(
        request,
        "annual_reports/partials/progress.html",
        {
            "version": version,
            "report": version.report,
            "can_generate": access.can_generate(request.user, version.report.region_id),
        },
    )


def download(request, pk, fmt):
    if fmt not in ("pdf", "xlsx"):
        raise Http404
    version = get_object_or_404(ReportVersion.objects.select_related("report"), pk=pk)
    report = version.report
    if report.published_version_id != version.pk and not access.can_see_drafts(
        request.user, report.region_id
    ):
        raise Http404
    file = version.pdf if fmt == "pdf" else version.xlsx
    if version.status != VersionStatus.READY or not file:
        raise Http404
    name = f"annual-report-{report.region_id}-{report.year}-v{version.number}.{fmt}"
    response = FileResponse(file.open("rb"), as_attachment=True, filename=name)
    if report.published_version_id != version.pk:
        response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def publish(request, pk):
    version = get_object_or_404(ReportVersion.objects.select_related("report"), pk=pk)
    if not access.can_generate(request.user, version.report.region_id):
        raise DjangoPermissionDenied
    try:
        services.publish(actor=request.user, version_id=pk, now=clock.now())
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已发布，公众可以下载该版本。"))
    return redirect("annual_reports:report_detail", pk=version.report_id)


@login_required
@require_POST
def unpublish(request, pk):
    report = get_object_or_404(AnnualReport, pk=pk)
    if not access.can_generate(request.user, report.region_id):
        raise DjangoPermissionDenied
    try:
        services.unpublish(actor=request.user, report_id=pk, now=clock.now())
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已撤回发布。"))
    return redirect("annual_reports:report_detail", pk=pk)
