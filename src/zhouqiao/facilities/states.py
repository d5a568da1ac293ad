"""Instrument sharing: categories, price groups, booking statuses and who may move them."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class InstrumentCategory(models.TextChoices):
    """The instrument classes of the national large-instrument sharing survey."""

    ANALYTICAL = "analytical", _("分析仪器")
    PHYSICAL = "physical_testing", _("物理性能测试仪器")
    METROLOGY = "metrology", _("计量仪器")
    ELECTRONIC = "electronic", _("电子测量仪器")
    LASER = "laser", _("激光器")
    PROCESS = "process_testing", _("工艺试验仪器")
    SPECIAL = "special_testing", _("特种检测仪器")
    COMPUTING = "computing", _("计算机及其配套设备")
    OTHER = "other", _("其他仪器")


class FundingSource(models.TextChoices):
    PUBLIC = "public", _("财政资金")
    SELF = "self", _("自筹资金")
    MIXED = "mixed", _("财政与自筹")


class PriceGroup(models.TextChoices):
    """Who pays which guide price: the owner's own people, other institutions, enterprises."""

    INTERNAL = "internal", _("内部用户")
    EXTERNAL = "external", _("外单位用户")
    ENTERPRISE = "enterprise", _("企业用户")


class PriceUnit(models.TextChoices):
    HOUR = "hour", _("机时")
    SAMPLE = "sample", _("样品")


class BookingStatus(models.TextChoices):
    REQUESTED = "requested", _("待确认")
    APPROVED = "approved", _("已确认")
    REFUSED = "refused", _("已拒绝")
    CANCELLED = "cancelled", _("已取消")
    COMPLETED = "completed", _("已完成")


class Actor(models.TextChoices):
    BOOKER = "booker", _("预约单位")
    OWNER = "owner", _("仪器所属单位")


# Edges taken by ``transition_booking``; ``completed`` is reached only by recording the usage.
BOOKING_TRANSITIONS: dict[str, dict[str, str]] = {
    BookingStatus.REQUESTED: {
        BookingStatus.APPROVED: Actor.OWNER,
        BookingStatus.REFUSED: Actor.OWNER,
        BookingStatus.CANCELLED: Actor.BOOKER,
    },
    BookingStatus.APPROVED: {BookingStatus.CANCELLED: Actor.BOOKER},
}
# Statuses whose slots are held: refusing or cancelling frees them.
HOLDS_SLOTS = {BookingStatus.REQUESTED, BookingStatus.APPROVED, BookingStatus.COMPLETED}
REASON_REQUIRED = {BookingStatus.REFUSED}
