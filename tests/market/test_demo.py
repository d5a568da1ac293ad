import pytest

from tests.market.conftest import NOW, make_achievement
from zhouqiao.accounts.demo import create_demo_accounts
from zhouqiao.accounts.models import Organisation
from zhouqiao.market.demo import create_demo_data
from zhouqiao.market.models import Auction, Deal, Listing
from zhouqiao.market.states import AuctionStatus

pytestmark = pytest.mark.django_db


def test_the_demo_market_is_created_once(reference):
    create_demo_accounts(now=NOW)
    for name in ("吉林大学", "中国科学院长春光学精密机械与物理研究所"):  # as the catalog demo leaves them
        owner = Organisation.objects.get(name=name)
        for n in range(3):
            make_achievement(owner, title=f"{name}演示成果{n}")
    assert create_demo_data(now=NOW) == {"market listings": 3, "market auctions": 2, "market deals": 1}
    assert create_demo_data(now=NOW)["market auctions"] == 0
    live = Auction.objects.get(status=AuctionStatus.SCHEDULED)
    assert live.is_live(NOW) and live.bid_count == 3
    assert Listing.objects.filter(status="notice").count() == 3 and Deal.objects.count() == 1
