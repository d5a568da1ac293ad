"""What a tester walking the demo found in instrument sharing (seventh session): the booking shows
its expected fee in 元 and hours with their unit; the registration form sets the tiered price and
has no preselected funding source; the owner is not offered the booking form but may close the
instrument for maintenance there; messages name the action, the booking and what follows."""

from datetime import timedelta

import pytest
from django.urls import reverse

from tests.facilities.conftest import monday_at
from zhouqiao.facilities import services
from zhouqiao.facilities.models import Instrument, PriceRule

pytestmark = pytest.mark.django_db


@pytest.fixture
def booking(instrument, enterprise, enterprise_user, now):
    """Two hours for an enterprise: 2 × 600元 (the enterprise group's price) = 1200元."""
    return services.book(
        actor=enterprise_user,
        instrument_id=instrument.pk,
        organisation_id=enterprise.pk,
        starts_at=monday_at(10),
        hours=2,
        purpose="断口形貌分析",
        now=now,
    )


def test_the_booking_shows_its_expected_fee_and_hours_with_their_unit(
    client, booking, enterprise_user, institute_user, now
):
    client.force_login(enterprise_user)
    page = client.get(reverse("facilities:booking", args=[booking.pk])).content.decode()
    assert "预计服务费" in page and "1,200元" in page

    services.transition_booking(actor=institute_user, booking_id=booking.pk, to_status="approved", now=now)
    services.record_usage(actor=institute_user, booking_id=booking.pk, hours="2", now=monday_at(13))
    page = client.get(reverse("facilities:booking", args=[booking.pk])).content.decode()
    assert "2.00 机时" in page
    assert "预计服务费" not in page  # the actual fee replaces it


def test_approving_a_booking_says_what_was_approved_and_what_follows(client, booking, institute_user):
    client.force_login(institute_user)
    response = client.post(reverse("facilities:booking_action", args=[booking.pk, "approve"]), follow=True)
    shown = [str(m) for m in response.context["messages"]]
    when = f"{monday_at(10):%Y-%m-%d} 10:00–12:00"
    assert shown == [
        f"已同意长春测试汽车零部件有限公司预约场发射扫描电子显微镜（{when}），请按时安排上机，使用后登记机时并计费。"
    ]


def test_the_owner_is_not_offered_the_booking_form_but_others_are(
    client, instrument, institute_user, enterprise_user
):
    url = reverse("facilities:instrument", args=[instrument.pk])
    client.force_login(institute_user)
    page = client.get(url).content.decode()
    assert "提交预约" not in page and "登记维护时段" in page
    client.force_login(enterprise_user)
    page = client.get(url).content.decode()
    assert "提交预约" in page and "登记维护时段" not in page


def test_the_owner_closes_the_instrument_for_maintenance_from_its_page(
    client, instrument, institute_user, enterprise_user
):
    start = monday_at(13)
    data = {
        "starts_at": f"{start:%Y-%m-%dT%H:%M}",
        "ends_at": f"{start + timedelta(hours=2):%Y-%m-%dT%H:%M}",
        "reason": "更换电子枪灯丝",
    }
    url = reverse("facilities:instrument_maintenance", args=[instrument.pk])
    client.force_login(enterprise_user)  # not the owner: refused, nothing changed
    client.post(url, data)
    assert not instrument.maintenance.exists()
    client.force_login(institute_user)
    response = client.post(url, data, follow=True)
    assert instrument.maintenance.get().reason == "更换电子枪灯丝"
    assert "该时段不接受预约" in response.content.decode()
    week = client.get(
        reverse("facilities:instrument", args=[instrument.pk]), {"week": f"{start:%Y-%m-%d}"}
    ).content.decode()
    assert week.count('<td class="slot-maintenance"') == 2


def test_the_registration_form_sets_the_tiered_price_and_preselects_no_funding_source(
    client, institute, institute_user
):
    client.force_login(institute_user)
    page = client.get(reverse("facilities:instrument_new")).content.decode()
    assert "可通过接口设置" not in page
    assert 'value="public" selected' not in page and 'value="" selected' in page
    data = {
        "owner": institute.pk,
        "name": "X射线衍射仪",
        "category": "analytical",
        "location": "分析测试中心",
        "value": "900000",
        "hour_price": "300",
        "step_after": "4",
        "step_price": "250",
    }
    response = client.post(reverse("facilities:instrument_new"), data)
    assert "购置资金来源" in response.content.decode() and not Instrument.objects.filter(name="X射线衍射仪")
    client.post(reverse("facilities:instrument_new"), data | {"funding_source": "self"})
    rule = PriceRule.objects.get(instrument__name="X射线衍射仪", group="external", unit="hour")
    assert (rule.step_after, str(rule.step_price)) == (4, "250.00")
    # a tier dearer than the price is refused, nothing registered
    client.post(
        reverse("facilities:instrument_new"),
        data | {"funding_source": "self", "name": "贵", "step_price": "400"},
    )
    assert not Instrument.objects.filter(name="贵").exists()
