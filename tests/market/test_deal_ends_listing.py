"""A deal reached another way ends the achievement's open listing (walk finding 6: after a 40万元
licence deal by negotiation the listing still read 公示中 挂牌价格50万元 and 贵单位已登记受让意向,
and the achievement page still listed it under 正在交易)."""

import pytest
from django.test import Client

from tests.factories import OrganisationFactory, member_of
from tests.market.conftest import NOW
from zhouqiao.core.errors import InvalidTransition
from zhouqiao.market import services
from zhouqiao.market.models import Listing
from zhouqiao.market.states import ListingStatus
from zhouqiao.notifications.models import Notification

pytestmark = pytest.mark.django_db


def _client(user):
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def test_a_negotiated_deal_ends_the_listing_and_its_intents(
    university_user, enterprise_user, achievement, django_capture_on_commit_callbacks
):
    listing = services.create_listing(
        actor=university_user, achievement_id=achievement.pk, price="500000", mode="licence", now=NOW
    )
    other = member_of(OrganisationFactory(name="长春另一家测试企业有限公司"), username="other_ent")
    for user in (enterprise_user, other):
        services.register_intent(actor=user, listing_id=listing.pk, now=NOW)
    negotiation = services.open_negotiation(
        actor=enterprise_user, achievement_id=achievement.pk, message="希望获得许可", now=NOW
    )
    offer = services.make_offer(
        actor=enterprise_user, negotiation_id=negotiation.pk, amount="400000", mode="licence", now=NOW
    )
    with django_capture_on_commit_callbacks(execute=True):
        deal = services.accept_offer(
            actor=university_user, negotiation_id=negotiation.pk, offer_id=offer.pk, now=NOW
        )

    listing.refresh_from_db()
    assert listing.status == ListingStatus.SOLD and listing.concluded_at == NOW
    assert "通过撮合交易成交" in listing.status_reason

    page = _client(enterprise_user).get(f"/market/listings/{listing.pk}/").content.decode()
    assert "已成交" in page and "通过撮合交易成交，挂牌公示提前结束" in page
    assert "公示中" not in page and "贵单位已登记受让意向" not in page and "撤回意向" not in page
    seller_page = _client(university_user).get(f"/market/listings/{listing.pk}/").content.decode()
    assert f'href="/market/deals/{deal.pk}/"' in seller_page  # the seller reaches the deal from it

    achievement_page = Client().get(f"/catalog/achievements/{achievement.pk}/").content.decode()
    assert "achievement-market" not in achievement_page  # no longer under 正在交易

    # the other intent holder is told; the buyer hears of the deal instead
    told = Notification.objects.filter(key=f"market.listing:{listing.pk}:ended_by_deal")
    assert list(told.values_list("user", flat=True)) == [other.pk]
    with pytest.raises(InvalidTransition):
        services.register_intent(actor=other, listing_id=listing.pk, now=NOW)
    # the seller may list the achievement again
    again = services.create_listing(
        actor=university_user, achievement_id=achievement.pk, price="500000", mode="licence", now=NOW
    )
    assert Listing.objects.get(pk=again.pk).status == ListingStatus.NOTICE
