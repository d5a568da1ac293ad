"""Technology contract registration (技术合同认定登记)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from zhouqiao.accounts import scope
from zhouqiao.accounts.models import Duty, Organisation
from zhouqiao.contracts.states import ContractStatus, ContractSubtype, ContractType, NonTechnicalKind
from zhouqiao.core.models import Industry, Region
from zhouqiao.core.money import MoneyField


class ContractQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Parties see their own contracts; staff see contracts of sellers in their jurisdiction."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        own = scope.organisation_ids(user)
        query = Q(seller_id__in=own) | Q(buyer_id__in=own) | Q(transfer_institution_id__in=own)
        query |= scope.region_q(user, "region") & ~Q(status=ContractStatus.DRAFT)
        return self.filter(query).distinct()

    def registered(self):
        return self.filter(status=ContractStatus.REGISTERED)


class Contract(models.Model):
    title = models.CharField(_("合同名称"), max_length=200)
    contract_type = models.CharField(_("合同类型"), max_length=16, choices=ContractType.choices)
    subtype = models.CharField(_("合同子类"), max_length=32, choices=ContractSubtype.choices)
    seller = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="contracts_sold", verbose_name=_("卖方")
    )
    buyer = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="contracts_bought", verbose_name=_("买方")
    )
    transfer_institution = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="contracts_brokered",
        verbose_name=_("中介方（技术转移机构）"),
    )
    broker_name = models.CharField(_("技术经纪（理）人"), max_length=64, blank=True)
    broker_region = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("经纪人执业地区"),
    )
    # The seller's region when submitted: where it is registered, and whose registrars see it.
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", verbose_name=_("登记地区"))
    industry = models.ForeignKey(
        Industry, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("所属行业")
    )
    contract_amount = MoneyField(_("合同成交额（元）"))
    technology_amount = MoneyField(_("技术交易额（元）"))
    signed_on = models.DateField(_("签订日期"))
    ip_summary = models.TextField(_("涉及的知识产权"), blank=True)
    summary = models.TextField(_("合同主要内容"), blank=True)
    is_written = models.BooleanField(_("书面合同"), default=True)
    attachment = models.FileField(_("签字盖章的合同文本（PDF）"), upload_to="contracts/%Y/", blank=True)
    attachment_name = models.CharField(_("原文件名"), max_length=200, blank=True)
    status = models.CharField(
        _("状态"), max_length=16, choices=ContractStatus.choices, default=ContractStatus.DRAFT
    )
    status_reason = models.TextField(_("登记意见"), blank=True)
    registration_number = models.CharField(_("登记号"), max_length=20, unique=True, null=True, blank=True)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    decision_due = models.DateField(_("登记办结期限"), null=True, blank=True)
    registered_at = models.DateTimeField(_("登记时间"), null=True, blank=True)
    registrar = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("登记人员"),
    )
    # Frozen at registration: the organ in whose name the certificate is issued, and the code that
    # lets anyone confirm the certificate on the public verification page.
    registry_name = models.CharField(_("登记机构"), max_length=128, blank=True)
    verification_code = models.CharField(_("核验码"), max_length=24, unique=True, null=True, blank=True)
    returned_at = models.DateTimeField(_("退回时间"), null=True, blank=True)
    source_deal_id = models.PositiveBigIntegerField(_("来源交易"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("创建时间"))

    objects = ContractQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("技术合同")
        verbose_name_plural = _("技术合同")
        constraints = [
            models.CheckConstraint(
                condition=Q(technology_amount__lte=models.F("contract_amount")),
                name="contract_technology_amount_within_amount",
            ),
            models.CheckConstraint(
                condition=Q(technology_amount__gte=0), name="contract_amounts_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(status__in=ContractStatus.values), name="contract_status_known"
            ),
            models.CheckConstraint(condition=~Q(seller=models.F("buyer")), name="contract_parties_differ"),
            models.UniqueConstraint(
                fields=["source_deal_id"],
                condition=Q(source_deal_id__isnull=False),
                name="contract_one_per_deal",
            ),
        ]

    def __str__(self) -> str:
        return self.registration_number or self.title

    @property
    def engine_type(self) -> str:
        from zhouqiao.contracts.states import ENGINE_TYPE

        return ENGINE_TYPE.get(self.contract_type, "")  # "" while a deal's draft awaits the choice

    def non_technical_total(self):
        return sum((i.amount for i in self.non_technical_items.all()), start=0)


class NonTechnicalItem(models.Model):
    """A non-technical payment (equipment, materials, construction…) deducted from the contract
    amount to give the technology transaction amount."""

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="non_technical_items")
    kind = models.CharField(_("类别"), max_length=16, choices=NonTechnicalKind.choices)
    description = models.CharField(_("说明"), max_length=200, blank=True)
    amount = MoneyField(_("金额（元）"))

    class Meta:
        ordering = ["pk"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="non_technical_item_positive")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.amount}"


class PaymentInstalment(models.Model):
    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="instalments")
    due_on = models.DateField(_("约定支付日期"))
    amount = MoneyField(_("金额（元）"))
    note = models.CharField(_("支付条件"), max_length=200, blank=True)

    class Meta:
        ordering = ["due_on", "pk"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="instalment_positive")]

    def __str__(self) -> str:
        return f"{self.due_on} {self.amount}"


class RegistrationSequence(models.Model):
    """The last registration number handed out per year and seller region (locked to allocate)."""

    year = models.PositiveIntegerField()
    region_code = models.CharField(max_length=6)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["year", "region_code"], name="registration_sequence_unique")
        ]

    def __str__(self) -> str:
        return f"{self.year}{self.region_code}:{self.last}"


REGISTRAR_DUTY = Duty.REGISTRAR
