"""From a published record to the market: ask about an achievement, list it, answer a demand."""

import pytest
from django.urls import reverse

from zhouqiao.catalog.states import RecordStatus
from zhouqiao.market.models import Negotiation

pytestmark = pytest.mark.django_db


def test_the_owner_lists_and_an_enterprise_asks(
    client, make_achievement, city_staff, university_user, enterprise_user
):
    a = make_achievement(RecordStatus.PUBLISHED, reviewer=city_staff)
    page = reverse("catalog:achievement_detail", args=[a.pk])

    client.force_login(university_user)
    html = client.get(page).content.decode()
    assert reverse("market:listing_create", args=[a.pk]) in html
    assert reverse("market:negotiation_open", args=[a.pk]) not in html

    client.force_login(enterprise_user)
    html = client.get(page).content.decode()
    assert reverse("market:negotiation_open", args=[a.pk]) in html
    assert reverse("market:listing_create", args=[a.pk]) not in html


def test_a_draft_offers_no_trade(client, make_achievement, university_user):
    a = make_achievement()
    client.force_login(university_user)
    html = client.get(reverse("catalog:achievement_detail", args=[a.pk])).content.decode()
    assert reverse("market:listing_create", args=[a.pk]) not in html


def test_a_university_answers_a_published_demand(
    client, make_demand, city_staff, university_user, enterprise
):
    d = make_demand(RecordStatus.PUBLISHED, reviewer=city_staff)
    client.force_login(university_user)
    answer = reverse("market:demand_answer", args=[d.pk])
    assert answer in client.get(reverse("catalog:demand_detail", args=[d.pk])).content.decode()

    response = client.post(answer, {"message": "我院有激光复合焊接方案，可控制变形"})

    negotiation = Negotiation.objects.get(demand=d)
    assert response.status_code == 302
    assert response["Location"] == reverse("market:negotiation_detail", args=[negotiation.pk])
    assert negotiation.buyer_id == enterprise.pk
    assert negotiation.seller_id == university_user.memberships.get().organisation_id


def test_an_invited_only_demand_cannot_be_answered_by_an_outsider(
    client, make_demand, city_staff, university_user
):
    d = make_demand(RecordStatus.PUBLISHED, reviewer=city_staff, confidentiality="invited")
    client.force_login(university_user)
    answer = reverse("market:demand_answer", args=[d.pk])

    assert client.get(answer).status_code == 404
    assert client.post(answer, {"message": "想参与"}).status_code == 404
    assert not Negotiation.objects.filter(demand=d).exists()


def test_a_member_of_an_unverified_organisation_is_not_offered_a_negotiation_it_would_be_refused(
    client, make_achievement, city_staff
):
    from tests.factories import OrganisationFactory, member_of

    a = make_achievement(RecordStatus.PUBLISHED, reviewer=city_staff)
    newcomer = member_of(OrganisationFactory(name="长春待认证企业", region_id="220104", status="submitted"))
    client.force_login(newcomer)
    html = client.get(reverse("catalog:achievement_detail", args=[a.pk])).content.decode()
    assert reverse("market:negotiation_open", args=[a.pk]) not in html
    assert "所在机构通过认证后可发起洽谈" in html
