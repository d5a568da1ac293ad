"""Pages: who sees what, buttons shown only to those who may press them, check-in by the code URL,
the personal schedule as a Chinese PDF, bad input without a 500."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse

from tests.events.conftest import NOW, START, event_data, make_achievement
from zhouqiao.community.events import services
from zhouqiao.community.events.models import Event, Registration

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(NOW, tick=False):
        yield


def test_the_list_shows_published_events_and_the_publish_button_only_to_publishers(
    client, fair, enterprise_user, city_staff
):
    page = client.get(reverse("events:event_list"))
    assert fair.title in page.content.decode() and "发布活动" not in page.content.decode()
    client.force_login(enterprise_user)
    assert "发布活动" not in client.get(reverse("events:event_list")).content.decode()
    assert client.get(reverse("events:event_new")).status_code == 403
    client.force_login(city_staff)
    assert "发布活动" in client.get(reverse("events:event_list")).content.decode()


def test_staff_publish_through_the_form_and_bad_input_is_shown_in_chinese(client, city_staff):
    client.force_login(city_staff)
    data = event_data()
    post = {k: (v.strftime("%Y-%m-%dT%H:%M") if hasattr(v, "strftime") else v) for k, v in data.items()}
    post["publisher"] = "region:220100"
    bad = client.post(reverse("events:event_new"), {**post, "capacity": "0"})
    assert bad.status_code == 200 and not Event.objects.exists()
    page = client.post(reverse("events:event_new"), post)
    assert page.status_code == 302
    assert Event.objects.get().region_id == "220100"


def test_register_approve_and_the_qr_code_appears(client, fair, enterprise_user, city_staff):
    client.force_login(enterprise_user)
    page = client.get(reverse("events:event_detail", args=[fair.pk])).content.decode()
    assert "我要报名" in page and "报名审核与签到" not in page
    client.post(reverse("events:register", args=[fair.pk]))
    r = Registration.objects.get()
    assert r.status == "pending"
    assert client.get(reverse("events:registrations", args=[fair.pk])).status_code == 403
    client.force_login(city_staff)
    client.post(reverse("events:registration_action", args=[r.pk, "approve"]))
    client.force_login(enterprise_user)
    page = client.get(reverse("events:event_detail", args=[fair.pk])).content.decode()
    assert "<svg" in page and r.checkin_token in page


def test_checkin_page_checks_in_once_and_only_for_the_organiser(client, fair, enterprise_user, city_staff):
    r = services.register(actor=enterprise_user, event_id=fair.pk, now=NOW)
    services.decide_registration(actor=city_staff, registration_id=r.pk, approve=True, now=NOW)
    url = reverse("events:checkin", args=[r.checkin_token])
    client.force_login(enterprise_user)
    assert client.get(url).status_code == 403
    assert client.post(url).status_code == 403
    client.force_login(city_staff)
    assert "确认签到" in client.get(url).content.decode()
    client.post(url)
    page = client.get(url).content.decode()
    assert "已于" in page and "确认签到" not in page
    assert client.get(reverse("events:checkin", args=["nonsense"])).status_code == 404


def test_personal_schedule_downloads_as_a_pdf(client, fair, participants, city_staff, enterprise, university):
    regs, users = participants
    achievement = make_achievement(university)
    services.set_interest(
        actor=users["ent"], event_id=fair.pk, target_key=f"a:{achievement.pk}", level=2, now=NOW
    )
    client.force_login(city_staff)
    client.post(reverse("events:meetings_action", args=[fair.pk, "generate"]))
    client.post(reverse("events:meetings_action", args=[fair.pk, "publish"]))
    client.force_login(users["ent"])
    page = client.get(reverse("events:my_schedule", args=[fair.pk])).content.decode()
    assert "测试大学" in page and "转入在线洽谈" not in page  # not before an outcome
    pdf = client.get(reverse("events:my_schedule_pdf", args=[fair.pk]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    client.force_login(users["inst"])  # no meeting for the institute, but a participant: an empty schedule
    assert "未为贵单位安排" in client.get(reverse("events:my_schedule", args=[fair.pk])).content.decode()


def test_outsiders_cannot_see_the_meeting_board_or_schedules(
    client, fair, participants, stranger, other_city_staff
):
    for user in (stranger, other_city_staff):
        client.force_login(user)
        assert client.get(reverse("events:meetings", args=[fair.pk])).status_code == 403
        assert client.post(reverse("events:meetings_action", args=[fair.pk, "generate"])).status_code == 302
    assert fair.meetings.count() == 0


def test_bad_interest_and_outcome_input_give_a_message_not_a_500(client, fair, participants):
    _regs, users = participants
    client.force_login(users["ent"])
    response = client.post(
        reverse("events:meetings_action", args=[fair.pk, "interest"]),
        {"target": "a:99999", "level": "abc"},
        follow=True,
    )
    assert response.status_code == 200 and "整数" in response.content.decode()
    with time_machine.travel(START + timedelta(hours=6), tick=False):
        assert client.get(reverse("events:event_detail", args=[fair.pk])).status_code == 200
