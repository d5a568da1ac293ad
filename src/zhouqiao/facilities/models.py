"""Large instrument sharing (大型仪器设备共享, seeds 002 §17, 000 §2(4)3, 003 §13): the registry with
filed guide prices, the booking calendar, usage and fees, and ratings for the yearly evaluation.

No double booking: every booked hour is one :class:`BookedSlot` row, unique per instrument and
slot start, held while its booking is requested, approved or completed and deleted when it is
refused or cancelled. The database refuses a second booking of an hour on SQLite and PostgreSQL.
"""

from django.conf import settings
from django.core.validators import FileExtensionValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from zhouqiao.accounts import scope
from zhouqiao.accounts.models import Organisation
from zhouqiao.core.money import MoneyField
from zhouqiao.facilities.states import (
    BookingStatus,
    FundingSource,
    InstrumentCategory,
    PriceGroup,
    PriceUnit,
)

# Instruments worth this much or more are "large" in the sharing policies (30万元).
LARGE_INSTRUMENT_VALUE = 300_000


class InstrumentQuerySet(models.QuerySet):
    def listed(self):
        return self.filter(is_listed=True, owner__status="verified")

    def visible_to(self, user):
        own = scope.organisation_ids(user)
        return self.filter(
            Q(is_listed=True, owner__status="verified")
            | Q(owner_id__in=own)
            | scope.region_q(user, "owner__region")
        )


class Instrument(models.Model):
    owner = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="instruments", verbose_name=_("所属单位")
    )
    name = models.CharField(_("仪器名称"), max_length=128)
    model_number = models.CharField(_("规格型号"), max_length=128, blank=True)
    manufacturer = models.CharField(_("生产厂商"), max_length=128, blank=True)
    category = models.CharField(_("仪器类别"), max_length=24, choices=InstrumentCategory.choices)
    location = models.CharField(_("安放地点"), max_length=255)
    value = MoneyField(_("原值（元）"))
    funding_source = models.CharField(_("购置资金来源"), max_length=16, choices=FundingSource.choices)
    description = models.TextField(_("仪器简介"), blank=True)
    capabilities = models.TextField(_("主要功能与技术指标"), blank=True)
    guide_price_filing = models.CharField(
        _("指导价备案号"),
        max_length=64,
        blank=True,
        help_text=_(
            "依据《吉林省关于建立健全技术创新市场导向机制加快科技成果产业化的实施意见》第十七条，"
            "共享服务指导价报财政、物价部门核定备案。"
        ),
    )
    open_from = models.PositiveSmallIntegerField(
        _("每日开放起始（时）"), default=8, validators=[MaxValueValidator(23)]
    )
    open_until = models.PositiveSmallIntegerField(
        _("每日开放截止（时）"), default=17, validators=[MinValueValidator(1), MaxValueValidator(24)]
    )
    open_weekdays = models.CharField(_("开放日（1=周一）"), max_length=7, default="12345")
    contact_name = models.CharField(_("联系人"), max_length=64, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    is_listed = models.BooleanField(_("对外开放"), default=True)
    is_sample = models.BooleanField(_("演示数据"), default=False)
    created_at = models.DateTimeField(_("登记时间"))

    objects = InstrumentQuerySet.as_manager()

    class Meta:
        ordering = ["owner__name", "name"]
        verbose_name = _("大型仪器设备")
        verbose_name_plural = _("大型仪器设备")
        constraints = [
            models.CheckConstraint(condition=Q(value__gt=0), name="instrument_value_positive"),
            models.CheckConstraint(
                condition=Q(open_until__gt=F("open_from")), name="instrument_opening_hours"
            ),
            models.CheckConstraint(
                condition=Q(category__in=InstrumentCategory.values), name="instrument_category_known"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def region_id(self) -> str:
        return self.owner.region_id

    @property
    def is_large(self) -> bool:
        return self.value >= LARGE_INSTRUMENT_VALUE


class InstrumentPhoto(models.Model):
    instrument = models.ForeignKey(Instrument, on_delete=models.CASCADE, related_name="photos")
    image = models.FileField(
        _("照片"),
        upload_to="instruments/%Y/",
        validators=[FileExtensionValidator(["jpg", "jpeg", "png", "webp"])],
    )
    caption = models.CharField(_("说明"), max_length=128, blank=True)

    class Meta:
        verbose_name = _("仪器照片")
        verbose_name_plural = _("仪器照片")

    def __str__(self) -> str:
        return self.caption or self.image.name


class PriceRule(models.Model):
    """A filed guide price for one price group and unit; optionally stepped: the first
    ``step_after`` units at ``unit_price``, every further unit at ``step_price``."""

    instrument = models.ForeignKey(Instrument, on_delete=models.CASCADE, related_name="prices")
    group = models.CharField(_("价格分组"), max_length=16, choices=PriceGroup.choices)
    unit = models.CharField(_("计价单位"), max_length=8, choices=PriceUnit.choices)
    unit_price = MoneyField(_("单价（元）"))
    step_after = models.PositiveSmallIntegerField(_("阶梯起点（单位数）"), null=True, blank=True)
    step_price = MoneyField(_("阶梯后单价（元）"), null=True, blank=True)

    class Meta:
        ordering = ["group", "unit"]
        verbose_name = _("共享服务指导价")
        verbose_name_plural = _("共享服务指导价")
        constraints = [
            models.UniqueConstraint(fields=["instrument", "group", "unit"], name="instrument_price_once"),
            models.CheckConstraint(condition=Q(unit_price__gte=0), name="instrument_price_not_negative"),
            models.CheckConstraint(
                condition=(Q(step_after__isnull=True) & Q(step_price__isnull=True))
                | (Q(step_after__gt=0) & Q(step_price__gte=0)),
                name="instrument_price_step_complete",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.instrument} · {self.get_group_display()} · {self.unit_price}/{self.get_unit_display()}"


class MaintenanceWindow(models.Model):
    instrument = models.ForeignKey(Instrument, on_delete=models.CASCADE, related_name="maintenance")
    starts_at = models.DateTimeField(_("开始时间"))
    ends_at = models.DateTimeField(_("结束时间"))
    reason = models.CharField(_("事由"), max_length=255)

    class Meta:
        ordering = ["starts_at"]
        verbose_name = _("维护时段")
        verbose_name_plural = _("维护时段")
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="maintenance_dates")
        ]

    def __str__(self) -> str:
        return f"{self.instrument} · {self.starts_at:%Y-%m-%d %H:%M}"


class BookingQuerySet(models.QuerySet):
    def visible_to(self, user):
        own = scope.organisation_ids(user)
        return self.filter(
            Q(organisation_id__in=own)
            | Q(instrument__owner_id__in=own)
            | scope.region_q(user, "instrument__owner__region")
        )


class Booking(models.Model):
    instrument = models.ForeignKey(
        Instrument, on_delete=models.PROTECT, related_name="bookings", verbose_name=_("仪器")
    )
    booker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("预约单位")
    )
    starts_at = models.DateTimeField(_("开始时间"))
    ends_at = models.DateTimeField(_("结束时间"))
    purpose = models.TextField(_("用途"))
    samples_planned = models.PositiveIntegerField(_("预计样品数"), default=0)
    price_group = models.CharField(_("价格分组"), max_length=16, choices=PriceGroup.choices)
    # The guide prices when booked: a later price change does not reach an agreed booking.
    price_rules = models.JSONField(_("预约时的收费标准"), default=list, blank=True)
    voucher = models.ForeignKey(
        "vouchers.Voucher",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="bookings",
        verbose_name=_("使用创新券"),
    )
    status = models.CharField(
        _("状态"), max_length=16, choices=BookingStatus.choices, default=BookingStatus.REQUESTED
    )
    status_reason = models.TextField(_("说明"), blank=True)
    created_at = models.DateTimeField(_("预约时间"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(_("确认时间"), null=True, blank=True)

    objects = BookingQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_at"]
        verbose_name = _("仪器预约")
        verbose_name_plural = _("仪器预约")
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="booking_dates"),
            models.CheckConstraint(condition=Q(status__in=BookingStatus.values), name="booking_status_known"),
        ]

    def __str__(self) -> str:
        return f"{self.instrument} · {self.starts_at:%Y-%m-%d %H:%M}"

    @property
    def region_id(self) -> str:
        return self.instrument.owner.region_id

    @property
    def hours(self) -> int:
        return int((self.ends_at - self.starts_at).total_seconds() // 3600)


class BookedSlot(models.Model):
    """One booked hour. The unique constraint is what makes double booking impossible."""

    instrument = models.ForeignKey(Instrument, on_delete=models.CASCADE, related_name="+")
    slot_start = models.DateTimeField()
    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="slots")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["instrument", "slot_start"], name="instrument_slot_once")
        ]

    def __str__(self) -> str:
        return f"{self.instrument_id} @ {self.slot_start:%Y-%m-%d %H:%M}"


class Usage(models.Model):
    booking = models.OneToOneField(Booking, on_delete=models.PROTECT, related_name="usage")
    hours = models.DecimalField(_("实际机时"), max_digits=6, decimal_places=2)
    samples = models.PositiveIntegerField(_("样品数"), default=0)
    fee = MoneyField(_("服务费（元）"))
    fee_trace = models.JSONField(_("计费明细"), default=list)
    order = models.ForeignKey(
        "vouchers.ServiceOrder",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("创新券服务订单"),
    )
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("登记时间"))

    class Meta:
        verbose_name = _("使用记录")
        verbose_name_plural = _("使用记录")
        constraints = [
            models.CheckConstraint(condition=Q(hours__gte=0), name="usage_hours_not_negative"),
            models.CheckConstraint(condition=Q(fee__gte=0), name="usage_fee_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.booking} · {self.hours}h"


class Rating(models.Model):
    booking = models.OneToOneField(Booking, on_delete=models.CASCADE, related_name="rating")
    score = models.PositiveSmallIntegerField(
        _("评分"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    comment = models.TextField(_("评价"), blank=True)
    rated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    rated_at = models.DateTimeField(_("评价时间"))

    class Meta:
        verbose_name = _("用户评价")
        verbose_name_plural = _("用户评价")
        constraints = [
            models.CheckConstraint(condition=Q(score__gte=1) & Q(score__lte=5), name="rating_score_range")
        ]

    def __str__(self) -> str:
        return f"{self.booking} · {self.score}"
