"""The achievement page names its open listing with the listing's price and a link (tester: the
achievement said 价格 300万元 while its listing said 挂牌价格 50万元 and the page never mentioned it);
a broker finds their own page from the menu."""

import pytest
from django.test import Client

from tests.market.conftest import NOW
from zhouqiao.community.institutions.models import Broker
from zhouqiao.community.institutions.states import CertificateStatus
from zhouqiao.market import services

pytestmark = pytest.mark.django_db


def test_the_achievement_page_shows_its_open_listing(university_user, achievement):
    page = Client().get(f"/catalog/achievements/{achievement.pk}/").content.decode()
    assert "achievement-market" not in page
    listing = services.create_listing(
        actor=university_user, achievement_id=achievement.pk, price="500000", mode="transfer", now=NOW
    )
    page = Client().get(f"/catalog/achievements/{achievement.pk}/").content.decode()
    section = page.split('id="achievement-market"', 1)[1].split("</section>", 1)[0]
    assert "挂牌价格50万元" in section
    assert f'href="/market/listings/{listing.pk}/"' in section


def test_a_broker_finds_their_own_page_in_the_menu(broker):
    person = Broker.objects.create(
        user=broker,
        organisation=broker.memberships.first().organisation,
        name="孙立",
        level="junior",
        certificate_number="JL-1",
        certificate_issuer="国家技术转移东北中心",
        certificate_date=NOW.date(),
        certificate_status=CertificateStatus.APPROVED,
        created_at=NOW,
        updated_at=NOW,
    )
    client = Client()
    client.force_login(broker, backend="django.contrib.auth.backends.ModelBackend")
    page = client.get("/community/institutions/brokers/").content.decode()
    assert 'href="/community/institutions/brokers/me/"' in page and "我的经纪人主页" in page
    assert (
        client.get("/community/institutions/brokers/me/").url
        == f"/community/institutions/brokers/{person.pk}/"
    )
