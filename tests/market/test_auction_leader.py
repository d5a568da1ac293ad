"""The leading bidder (tester's finding: paddle 1 outbid itself, 33万元 then 34万元, and the page
never said it led). The leader is told 您当前领先 and may not bid again until someone outbids it;
bid times show their date."""

import pytest
from django.test import Client

from tests.market.conftest import NOW, bid, register
from zhouqiao.core.errors import DomainError
from zhouqiao.market.models import Auction, AuctionEvent

pytestmark = pytest.mark.django_db


def test_the_leader_may_not_outbid_itself_and_is_told_it_leads(auction, bidder_a, bidder_b, monkeypatch):
    register(bidder_a, auction)
    register(bidder_b, auction)
    bid(bidder_a, auction, 100000)
    with pytest.raises(DomainError) as refused:
        bid(bidder_a, auction, 105000)
    assert refused.value.code == "already_leading" and "领先" in refused.value.message
    assert AuctionEvent.objects.filter(auction=auction, kind="bid").count() == 1
    assert Auction.objects.get(pk=auction.pk).current_price == 100000

    monkeypatch.setattr("zhouqiao.core.clock.now", lambda: NOW)
    client = Client()
    client.force_login(bidder_a, backend="django.contrib.auth.backends.ModelBackend")
    page = client.get(f"/market/auctions/{auction.pk}/").content.decode()
    assert 'id="my-lead"' in page and "您当前领先" in page
    assert NOW.strftime("%Y-%m-%d %H:%M:%S") in page.split('id="bid-history"', 1)[1]

    bid(bidder_b, auction, 105000)  # outbid: the former leader may bid again
    client.force_login(bidder_a, backend="django.contrib.auth.backends.ModelBackend")
    assert "您当前领先" not in client.get(f"/market/auctions/{auction.pk}/live/").content.decode()
    bid(bidder_a, auction, 110000)
    assert Auction.objects.get(pk=auction.pk).current_price == 110000
