"""A burst of 50 simultaneous bidders on one auction, on PostgreSQL and on SQLite, next to the
minimal raw SQL transaction that writes the same rows.

What users need from the bid path: every bid answered (accepted, or refused with its reason; none
refused as "busy"), none lost or applied twice, the auction's hash chain intact. Throughput is
reported, with the raw transaction's as a yardstick: ratio = ORM ops/s ÷ raw ops/s, an alarm below
0.05 (a framework cost above 20×), not a target.

Shape (each burst on a fresh auction: starting price 10,000元, increment 100元, no deposit; 50
verified organisations registered, each bidding through its own person, each in its own process
with its own connection — see :mod:`bench.burst`): before the barrier each bidder reads the
auction's price; after it each offers the minimum it read plus 0–4 increments (a seeded jump, the
same on both sides). A bid refused as too low (``below_minimum``, naming the new minimum) is
raised once or twice more, as a person would after seeing the new price: minimum + 0–2
increments; at most 3 bids a bidder, none after an accepted one. Every bid is an operation.

- ORM: ``market.services.auctions.place_bid`` called directly (no HTTP): membership check, durable
  transaction, auction row locked (``SELECT … FOR UPDATE``; SQLite ``BEGIN IMMEDIATE``),
  registration and idempotency lookup, checks, the bid appended to the chain through the models,
  the auction moved, the audit record.
- raw: psycopg / sqlite3, no ORM: in one transaction lock the auction row and read it, refuse a bid
  below the minimum (rollback), else insert the chain record (SHA-256 by
  :func:`zhouqiao.market.chain.digest`, the same canonical form), update the auction, insert the
  audit row, commit.

After each burst: every accepted bid is in the chain exactly once with its amount, no other bid
is (``lost`` counts both), the auction's price and bid count match, and ``chain.verify`` holds.

    python -m bench bench_auction    (re-runs itself under scripts/with-postgres.sh; SQLite in a child)
"""

import os
import random
import subprocess
import sys
import uuid
from collections import Counter
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from bench import burst

ROOT = Path(__file__).resolve().parent.parent
START, INCREMENT = Decimal("10000.00"), Decimal("100.00")
FIRST_JUMP, RAISE_JUMP, ATTEMPTS = 4, 2, 3


def fixtures() -> dict:
    from django.utils import timezone

    from zhouqiao.accounts.models import MemberRole, Membership, Organisation, User
    from zhouqiao.accounts.states import VerificationStatus

    now = timezone.now()
    tag = uuid.uuid4().hex[:8]

    def org_with_user(name: str, kind: str = "enterprise") -> tuple:
        org = Organisation.objects.create(
            name=f"{name}{tag}",
            kind=kind,
            region_id="220104",
            credit_code=f"B{tag}{uuid.uuid4().hex[:9]}".upper(),
            status=VerificationStatus.VERIFIED,
            created_at=now,
        )
        user = User.objects.create(
            username=f"bench_{uuid.uuid4().hex[:10]}", password="!", password_changed_at=now
        )
        Membership.objects.create(user=user, organisation=org, role=MemberRole.ADMIN, joined_at=now)
        return org, user

    seller_org, seller = org_with_user("基准测试大学", "university")
    bidders = [org_with_user(f"基准竞买企业{i}-") for i in range(burst.CLIENTS)]
    return {
        "seller_org": seller_org.pk,
        "seller": seller.pk,
        "bidders": [(user.pk, org.pk) for org, user in bidders],
    }


def prepare(fx: dict, round_: int, side: str) -> dict:
    """A fresh auction with every bidder registered (no deposit, so each has its paddle)."""
    from django.utils import timezone

    from zhouqiao.accounts.models import User
    from zhouqiao.catalog.models import Achievement
    from zhouqiao.market import services
    from zhouqiao.market.models import AuctionRegistration

    now = timezone.now()
    seller = User.objects.get(pk=fx["seller"])
    achievement = Achievement.objects.create(
        owner_id=fx["seller_org"],
        region_id="220104",
        title=f"基准拍卖标的{round_}{side}{uuid.uuid4().hex[:6]}",
        abstract="基准测试",
        readiness=6,
        status="published",
        created_at=now,
        updated_at=now,
        published_at=now,
    )
    auction = services.create_auction(
        actor=seller,
        achievement_id=achievement.pk,
        mode="transfer",
        starts_at=now - timedelta(minutes=1),
        ends_at=now + timedelta(hours=2),
        starting_price=START,
        reserve_price=START,
        increment=INCREMENT,
        deposit_amount="0",
        now=now - timedelta(minutes=1),
    )
    users = User.objects.in_bulk([u for u, _org in fx["bidders"]])
    for user_id, org_id in fx["bidders"]:
        services.register_bidder(actor=users[user_id], auction_id=auction.pk, organisation_id=org_id, now=now)
    registrations = dict(
        AuctionRegistration.objects.filter(auction=auction).values_list("organisation_id", "pk")
    )
    paddles = dict(AuctionRegistration.objects.filter(auction=auction).values_list("pk", "paddle"))
    return {
        "auction": auction.pk,
        "seed": round_,
        "region": auction.region_id,
        "title": str(auction),
        "bidders": [
            {
                "user": user_id,
                "username": users[user_id].get_username(),
                "organisation": org_id,
                "registration": registrations[org_id],
                "paddle": paddles[registrations[org_id]],
            }
            for user_id, org_id in fx["bidders"]
        ],
    }


def _strategy(data: dict, index: int, minimum: Decimal, place) -> list[dict]:
    """The bidder's burst, the same on both sides: ``place(offer, key)`` → (code, next minimum)."""
    rng = random.Random(data["seed"] * 1000 + index)
    offer = minimum + INCREMENT * rng.randint(0, FIRST_JUMP)
    outcomes = []
    for attempt in range(ATTEMPTS):
        key = f"b{data['auction']}-{index}-{attempt}"
        code, next_minimum = place(offer, key)
        outcomes.append({"code": code, "key": key, "amount": str(offer)})
        if code != "below_minimum":
            break
        offer = next_minimum + INCREMENT * rng.randint(0, RAISE_JUMP)
    return outcomes


def client(side: str, index: int, data: dict):
    return (_orm_client if side == "orm" else _raw_client)(index, data)


def _orm_client(index: int, data: dict):
    from django.utils import timezone

    from zhouqiao.accounts.models import User
    from zhouqiao.core.errors import DomainError
    from zhouqiao.market import services
    from zhouqiao.market.models import Auction

    me = data["bidders"][index]
    user = User.objects.get(pk=me["user"])
    minimum = Auction.objects.get(pk=data["auction"]).minimum_bid()

    def place(offer, key):
        try:
            services.place_bid(
                actor=user,
                auction_id=data["auction"],
                amount=offer,
                idempotency_key=key,
                organisation_id=me["organisation"],
                now=timezone.now(),
            )
            return "accepted", None
        except DomainError as exc:
            return exc.code, Decimal(exc.detail.get("minimum_bid", "0"))

    return lambda: _strategy(data, index, minimum, place)


def _raw_client(index: int, data: dict):
    from zhouqiao.market import chain

    db = burst.Raw(burst.raw_connect())
    me = data["bidders"][index]
    auction_id = data["auction"]
    price, start, increment = db.execute(
        "SELECT current_price, starting_price, increment FROM market_auction WHERE id = %s", [auction_id]
    ).fetchone()
    db.rollback()
    minimum = _money(start) if price is None else _money(price) + _money(increment)

    def place(offer, key):
        now = datetime.now(UTC)
        try:
            db.begin()
            price, start, increment, length, head = db.execute(
                "SELECT current_price, starting_price, increment, chain_length, head_hash"
                " FROM market_auction WHERE id = %s" + db.for_update(),
                [auction_id],
            ).fetchone()
            increment = _money(increment)
            minimum = _money(start) if price is None else _money(price) + increment
            if offer < minimum or (offer - minimum) % increment:
                db.rollback()
                return "below_minimum", minimum
            seq, prev = length + 1, head or chain.GENESIS
            data_ = {"paddle": me["paddle"]}
            digest = chain.digest(
                auction_id=auction_id, seq=seq, kind="bid", at=now, amount=offer, data=data_, prev_hash=prev
            )
            db.execute(
                "INSERT INTO market_auctionevent (auction_id, seq, kind, at, registration_id, amount,"
                " idempotency_key, data, prev_hash, hash) VALUES (%s, %s, 'bid', %s, %s, %s, %s, %s, %s, %s)",
                [
                    auction_id,
                    seq,
                    db.at(now),
                    me["registration"],
                    db.money(offer),
                    key,
                    db.json(data_),
                    prev,
                    digest,
                ],
            )
            db.execute(
                "UPDATE market_auction SET current_price = %s, leading_id = %s, bid_count = bid_count + 1,"
                " chain_length = %s, head_hash = %s WHERE id = %s",
                [db.money(offer), me["registration"], seq, digest, auction_id],
            )
            db.audit(
                action="market.auction.bid",
                actor_id=me["user"],
                actor_name=me["username"],
                target_type="market.auction",
                target_id=auction_id,
                target_repr=data["title"],
                region=data["region"],
                before=None,
                after={"amount": str(offer), "paddle": me["paddle"], "seq": seq},
                now=now,
            )
            db.commit()
            return "accepted", None
        except db.busy_errors():
            db.rollback()
            return "busy", minimum

    return lambda: _strategy(data, index, minimum, place)


def _money(value) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("0.01"))


def verify(data: dict, outcomes: list[dict]) -> dict:
    """Each accepted bid exactly once, with its amount, in the auction's linked chain (the records
    reached from the first by ``prev_hash`` in ``seq`` order: a record written beside another of
    the same ``seq`` is not part of the auction's history); no bid there that nobody was told was
    accepted; the auction's price and count agree with it; ``chain.verify`` holds."""
    from zhouqiao.market import chain
    from zhouqiao.market.models import Auction, AuctionEvent
    from zhouqiao.market.states import EventKind

    auction = Auction.objects.get(pk=data["auction"])
    linked, prev = [], chain.GENESIS
    for event in AuctionEvent.objects.filter(auction=auction).order_by("seq", "pk"):
        if event.seq == len(linked) + 1 and event.prev_hash == prev:
            linked.append(event)
            prev = event.hash
    bids = [(e.idempotency_key, e.amount) for e in linked if e.kind == EventKind.BID]
    in_chain = Counter(key for key, _amount in bids)
    amounts = dict(bids)
    accepted = {o["key"]: Decimal(o["amount"]) for o in outcomes if o["code"] == "accepted"}
    missing_or_twice = sum(1 for k, a in accepted.items() if in_chain[k] != 1 or amounts.get(k) != a)
    unannounced = sum(n for k, n in in_chain.items() if k not in accepted)
    prices = [a for _k, a in bids]
    stored = AuctionEvent.objects.filter(auction=auction, kind=EventKind.BID).count()
    consistent = (
        auction.bid_count == len(bids) == stored
        and prices == sorted(set(prices))
        and (auction.current_price == (prices[-1] if prices else None))
    )
    return {
        "lost": missing_or_twice + unannounced,
        "chain_intact": chain.verify(auction).intact,
        "auction_consistent": consistent,
        "final_price": str(auction.current_price),
    }


def run() -> None:
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        subprocess.run(
            [str(ROOT / "scripts" / "with-postgres.sh"), sys.executable, "-m", "bench", "bench_auction"],
            check=True,
            cwd=ROOT,
        )
        return
    from bench.common import production_settings, write_result

    production_settings()
    burst.prepare_database()
    postgres = burst.measure(sys.modules[__name__])
    sqlite = burst.measure_in_sqlite("bench_auction")
    checks = postgres.pop("checks") + sqlite.pop("checks")
    raw_checks = postgres["raw"].pop("checks") + sqlite["raw"].pop("checks")
    write_result(
        "auction",
        {
            "method": (
                "per burst: a fresh auction, 50 registered bidders in 50 processes (own Django setup and "
                "connection), barrier, clock from the barrier; each bids the minimum it read + 0-4 "
                "increments, re-bids after a below_minimum refusal (new minimum + 0-2 increments), at "
                "most 3 bids; every bid is an operation. ORM: market.services.auctions.place_bid called "
                "directly. raw: psycopg/sqlite3 transaction locking the auction row, chain record "
                "(SHA-256 in Python), auction update, audit row. ORM and raw bursts alternate; ops_per_s "
                "is the median over the bursts; ratio = ORM / raw, alarm below 0.05."
            ),
            "burst": postgres,
            "burst_sqlite": sqlite,
            "chain_intact": all(c["chain_intact"] for c in checks + raw_checks),
            "auction_consistent": all(c["auction_consistent"] for c in checks + raw_checks),
            "cpus": os.cpu_count(),
            "load_average": list(os.getloadavg()),
        },
    )
