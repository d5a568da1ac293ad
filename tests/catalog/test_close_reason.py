"""An enterprise says why it closes its demand: picked from a list on the close form, stored,
audited, and refused when missing or unknown (nothing changed)."""

import pytest
from django.urls import reverse

from tests.catalog.conftest import NOW
from zhouqiao.catalog import services
from zhouqiao.catalog.models import Demand
from zhouqiao.catalog.states import RecordStatus
from zhouqiao.core.errors import ValidationFailed
from zhouqiao.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_the_close_form_offers_the_reasons_and_records_the_choice(
    client, make_demand, enterprise_user, city_staff
):
    demand = make_demand(RecordStatus.PUBLISHED, reviewer=city_staff)
    client.force_login(enterprise_user)
    page = client.get(reverse("catalog:demand_detail", args=[demand.pk])).content.decode()
    picker = page.split('name="close_reason"', 1)[1].split("</select>", 1)[0]
    for label in ("已通过平台成交解决", "已通过技术合同解决", "已自行或线下解决", "不再需要"):
        assert label in picker
    url = reverse("catalog:demand_transition", args=[demand.pk, "close"])

    refused = client.post(url, {"close_reason": ""}, follow=True).content.decode()
    assert "请选择关闭原因。" in refused
    demand.refresh_from_db()
    assert demand.status == RecordStatus.PUBLISHED and demand.close_reason == ""

    client.post(url, {"close_reason": "solved_elsewhere"})
    demand.refresh_from_db()
    assert demand.status == RecordStatus.CLOSED and demand.close_reason == "solved_elsewhere"
    event = AuditEvent.objects.filter(action="demand.closed").get()
    assert event.after["close_reason"] == "solved_elsewhere" and event.before["close_reason"] == ""
    assert "已自行或线下解决" in event.reason
    detail = client.get(reverse("catalog:demand_detail", args=[demand.pk])).content.decode()
    assert "已自行或线下解决" in detail


def test_an_unknown_reason_or_a_reason_on_an_achievement_is_refused(
    make_demand, make_achievement, enterprise_user, university_user, city_staff
):
    demand = make_demand(RecordStatus.PUBLISHED, reviewer=city_staff)
    with pytest.raises(ValidationFailed):
        services.close(
            actor=enterprise_user, kind="demand", record_id=demand.pk, close_reason="solved", now=NOW
        )
    assert Demand.objects.get(pk=demand.pk).status == RecordStatus.PUBLISHED
    achievement = make_achievement(RecordStatus.PUBLISHED, reviewer=city_staff)
    with pytest.raises(ValidationFailed):
        services.close(
            actor=university_user,
            kind="achievement",
            record_id=achievement.pk,
            close_reason="not_needed",
            now=NOW,
        )
    closed = services.close(actor=university_user, kind="achievement", record_id=achievement.pk, now=NOW)
    assert closed.status == RecordStatus.CLOSED
