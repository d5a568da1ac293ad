"""Annual reports (年度报告制度, seed 002 §28): one report per jurisdiction and year, kept as
versions — every generation is a new version with its own PDF and workbook; older versions stay
downloadable. Publishing picks one ready version for the public."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from zhouqiao.core.models import Region
from zhouqiao.insights.reports.states import VersionStatus


class AnnualReport(models.Model):
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", verbose_name=_("辖区"))
    year = models.PositiveSmallIntegerField(_("年度"))
    published_version = models.ForeignKey(
        "ReportVersion",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("公开版本"),
    )
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("创建时间"))

    class Meta:
        ordering = ["-year", "region_id"]
        verbose_name = _("年度报告")
        verbose_name_plural = _("年度报告")
        constraints = [
            models.UniqueConstraint(fields=["region", "year"], name="annual_report_region_year_once"),
            models.CheckConstraint(
                condition=Q(year__gte=1980, year__lte=2100), name="annual_report_region_year_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.region_id} {self.year}"

    @property
    def title(self) -> str:
        return _("%(region)s%(year)s年度科技成果转化与技术市场报告") % {
            "region": self.region.full_name,
            "year": self.year,
        }


class ReportVersion(models.Model):
    report = models.ForeignKey(AnnualReport, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("版本"))
    status = models.CharField(
        _("状态"), max_length=12, choices=VersionStatus.choices, default=VersionStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("进度（%）"), default=0)
    stage = models.CharField(_("当前步骤"), max_length=64, blank=True)
    error = models.TextField(_("失败原因"), blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(_("提交时间"))
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    pdf = models.FileField(_("PDF 文件"), upload_to="annual_reports/%Y/", blank=True)
    xlsx = models.FileField(_("Excel 文件"), upload_to="annual_reports/%Y/", blank=True)
    timings = models.JSONField(_("耗时（秒）"), default=dict, blank=True)

    class Meta:
        ordering = ["-number"]
        verbose_name = _("年度报告版本")
        verbose_name_plural = _("年度报告版本")
        constraints = [
            models.UniqueConstraint(fields=["report", "number"], name="annual_report_version_once"),
            models.CheckConstraint(
                condition=Q(status__in=VersionStatus.values), name="annual_report_version_status_known"
            ),
            models.CheckConstraint(
                condition=Q(progress__lte=100), name="annual_report_version_progress_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.report} v{self.number}"

    @property
    def region_id(self) -> str:
        return self.report.region_id

    @property
    def is_finished(self) -> bool:
        return self.status in (VersionStatus.READY, VersionStatus.FAILED)
