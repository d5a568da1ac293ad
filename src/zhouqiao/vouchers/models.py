"""Innovation vouchers (科技创新券): pools, certifications, applications, vouchers, the provider
directory, service orders, redemptions and the append-only ledger.

The ledger (:class:`LedgerEntry`) is the truth. ``Pool.available`` and ``Voucher.remaining`` are
running balances kept in the same transaction as each entry, changed only by conditional updates
(``… WHERE remaining >= x``), so that concurrent spending can never overdraw them;
``zhouqiao vouchers reconcile`` proves that they agree with the ledger.
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from zhouqiao.accounts import scope
from zhouqiao.accounts.models import Organisation
from zhouqiao.core.models import Region
from zhouqiao.core.money import MoneyField
from zhouqiao.vouchers.states import (
    ApplicationStatus,
    CertificationKind,
    EntryKind,
    OrderStatus,
    ServiceCategory,
    ServiceStatus,
    VoucherSource,
    VoucherStatus,
)

# Seed 001#23 names the yearly pool (3000万 in Changchun) but no per-enterprise ceiling; 20万 a
# year is the default chosen here, set per pool by the bureau.
DEFAULT_ENTERPRISE_CEILING = Decimal("200000.00")
# The voucher pays at most this share of an order's price (the rest is the enterprise's own money).
DEFAULT_VOUCHER_SHARE = Decimal("0.5000")
DEFAULT_VALIDITY_DAYS = 180


class Pool(models.Model):
    """A yearly budget of one issuing jurisdiction, whole (``category`` blank) or for one category."""

    jurisdiction = models.ForeignKey(Region, on_delete=models.PROTECT, verbose_name=_("发放地区"))
    year = models.PositiveSmallIntegerField(_("年度"))
    category = models.CharField(_("服务类别"), max_length=24, choices=ServiceCategory.choices, blank=True)
    name = models.CharField(_("名称"), max_length=128)
    clause = models.CharField(_("政策依据"), max_length=32, default="001#23")
    enterprise_ceiling = MoneyField(_("单个企业年度上限"), default=DEFAULT_ENTERPRISE_CEILING)
    voucher_share = models.DecimalField(
        _("创新券支付比例上限"), max_digits=7, decimal_places=4, default=DEFAULT_VOUCHER_SHARE
    )
    validity_days = models.PositiveIntegerField(_("有效天数"), default=DEFAULT_VALIDITY_DAYS)
    # Running balance: budget − issued + returned. The ledger is the truth.
    available = MoneyField(_("可发放余额"), default=Decimal("0"))
    created_at = models.DateTimeField(_("创建时间"))

    class Meta:
        ordering = ["-year", "jurisdiction_id", "category"]
        verbose_name = _("创新券资金池")
        verbose_name_plural = _("创新券资金池")
        constraints = [
            models.UniqueConstraint(fields=["jurisdiction", "year", "category"], name="voucher_pool_once"),
            models.CheckConstraint(condition=Q(available__gte=0), name="voucher_pool_not_negative"),
            models.CheckConstraint(
                condition=Q(voucher_share__gt=0) & Q(voucher_share__lte=1), name="voucher_pool_share_range"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def region_id(self) -> str:  # audit records file pools under their jurisdiction
        return self.jurisdiction_id


class Certification(models.Model):
    """A high-tech enterprise or tech SME certificate, recorded or imported by staff."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="certifications", verbose_name=_("企业")
    )
    kind = models.CharField(_("认定类型"), max_length=16, choices=CertificationKind.choices)
    number = models.CharField(_("证书编号"), max_length=64)
    valid_from = models.DateField(_("有效期起"))
    valid_until = models.DateField(_("有效期至"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(_("登记时间"))

    class Meta:
        ordering = ["-valid_until"]
        verbose_name = _("企业资质认定")
        verbose_name_plural = _("企业资质认定")
        constraints = [
            models.UniqueConstraint(fields=["kind", "number"], name="voucher_certification_number_once"),
            models.CheckConstraint(
                condition=Q(valid_until__gte=F("valid_from")), name="voucher_certification_dates"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number}"

    @property
    def region_id(self) -> str:
        return self.organisation.region_id


class Application(models.Model):
    enterprise = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="voucher_applications",
        verbose_name=_("申请企业"),
    )
    pool = models.ForeignKey(
        Pool, on_delete=models.PROTECT, related_name="applications", verbose_name=_("资金池")
    )
    category = models.CharField(_("服务类别"), max_length=24, choices=ServiceCategory.choices)
    amount = MoneyField(_("申请金额"))
    purpose = models.TextField(_("用途说明"))
    status = models.CharField(
        _("状态"), max_length=16, choices=ApplicationStatus.choices, default=ApplicationStatus.SUBMITTED
    )
    status_reason = models.TextField(_("审核意见"), blank=True)
    applicant = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(_("提交时间"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(_("审核时间"), null=True, blank=True)

    class Meta:
        ordering = ["-submitted_at"]
        verbose_name = _("创新券申请")
        verbose_name_plural = _("创新券申请")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="voucher_application_amount_positive"),
            models.CheckConstraint(
                condition=Q(status__in=ApplicationStatus.values), name="voucher_application_status_known"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise} · {self.get_category_display()} · {self.amount}"

    @property
    def region_id(self) -> str:
        return self.enterprise.region_id


class Voucher(models.Model):
    code = models.CharField(_("券号"), max_length=32, unique=True)
    pool = models.ForeignKey(
        Pool, on_delete=models.PROTECT, related_name="vouchers", verbose_name=_("资金池")
    )
    enterprise = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="vouchers", verbose_name=_("持券企业")
    )
    category = models.CharField(_("服务类别"), max_length=24, choices=ServiceCategory.choices)
    amount = MoneyField(_("面额"))
    remaining = MoneyField(_("余额"))  # running balance; the ledger is the truth
    status = models.CharField(
        _("状态"), max_length=16, choices=VoucherStatus.choices, default=VoucherStatus.ACTIVE
    )
    source = models.CharField(_("发放依据"), max_length=24, choices=VoucherSource.choices)
    source_ref = models.CharField(_("依据编号"), max_length=64, blank=True)
    application = models.OneToOneField(
        Application, null=True, blank=True, on_delete=models.PROTECT, related_name="voucher"
    )
    issued_at = models.DateTimeField(_("发放时间"))
    expires_on = models.DateField(_("有效期至"))
    closed_at = models.DateTimeField(_("失效时间"), null=True, blank=True)

    class Meta:
        ordering = ["-issued_at"]
        verbose_name = _("创新券")
        verbose_name_plural = _("创新券")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="voucher_amount_positive"),
            models.CheckConstraint(
                condition=Q(remaining__gte=0) & Q(remaining__lte=F("amount")),
                name="voucher_remaining_in_range",
            ),
            models.CheckConstraint(condition=Q(status__in=VoucherStatus.values), name="voucher_status_known"),
            # A subsidy paid as a voucher is paid once per reason (e.g. one certificate).
            models.UniqueConstraint(
                fields=["source", "source_ref", "enterprise"],
                condition=~Q(source_ref=""),
                name="voucher_source_once",
            ),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def region_id(self) -> str:
        return self.enterprise.region_id


class DeclaredRelation(models.Model):
    """A relation between a provider and an enterprise that the organisations' particulars do not
    show (a shared shareholder, a shared contact person), recorded by staff or declared by either."""

    provider = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="+", verbose_name=_("服务机构")
    )
    enterprise = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="+", verbose_name=_("企业")
    )
    description = models.CharField(_("关联关系"), max_length=255)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(_("登记时间"))

    class Meta:
        verbose_name = _("关联关系")
        verbose_name_plural = _("关联关系")
        constraints = [
            models.UniqueConstraint(fields=["provider", "enterprise"], name="voucher_relation_once")
        ]

    def __str__(self) -> str:
        return f"{self.provider} ↔ {self.enterprise}"


class ProviderService(models.Model):
    """A service a provider offers for vouchers; approved ones form the provider directory."""

    provider = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="voucher_services", verbose_name=_("服务机构")
    )
    category = models.CharField(_("服务类别"), max_length=24, choices=ServiceCategory.choices)
    name = models.CharField(_("服务名称"), max_length=128)
    description = models.TextField(_("服务内容"), blank=True)
    price = MoneyField(_("参考价格"))
    unit = models.CharField(_("计价单位"), max_length=16, default="次")
    status = models.CharField(
        _("状态"), max_length=16, choices=ServiceStatus.choices, default=ServiceStatus.SUBMITTED
    )
    status_reason = models.TextField(_("审核意见"), blank=True)
    submitted_at = models.DateTimeField(_("提交时间"))
    approved_at = models.DateTimeField(_("入库时间"), null=True, blank=True)

    class Meta:
        ordering = ["category", "name"]
        verbose_name = _("服务机构服务")
        verbose_name_plural = _("服务机构服务")
        constraints = [
            models.CheckConstraint(condition=Q(price__gte=0), name="voucher_service_price_not_negative"),
            models.CheckConstraint(
                condition=Q(status__in=ServiceStatus.values), name="voucher_service_status_known"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.provider} · {self.name}"

    @property
    def region_id(self) -> str:
        return self.provider.region_id


class OrderQuerySet(models.QuerySet):
    def visible_to(self, user):
        own = scope.organisation_ids(user)
        return self.filter(
            Q(enterprise_id__in=own)
            | Q(provider_id__in=own)
            | scope.region_q(user, "voucher__pool__jurisdiction")
        )


class ServiceOrder(models.Model):
    """An enterprise buys a provider's service and pays part of it with one voucher."""

    enterprise = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("企业")
    )
    provider = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("服务机构")
    )
    service = models.ForeignKey(
        ProviderService, on_delete=models.PROTECT, related_name="orders", verbose_name=_("服务")
    )
    voucher = models.ForeignKey(
        Voucher, on_delete=models.PROTECT, related_name="orders", verbose_name=_("创新券")
    )
    description = models.TextField(_("服务内容"), blank=True)
    price = MoneyField(_("订单金额"))
    status = models.CharField(
        _("状态"), max_length=16, choices=OrderStatus.choices, default=OrderStatus.PLACED
    )
    source_ref = models.CharField(_("来源"), max_length=64, blank=True)  # e.g. "facilities.booking:12"
    placed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    placed_at = models.DateTimeField(_("下单时间"))
    delivered_at = models.DateTimeField(_("交付时间"), null=True, blank=True)

    objects = OrderQuerySet.as_manager()

    class Meta:
        ordering = ["-placed_at"]
        verbose_name = _("服务订单")
        verbose_name_plural = _("服务订单")
        constraints = [
            models.CheckConstraint(condition=Q(price__gt=0), name="voucher_order_price_positive"),
            models.CheckConstraint(
                condition=Q(status__in=OrderStatus.values), name="voucher_order_status_known"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.service.name} · {self.enterprise}"

    @property
    def region_id(self) -> str:
        return self.enterprise.region_id


class Redemption(models.Model):
    """The provider's claim of the voucher's share of one order: at most one per order and voucher."""

    # Looked up through the unique (order, voucher) index; its own index would only be written.
    order = models.ForeignKey(
        ServiceOrder, on_delete=models.PROTECT, related_name="redemptions", db_index=False
    )
    voucher = models.ForeignKey(Voucher, on_delete=models.PROTECT, related_name="redemptions")
    amount = MoneyField(_("核销金额"))
    claimed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    claimed_at = models.DateTimeField(_("申请时间"))
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    confirmed_at = models.DateTimeField(_("企业确认时间"), null=True, blank=True)
    settled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    settled_at = models.DateTimeField(_("结算时间"), null=True, blank=True)
    settlement_ref = models.CharField(_("拨付凭证号"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("创新券核销")
        verbose_name_plural = _("创新券核销")
        constraints = [
            models.UniqueConstraint(fields=["order", "voucher"], name="voucher_redeemed_once_per_order"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="voucher_redemption_amount_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.voucher} · {self.amount}"

    @property
    def region_id(self) -> str:
        return self.voucher.pool.jurisdiction_id


class LedgerEntry(models.Model):
    """One money movement. Never updated or deleted: corrections are compensating entries."""

    pool = models.ForeignKey(Pool, on_delete=models.PROTECT, related_name="entries")
    voucher = models.ForeignKey(Voucher, null=True, on_delete=models.PROTECT, related_name="entries")
    # Looked up through the partial unique (redemption, kind) index (a redemption_id = … lookup
    # implies its "not null" condition); its own index would only be written.
    redemption = models.ForeignKey(
        Redemption, null=True, on_delete=models.PROTECT, related_name="entries", db_index=False
    )
    kind = models.CharField(_("类型"), max_length=16, choices=EntryKind.choices)
    amount = MoneyField(_("金额"))
    at = models.DateTimeField(_("时间"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.CharField(_("说明"), max_length=255, blank=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("创新券台账")
        verbose_name_plural = _("创新券台账")
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=EntryKind.values), name="voucher_entry_kind_known"),
            models.CheckConstraint(
                condition=Q(kind=EntryKind.ADJUST) | Q(amount__gt=0), name="voucher_entry_amount_positive"
            ),
            # One redeem and one settle per redemption; one issue per voucher.
            models.UniqueConstraint(
                fields=["redemption", "kind"],
                condition=Q(redemption__isnull=False),
                name="voucher_entry_once_per_redemption",
            ),
            models.UniqueConstraint(
                fields=["voucher"], condition=Q(kind=EntryKind.ISSUE), name="voucher_entry_issue_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.amount}"


class IdempotencyKey(models.Model):
    """A client's ``Idempotency-Key`` for one money-moving request and the first response to it.

    The row is inserted (unique per user and key) before the action runs, so a concurrent or later
    replay can never run it again; it then stores the response that replays receive."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=128)
    endpoint = models.CharField(max_length=128)
    request_hash = models.CharField(max_length=64)
    status_code = models.PositiveSmallIntegerField(null=True)
    response = models.JSONField(null=True)
    created_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="idempotency_key_once")]

    def __str__(self) -> str:
        return self.key
