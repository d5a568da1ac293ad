"""Entitlements, their append-only ledger, annual cap usage, discretionary applications and
income distribution. The rules themselves are data (packages/*.yaml) evaluated by engine.py."""

from django.conf import settings
from django.db import models
from django.db.models import Q, Sum
from django.utils.translation import gettext_lazy as _

from zhouqiao.accounts import scope
from zhouqiao.accounts.models import Duty, Organisation
from zhouqiao.core.models import Region
from zhouqiao.core.money import MoneyField
from zhouqiao.policy import describe, routing
from zhouqiao.policy.states import ApplicationStatus, EntitlementStatus, LedgerKind

BENEFICIARY_CHOICES = describe.BENEFICIARY_CHOICES  # one vocabulary: policy/describe.py


class CapUsage(models.Model):
    """How much of a rule's annual cap one beneficiary has used in one year. The row is locked
    (in key order) while a registration computes its entitlements, so that two registrations at
    once cannot both take the last of a cap. ``used`` always equals the sum of the ledger
    entries of the entitlements counted against it."""

    beneficiary_key = models.CharField(max_length=80)  # "org:<id>" or "broker:<name>@<region>"
    clause = models.CharField(max_length=16)
    year = models.PositiveIntegerField()
    used = MoneyField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["beneficiary_key", "clause", "year"], name="cap_usage_unique"),
            models.CheckConstraint(condition=Q(used__gte=0), name="cap_usage_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.beneficiary_key} {self.clause} {self.year}: {self.used}"


class EntitlementQuerySet(models.QuerySet):
    def visible_to(self, user):
        if not getattr(user, "is_authenticated", False):
            return self.none()
        query = Q(organisation_id__in=scope.organisation_ids(user)) | scope.region_q(user, "payer_region")
        return self.filter(query)

    def with_balance(self):
        return self.annotate(
            owed=Sum("ledger__amount", filter=Q(ledger__kind__in=[LedgerKind.GRANT, LedgerKind.RELEASE]))
        )


class Entitlement(models.Model):
    """What a party is owed under one rule for one registered contract (免申即享: computed at
    registration; the beneficiary confirms with one click; finance approves twice; paid)."""

    contract = models.ForeignKey(
        "contracts.Contract", on_delete=models.PROTECT, null=True, blank=True, related_name="entitlements"
    )
    application = models.OneToOneField(
        "policy.Application", on_delete=models.PROTECT, null=True, blank=True, related_name="entitlement"
    )
    rule_id = models.CharField(_("规则"), max_length=64)
    clause = models.CharField(_("政策条款"), max_length=16)
    title = models.CharField(_("政策名称"), max_length=200)
    beneficiary = models.CharField(_("受益方"), max_length=24, choices=BENEFICIARY_CHOICES)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="entitlements",
        verbose_name=_("受益单位"),
    )
    beneficiary_name = models.CharField(_("受益人"), max_length=128)
    payer_region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="+", verbose_name=_("兑现部门所在地")
    )
    year = models.PositiveIntegerField(_("年度"))
    amount = MoneyField(_("核定金额（元）"))
    annual_cap_key = models.ForeignKey(
        CapUsage, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    trace = models.JSONField(_("计算依据"), default=dict)
    status = models.CharField(
        _("状态"), max_length=16, choices=EntitlementStatus.choices, default=EntitlementStatus.COMPUTED
    )
    status_reason = models.TextField(_("意见"), blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Who approved the amount of an application (核定支持): never also its 财务初审 (separation of duties).
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    first_approver = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    second_approver = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    payment_reference = models.CharField(_("拨付凭证号"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("核定时间"))
    updated_at = models.DateTimeField(_("更新时间"))

    objects = EntitlementQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("政策兑现")
        verbose_name_plural = _("政策兑现")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="entitlement_positive"),
            models.CheckConstraint(
                condition=Q(status__in=EntitlementStatus.values), name="entitlement_status_known"
            ),
            models.CheckConstraint(
                condition=Q(first_approver__isnull=True)
                | Q(second_approver__isnull=True)
                | ~Q(first_approver=models.F("second_approver")),
                name="entitlement_two_different_approvers",
            ),
            models.CheckConstraint(
                condition=Q(first_approver__isnull=True)
                | Q(granted_by__isnull=True)
                | ~Q(first_approver=models.F("granted_by")),
                name="entitlement_granter_not_first_approver",
            ),
            models.UniqueConstraint(
                fields=["contract", "rule_id", "beneficiary"],
                condition=Q(contract__isnull=False),
                name="entitlement_once_per_contract_rule",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.clause} {self.beneficiary_name} {self.amount}"

    @property
    def paid_as_voucher(self) -> bool:
        """Paid by issuing an innovation voucher instead of a transfer (``paid_as: voucher``, 001#20)."""
        from zhouqiao.policy import engine

        rule = engine.rule_by_id(self.rule_id)
        return rule is not None and rule.paid_as == "voucher"


class LedgerEntry(models.Model):
    """Append-only: a grant (+), its release when rejected or reversed (−), a payment (+ paid) and
    a recovery (− paid). Balances are sums; nothing is ever updated or deleted."""

    entitlement = models.ForeignKey(Entitlement, on_delete=models.PROTECT, related_name="ledger")
    kind = models.CharField(max_length=10, choices=LedgerKind.choices)
    amount = MoneyField()
    at = models.DateTimeField()
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.kind} {self.amount}"


class ApplicationQuerySet(models.QuerySet):
    def visible_to(self, user):
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(
            Q(organisation_id__in=scope.organisation_ids(user))
            | scope.region_q(user, "payer_region", Duty.FINANCE)
            | routing.reviews_q(user)
        )


class Application(models.Model):
    """A discretionary rule ("择优", "最高给予…"): the ceiling comes from the engine; a finance
    reviewer of the paying jurisdiction grants up to the ceiling, or refuses with a reason."""

    contract = models.ForeignKey(
        "contracts.Contract", on_delete=models.PROTECT, null=True, blank=True, related_name="applications"
    )
    rule_id = models.CharField(_("规则"), max_length=64)
    clause = models.CharField(_("政策条款"), max_length=16)
    title = models.CharField(_("政策名称"), max_length=200)
    beneficiary = models.CharField(_("受益方"), max_length=24, choices=BENEFICIARY_CHOICES)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="policy_applications"
    )
    payer_region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    ceiling = MoneyField(_("最高金额（元）"))
    # An event-triggered rule (a certification, an award): what happened, when, and its proof.
    event = models.CharField(_("事项"), max_length=64, blank=True)
    event_date = models.DateField(_("事项发生日期"), null=True, blank=True)
    event_reference = models.CharField(_("证书或文件编号"), max_length=100, blank=True)
    statement = models.TextField(_("申请说明"), blank=True)
    granted_amount = MoneyField(_("核定金额（元）"), null=True, blank=True)
    status = models.CharField(
        _("状态"), max_length=16, choices=ApplicationStatus.choices, default=ApplicationStatus.INVITED
    )
    status_reason = models.TextField(_("评审意见"), blank=True)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    trace = models.JSONField(default=dict)
    year = models.PositiveIntegerField()
    created_at = models.DateTimeField()
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(granted_amount__isnull=True) | Q(granted_amount__lte=models.F("ceiling")),
                name="application_within_ceiling",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.clause} {self.organisation_id} ≤{self.ceiling}"


class ApplicationAttachment(models.Model):
    """A file the applicant attaches to an application as one of its rule's required materials
    (``rule.evidence``; ``material`` empty: not tied to one). PDF, JPG or PNG up to 10 MB, checked
    by its first bytes; stored under a server-made name and read only by the applicant's
    organisation and the reviewers and finance staff of the paying jurisdiction."""

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="attachments")
    material = models.CharField(_("须附材料"), max_length=200, blank=True)
    file = models.FileField(_("文件"), upload_to="policy/%Y/")
    name = models.CharField(_("原文件名"), max_length=200)
    size = models.PositiveIntegerField(_("大小（字节）"))
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("上传时间"))

    class Meta:
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return f"{self.application_id} {self.name}"

    @property
    def kind(self) -> str:
        return self.file.name.rsplit(".", 1)[-1]


class DistributionScheme(models.Model):
    """A university's or institute's own split of net transfer income (the inventors' share is
    at least 70%: 002#15, 003#17)."""

    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="distribution_scheme"
    )
    inventors_ratio = models.DecimalField(_("成果完成人（团队）比例"), max_digits=7, decimal_places=4)
    unit_ratio = models.DecimalField(_("单位比例"), max_digits=7, decimal_places=4)
    department_ratio = models.DecimalField(_("院系（所）比例"), max_digits=7, decimal_places=4)
    updated_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(inventors_ratio__gte="0.7000"), name="scheme_inventors_at_least_70"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id} {self.inventors_ratio}"


class IncomeDistribution(models.Model):
    contract = models.ForeignKey("contracts.Contract", on_delete=models.PROTECT, related_name="distributions")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    income = MoneyField(_("转化收入（元）"))
    costs = MoneyField(_("相关成本（元）"))
    net_income = MoneyField(_("净收入（元）"))
    inventors_amount = MoneyField(_("成果完成人（团队）"))
    unit_amount = MoneyField(_("单位"))
    department_amount = MoneyField(_("院系（所）"))
    inventors = models.JSONField(_("成果完成人及份额"), default=list)
    ratios = models.JSONField(default=dict)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.contract_id} {self.net_income}"


class ChangeStatus(models.TextChoices):
    PROPOSED = "proposed", _("待审批")
    APPROVED = "approved", _("已生效")  # shown as 已批准，…起生效 before its date: describe.change_state
    REJECTED = "rejected", _("未通过")


class ParameterChangeQuerySet(models.QuerySet):
    def approved(self):
        return self.filter(status=ChangeStatus.APPROVED)


class ParameterChange(models.Model):
    """A bureau's own dated value for one of its documents' parameters (a rate, cap, threshold,
    the cap's counting period) or its document's status (施行 / 废止 from a date: the bureau's
    adoption of a draft). Proposed with a reason and the adopting document's number by staff with
    the ``policy_editor`` duty of the issuing jurisdiction; approved by another such person; from
    ``effective_from`` on the engine uses it (the YAML packages stay the shipped defaults)."""

    package = models.CharField(_("政策文件"), max_length=8)
    rule_id = models.CharField(_("规则"), max_length=64, blank=True)  # empty: the document itself
    name = models.CharField(_("参数"), max_length=32)
    value = models.CharField(_("新值"), max_length=64)
    previous_value = models.CharField(_("原值"), max_length=64, blank=True)
    effective_from = models.DateField(_("生效日期"))
    reason = models.TextField(_("调整理由"))
    adopting_document = models.CharField(_("依据文件文号"), max_length=100)
    jurisdiction = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        _("状态"), max_length=12, choices=ChangeStatus.choices, default=ChangeStatus.PROPOSED
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    proposed_at = models.DateTimeField(_("提出时间"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    decision_reason = models.TextField(_("审批意见"), blank=True)

    objects = ParameterChangeQuerySet.as_manager()

    class Meta:
        ordering = ["-proposed_at", "-pk"]
        verbose_name = _("政策参数调整")
        verbose_name_plural = _("政策参数调整")
        constraints = [
            models.CheckConstraint(
                condition=Q(decided_by__isnull=True)
                | Q(proposed_by__isnull=True)
                | ~Q(decided_by=models.F("proposed_by")),
                name="parameter_change_four_eyes",
            ),
            models.CheckConstraint(
                condition=Q(status__in=ChangeStatus.values), name="parameter_change_status_known"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.package} {self.rule_id or '-'} {self.name}={self.value} @{self.effective_from}"

    def status_on(self, as_of) -> str:
        """The status in words on ``as_of``: an approved change is 已生效 only from its effective
        date; before it, 已批准，2027年1月1日起生效 (computed, not a state of its own)."""
        if self.status == ChangeStatus.APPROVED and self.effective_from > as_of:
            d = self.effective_from
            return str(_("已批准，%(d)s起生效") % {"d": f"{d.year}年{d.month}月{d.day}日"})
        return str(self.get_status_display())

    @property
    def status_text(self) -> str:
        from zhouqiao.core import clock

        return self.status_on(clock.local_date())
