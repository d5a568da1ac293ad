"""Voucher and instrument-sharing indicators, walked through the vouchers' and facilities' own
services (their fixtures), then counted by hand."""

from decimal import Decimal

import pytest
from django.utils import timezone

from tests.facilities.conftest import *  # noqa: F403 — the instrument fixtures
from tests.facilities.conftest import monday_at
from tests.vouchers.conftest import *  # noqa: F403 — the voucher fixtures
from tests.vouchers.conftest import delivered_order
from zhouqiao.facilities import services as facilities
from zhouqiao.insights import indicators as ind
from zhouqiao.vouchers import orders

pytestmark = pytest.mark.django_db
D = Decimal


def test_vouchers_issued_redeemed_and_settled(
    voucher, testing_service, enterprise_user, provider_user, cc_staff, now
):
    year = timezone.localtime(voucher.issued_at).year
    order = delivered_order(
        voucher=voucher,
        service=testing_service,
        enterprise_user=enterprise_user,
        provider_user=provider_user,
        price="12000",
        now=now,
    )
    orders.claim_redemption(actor=provider_user, order_id=order.pk, now=now)  # half of 12,000 = 6,000
    assert ind.value("vouchers_issued", region_code="220100", year=year) == D("20000.00")
    assert ind.value("vouchers_issued", region_code="220200", year=year) == D("0.00")
    assert ind.value("vouchers_redeemed", region_code="220000", year=year) == D("0.00")  # not yet confirmed
    orders.confirm_redemption(actor=enterprise_user, order_id=order.pk, now=now)
    assert ind.value("vouchers_redeemed", region_code="220104", year=year) == D("6000.00")
    assert ind.value("vouchers_settled", region_code="220000", year=year) == D("0.00")
    orders.settle_redemption(actor=cc_staff, order_id=order.pk, settlement_ref="BF-1", now=now)
    assert ind.value("vouchers_settled", region_code="220000", year=year) == D("6000.00")
    assert ind.by_region("vouchers_settled", parent_code="220100", year=year) == {"220104": D("6000.00")}


def test_instrument_sharing_hours_and_revenue(instrument, enterprise, enterprise_user, institute_user, now):
    fees = []
    for weeks, hours in ((1, "2"), (2, "3.5")):
        booking = facilities.book(
            actor=enterprise_user,
            instrument_id=instrument.pk,
            organisation_id=enterprise.pk,
            starts_at=monday_at(9, weeks),
            hours=4,
            purpose="观察",
            now=now,
        )
        facilities.transition_booking(
            actor=institute_user, booking_id=booking.pk, to_status="approved", now=now
        )
        usage = facilities.record_usage(
            actor=institute_user, booking_id=booking.pk, hours=hours, now=booking.starts_at
        )
        fees.append((timezone.localtime(usage.recorded_at).year, D(hours), usage.fee))
    for year in {y for y, _h, _f in fees}:
        hours = sum((h for y, h, _f in fees if y == year), D(0))
        revenue = sum((f for y, _h, f in fees if y == year), D(0))
        # The instrument belongs to an institute in 长春高新区 (220173).
        assert ind.value("instrument_sharing_hours", region_code="220173", year=year) == hours
        assert ind.value("instrument_sharing_revenue", region_code="220000", year=year) == revenue
        assert ind.by_region("instrument_sharing_hours", parent_code="220100", year=year) == {"220173": hours}
    assert all(f > 0 for _y, _h, f in fees)
