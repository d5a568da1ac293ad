"""Technology brokers (技术经纪人 / 技术经理人) and transfer institutions (技术转移机构): filings with
the bureau, annual reports, staff assessments and performance scores.

A broker is tied to the contracts they brokered by their institution and their name as the contract
names them (``Contract.transfer_institution`` and ``Contract.broker_name``): one name per institution
(a constraint), so the link is unambiguous without changing the contract form."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from zhouqiao.accounts.models import Organisation
from zhouqiao.community.institutions.states import BrokerLevel, CertificateStatus, FilingStatus, ReportStatus
from zhouqiao.core.models import Region
from zhouqiao.core.money import MoneyField


def _known(field: str, enum, name: str) -> models.CheckConstraint:
    return models.CheckConstraint(condition=Q(**{f"{field}__in": enum.values}), name=name)


class BrokerQuerySet(models.QuerySet):
    def certified(self):
        """Brokers whose certificate a reviewer of the bureau has checked (shown to the public) —
        also while a changed certificate waits for its check: listed with the one last approved."""
        return self.filter(
            Q(certificate_status=CertificateStatus.APPROVED)
            | Q(approved_certificate__has_key="certificate_number")
        )


class Broker(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="broker_profile",
        verbose_name=_("账号"),
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="brokers", verbose_name=_("所在技术转移机构")
    )
    name = models.CharField(_("姓名（与技术合同所填一致）"), max_length=64)
    level = models.CharField(_("等级"), max_length=16, choices=BrokerLevel.choices)
    certificate_number = models.CharField(_("证书编号"), max_length=40)
    certificate_issuer = models.CharField(_("发证机构"), max_length=128)
    certificate_date = models.DateField(_("发证日期"))
    certificate_status = models.CharField(
        _("证书核验状态"),
        max_length=12,
        choices=CertificateStatus.choices,
        default=CertificateStatus.SUBMITTED,
        db_index=True,
    )
    certificate_reason = models.TextField(_("核验意见"), blank=True)
    certificate_submitted_at = models.DateTimeField(_("证书提交核验时间"), null=True, blank=True)
    certificate_checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    certificate_checked_at = models.DateTimeField(_("证书核验时间"), null=True, blank=True)
    certificate_scan = models.FileField(_("证书扫描件"), upload_to="brokers/%Y/", blank=True)
    certificate_scan_name = models.CharField(_("扫描件原文件名"), max_length=200, blank=True)
    approved_certificate = models.JSONField(
        _("上次核验通过的证书"), default=dict, blank=True
    )  # level, number, issuer, date as approved: the reviewer of a changed certificate sees the change
    fields = models.CharField(_("服务领域"), max_length=200, blank=True)
    profile = models.TextField(_("个人简介"), blank=True)
    created_at = models.DateTimeField(_("登记时间"))
    updated_at = models.DateTimeField(_("更新时间"))
    is_sample = models.BooleanField(_("演示数据"), default=False)

    objects = BrokerQuerySet.as_manager()

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("技术经纪（理）人")
        verbose_name_plural = _("技术经纪（理）人")
        constraints = [
            _known("level", BrokerLevel, "broker_level_known"),
            _known("certificate_status", CertificateStatus, "broker_certificate_status_known"),
            models.UniqueConstraint(fields=["organisation", "name"], name="broker_name_once_per_institution"),
            models.UniqueConstraint(
                fields=["certificate_issuer", "certificate_number"], name="broker_certificate_once"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def public_certificate(self) -> dict:
        """The certificate as the public sees it: the current one once approved, else the one last
        approved (a change waiting for its check is not shown), else nothing."""
        import datetime as dt

        levels = dict(BrokerLevel.choices)
        if self.certificate_status == CertificateStatus.APPROVED:
            return {
                "level": self.get_level_display(),
                "certificate_number": self.certificate_number,
                "certificate_issuer": self.certificate_issuer,
                "certificate_date": self.certificate_date,
            }
        approved = self.approved_certificate or {}
        if not approved.get("certificate_number"):
            return {}
        try:
            issued = dt.date.fromisoformat(approved.get("certificate_date") or "")
        except ValueError:
            issued = None
        return {
            "level": levels.get(approved.get("level"), ""),
            "certificate_number": approved.get("certificate_number", ""),
            "certificate_issuer": approved.get("certificate_issuer", ""),
            "certificate_date": issued,
        }

    @property
    def region_id(self) -> str:  # audit records and reviews go where the institution is
        return self.organisation.region_id


class TrainingRecord(models.Model):
    broker = models.ForeignKey(Broker, on_delete=models.CASCADE, related_name="training")
    year = models.PositiveSmallIntegerField(_("年度"))
    course = models.CharField(_("培训课程"), max_length=200)
    provider = models.CharField(_("培训机构"), max_length=128)
    hours = models.DecimalField(_("学时"), max_digits=5, decimal_places=1)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("登记时间"))

    class Meta:
        ordering = ["-year", "pk"]
        verbose_name = _("培训记录")
        verbose_name_plural = _("培训记录")
        constraints = [
            models.CheckConstraint(condition=Q(hours__gt=0, hours__lte=500), name="training_hours_bounded")
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.course}"


class BrokerRating(models.Model):
    """A client's rating after a registered contract the broker brokered: one per party, 1–5."""

    broker = models.ForeignKey(Broker, on_delete=models.CASCADE, related_name="ratings")
    contract = models.ForeignKey("contracts.Contract", on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("评价方")
    )
    rated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    score = models.PositiveSmallIntegerField(_("评分"))
    comment = models.TextField(_("评价"), blank=True)
    created_at = models.DateTimeField(_("评价时间"))

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("委托方评价")
        verbose_name_plural = _("委托方评价")
        constraints = [
            models.CheckConstraint(condition=Q(score__gte=1, score__lte=5), name="broker_rating_1_to_5"),
            models.UniqueConstraint(fields=["contract", "organisation"], name="broker_rating_once_per_party"),
        ]

    def __str__(self) -> str:
        return f"{self.broker} {self.score}"


class InstitutionFiling(models.Model):
    """备案: one per institution, made with the bureau of the city where it is (``bureau_region``)."""

    organisation = models.OneToOneField(
        Organisation, on_delete=models.PROTECT, related_name="filing", verbose_name=_("技术转移机构")
    )
    bureau_region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="+", verbose_name=_("备案主管部门所在地区")
    )
    status = models.CharField(
        _("状态"), max_length=12, choices=FilingStatus.choices, default=FilingStatus.SUBMITTED
    )
    staff_count = models.PositiveIntegerField(_("专职从业人员（人）"))
    part_time_experts = models.PositiveIntegerField(_("兼职专家（人）"), default=0)
    fields = models.CharField(_("服务领域"), max_length=200)
    services = models.JSONField(_("服务类型"), default=list)
    description = models.TextField(_("机构简介与服务内容"), blank=True)
    reason = models.TextField(_("审核意见"), blank=True)
    number = models.CharField(_("备案编号"), max_length=24, unique=True, null=True, blank=True)
    filed_on = models.DateField(_("备案日期"), null=True, blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(_("提交时间"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    is_sample = models.BooleanField(_("演示数据"), default=False)

    class Meta:
        ordering = ["-submitted_at", "-pk"]
        verbose_name = _("技术转移机构备案")
        verbose_name_plural = _("技术转移机构备案")
        constraints = [
            _known("status", FilingStatus, "filing_status_known"),
            models.CheckConstraint(
                condition=~Q(status="approved") | Q(filed_on__isnull=False, number__isnull=False),
                name="filing_approved_has_date_and_number",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} · {self.get_status_display()}"

    @property
    def region_id(self) -> str:  # audit records are filed where the bureau is
        return self.bureau_region_id


class AnnualReport(models.Model):
    """年度报告: figures pre-filled from the platform (frozen at submission) plus what only the
    institution knows (income, a work summary)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="annual_reports")
    year = models.PositiveSmallIntegerField(_("年度"))
    due_on = models.DateField(_("报送截止日期"))
    status = models.CharField(
        _("状态"), max_length=12, choices=ReportStatus.choices, default=ReportStatus.DRAFT
    )
    figures = models.JSONField(_("平台数据"), default=dict)
    staff_count = models.PositiveIntegerField(_("年末专职从业人员（人）"), null=True, blank=True)
    total_income = MoneyField(_("年度总收入（元）"), null=True, blank=True)
    technical_income = MoneyField(_("技术性收入（元）"), null=True, blank=True)
    summary = models.TextField(_("年度工作总结"), blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"))
    updated_at = models.DateTimeField(_("更新时间"))

    class Meta:
        ordering = ["-year", "organisation__name"]
        verbose_name = _("技术转移机构年度报告")
        verbose_name_plural = _("技术转移机构年度报告")
        constraints = [
            _known("status", ReportStatus, "annual_report_status_known"),
            models.UniqueConstraint(fields=["organisation", "year"], name="annual_report_once_per_year"),
            models.CheckConstraint(
                condition=Q(technical_income__isnull=True)
                | Q(total_income__isnull=True)
                | Q(technical_income__lte=models.F("total_income")),
                name="annual_report_technical_within_total",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} {self.year}"

    @property
    def region_id(self) -> str:
        return self.organisation.region_id


class InstitutionAssessment(models.Model):
    """The parts of the score only staff can judge (规范管理, 诚信): points per item, audited."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("年度"))
    values = models.JSONField(_("评分"), default=dict)
    note = models.TextField(_("评分说明"), blank=True)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    entered_at = models.DateTimeField(_("评分时间"))

    class Meta:
        verbose_name = _("技术转移机构人工评分")
        verbose_name_plural = _("技术转移机构人工评分")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "year"], name="assessment_once_per_year")
        ]

    def __str__(self) -> str:
        return f"{self.organisation} {self.year}"

    @property
    def region_id(self) -> str:
        return self.organisation.region_id


class InstitutionScore(models.Model):
    """The performance score of one institution for one year, with every sub-indicator's value,
    points, source and formula as computed (``items``)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("年度"))
    total = models.DecimalField(_("总分"), max_digits=5, decimal_places=2)
    pillars = models.JSONField(_("分项得分"), default=dict)
    items = models.JSONField(_("指标明细"), default=list)
    computed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    computed_at = models.DateTimeField(_("计算时间"))

    class Meta:
        ordering = ["-total", "organisation__name"]
        verbose_name = _("技术转移机构绩效评分")
        verbose_name_plural = _("技术转移机构绩效评分")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "year"], name="score_once_per_year"),
            models.CheckConstraint(condition=Q(total__gte=0, total__lte=100), name="score_total_0_to_100"),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} {self.year} {self.total}"

    @property
    def region_id(self) -> str:
        return self.organisation.region_id
