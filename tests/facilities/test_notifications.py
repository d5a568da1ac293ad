"""Each booking notification reaches the person the booking now waits on, only them, and once."""

from collections import Counter
from datetime import timedelta

import pytest
import time_machine

from tests.facilities.conftest import monday_at
from tests.factories import member_of
from zhouqiao.accounts.models import MemberRole
from zhouqiao.facilities import services, todos
from zhouqiao.notifications.models import Notification
from zhouqiao.notifications.selectors import todos_for

pytestmark = pytest.mark.django_db


def told(kind: str) -> Counter:
    return Counter(Notification.objects.filter(kind=kind).values_list("user__username", flat=True))


@pytest.fixture
def bystanders(institute, enterprise, university_user):
    return {
        "inst_clerk": member_of(institute, role=MemberRole.MEMBER, username="inst_clerk"),
        "ent_colleague": member_of(enterprise, username="ent_colleague"),
        "outsider": university_user,
    }


def book(instrument, enterprise, user, now, hour=10):
    return services.book(
        actor=user,
        instrument_id=instrument.pk,
        organisation_id=enterprise.pk,
        starts_at=monday_at(hour),
        hours=1,
        purpose="断口分析",
        now=now,
    )


def test_a_request_tells_the_owners_administrators_once(
    instrument, enterprise, enterprise_user, institute_user, bystanders, now
):
    booking = book(instrument, enterprise, enterprise_user, now)
    todos.booking_changed(booking, actor=enterprise_user, now=now)  # the same event again
    assert told(todos.BOOKING_REQUESTED) == {"inst_admin": 1}
    groups = {g.label: g.items for g in todos_for(institute_user, now=now)}
    assert [r.todo.url for r in groups["待确认的仪器预约"]] == [f"/facilities/bookings/{booking.pk}/"]
    assert not todos_for(bystanders["inst_clerk"], now=now)


def test_approval_and_refusal_tell_the_booker_only(
    instrument, enterprise, enterprise_user, institute_user, bystanders, now
):
    approved = book(instrument, enterprise, enterprise_user, now, hour=9)
    services.transition_booking(actor=institute_user, booking_id=approved.pk, to_status="approved", now=now)
    assert told(todos.BOOKING_APPROVED) == {"ent_admin": 1}
    refused = book(instrument, enterprise, enterprise_user, now, hour=11)
    services.transition_booking(
        actor=institute_user, booking_id=refused.pk, to_status="refused", reason="设备检修", now=now
    )
    assert told(todos.BOOKING_REFUSED) == {"ent_admin": 1}
    assert Notification.objects.get(kind=todos.BOOKING_REFUSED).body == "设备检修"
    # once the booked hour has begun, the owner is to record the use
    assert "待登记使用情况的仪器预约" not in {g.label for g in todos_for(institute_user, now=now)}
    with time_machine.travel(approved.starts_at + timedelta(minutes=5)):
        groups = {g.label for g in todos_for(institute_user, now=approved.starts_at)}
    assert "待登记使用情况的仪器预约" in groups


def test_a_cancellation_tells_the_other_side(
    instrument, enterprise, enterprise_user, institute_user, bystanders, now
):
    by_booker = book(instrument, enterprise, enterprise_user, now, hour=9)
    services.transition_booking(
        actor=enterprise_user, booking_id=by_booker.pk, to_status="cancelled", now=now
    )
    assert told(todos.BOOKING_CANCELLED) == {"inst_admin": 1}
    by_owner = book(instrument, enterprise, enterprise_user, now, hour=11)
    services.transition_booking(actor=institute_user, booking_id=by_owner.pk, to_status="approved", now=now)
    services.transition_booking(
        actor=institute_user, booking_id=by_owner.pk, to_status="cancelled", reason="设备故障", now=now
    )
    assert told(todos.BOOKING_CANCELLED) == {"inst_admin": 1, "ent_admin": 1}
