"""50 users book the same hour at once, over real HTTP on the live server: exactly one booking.

Negative control: a variant that checks availability and then books without the slot rows (so
without the unique constraint) lets several bookings of the same hour through.
"""

import time
from datetime import timedelta

import pytest
from django.utils import timezone

from tests.facilities.conftest import PRICES, monday_at
from tests.factories import OrganisationFactory
from tests.live import run_together
from tests.vouchers.live_helpers import key, post, quick_users, session_client
from zhouqiao.core.errors import Conflict
from zhouqiao.facilities import services
from zhouqiao.facilities.models import BookedSlot, Booking
from zhouqiao.facilities.states import HOLDS_SLOTS

USERS = 50


@pytest.fixture
def contest(live_server, reference):
    owner = OrganisationFactory(
        name="并发测试研究所", kind="institute", region_id="220173", contact_phone="13400000001"
    )
    owner_user = quick_users("conc_owner", 1, owner)[0]
    instrument = services.register_instrument(
        actor=owner_user,
        owner_id=owner.pk,
        now=timezone.now(),
        prices=PRICES,
        data={
            "name": "透射电子显微镜",
            "category": "analytical",
            "location": "长春",
            "value": "8000000",
            "funding_source": "public",
        },
    )
    bookers = OrganisationFactory(name="并发预约企业", region_id="220104", contact_phone="13400000002")
    users = quick_users("conc_booker", USERS, bookers)
    clients = [session_client(live_server.url, u) for u in users]
    payload = {
        "instrument_id": instrument.pk,
        "organisation_id": bookers.pk,
        "starts_at": monday_at(10).isoformat(),
        "hours": 2,
        "purpose": "抢同一时段",
    }
    yield instrument, clients, payload
    for c in clients:
        c.close()


def _book_all(clients, payload):
    results = run_together(
        [
            lambda c=c, k=key(): post(c, "/api/v1/facilities/bookings", json=payload, idempotency_key=k)
            for c in clients
        ]
    )
    return [r.status_code if hasattr(r, "status_code") else repr(r) for r in results]


def test_50_users_booking_the_same_slot_yield_exactly_one_booking(contest):
    instrument, clients, payload = contest
    statuses = _book_all(clients, payload)
    assert statuses.count(201) == 1, statuses
    assert statuses.count(409) == USERS - 1, statuses
    assert Booking.objects.filter(instrument=instrument).count() == 1
    assert BookedSlot.objects.filter(instrument=instrument).count() == 2


def test_negative_control_check_then_book_double_books(contest, monkeypatch):
    instrument, clients, payload = contest
    real_book = services.book

    def check_then_book(**kwargs):
        end = kwargs["starts_at"] + timedelta(hours=kwargs["hours"])
        if Booking.objects.filter(
            instrument_id=kwargs["instrument_id"],
            status__in=HOLDS_SLOTS,
            starts_at__lt=end,
            ends_at__gt=kwargs["starts_at"],
        ).exists():
            raise Conflict("所选时段已被预约。", code="slot_taken")
        time.sleep(0.02)
        monkeypatch.setattr(services, "take_slots", lambda booking, slots: None)
        return real_book(**kwargs)

    monkeypatch.setattr(services, "book", check_then_book)
    statuses = _book_all(clients, payload)
    assert statuses.count(201) > 1, statuses
    assert Booking.objects.filter(instrument=instrument).count() > 1
