"""Two last-seat registrations at once, over real HTTP on the live server: exactly one gets the
seat, the other is told 名额已满, and the event never holds more than its capacity.

Negative control: a check-then-increment variant (read the count, then save it) lets both through
— on PostgreSQL at least; SQLite's IMMEDIATE transactions serialise even the naive one, so the
control asserts only where the database can show the race.
"""

import time
import uuid
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from tests.events.conftest import event_data
from tests.factories import OrganisationFactory
from tests.live import run_together
from tests.vouchers.live_helpers import post, quick_users, session_client
from zhouqiao.community.events import services
from zhouqiao.community.events.models import Event, Registration

CLIENTS = 8


@pytest.fixture
def contest(live_server, city_staff):
    now = timezone.now()
    start = now + timedelta(days=5)
    event = services.publish_event(
        actor=city_staff,
        data=event_data(
            capacity=3,
            starts_at=start,
            ends_at=start + timedelta(hours=3),
            registration_deadline=start - timedelta(days=1),
            meeting_start=start + timedelta(minutes=30),
        ),
        region_code="220100",
        now=now,
    )
    # two seats already taken: one seat left
    Event.objects.filter(pk=event.pk).update(seats_taken=2)
    users = []
    for i in range(CLIENTS):
        org = OrganisationFactory(name=f"并发报名企业{i}", region_id="220104")
        users += quick_users(f"ev_conc{i}_", 1, org)
    clients = [session_client(live_server.url, u) for u in users]
    yield event, clients
    for c in clients:
        c.close()


def _register_all(event, clients):
    url = f"/api/v1/community/events/events/{event.pk}/registrations"
    results = run_together(
        [
            lambda c=c: post(c, url, json={"note": "抢最后一个名额"}, idempotency_key=uuid.uuid4().hex)
            for c in clients
        ]
    )
    return [r.status_code if hasattr(r, "status_code") else repr(r) for r in results], results


def test_last_seat_goes_to_exactly_one_of_concurrent_registrations(contest):
    event, clients = contest
    statuses, results = _register_all(event, clients)
    assert statuses.count(201) == 1, statuses
    assert statuses.count(422) == CLIENTS - 1, statuses
    refused = next(r for r in results if getattr(r, "status_code", 0) == 422)
    assert "名额已满" in refused.json()["message"]
    event.refresh_from_db()
    assert event.seats_taken == event.capacity == 3
    assert Registration.objects.filter(event=event).count() == 1


def test_negative_control_check_then_increment_overbooks(contest, monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers (BEGIN IMMEDIATE); the race shows on PostgreSQL")
    event, clients = contest

    def check_then_increment(event_id):
        e = Event.objects.get(pk=event_id)
        if e.seats_taken >= e.capacity:
            return False
        time.sleep(0.05)
        e.seats_taken += 1
        e.save(update_fields=["seats_taken"])
        return True

    monkeypatch.setattr(services, "take_seat", check_then_increment)
    statuses, _results = _register_all(event, clients)
    assert statuses.count(201) > 1, statuses
    assert Registration.objects.filter(event=event).count() > 1
