from datetime import timedelta
from decimal import Decimal

import pytest

from tests.facilities.conftest import monday_at
from tests.factories import OrganisationFactory, member_of
from tests.vouchers.conftest import certify
from zhouqiao.core.errors import Conflict, InvalidTransition, PermissionDenied, ValidationFailed
from zhouqiao.facilities import selectors, services
from zhouqiao.facilities.fees import compute_fee
from zhouqiao.facilities.models import BookedSlot, PriceRule, Usage
from zhouqiao.facilities.states import BOOKING_TRANSITIONS, BookingStatus

pytestmark = pytest.mark.django_db


def book(user, org, instrument, start, hours=2, now=None, **extra):
    from django.utils import timezone

    return services.book(
        actor=user,
        instrument_id=instrument.pk,
        organisation_id=org.pk,
        starts_at=start,
        hours=hours,
        purpose="材料断面形貌观察",
        now=now or timezone.now(),
        **extra,
    )


def test_it_refuses_a_second_booking_of_a_taken_hour(instrument, enterprise, enterprise_user, now):
    book(enterprise_user, enterprise, instrument, monday_at(9), hours=3, now=now)
    with pytest.raises(Conflict) as exc:
        book(enterprise_user, enterprise, instrument, monday_at(11), hours=2, now=now)
    assert exc.value.code == "slot_taken"
    assert BookedSlot.objects.count() == 3


def test_refusing_frees_the_slots(instrument, enterprise, enterprise_user, institute_user, now):
    booking = book(enterprise_user, enterprise, instrument, monday_at(9), now=now)
    with pytest.raises(ValidationFailed):
        services.transition_booking(actor=institute_user, booking_id=booking.pk, to_status="refused", now=now)
    services.transition_booking(
        actor=institute_user, booking_id=booking.pk, to_status="refused", reason="设备年检", now=now
    )
    assert not BookedSlot.objects.exists()
    assert (
        book(enterprise_user, enterprise, instrument, monday_at(9), now=now).status == BookingStatus.REQUESTED
    )


@pytest.mark.parametrize(
    ("start", "hours", "message"),
    [
        (lambda: monday_at(7), 1, "开放时间"),
        (lambda: monday_at(16), 2, "开放时间"),
        (lambda: monday_at(9) + timedelta(minutes=30), 1, "整点"),
        (lambda: monday_at(9) + timedelta(days=5), 1, "开放时间"),
        (lambda: monday_at(9, weeks_ahead=-1), 1, "过去"),
        (lambda: monday_at(9), 13, "机时"),
    ],
)
def test_it_refuses_hours_outside_the_calendar(
    instrument, enterprise, enterprise_user, now, start, hours, message
):
    with pytest.raises(ValidationFailed) as exc:
        book(enterprise_user, enterprise, instrument, start(), hours=hours, now=now)
    assert message in str(exc.value.message)
    assert not BookedSlot.objects.exists()


def test_it_refuses_hours_in_a_maintenance_window(
    instrument, enterprise, enterprise_user, institute_user, now
):
    services.add_maintenance(
        actor=institute_user,
        instrument_id=instrument.pk,
        starts_at=monday_at(8),
        ends_at=monday_at(12),
        reason="更换灯丝",
        now=now,
    )
    with pytest.raises(ValidationFailed):
        book(enterprise_user, enterprise, instrument, monday_at(11), now=now)
    cal = selectors.calendar(instrument, monday=monday_at(8).date(), now=now)
    states = {c.start.hour: c.state for hour, cells in cal.rows for c in cells[:1]}
    assert states[9] == "maintenance" and states[12] == "free"
    assert cal.rows[0][1][5].state == "closed"


def test_every_booking_edge_works_and_every_other_move_is_refused(
    instrument, enterprise, enterprise_user, institute_user, now
):
    actors = {"owner": institute_user, "booker": enterprise_user}
    outsider = member_of(OrganisationFactory(contact_phone="13500000009"))
    hour = 8
    for source in BookingStatus.values:
        for target in BookingStatus.values:
            booking = book(
                enterprise_user, enterprise, instrument, monday_at(hour, weeks_ahead=3), hours=1, now=now
            )
            hour = hour + 1 if hour < 16 else 8
            if hour == 8:
                BookedSlot.objects.all().delete()
            booking.status = source
            booking.save(update_fields=["status"])
            who = BOOKING_TRANSITIONS.get(source, {}).get(target)
            if who is None:
                with pytest.raises(InvalidTransition):
                    services.transition_booking(
                        actor=institute_user, booking_id=booking.pk, to_status=target, reason="理由", now=now
                    )
                continue
            other = enterprise_user if who == "owner" else outsider
            with pytest.raises(PermissionDenied):
                services.transition_booking(
                    actor=other, booking_id=booking.pk, to_status=target, reason="理由", now=now
                )
            moved = services.transition_booking(
                actor=actors[who], booking_id=booking.pk, to_status=target, reason="理由", now=now
            )
            assert moved.status == target


def test_a_confirmed_booking_cannot_be_cancelled_by_the_booker_at_short_notice(
    instrument, enterprise, enterprise_user, institute_user
):
    start = monday_at(9)
    booking = book(enterprise_user, enterprise, instrument, start, now=start - timedelta(days=3))
    services.transition_booking(
        actor=institute_user, booking_id=booking.pk, to_status="approved", now=start - timedelta(days=3)
    )
    with pytest.raises(InvalidTransition):
        services.transition_booking(
            actor=enterprise_user,
            booking_id=booking.pk,
            to_status="cancelled",
            now=start - timedelta(hours=5),
        )
    services.transition_booking(
        actor=institute_user,
        booking_id=booking.pk,
        to_status="cancelled",
        reason="设备故障",
        now=start - timedelta(hours=5),
    )
    assert not BookedSlot.objects.exists()


def test_the_fee_follows_the_price_group_and_the_steps(instrument):
    rules = list(PriceRule.objects.filter(instrument=instrument))
    assert compute_fee(rules, group="enterprise", hours=Decimal("6"), samples=0)[0] == Decimal("3300.00")
    assert compute_fee(rules, group="internal", hours=Decimal("1.5"), samples=3)[0] == Decimal("540.00")
    assert compute_fee(rules, group="external", hours=Decimal("2"), samples=0)[0] == Decimal("1000.00")


def test_usage_paid_partly_by_a_voucher_becomes_a_testing_order(
    instrument, institute, institute_user, enterprise, enterprise_user, reference
):
    from tests.factories import staff_in
    from zhouqiao.accounts.models import Duty
    from zhouqiao.vouchers import orders
    from zhouqiao.vouchers import services as vs

    start = monday_at(9)
    before = start - timedelta(days=3)
    staff = staff_in("220100", Duty.REVIEWER, Duty.FINANCE)
    pool = vs.create_pool(
        actor=staff, jurisdiction_code="220100", year=before.year, budget="1000000", now=before
    )
    certify(enterprise)
    enterprise.contact_phone = "13500000002"
    enterprise.save()
    voucher = vs.issue_voucher(
        actor=staff,
        pool_id=pool.pk,
        enterprise_id=enterprise.pk,
        category="testing",
        amount="5000",
        source="staff",
        now=before,
    )
    with pytest.raises(ValidationFailed) as exc:
        book(enterprise_user, enterprise, instrument, start, now=before, voucher_id=voucher.pk)
    assert exc.value.code == "service_not_listed"
    service = orders.register_service(
        actor=institute_user,
        provider_id=institute.pk,
        category="testing",
        name="大型仪器共享检测",
        price="500",
        unit="机时",
        now=before,
    )
    orders.transition_service(actor=staff, service_id=service.pk, to_status="approved", now=before)
    booking = book(enterprise_user, enterprise, instrument, start, hours=3, now=before, voucher_id=voucher.pk)
    services.transition_booking(actor=institute_user, booking_id=booking.pk, to_status="approved", now=before)
    with pytest.raises(InvalidTransition):
        services.record_usage(actor=institute_user, booking_id=booking.pk, hours="3", now=before)
    usage = services.record_usage(
        actor=institute_user, booking_id=booking.pk, hours="3", samples=0, now=start + timedelta(hours=3)
    )
    assert usage.fee == Decimal("1800.00") and usage.order.price == Decimal("1800.00")
    assert usage.order.status == "delivered"
    redemption = orders.claim_redemption(
        actor=institute_user, order_id=usage.order.pk, now=start + timedelta(hours=4)
    )
    assert redemption.amount == Decimal("900.00")
    services.rate(
        actor=enterprise_user,
        booking_id=booking.pk,
        score=5,
        comment="服务专业",
        now=start + timedelta(hours=5),
    )
    rows = selectors.evaluation_by_instrument(staff, start.year)
    assert rows[0].service_hours == Decimal("3.00") and rows[0].external_users == 1
    assert rows[0].external_share == Decimal("1.0000") and rows[0].rating == Decimal("5.00")


def test_usage_is_recorded_in_full_when_the_voucher_can_no_longer_pay(
    instrument, institute, institute_user, enterprise, enterprise_user, reference
):
    from tests.factories import staff_in
    from zhouqiao.accounts.models import Duty
    from zhouqiao.vouchers import orders
    from zhouqiao.vouchers import services as vs

    start = monday_at(9)
    before = start - timedelta(days=3)
    staff = staff_in("220100", Duty.REVIEWER, Duty.FINANCE)
    pool = vs.create_pool(
        actor=staff, jurisdiction_code="220100", year=before.year, budget="100000", now=before
    )
    certify(enterprise)
    enterprise.contact_phone = "13500000002"
    enterprise.save()
    voucher = vs.issue_voucher(
        actor=staff,
        pool_id=pool.pk,
        enterprise_id=enterprise.pk,
        category="testing",
        amount="5000",
        source="staff",
        now=before,
    )
    service = orders.register_service(
        actor=institute_user,
        provider_id=institute.pk,
        category="testing",
        name="共享检测",
        price="500",
        now=before,
    )
    orders.transition_service(actor=staff, service_id=service.pk, to_status="approved", now=before)
    booking = book(enterprise_user, enterprise, instrument, start, hours=1, now=before, voucher_id=voucher.pk)
    services.transition_booking(actor=institute_user, booking_id=booking.pk, to_status="approved", now=before)
    vs.revoke_voucher(actor=staff, voucher_id=voucher.pk, reason="企业注销", now=before)
    usage = services.record_usage(
        actor=institute_user, booking_id=booking.pk, hours="1", now=start + timedelta(hours=1)
    )
    assert usage.fee == Decimal("600.00") and usage.order is None
    assert usage.fee_trace[-1]["voucher"] == voucher.code


@pytest.mark.parametrize(
    ("hours", "message"), [("NaN", "机时格式不正确"), ("3", "不能超过预约时长（2 小时）")]
)
def test_usage_is_a_finite_number_within_the_booked_time(
    instrument, institute_user, enterprise, enterprise_user, hours, message
):
    start = monday_at(9)
    booking = book(enterprise_user, enterprise, instrument, start, hours=2, now=start - timedelta(days=1))
    services.transition_booking(
        actor=institute_user, booking_id=booking.pk, to_status="approved", now=start - timedelta(days=1)
    )
    with pytest.raises(ValidationFailed) as exc:
        services.record_usage(
            actor=institute_user, booking_id=booking.pk, hours=hours, now=start + timedelta(hours=3)
        )
    assert message in str(exc.value.message)
    assert not Usage.objects.filter(booking=booking).exists()


def test_the_evaluation_ranks_owners_by_identity_and_counts_large_instruments_only(
    instrument, institute, institute_user, enterprise, enterprise_user, reference
):
    from tests.factories import staff_in
    from zhouqiao.accounts.models import Duty

    start = monday_at(9)
    namesake = OrganisationFactory(name=institute.name, kind="institute", region_id="220104")
    namesake_user = member_of(namesake, username="namesake_admin")

    def register(owner, owner_user, name, value):
        same = {f: getattr(instrument, f) for f in ("model_number", "category", "location", "funding_source")}
        return services.register_instrument(
            actor=owner_user,
            owner_id=owner.pk,
            now=start - timedelta(days=3),
            prices=[{"group": "external", "unit": "hour", "unit_price": "100"}],
            data={
                **same,
                "name": name,
                "value": value,
                "open_from": 8,
                "open_until": 17,
                "open_weekdays": "12345",
            },
        )

    uses = [
        (institute_user, instrument),
        (namesake_user, register(namesake, namesake_user, "激光共聚焦显微镜", "1800000")),
        (institute_user, register(institute, institute_user, "电子天平", "5000")),
    ]
    for owner_user, inst in uses:
        booking = book(enterprise_user, enterprise, inst, start, hours=1, now=start - timedelta(days=3))
        services.transition_booking(
            actor=owner_user, booking_id=booking.pk, to_status="approved", now=start - timedelta(days=2)
        )
        services.record_usage(
            actor=owner_user, booking_id=booking.pk, hours="1", now=start + timedelta(hours=1)
        )
    staff = staff_in("220100", Duty.REVIEWER)
    ranked = selectors.evaluation_by_instrument(staff, start.year)
    assert sorted(r.name for r in ranked) == sorted([instrument.name, "激光共聚焦显微镜"])  # not the balance
    owners = selectors.evaluation_by_owner(staff, start.year)
    assert sorted((r.owner_id, r.service_hours) for r in owners) == sorted(
        [(institute.pk, Decimal("1.00")), (namesake.pk, Decimal("1.00"))]
    )


def test_only_the_owners_administrator_changes_a_guide_price(instrument, institute, institute_user, now):
    technician = member_of(institute, role="member", username="lab_technician")
    with pytest.raises(PermissionDenied):
        services.set_price(
            actor=technician,
            instrument_id=instrument.pk,
            group="external",
            unit="hour",
            unit_price="1",
            now=now,
        )
    assert PriceRule.objects.get(instrument=instrument, group="external", unit="hour").unit_price != Decimal(
        "1"
    )
    rule = services.set_price(
        actor=institute_user,
        instrument_id=instrument.pk,
        group="external",
        unit="hour",
        unit_price="650",
        now=now,
    )
    assert rule.unit_price == Decimal("650.00")


def test_a_price_change_after_booking_does_not_reach_the_agreed_booking(
    instrument, institute_user, enterprise, enterprise_user
):
    start = monday_at(9)
    booking = book(enterprise_user, enterprise, instrument, start, hours=2, now=start - timedelta(days=3))
    services.transition_booking(
        actor=institute_user, booking_id=booking.pk, to_status="approved", now=start - timedelta(days=2)
    )
    agreed, _trace = compute_fee(
        instrument.prices.all(), group=booking.price_group, hours=Decimal(2), samples=0
    )
    services.set_price(
        actor=institute_user,
        instrument_id=instrument.pk,
        group="external",
        unit="hour",
        unit_price="5000",
        now=start - timedelta(days=1),
    )
    services.set_price(
        actor=institute_user,
        instrument_id=instrument.pk,
        group="enterprise",
        unit="hour",
        unit_price="5000",
        now=start - timedelta(days=1),
    )
    usage = services.record_usage(
        actor=institute_user, booking_id=booking.pk, hours="2", now=start + timedelta(hours=2)
    )
    assert usage.fee == agreed < Decimal("10000")
    later = book(enterprise_user, enterprise, instrument, start + timedelta(days=1), hours=2, now=start)
    assert {r["unit_price"] for r in later.price_rules if r["unit"] == "hour"} >= {"5000.00"}
