"""The publish form shows every problem of one submission at once, each beside its field (the
service's checks across fields included), and nothing is created."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse

from tests.events.conftest import NOW, START, event_data
from zhouqiao.community.events.models import Event

pytestmark = pytest.mark.django_db

FORMAT = "%Y-%m-%dT%H:%M"


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(NOW, tick=False):
        yield


def _post(**overrides):
    data = {**event_data(), **overrides}
    post = {k: (v.strftime(FORMAT) if hasattr(v, "strftime") else v) for k, v in data.items()}
    post["publisher"] = "region:220100"
    return post


def _errors_by_field(html: str) -> dict[str, list[str]]:
    """{input id: [messages shown in its paragraph]} (web/_field.html)."""
    found = {}
    for block in re.findall(r'<p class="field has-error">(.*?)</p>', html, flags=re.S):
        field = re.search(r'<label for="id_(\w+)"', block)[1]
        found[field] = re.findall(r'<span class="error" role="alert">(.*?)</span>', block)
    return found


def test_three_bad_fields_are_all_shown_at_once_and_nothing_is_created(client, city_staff):
    client.force_login(city_staff)
    response = client.post(
        reverse("events:event_new"),
        _post(
            title="",  # the form's own check
            ends_at=START - timedelta(hours=1),  # the service's: before the start
            registration_deadline=NOW - timedelta(days=1),  # the service's: already passed
        ),
    )
    assert response.status_code == 200
    errors = _errors_by_field(response.content.decode())
    assert set(errors) == {"title", "ends_at", "registration_deadline"}
    assert errors["ends_at"] == ["结束时间须晚于开始时间。"]
    assert errors["registration_deadline"] == ["报名截止时间须晚于当前时间。"]
    assert not Event.objects.exists()


def test_the_service_names_every_bad_field_too(city_staff):
    from zhouqiao.community.events import services
    from zhouqiao.core.errors import ValidationFailed

    with pytest.raises(ValidationFailed) as refused:
        services.publish_event(
            actor=city_staff,
            data=event_data(title="", capacity=0, ends_at=START - timedelta(hours=1)),
            region_code="220100",
            now=NOW,
        )
    assert set(refused.value.detail) == {"title", "capacity", "ends_at"}
    assert not Event.objects.exists()


def test_an_empty_table_count_asks_for_it_and_the_meeting_window_is_checked_in_the_same_round(
    client, city_staff
):
    """The demo walk: times in the wrong order, one-to-one meetings the next day, tables empty —
    one submission names all three (the meeting check does not wait for the times to be fixed)."""
    client.force_login(city_staff)
    response = client.post(
        reverse("events:event_new"),
        _post(
            starts_at=START + timedelta(hours=5),
            ends_at=START,  # before the start
            meeting_start=START + timedelta(days=1),  # outside the event either way
            tables="",
        ),
    )
    assert response.status_code == 200
    errors = _errors_by_field(response.content.decode())
    assert errors["ends_at"] == ["结束时间须晚于开始时间。"]
    assert errors["tables"] == ["请填写洽谈桌数。"]
    assert errors["meeting_start"] == ["一对一洽谈须安排在活动时间之内。"]
    assert not Event.objects.exists()
