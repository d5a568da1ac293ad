"""Issue 17, finding 8 and "Sessions": the idle timeout counts only the person's own requests (the
auction's live panel and an import's progress poll without extending it), and a person sees their
signed-in sessions and can end one."""

from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from zhouqiao.accounts.models import LoginSession
from zhouqiao.core.models import AuditEvent

POLLS = ["/market/auctions/999999/live/", "/catalog/import/999999/"]


@pytest.mark.parametrize("poll", POLLS)
def test_polling_does_not_extend_the_idle_timeout(client, enterprise_user, poll):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        client.force_login(enterprise_user)
        assert client.get("/workspace/").status_code == 200
    for minutes in (10, 20, 29, 40):  # the page stays open and polls
        with time_machine.travel(start + timedelta(minutes=minutes), tick=False):
            client.get(poll, HTTP_HX_REQUEST="true")
    with time_machine.travel(start + timedelta(minutes=41), tick=False):
        response = client.get("/workspace/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_the_persons_own_requests_keep_the_session(client, enterprise_user):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        client.force_login(enterprise_user)
    for minutes in (20, 40):
        with time_machine.travel(start + timedelta(minutes=minutes), tick=False):
            assert client.get("/workspace/").status_code == 200
    with time_machine.travel(start + timedelta(minutes=41), tick=False):
        client.get(POLLS[0], HTTP_HX_REQUEST="true")
        assert client.get("/workspace/").status_code == 200


def test_the_session_is_written_at_most_once_a_minute(client, enterprise_user):
    """Each page view does not write the session row; the idle clock moves once a minute."""
    from django.contrib.sessions.models import Session

    start = timezone.now()
    with time_machine.travel(start, tick=False):
        client.force_login(enterprise_user)
        client.get("/workspace/")
    key = client.session.session_key
    first = Session.objects.get(session_key=key).expire_date
    with time_machine.travel(start + timedelta(seconds=30), tick=False):
        assert client.get("/workspace/").status_code == 200
    assert Session.objects.get(session_key=key).expire_date == first
    with time_machine.travel(start + timedelta(seconds=61), tick=False):
        assert client.get("/workspace/").status_code == 200
    assert Session.objects.get(session_key=key).expire_date > first


def test_a_person_sees_their_sessions_and_ends_another(enterprise_user):
    laptop, phone = Client(HTTP_USER_AGENT="Laptop Firefox"), Client(HTTP_USER_AGENT="Phone Safari")
    laptop.post("/login/", {"username": "ent_admin", "password": "Test@Pass2026"})
    phone.post("/login/", {"username": "ent_admin", "password": "Test@Pass2026"})
    assert LoginSession.objects.filter(user=enterprise_user, ended_at=None).count() == 2
    page = laptop.get("/account/sessions/").content.decode()
    assert "Laptop Firefox" in page and "Phone Safari" in page and "本会话" in page
    other = LoginSession.objects.get(user_agent="Phone Safari")
    laptop.post(f"/account/sessions/{other.pk}/end/")
    assert phone.get("/workspace/").status_code == 302  # signed out at its next request
    assert laptop.get("/workspace/").status_code == 200
    assert AuditEvent.objects.filter(action="auth.session_end", actor=enterprise_user).exists()
    other.refresh_from_db()
    assert other.ended_at is not None


def test_it_rejects_ending_someone_elses_session(enterprise_user, university_user):
    victim = Client()
    victim.post("/login/", {"username": "uni_admin", "password": "Test@Pass2026"})
    record = LoginSession.objects.get(user=university_user)
    attacker = Client()
    attacker.force_login(enterprise_user)
    attacker.post(f"/account/sessions/{record.pk}/end/")
    assert victim.get("/workspace/").status_code == 200
    record.refresh_from_db()
    assert record.ended_at is None


def test_a_password_change_ends_the_other_sessions(enterprise_user):
    laptop, phone = Client(HTTP_USER_AGENT="Laptop"), Client(HTTP_USER_AGENT="Phone")
    for browser in (laptop, phone):
        browser.post("/login/", {"username": "ent_admin", "password": "Test@Pass2026"})
    laptop.post(
        "/account/password/",
        {
            "old_password": "Test@Pass2026",
            "new_password": "Another@Pass2027",
            "new_password_again": "Another@Pass2027",
        },
    )
    assert phone.get("/workspace/").status_code == 302
    assert laptop.get("/workspace/").status_code == 200
    assert list(LoginSession.objects.filter(ended_at=None).values_list("user_agent", flat=True)) == ["Laptop"]
