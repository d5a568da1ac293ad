"""Every write about instrument sharing: keyword-only arguments, ``actor`` and ``now``; one durable
transaction with its locks and audit record.

Bookings are whole hours inside the instrument's opening hours. Booking writes one
:class:`BookedSlot` per hour; the unique constraint on (instrument, slot_start) refuses a second
booking of the same hour whatever the concurrency, and the refusal becomes a 409.
"""

from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhouqiao.accounts import scope
from zhouqiao.accounts.models import Organisation, OrganisationKind
from zhouqiao.core import audit
from zhouqiao.core.errors import Conflict, InvalidTransition, NotFound, PermissionDenied, ValidationFailed
from zhouqiao.core.locking import lock
from zhouqiao.core.money import AmountError, parse_amount
from zhouqiao.facilities import fees, todos
from zhouqiao.facilities.models import (
    BookedSlot,
    Booking,
    Instrument,
    MaintenanceWindow,
    PriceRule,
    Rating,
    Usage,
)
from zhouqiao.facilities.states import (
    BOOKING_TRANSITIONS,
    HOLDS_SLOTS,
    REASON_REQUIRED,
    Actor,
    BookingStatus,
    FundingSource,
    InstrumentCategory,
    PriceGroup,
    PriceUnit,
)
from zhouqiao.search import indexing
from zhouqiao.search.models import DocumentKind
from zhouqiao.vouchers import orders as voucher_orders
from zhouqiao.vouchers.models import ProviderService, Voucher
from zhouqiao.vouchers.states import ServiceCategory, ServiceStatus

MAX_BOOKING_HOURS = 12
# The booker may cancel a confirmed booking until this long before it starts.
CANCEL_NOTICE = timedelta(hours=24)
NOT_ALLOWED = _("您无权执行此操作。")

INSTRUMENT_FIELDS = [
    "name",
    "model_number",
    "manufacturer",
    "category",
    "location",
    "value",
    "funding_source",
    "description",
    "capabilities",
    "guide_price_filing",
    "open_from",
    "open_until",
    "open_weekdays",
    "contact_name",
    "contact_phone",
    "is_listed",
]


def field_error(field: str, message) -> ValidationFailed:
    return ValidationFailed(message, detail={field: [str(message)]})


def _locked(model, pk, *related):
    lock(model.objects.all(), pk)
    return model.objects.select_related(*related).get(pk=pk)


def _owner_member(actor, instrument: Instrument) -> bool:
    return scope.is_member(actor, instrument.owner)


# --- registry -------------------------------------------------------------------------------------------------


def _clean_instrument(data: dict) -> dict:
    cleaned = {k: data[k] for k in INSTRUMENT_FIELDS if k in data}
    for name in ("name", "location"):
        if name in cleaned and not str(cleaned[name] or "").strip():
            raise field_error(name, _("请填写仪器名称和安放地点。"))
    if "category" in cleaned and cleaned["category"] not in InstrumentCategory.values:
        raise field_error("category", _("请选择仪器类别。"))
    if "funding_source" in cleaned and cleaned["funding_source"] not in FundingSource.values:
        raise field_error("funding_source", _("请选择购置资金来源。"))
    if "value" in cleaned:
        try:
            cleaned["value"] = parse_amount(cleaned["value"])
        except AmountError as exc:
            raise field_error("value", str(exc)) from exc
        if cleaned["value"] <= 0:
            raise field_error("value", _("原值必须大于零。"))
    open_from, open_until = int(cleaned.get("open_from", 8)), int(cleaned.get("open_until", 17))
    if not 0 <= open_from < open_until <= 24:
        raise field_error("open_until", _("开放时间不正确。"))
    days = str(cleaned.get("open_weekdays", "12345"))
    if not days or any(d not in "1234567" for d in days):
        raise field_error("open_weekdays", _("开放日应为1（周一）到7（周日）的数字。"))
    return cleaned


@transaction.atomic(durable=True)
def register_instrument(
    *, actor, owner_id: int, data: dict, prices: list[dict] | None = None, now
) -> Instrument:
    owner = lock(Organisation.objects.all(), owner_id)
    if not scope.is_member(actor, owner):
        raise PermissionDenied(NOT_ALLOWED)
    if not owner.is_verified or owner.kind == OrganisationKind.GOVERNMENT:
        raise ValidationFailed(_("只有已认证的单位可以登记共享仪器。"), code="not_eligible")
    cleaned = _clean_instrument(data)
    missing = [f for f in ("name", "category", "location", "value", "funding_source") if f not in cleaned]
    if missing:
        raise field_error(missing[0], _("请完整填写仪器名称、类别、安放地点、原值和资金来源。"))
    instrument = Instrument.objects.create(owner=owner, created_at=now, **cleaned)
    for price in prices or []:
        _set_price(instrument, **price)
    audit.record(
        "instrument.register",
        actor=actor,
        target=instrument,
        now=now,
        after=audit.snapshot(instrument, INSTRUMENT_FIELDS),
    )
    indexing.sync_after_commit(DocumentKind.INSTRUMENT, instrument.pk, announce=True)
    return instrument


def _set_price(
    instrument, *, group: str, unit: str, unit_price, step_after=None, step_price=None
) -> PriceRule:
    if group not in PriceGroup.values:
        raise field_error("group", _("价格分组不正确。"))
    if unit not in PriceUnit.values:
        raise field_error("unit", _("计价单位不正确。"))
    try:
        unit_price = parse_amount(unit_price)
        step_price = parse_amount(step_price) if step_price not in (None, "") else None
    except AmountError as exc:
        raise field_error("unit_price", str(exc)) from exc
    step_after = int(step_after) if step_after not in (None, "") else None
    if unit_price < 0 or (step_price is not None and step_price < 0):
        raise field_error("unit_price", _("价格不能为负。"))
    if (step_after is None) != (step_price is None) or (step_after is not None and step_after <= 0):
        raise field_error("step_after", _("阶梯价须同时填写阶梯起点（大于零）和阶梯后单价。"))
    rule, _created = PriceRule.objects.update_or_create(
        instrument=instrument,
        group=group,
        unit=unit,
        defaults={"unit_price": unit_price, "step_after": step_after, "step_price": step_price},
    )
    return rule


@transaction.atomic(durable=True)
def set_price(
    *, actor, instrument_id: int, group: str, unit: str, unit_price, step_after=None, step_price=None, now
) -> PriceRule:
    instrument = _locked(Instrument, instrument_id, "owner")
    # Guide prices are the unit's filed prices (002§17), so its administrator sets them.
    if not scope.is_org_admin(actor, instrument.owner):
        raise PermissionDenied(_("只有单位管理员可以修改收费标准。"))
    rule = _set_price(
        instrument,
        group=group,
        unit=unit,
        unit_price=unit_price,
        step_after=step_after,
        step_price=step_price,
    )
    audit.record(
        "instrument.price",
        actor=actor,
        target=instrument,
        now=now,
        after={
            "group": group,
            "unit": unit,
            "unit_price": rule.unit_price,
            "step_after": rule.step_after,
            "step_price": rule.step_price,
        },
    )
    return rule


@transaction.atomic(durable=True)
def add_maintenance(
    *, actor, instrument_id: int, starts_at: datetime, ends_at: datetime, reason: str, now
) -> MaintenanceWindow:
    instrument = _locked(Instrument, instrument_id, "owner")
    if not _owner_member(actor, instrument):
        raise PermissionDenied(NOT_ALLOWED)
    if ends_at <= starts_at:
        raise field_error("ends_at", _("结束时间必须晚于开始时间。"))
    if BookedSlot.objects.filter(
        instrument=instrument, slot_start__lt=ends_at, slot_start__gt=starts_at - timedelta(hours=1)
    ).exists():
        raise Conflict(_("维护时段与已有预约冲突，请先与预约单位协商取消。"), code="slot_taken")
    window = MaintenanceWindow.objects.create(
        instrument=instrument,
        starts_at=starts_at,
        ends_at=ends_at,
        reason=(reason or "").strip()[:255] or _("设备维护"),
    )
    audit.record(
        "instrument.maintenance",
        actor=actor,
        target=instrument,
        now=now,
        after={"starts_at": starts_at, "ends_at": ends_at, "reason": window.reason},
    )
    return window


# --- booking --------------------------------------------------------------------------------------------------


def price_group_for(instrument: Instrument, organisation) -> str:
    if organisation.pk == instrument.owner_id:
        return PriceGroup.INTERNAL
    if organisation.kind == OrganisationKind.ENTERPRISE:
        return PriceGroup.ENTERPRISE
    return PriceGroup.EXTERNAL


def slot_starts(starts_at: datetime, hours: int) -> list[datetime]:
    return [starts_at + timedelta(hours=i) for i in range(hours)]


WEEKDAY_NAMES = {
    "1": _("周一"),
    "2": _("周二"),
    "3": _("周三"),
    "4": _("周四"),
    "5": _("周五"),
    "6": _("周六"),
    "7": _("周日"),
}


def weekdays_in_words(days: str) -> str:
    """ "12345" → "周一至周五", "135" → "周一、周三、周五"."""
    days = "".join(sorted(set(days) & set(WEEKDAY_NAMES)))
    if not days:
        return ""
    if len(days) > 2 and days == "1234567"[int(days[0]) - 1 : int(days[-1])]:
        return _("%(a)s至%(b)s") % {"a": WEEKDAY_NAMES[days[0]], "b": WEEKDAY_NAMES[days[-1]]}
    return "、".join(str(WEEKDAY_NAMES[d]) for d in days)


def check_slots(instrument: Instrument, starts_at: datetime, hours: int, *, now) -> list[datetime]:
    """The hours a booking would take, refused unless each is whole, future, open and not in maintenance."""
    if not 1 <= hours <= MAX_BOOKING_HOURS:
        raise field_error("hours", _("每次预约1至%(n)s个机时。") % {"n": MAX_BOOKING_HOURS})
    local = timezone.localtime(starts_at)
    if local.minute or local.second or local.microsecond:
        raise field_error("starts_at", _("预约须从整点开始。"))
    if starts_at <= now:
        raise field_error("starts_at", _("不能预约已经过去的时段。"))
    slots = slot_starts(starts_at, hours)
    for slot in slots:
        at = timezone.localtime(slot)
        if str(at.isoweekday()) not in instrument.open_weekdays or not (
            instrument.open_from <= at.hour < instrument.open_until
        ):
            raise field_error(
                "starts_at",
                _("所选时段不在仪器开放时间内（%(days)s，%(a)s:00–%(b)s:00）。")
                % {
                    "days": weekdays_in_words(instrument.open_weekdays),
                    "a": instrument.open_from,
                    "b": instrument.open_until,
                },
            )
    end = slots[-1] + timedelta(hours=1)
    if instrument.maintenance.filter(starts_at__lt=end, ends_at__gt=starts_at).exists():
        raise field_error("starts_at", _("所选时段仪器维护中。"))
    return slots


def testing_service_of(owner) -> ProviderService | None:
    """The owner's approved testing service in the provider directory, through which a voucher pays."""
    return (
        ProviderService.objects.filter(
            provider=owner, category=ServiceCategory.TESTING, status=ServiceStatus.APPROVED
        )
        .order_by("pk")
        .first()
    )


def _check_voucher(voucher_id, instrument: Instrument, organisation, now) -> Voucher | None:
    if not voucher_id:
        return None
    voucher = Voucher.objects.select_related("pool").filter(pk=voucher_id).first()
    if voucher is None:
        raise NotFound(_("创新券不存在。"))
    if testing_service_of(instrument.owner) is None:
        raise ValidationFailed(
            _("该仪器所属单位尚未进入创新券服务机构名录（检验检测类），不能使用创新券。"),
            code="service_not_listed",
        )
    voucher_orders.check_voucher_usable(voucher, organisation, ServiceCategory.TESTING, now)
    voucher_orders.refuse_related(instrument.owner, organisation)
    return voucher


@transaction.atomic(durable=True)
def book(
    *,
    actor,
    instrument_id: int,
    organisation_id: int,
    starts_at: datetime,
    hours: int,
    purpose: str,
    samples: int = 0,
    voucher_id: int | None = None,
    now,
) -> Booking:
    instrument = Instrument.objects.select_related("owner").filter(pk=instrument_id).first()
    if instrument is None or not (instrument.is_listed or _owner_member(actor, instrument)):
        raise NotFound(_("仪器不存在或未对外开放。"))
    organisation = Organisation.objects.filter(pk=organisation_id).first()
    if organisation is None or not scope.is_member(actor, organisation):
        raise PermissionDenied(_("只能以本人所在单位的名义预约。"))
    if not organisation.is_verified:
        raise ValidationFailed(_("单位通过认证后才能预约仪器。"), code="not_eligible")
    if not (purpose or "").strip():
        raise field_error("purpose", _("请说明预约用途。"))
    if samples < 0:
        raise field_error("samples", _("样品数不能为负。"))
    slots = check_slots(instrument, starts_at, hours, now=now)
    voucher = _check_voucher(voucher_id, instrument, organisation, now)
    booking = Booking.objects.create(
        instrument=instrument,
        booker=actor,
        organisation=organisation,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=hours),
        purpose=purpose.strip(),
        samples_planned=samples,
        price_group=price_group_for(instrument, organisation),
        price_rules=fees.snapshot(instrument.prices.all()),
        voucher=voucher,
        created_at=now,
    )
    take_slots(booking, slots)
    audit.record(
        "booking.request",
        actor=actor,
        target=booking,
        now=now,
        after={
            "instrument": instrument.pk,
            "starts_at": starts_at,
            "hours": hours,
            "voucher": voucher.code if voucher else None,
        },
    )
    todos.booking_changed(booking, actor=actor, now=now)
    return booking


def expected_fee(booking: Booking) -> Decimal:
    """The fee the booking will cost as booked: its hours and planned samples at the guide prices
    kept on it (the same computation :func:`record_usage` bills with)."""
    fee, _trace = fees.compute_fee(
        fees.from_snapshot(booking.price_rules),
        group=booking.price_group,
        hours=Decimal(booking.hours),
        samples=booking.samples_planned,
    )
    return fee


def take_slots(booking: Booking, slots: list[datetime]) -> None:
    """Insert one row per hour; the database refuses any hour that is already taken."""
    try:
        with transaction.atomic():
            BookedSlot.objects.bulk_create(
                [
                    BookedSlot(instrument_id=booking.instrument_id, slot_start=s, booking=booking)
                    for s in slots
                ]
            )
    except IntegrityError as exc:
        raise Conflict(_("所选时段已被预约，请选择其他时段。"), code="slot_taken") from exc


def _may(actor, booking: Booking, who: str) -> bool:
    if who == Actor.OWNER:
        return _owner_member(actor, booking.instrument)
    return scope.is_member(actor, booking.organisation)


@transaction.atomic(durable=True)
def transition_booking(*, actor, booking_id: int, to_status: str, reason: str = "", now) -> Booking:
    """Approve, refuse or cancel (states.BOOKING_TRANSITIONS); refusing and cancelling free the slots.

    Cancellation rules: the booker may cancel a request at any time and a confirmed booking until
    ``CANCEL_NOTICE`` before it starts; the owner may cancel a confirmed booking before it starts,
    with a reason (e.g. a breakdown)."""
    booking = _locked(Booking, booking_id, "instrument__owner", "organisation")
    allowed = dict(BOOKING_TRANSITIONS.get(booking.status, {}))
    owner_cancels = (
        to_status == BookingStatus.CANCELLED
        and booking.status == BookingStatus.APPROVED
        and _owner_member(actor, booking.instrument)
        and not scope.is_member(actor, booking.organisation)
    )
    if to_status not in allowed:
        raise InvalidTransition(
            _("当前状态“%(status)s”不能执行此操作。") % {"status": booking.get_status_display()}
        )
    if not (owner_cancels or _may(actor, booking, allowed[to_status])):
        raise PermissionDenied(NOT_ALLOWED)
    reason = (reason or "").strip()
    if (to_status in REASON_REQUIRED or owner_cancels) and not reason:
        raise field_error("reason", _("请填写理由。"))
    if to_status == BookingStatus.CANCELLED and booking.status == BookingStatus.APPROVED:
        if now >= booking.starts_at:
            raise InvalidTransition(_("预约已开始，不能取消。"))
        if not owner_cancels and booking.starts_at - now < CANCEL_NOTICE:
            raise InvalidTransition(
                _("已确认的预约须在开始前%(h)s小时以上取消；请联系仪器管理员。")
                % {"h": int(CANCEL_NOTICE.total_seconds() // 3600)}
            )
    if to_status == BookingStatus.APPROVED and booking.starts_at <= now:
        raise InvalidTransition(_("预约时段已过，不能再确认。"))
    before = {"status": booking.status}
    booking.status, booking.status_reason = to_status, reason
    if to_status in (BookingStatus.APPROVED, BookingStatus.REFUSED):
        booking.decided_by, booking.decided_at = actor, now
    booking.save(update_fields=["status", "status_reason", "decided_by", "decided_at"])
    if to_status not in HOLDS_SLOTS:
        BookedSlot.objects.filter(booking=booking).delete()
    audit.record(
        f"booking.{to_status}",
        actor=actor,
        target=booking,
        before=before,
        after={"status": to_status},
        reason=reason,
        now=now,
    )
    todos.booking_changed(booking, actor=actor, now=now)
    return booking


def actions_open_to(actor, booking: Booking, *, now) -> set[str]:
    """What ``actor`` may do with ``booking`` now, by the rules of :func:`transition_booking`,
    :func:`record_usage` and :func:`rate`: the pages show only these buttons."""
    owner = _owner_member(actor, booking.instrument)
    booker = scope.is_member(actor, booking.organisation)
    status, actions = booking.status, set()
    if status == BookingStatus.REQUESTED:
        if owner and booking.starts_at > now:
            actions |= {"approve", "refuse"}
        if booker:
            actions.add("cancel")
    elif status == BookingStatus.APPROVED:
        if now < booking.starts_at and (
            (booker and booking.starts_at - now >= CANCEL_NOTICE) or (owner and not booker)
        ):
            actions.add("cancel")
        if owner and now >= booking.starts_at:
            actions.add("usage")
    elif status == BookingStatus.COMPLETED and booker and not Rating.objects.filter(booking=booking).exists():
        actions.add("rate")
    return actions


# --- usage, fees, ratings -------------------------------------------------------------------------------------


@transaction.atomic(durable=True)
def record_usage(*, actor, booking_id: int, hours, samples: int = 0, now) -> Usage:
    """The owner records the actual use; the fee follows the guide price of the booker's price
    group. A booking paid partly with a voucher becomes a delivered testing-service order, on
    which the owner (as provider) then claims the voucher's share."""
    booking = _locked(Booking, booking_id, "instrument__owner", "organisation", "voucher")
    if not _owner_member(actor, booking.instrument):
        raise PermissionDenied(NOT_ALLOWED)
    if booking.status != BookingStatus.APPROVED:
        raise InvalidTransition(_("只有已确认的预约可以登记使用情况。"))
    if now < booking.starts_at:
        raise InvalidTransition(_("预约时段尚未开始，不能登记使用情况。"))
    try:
        hours = Decimal(str(hours).strip())
    except InvalidOperation as exc:
        raise field_error("hours", _("机时格式不正确。")) from exc
    if not hours.is_finite():
        raise field_error("hours", _("机时格式不正确。"))
    hours = hours.quantize(Decimal("0.01"))
    if hours < 0 or samples < 0 or (hours == 0 and samples == 0):
        raise field_error("hours", _("请填写实际机时或样品数。"))
    # The slots after the booking may be someone else's: a longer use is booked, not recorded.
    booked = Decimal((booking.ends_at - booking.starts_at).total_seconds()) / 3600
    if hours > booked:
        raise field_error(
            "hours",
            _("实际机时不能超过预约时长（%(n)s 小时）；超出部分请另行预约。") % {"n": booked.normalize()},
        )
    fee, trace = fees.compute_fee(
        fees.from_snapshot(booking.price_rules), group=booking.price_group, hours=hours, samples=samples
    )
    order = None
    if booking.voucher_id and fee > 0:
        # The use happened whatever became of the voucher: when it can no longer pay (expired,
        # revoked, the service left the directory) the fee is recorded and the booker pays it all.
        service = testing_service_of(booking.instrument.owner)
        try:
            if service is None:
                raise ValidationFailed(
                    _("所属单位的检验检测服务已不在服务机构名录中。"), code="service_not_listed"
                )
            order = voucher_orders.place_order_in_transaction(
                actor=actor,
                enterprise=booking.organisation,
                service=service,
                voucher=booking.voucher,
                price=fee,
                description=_("%(instrument)s 共享使用 %(hours)s 机时、%(samples)s 个样品")
                % {"instrument": booking.instrument.name, "hours": hours, "samples": samples},
                source_ref=f"facilities.booking:{booking.pk}",
                delivered=True,
                now=now,
            )
        except ValidationFailed as exc:
            trace.append({"voucher": booking.voucher.code, "not_used": str(exc.message)})
    usage = Usage.objects.create(
        booking=booking,
        hours=hours,
        samples=samples,
        fee=fee,
        fee_trace=trace,
        order=order,
        recorded_by=actor,
        recorded_at=now,
    )
    booking.status = BookingStatus.COMPLETED
    booking.save(update_fields=["status"])
    audit.record(
        "booking.completed",
        actor=actor,
        target=booking,
        before={"status": BookingStatus.APPROVED},
        after={
            "status": booking.status,
            "hours": hours,
            "samples": samples,
            "fee": fee,
            "order": order.pk if order else None,
        },
        now=now,
    )
    return usage


@transaction.atomic(durable=True)
def rate(*, actor, booking_id: int, score: int, comment: str = "", now) -> Rating:
    booking = _locked(Booking, booking_id, "organisation")
    if not scope.is_member(actor, booking.organisation):
        raise PermissionDenied(NOT_ALLOWED)
    if booking.status != BookingStatus.COMPLETED:
        raise InvalidTransition(_("使用完成后才能评价。"))
    if not 1 <= int(score) <= 5:
        raise field_error("score", _("评分为1至5分。"))
    try:
        with transaction.atomic():
            rating = Rating.objects.create(
                booking=booking,
                score=int(score),
                comment=(comment or "").strip(),
                rated_by=actor,
                rated_at=now,
            )
    except IntegrityError as exc:
        raise Conflict(_("该预约已评价。"), code="already_rated") from exc
    audit.record("booking.rate", actor=actor, target=booking, after={"score": rating.score}, now=now)
    return rating
