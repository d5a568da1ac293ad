"""Writes of the annual reports: ask for a generation (a new version), publish, withdraw."""

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from zhouqiao.core import audit
from zhouqiao.core.bounds import MIN_YEAR
from zhouqiao.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from zhouqiao.core.models import Region
from zhouqiao.insights.reports import access
from zhouqiao.insights.reports.models import AnnualReport, ReportVersion
from zhouqiao.insights.reports.states import VersionStatus


def _enqueue(version_id: int) -> None:
    from zhouqiao.insights.reports import tasks

    tasks.generate_version.enqueue(version_id)


@transaction.atomic(durable=True)
def request_generation(*, actor, region_code: str, year: int, now) -> ReportVersion:
    """A new version of the report of ``region_code`` for ``year``, queued for the task worker.
    Only one generation of a report runs at a time."""
    region = Region.objects.filter(pk=str(region_code or "")[:6]).first()
    if region is None:
        raise ValidationFailed(_("辖区不存在。"), detail={"region": [_("辖区不存在。")]})
    if not access.can_generate(actor, region.code):
        raise PermissionDenied(_("只有本辖区的统计监测人员可以生成年度报告。"))
    try:
        year = int(year)
    except (TypeError, ValueError) as exc:
        raise ValidationFailed(_("请选择年度。"), detail={"year": [_("请选择年度。")]}) from exc
    if not MIN_YEAR <= year <= now.year:
        raise ValidationFailed(_("年度应在%(a)s至%(b)s之间。") % {"a": MIN_YEAR, "b": now.year})
    try:
        with transaction.atomic():
            report, _created = AnnualReport.objects.get_or_create(
                region=region, year=year, defaults={"created_at": now}
            )
    except IntegrityError:
        report = AnnualReport.objects.get(region=region, year=year)
    report = AnnualReport.objects.select_for_update().get(pk=report.pk)
    if report.versions.filter(status__in=[VersionStatus.QUEUED, VersionStatus.RUNNING]).exists():
        raise Conflict(_("该报告正在生成，请等当前版本完成后再生成新版本。"))
    number = (report.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    version = ReportVersion.objects.create(report=report, number=number, requested_by=actor, requested_at=now)
    audit.record(
        "annual_report.requested",
        actor=actor,
        target=version,
        region_code=region.code,
        now=now,
        after={"year": year, "version": number},
    )
    transaction.on_commit(lambda: _enqueue(version.pk), robust=True)
    return version


@transaction.atomic(durable=True)
def publish(*, actor, version_id: int, now) -> AnnualReport:
    version = ReportVersion.objects.select_related("report").filter(pk=version_id).first()
    if version is None:
        raise NotFound(_("报告版本不存在。"))
    report = AnnualReport.objects.select_for_update().get(pk=version.report_id)
    if not access.can_generate(actor, report.region_id):
        raise PermissionDenied(_("只有本辖区的统计监测人员可以发布年度报告。"))
    if version.status != VersionStatus.READY:
        raise Conflict(_("只有已生成的版本可以发布。"))
    before = {"version": report.published_version_id}
    report.published_version, report.published_at, report.published_by = version, now, actor
    report.save(update_fields=["published_version", "published_at", "published_by"])
    audit.record(
        "annual_report.published",
        actor=actor,
        target=report,
        region_code=report.region_id,
        now=now,
        before=before,
        after={"version": version.number},
    )
    return report


@transaction.atomic(durable=True)
def unpublish(*, actor, report_id: int, now) -> AnnualReport:
    report = AnnualReport.objects.select_for_update().filter(pk=report_id).first()
    if report is None:
        raise NotFound(_("报告不存在。"))
    if not access.can_generate(actor, report.region_id):
        raise PermissionDenied(_("只有本辖区的统计监测人员可以撤回年度报告。"))
    if report.published_version_id is None:
        raise Conflict(_("该报告尚未发布。"))
    before = {"version": report.published_version_id}
    report.published_version, report.published_at, report.published_by = None, None, None
    report.save(update_fields=["published_version", "published_at", "published_by"])
    audit.record(
        "annual_report.unpublished",
        actor=actor,
        target=report,
        region_code=report.region_id,
        now=now,
        before=before,
    )
    return report
