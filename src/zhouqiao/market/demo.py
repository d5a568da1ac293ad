"""Demo market: listings in their notice period, an auction live now with bids, and an auction
closed three days ago with its deal. Runs after the catalog's demo data and uses its published
achievements, found by owner. Safe to re-run: nothing is added once sample auctions exist."""

from datetime import timedelta
from decimal import Decimal

from zhouqiao.accounts.models import Organisation, User
from zhouqiao.catalog.models import Achievement, unpack_modes
from zhouqiao.catalog.states import RecordStatus
from zhouqiao.market import services
from zhouqiao.market.models import Auction, Deal, Listing

SELLERS = {"吉林大学": "university", "中国科学院长春光学精密机械与物理研究所": "institute"}
BIDDERS = ["enterprise", "enterprise_jl"]


def _achievements(owner_name: str) -> list[Achievement]:
    owner = Organisation.objects.filter(name=owner_name).first()
    if owner is None:
        return []
    return list(Achievement.objects.filter(owner=owner, status=RecordStatus.PUBLISHED).order_by("pk")[:6])


def _mode(achievement: Achievement) -> str:
    return (unpack_modes(achievement.transfer_modes) or ["transfer"])[0]


def _auction(seller, achievement, *, starts_at, ends_at, created, bidders, finance, bids) -> Auction:
    auction = services.create_auction(
        actor=seller,
        achievement_id=achievement.pk,
        mode=_mode(achievement),
        starts_at=starts_at,
        ends_at=ends_at,
        starting_price="300000",
        reserve_price="350000",
        increment="10000",
        deposit_amount="30000",
        terms="竞得人应于成交后10个工作日内签订技术转让合同，保证金转为合同价款。",
        now=created,
    )
    for n, bidder in enumerate(bidders):
        registration = services.register_bidder(actor=bidder, auction_id=auction.pk, now=created)
        services.record_deposit(
            actor=finance,
            registration_id=registration.pk,
            reference=f"DEMO-{auction.pk}-{n}",
            now=created + timedelta(minutes=5),
        )
    for n, amount in enumerate(bids):
        services.place_bid(
            actor=bidders[n % len(bidders)],
            auction_id=auction.pk,
            amount=Decimal(amount),
            idempotency_key=f"demo-{auction.pk}-{n}",
            now=starts_at + timedelta(minutes=10 + n),
        )
    return auction


def create_demo_data(*, now) -> dict[str, int]:
    if Auction.objects.filter(is_sample=True).exists():
        return {"market listings": 0, "market auctions": 0, "market deals": 0}
    users = {
        u.username: u for u in User.objects.filter(username__in=[*SELLERS.values(), *BIDDERS, "city_staff"])
    }
    lots = {name: _achievements(name) for name in SELLERS}
    if len(users) < 5 or not all(len(v) >= 3 for v in lots.values()):
        return {"market listings": 0, "market auctions": 0, "market deals": 0}
    jlu, ciomp = lots["吉林大学"], lots["中国科学院长春光学精密机械与物理研究所"]
    university, institute = users["university"], users["institute"]
    bidders, finance = [users[b] for b in BIDDERS], users["city_staff"]

    listings = [
        services.create_listing(
            actor=university,
            achievement_id=jlu[0].pk,
            price="500000",
            mode=_mode(jlu[0]),
            now=now - timedelta(days=3),
        ),
        services.create_listing(
            actor=institute,
            achievement_id=ciomp[0].pk,
            price="800000",
            mode=_mode(ciomp[0]),
            on_no_intent="relist",
            now=now - timedelta(days=1),
        ),
        services.create_listing(
            actor=institute, achievement_id=ciomp[1].pk, price="260000", mode=_mode(ciomp[1]), now=now
        ),
    ]
    services.register_intent(
        actor=bidders[0],
        listing_id=listings[0].pk,
        note="拟用于新能源汽车电驱产线",
        now=now - timedelta(days=1),
    )
    live = _auction(
        university,
        jlu[1],
        starts_at=now - timedelta(hours=1),
        ends_at=now + timedelta(days=2),
        created=now - timedelta(hours=2),
        bidders=bidders,
        finance=finance,
        bids=["300000", "310000", "330000"],
    )
    past = now - timedelta(days=3)
    closed = _auction(
        institute,
        ciomp[2],
        starts_at=past,
        ends_at=past + timedelta(hours=2),
        created=past - timedelta(hours=1),
        bidders=bidders,
        finance=finance,
        bids=["300000", "320000", "350000", "360000"],
    )
    services.close_auction(auction_id=closed.pk, now=past + timedelta(hours=2))
    Listing.objects.filter(pk__in=[x.pk for x in listings]).update(is_sample=True)
    Auction.objects.filter(pk__in=[live.pk, closed.pk]).update(is_sample=True)
    Deal.objects.filter(auction_id=closed.pk).update(is_sample=True)
    return {"market listings": len(listings), "market auctions": 2, "market deals": 1}
