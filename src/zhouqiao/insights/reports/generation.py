"""One generation of a report version, as the task worker runs it: progress is written to the
version row step by step (each update its own short transaction, so the page polling it sees it),
the files are saved, the requester is notified. A failure marks the version failed with its
reason; nothing else changes."""

import logging
import time

from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from zhouqiao.insights.reports import content, render
from zhouqiao.insights.reports.models import ReportVersion
from zhouqiao.insights.reports.states import VersionStatus
from zhouqiao.notifications.services import notify

log = logging.getLogger(__name__)


def _update(version_id: int, **fields) -> None:
    ReportVersion.objects.filter(pk=version_id).update(**fields)


def build(
    version: ReportVersion, *, now, step=lambda stage, percent: None
) -> tuple[dict, str, bytes, bytes, dict]:
    """Collect, render and pack one version: (context, html, pdf, xlsx, timings in seconds)."""
    report = version.report
    timings = {}
    started = time.perf_counter()
    context = content.collect(report.region, report.year, now=now, step=step)
    context.update({"title": report.title, "version": version})
    timings["collect"] = time.perf_counter() - started
    step(_("排版PDF"), 75)
    mark = time.perf_counter()
    markup = render.html(context)
    timings["html"] = time.perf_counter() - mark
    mark = time.perf_counter()
    pdf = render.pdf(markup)
    timings["pdf"] = time.perf_counter() - mark
    step(_("生成Excel工作簿"), 92)
    mark = time.perf_counter()
    xlsx = render.workbook(context)
    timings["xlsx"] = time.perf_counter() - mark
    timings["total"] = time.perf_counter() - started
    return context, markup, pdf, xlsx, {k: round(v, 4) for k, v in timings.items()}


def run(version_id: int, *, now) -> str:
    claimed = ReportVersion.objects.filter(pk=version_id, status=VersionStatus.QUEUED).update(
        status=VersionStatus.RUNNING, started_at=now, progress=5, stage=_("开始生成")
    )
    if not claimed:
        return "skipped"
    version = ReportVersion.objects.select_related("report__region", "requested_by").get(pk=version_id)

    def step(stage, percent):
        _update(version_id, stage=str(stage)[:64], progress=percent)

    try:
        _context, _markup, pdf, xlsx, timings = build(version, now=now, step=step)
    except Exception:
        log.exception("annual report version %s failed", version_id)
        _update(
            version_id,
            status=VersionStatus.FAILED,
            stage="",
            error=_("生成时出错，请稍后重新生成；如仍失败请联系系统管理员。"),
            finished_at=now,
        )
        return VersionStatus.FAILED
    report = version.report
    stem = f"annual-report-{report.region_id}-{report.year}-v{version.number}"
    with transaction.atomic():
        version = ReportVersion.objects.select_for_update().get(pk=version_id)
        version.pdf.save(f"{stem}.pdf", ContentFile(pdf), save=False)
        version.xlsx.save(f"{stem}.xlsx", ContentFile(xlsx), save=False)
        version.status, version.progress, version.stage = VersionStatus.READY, 100, ""
        version.finished_at, version.timings = now, timings
        version.save()
        notify(
            [version.requested_by],
            kind="annual_reports.ready",
            title=_("年度报告已生成：%(title)s（第%(n)s版）") % {"title": report.title, "n": version.number},
            url=reverse("annual_reports:report_detail", args=[report.pk]),
            key=f"annual_report_version:{version.pk}:ready",
            now=now,
        )
    return VersionStatus.READY
