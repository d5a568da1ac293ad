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
    for label in ("已通过技术合同解决", "已自行或线下解决", "不再需要"):
        assert label in picker
    assert "已通过平台成交解决" not in picker  # no deal on the platform
    url = reverse("catalog:demand_transition", args=[demand.pk, "close"])

    refused = client.post(url, {"close_reason": ""}, follow=True).content.decode()
    assert "请选择关闭原因。" in refused
    demand.refresh_from_db()
    assert demand.status == RecordStatus.PUBLISHED and demand.close_reason == ""

    done = client.post(url, {"close_reason": "solved_elsewhere"}, follow=True).content.decode()
    assert f"需求《{demand.title}》已关闭（已自行或线下解决）" in done
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


def _deal_on(demand, seller_org, buyer_org, user):
    from zhouqiao.market.models import Deal, Negotiation

    negotiation = Negotiation.objects.create(
        demand=demand,
        seller=seller_org,
        buyer=buyer_org,
        initiator=buyer_org,
        region_id="220104",
        title="洽谈",
        status="agreed",
        created_by=user,
        created_at=NOW,
        updated_at=NOW,
    )
    return Deal.objects.create(
        source="negotiation",
        title="成交",
        demand=demand,
        seller=seller_org,
        buyer=buyer_org,
        region_id="220104",
        amount=50000,
        mode="licence",
        negotiation=negotiation,
        agreed_at=NOW,
    )


def test_solved_by_a_platform_deal_only_when_the_demand_has_one(
    client, make_demand, enterprise, enterprise_user, university, city_staff
):
    demand = make_demand(RecordStatus.PUBLISHED, reviewer=city_staff)
    with pytest.raises(ValidationFailed) as refused:
        services.close(
            actor=enterprise_user, kind="demand", record_id=demand.pk, close_reason="platform_deal", now=NOW
        )
    assert "没有成交" in str(refused.value.message)
    assert Demand.objects.get(pk=demand.pk).status == RecordStatus.PUBLISHED

    _deal_on(demand, university, enterprise, enterprise_user)
    client.force_login(enterprise_user)
    page = client.get(reverse("catalog:demand_detail", args=[demand.pk])).content.decode()
    picker = page.split('name="close_reason"', 1)[1].split("</select>", 1)[0]
    assert "已通过平台成交解决" in picker
    url = reverse("catalog:demand_transition", args=[demand.pk, "close"])
    done = client.post(url, {"close_reason": "platform_deal"}, follow=True).content.decode()
    assert f"需求《{demand.title}》已关闭（已通过平台成交解决）" in done
    assert Demand.objects.get(pk=demand.pk).close_reason == "platform_deal"


def test_no_empty_history_table_before_any_action(client, make_demand, enterprise_user):
    demand = make_demand(RecordStatus.DRAFT)
    demand.pk = demand.id = None  # a copy no action was recorded on (as the demo's records)
    demand.title = "导入的需求"
    demand.save()
    client.force_login(enterprise_user)
    page = client.get(reverse("catalog:demand_detail", args=[demand.pk])).content.decode()
    history = page.split("办理记录", 1)[1]
    assert "暂无办理记录" in history
    assert "<table" not in history.split("</section>", 1)[0]
