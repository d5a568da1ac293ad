"""专利收储与运营 (seed 002 §26): the invention patents a jurisdiction watches, the cases in which it
decides to acquire (收储) one, its patent pool, the pool's annual fees and what the pool earns.

Every write goes through :mod:`zhouqiao.programs.patent_pool.services`; statuses and their moves
are in :mod:`zhouqiao.programs.patent_pool.states`.
"""

import re

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from zhouqiao.accounts.models import Organisation
from zhouqiao.core.models import Industry, Region
from zhouqiao.core.money import MoneyField
from zhouqiao.programs.patent_pool.states import (
    CaseOrigin,
    CaseStatus,
    Implementation,
    ImplementationKind,
    PatentSource,
    PoolStatus,
    ProceedsKind,
)

_NOT_KEY = re.compile(r"[^0-9X]")


def number_key(number: str) -> str:
    """The comparable form of a Chinese patent (application) number: ``ZL 2021 1 0234567.8``,
    ``CN202110234567.8`` and ``202110234567.8`` are one patent."""
    text = (number or "").upper().strip()
    for prefix in ("ZL", "CN"):
        text = text.removeprefix(prefix).strip()
    return _NOT_KEY.sub("", text)


def is_invention_number(number: str) -> bool:
    """CNIPA application numbers say their kind: the fifth digit of the twelve-digit form (since
    2003) or the third of the eight-digit form — 1 invention, 8 invention entering via PCT."""
    key = number_key(number)
    if len(key) in (12, 13):
        return key[4] in "18"
    if len(key) in (8, 9):
        return key[2] in "18"
    return False


def _known(field: str, choices, name: str) -> models.CheckConstraint:
    return models.CheckConstraint(condition=Q(**{f"{field}__in": choices.values}), name=name)


class PatentPool(models.Model):
    """A jurisdiction's patent pool. ``holder`` is the organisation in whose name the pool's
    patents are held and offered on the market (the bureau, or the operating agency it names);
    officers acting for the pool on the market must be its members, as the market requires of any
    seller."""

    region = models.OneToOneField(
        Region, on_delete=models.PROTECT, related_name="+", verbose_name=_("所属辖区")
    )
    name = models.CharField(_("专利池名称"), max_length=100)
    holder = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("持有和运营机构"),
    )
    created_at = models.DateTimeField(_("设立时间"))

    class Meta:
        ordering = ["region"]
        verbose_name = _("专利池")
        verbose_name_plural = _("专利池")

    def __str__(self) -> str:
        return self.name


class TrackedPatentQuerySet(models.QuerySet):
    def in_jurisdiction(self, user):
        from zhouqiao.accounts import scope
        from zhouqiao.accounts.models import Duty

        return self.filter(scope.region_q(user, "region", Duty.PROGRAM_OFFICER))

    def of_member(self, user):
        from zhouqiao.accounts import scope

        return self.filter(owner_id__in=scope.organisation_ids(user))


class TrackedPatent(models.Model):
    """A granted (or, from the corpus, possibly not yet dated) invention patent the platform
    watches: from a funded project, an achievement's IP list, the patent corpus (when its applicant
    is a known organisation) or declared by its owner when offering it."""

    number = models.CharField(_("专利号"), max_length=64)
    key = models.CharField(max_length=64, unique=True, editable=False)
    title = models.CharField(_("专利名称"), max_length=255)
    owner = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("专利权人")
    )
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", verbose_name=_("所在地区"))
    filed_on = models.DateField(_("申请日"), null=True, blank=True)
    granted_on = models.DateField(_("授权公告日"), null=True, blank=True)
    ipc = models.CharField(_("IPC 分类"), max_length=64, blank=True)
    industry = models.ForeignKey(
        Industry,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("所属行业"),
    )
    abstract = models.TextField(_("摘要"), blank=True)
    source = models.CharField(_("来源"), max_length=12, choices=PatentSource.choices)
    funded = models.BooleanField(_("财政资助项目产生"), default=False)
    project = models.ForeignKey(
        "projects.Project",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("资助项目"),
    )
    # A funded project from before the platform (no Project row): its name and programme as text.
    project_name = models.CharField(_("资助项目名称"), max_length=200, blank=True)
    achievement = models.ForeignKey(
        "catalog.Achievement", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    ip_item = models.ForeignKey(
        "catalog.IntellectualProperty", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    corpus = models.ForeignKey(
        "search.PatentRecord", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    implementation = models.CharField(
        _("实施状态"), max_length=12, choices=Implementation.choices, default=Implementation.WATCHING
    )
    flagged_at = models.DateTimeField(_("标记未实施时间"), null=True, blank=True)
    implemented_at = models.DateTimeField(_("确认实施时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("纳入跟踪时间"))
    updated_at = models.DateTimeField(_("更新时间"))
    is_sample = models.BooleanField(_("演示数据"), default=False)

    objects = TrackedPatentQuerySet.as_manager()

    class Meta:
        ordering = ["-granted_on", "pk"]
        verbose_name = _("跟踪的发明专利")
        verbose_name_plural = _("跟踪的发明专利")
        indexes = [models.Index(fields=["implementation", "region"])]
        constraints = [
            _known("source", PatentSource, "tracked_patent_source_known"),
            _known("implementation", Implementation, "tracked_patent_implementation_known"),
            models.CheckConstraint(
                condition=Q(granted_on__isnull=True)
                | Q(filed_on__isnull=True)
                | Q(granted_on__gte=models.F("filed_on")),
                name="tracked_patent_granted_after_filed",
            ),
            models.CheckConstraint(
                condition=~Q(implementation="idle") | Q(flagged_at__isnull=False),
                name="tracked_patent_idle_has_flag_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    def save(self, *args, **kwargs):
        self.key = number_key(self.number)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "number" in update_fields:
            kwargs["update_fields"] = {*update_fields, "key"}
        super().save(*args, **kwargs)


class ImplementationRecord(models.Model):
    """The owner's statement that the patent is in use (with evidence); append-only."""

    patent = models.ForeignKey(TrackedPatent, on_delete=models.CASCADE, related_name="implementations")
    kind = models.CharField(_("实施方式"), max_length=12, choices=ImplementationKind.choices)
    evidence = models.TextField(_("实施情况与证明材料"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("登记时间"))

    class Meta:
        ordering = ["-recorded_at", "-pk"]
        verbose_name = _("专利实施记录")
        verbose_name_plural = _("专利实施记录")
        constraints = [
            _known("kind", ImplementationKind, "implementation_kind_known"),
            models.CheckConstraint(condition=~Q(evidence=""), name="implementation_has_evidence"),
        ]

    def __str__(self) -> str:
        return f"{self.patent_id} {self.get_kind_display()}"


class AcquisitionCase(models.Model):
    """One question "acquire this patent into the pool?": opened by the owner's offer (拟放弃) or
    by the idle check, decided by a program officer of the patent's jurisdiction."""

    patent = models.ForeignKey(TrackedPatent, on_delete=models.PROTECT, related_name="cases")
    origin = models.CharField(_("收储线索"), max_length=8, choices=CaseOrigin.choices)
    status = models.CharField(
        _("状态"), max_length=12, choices=CaseStatus.choices, default=CaseStatus.PENDING
    )
    owner_reason = models.TextField(_("拟放弃原因"), blank=True)
    asking_price = MoneyField(_("期望价格（元）"), null=True, blank=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    opened_at = models.DateTimeField(_("提出时间"))
    price = MoneyField(_("收储价格（元）"), null=True, blank=True)
    decision_reason = models.TextField(_("决定理由"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("决定时间"), null=True, blank=True)
    pool = models.ForeignKey(PatentPool, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-opened_at", "-pk"]
        verbose_name = _("专利收储案")
        verbose_name_plural = _("专利收储案")
        constraints = [
            _known("origin", CaseOrigin, "acquisition_origin_known"),
            _known("status", CaseStatus, "acquisition_status_known"),
            models.UniqueConstraint(
                fields=["patent"], condition=Q(status="pending"), name="acquisition_one_pending_per_patent"
            ),
            models.UniqueConstraint(
                fields=["patent"], condition=Q(status="acquired"), name="acquisition_acquired_once"
            ),
            models.CheckConstraint(
                condition=Q(asking_price__isnull=True) | Q(asking_price__gte=0),
                name="acquisition_asking_not_negative",
            ),
            models.CheckConstraint(
                condition=~Q(status="acquired")
                | Q(price__gte=0, pool__isnull=False, decided_at__isnull=False),
                name="acquisition_acquired_complete",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.patent} · {self.get_status_display()}"


class PooledPatentQuerySet(models.QuerySet):
    def available(self):
        from zhouqiao.programs.patent_pool.states import AVAILABLE

        return self.filter(status__in=AVAILABLE)


class PooledPatent(models.Model):
    patent = models.OneToOneField(TrackedPatent, on_delete=models.PROTECT, related_name="pooled")
    pool = models.ForeignKey(PatentPool, on_delete=models.PROTECT, related_name="patents")
    case = models.OneToOneField(AcquisitionCase, on_delete=models.PROTECT, related_name="pooled")
    acquired_at = models.DateTimeField(_("收储时间"))
    price = MoneyField(_("收储价格（元）"))
    status = models.CharField(
        _("运营状态"), max_length=12, choices=PoolStatus.choices, default=PoolStatus.HELD
    )
    licence_terms = models.TextField(_("许可方式与条件"), blank=True)
    # The pool's own catalog record of the patent (owner: the pool's holder), and its market lots.
    achievement = models.ForeignKey(
        "catalog.Achievement", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    listing = models.ForeignKey(
        "market.Listing", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    auction = models.ForeignKey(
        "market.Auction", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(_("更新时间"))
    is_sample = models.BooleanField(_("演示数据"), default=False)

    objects = PooledPatentQuerySet.as_manager()

    class Meta:
        ordering = ["-acquired_at", "-pk"]
        verbose_name = _("池内专利")
        verbose_name_plural = _("池内专利")
        constraints = [
            _known("status", PoolStatus, "pooled_status_known"),
            models.CheckConstraint(condition=Q(price__gte=0), name="pooled_price_not_negative"),
        ]

    def __str__(self) -> str:
        return str(self.patent)


class AnnualFee(models.Model):
    """One year's maintenance fee (年费) of a pooled patent: due on the anniversary of the filing
    date (or of the grant date when the filing date is unknown); the amount is entered by staff."""

    pooled = models.ForeignKey(PooledPatent, on_delete=models.CASCADE, related_name="fees")
    due_on = models.DateField(_("缴费截止日"))
    amount = MoneyField(_("应缴金额（元）"))
    paid_on = models.DateField(_("缴费日期"), null=True, blank=True)
    paid_amount = MoneyField(_("实缴金额（元）"), null=True, blank=True)
    reference = models.CharField(_("缴费凭证号"), max_length=64, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("登记时间"))
    paid_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["due_on", "pk"]
        verbose_name = _("专利年费")
        verbose_name_plural = _("专利年费")
        constraints = [
            models.UniqueConstraint(fields=["pooled", "due_on"], name="annual_fee_once_per_date"),
            models.UniqueConstraint(
                fields=["pooled"], condition=Q(paid_on__isnull=True), name="annual_fee_one_open_per_patent"
            ),
            models.CheckConstraint(condition=Q(amount__gt=0), name="annual_fee_amount_positive"),
            models.CheckConstraint(
                condition=Q(paid_on__isnull=True, paid_amount__isnull=True)
                | Q(paid_on__isnull=False, paid_amount__gt=0),
                name="annual_fee_payment_complete",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.pooled_id} {self.due_on}"


class Proceeds(models.Model):
    """Money the pool earned from one patent, with the contract or market deal it came from.
    Append-only; a correction is a new row with an explanation."""

    pooled = models.ForeignKey(PooledPatent, on_delete=models.PROTECT, related_name="proceeds")
    kind = models.CharField(_("收益类型"), max_length=10, choices=ProceedsKind.choices)
    amount = MoneyField(_("金额（元）"))
    contract = models.ForeignKey(
        "contracts.Contract", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    deal = models.ForeignKey("market.Deal", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    received_on = models.DateField(_("到账日期"))
    note = models.CharField(_("说明"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("登记时间"))

    class Meta:
        ordering = ["-received_on", "-pk"]
        verbose_name = _("运营收益")
        verbose_name_plural = _("运营收益")
        constraints = [
            _known("kind", ProceedsKind, "proceeds_kind_known"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="proceeds_amount_positive"),
            models.CheckConstraint(
                condition=Q(contract__isnull=False) | Q(deal__isnull=False), name="proceeds_has_origin"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.pooled_id} {self.amount}"
