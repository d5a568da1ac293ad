"""Market fixtures: a published achievement of the university, bidders, a live auction."""

from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from tests.factories import OrganisationFactory, member_of, staff_in
from zhouqiao.accounts.models import Duty
from zhouqiao.catalog.models import Achievement, PriceKind
from zhouqiao.catalog.states import RecordStatus
from zhouqiao.market import services

# A Monday morning.
NOW = datetime(2026, 3, 2, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def make_achievement(
    owner,
    *,
    title="车规级碳化硅功率模块低温银烧结封装技术",
    status=RecordStatus.PUBLISHED,
    region_id=None,
    modes=",transfer,licence,",
) -> Achievement:
    return Achievement.objects.create(
        owner=owner,
        region_id=region_id or owner.region_id,
        title=title,
        abstract="纳米银膏低温烧结封装。",
        readiness=6,
        transfer_modes=modes,
        price_kind=PriceKind.NEGOTIABLE,
        status=status,
        created_at=NOW,
        updated_at=NOW,
        published_at=NOW if status == RecordStatus.PUBLISHED else None,
    )


@pytest.fixture
def achievement(university, university_user):
    return make_achievement(university)


@pytest.fixture
def finance_staff(reference):
    return staff_in("220100", Duty.FINANCE, username="cc_finance")


@pytest.fixture
def bidder_a(enterprise, enterprise_user):
    return enterprise_user


@pytest.fixture
def bidder_b(reference):
    org = OrganisationFactory(name="长春测试光电有限公司", region_id="220106")
    return member_of(org, username="bidder_b")


def live_auction(*, seller_user, achievement, now=NOW, deposit="0", **terms) -> "services.auctions.Auction":
    values = {
        "mode": "transfer",
        "starts_at": now - timedelta(hours=1),
        "ends_at": now + timedelta(hours=1),
        "starting_price": "100000",
        "reserve_price": "120000",
        "increment": "5000",
        "deposit_amount": deposit,
    }
    values.update(terms)
    return services.create_auction(
        actor=seller_user, achievement_id=achievement.pk, now=now - timedelta(hours=2), **values
    )


@pytest.fixture
def auction(university_user, achievement):
    return live_auction(seller_user=university_user, achievement=achievement)


def register(user, auction, now=NOW):
    return services.register_bidder(actor=user, auction_id=auction.pk, now=now - timedelta(minutes=90))


def bid(user, auction, amount, *, key=None, now=NOW):
    key = key or f"{user.username}-{amount}-{now.isoformat()}"
    return services.place_bid(
        actor=user, auction_id=auction.pk, amount=Decimal(str(amount)), idempotency_key=key, now=now
    )
