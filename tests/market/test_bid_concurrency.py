"""Concurrent bidding against the live server, over real HTTP, on whichever database the suite
runs on (run it under SQLite and under scripts/with-postgres.sh).

50 bidders fire their bids together, round after round (a barrier starts each round); in each
round a bidder offers the minimum bid plus 0–2 further increments, so many bids race for the same
price. Five bidders send every bid twice with the same Idempotency-Key. Afterwards the accepted
bids must climb by whole increments with no price taken twice, no key accepted twice, and the hash
chain must verify, and no bid may be refused as busy. The negative control runs the same load with
the bid's transaction and row lock patched away (each statement commits on its own, so nothing
serialises the read-validate-write) and asserts that the invariant then fails.
"""

import random
import uuid
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from tests.factories import PASSWORD, OrganisationFactory, UserFactory, member_of
from tests.live import logged_in_client, run_together
from tests.market.conftest import make_achievement
from zhouqiao.market import services
from zhouqiao.market.models import Auction, AuctionEvent
from zhouqiao.market.services import auctions as auction_services
from zhouqiao.market.states import EventKind

pytestmark = pytest.mark.django_db(transaction=True)

BIDDERS = 50
DUPLICATING = 5
START, INCREMENT = Decimal("10000.00"), Decimal("100.00")


def _market(reference):
    now = timezone.now()
    seller_org = OrganisationFactory(name="并发测试大学", kind="university", region_id="220102")
    seller = member_of(seller_org, username="seller")
    auction = services.create_auction(
        actor=seller,
        achievement_id=make_achievement(seller_org).pk,
        mode="transfer",
        starts_at=now - timedelta(minutes=1),
        ends_at=now + timedelta(hours=1),
        starting_price=START,
        reserve_price=START,
        increment=INCREMENT,
        deposit_amount="0",
        now=now - timedelta(minutes=2),
    )
    usernames = []
    for i in range(BIDDERS):
        user = member_of(
            OrganisationFactory(name=f"并发竞买企业{i}", region_id="220104"), username=f"bidder{i}"
        )
        services.register_bidder(actor=user, auction_id=auction.pk, now=now - timedelta(minutes=2))
        usernames.append(user.username)
    UserFactory(username="watcher")
    return auction, usernames


def _load(live_server, auction, usernames, rounds: int) -> list:
    clients = run_together([lambda u=u: logged_in_client(live_server.url, u, PASSWORD) for u in usernames])
    watcher = clients[0]
    url = f"/api/v1/market/auctions/{auction.pk}/bids"
    rng = random.Random(2026)
    responses = []
    for _ in range(rounds):
        minimum = Decimal(watcher.get(f"/api/v1/market/auctions/{auction.pk}").json()["minimum_bid"])
        calls = []
        for i, client in enumerate(clients):
            amount = str(minimum + INCREMENT * rng.randint(0, 2))
            key = uuid.uuid4().hex

            def send(c=client, a=amount, k=key):
                return k, c.post(url, json={"amount": a}, headers={"Idempotency-Key": k})

            calls.append(send)
            if i < DUPLICATING:
                calls.append(send)
        responses.extend(run_together(calls))
    for client in clients:
        client.close()
    return responses


def _violations(auction_id: int, responses: list, live_server) -> list[str]:
    problems = []
    for result in responses:
        if isinstance(result, Exception):
            problems.append(f"request failed: {result!r}")
            continue
        _, response = result
        if response.status_code >= 500 or response.status_code not in (201, 403, 409, 422):
            problems.append(f"unexpected HTTP {response.status_code}: {response.text[:200]}")
        elif response.status_code == 409 and response.json().get("code") == "busy":
            problems.append("a bid refused as busy")
        elif response.status_code != 201 and not any(
            "\u4e00" <= ch <= "\u9fff" for ch in response.json()["message"]
        ):
            problems.append(f"error without a Chinese message: {response.text[:200]}")
    by_key: dict[str, set] = {}
    for result in responses:
        if not isinstance(result, Exception) and result[1].status_code == 201:
            by_key.setdefault(result[0], set()).add(result[1].json()["seq"])
    problems += [f"key {k} answered with different bids {s}" for k, s in by_key.items() if len(s) > 1]

    bids = list(AuctionEvent.objects.filter(auction_id=auction_id, kind=EventKind.BID).order_by("seq", "pk"))
    previous = None
    for event in bids:
        floor = START if previous is None else previous.amount + INCREMENT
        if event.amount < floor or (event.amount - floor) % INCREMENT:
            problems.append(
                f"bid {event.seq} at {event.amount} does not beat {previous and previous.amount} "
                f"by a whole increment"
            )
        previous = event
    amounts = [e.amount for e in bids]
    if len(set(amounts)) != len(amounts):
        problems.append("two accepted bids at the same price")
    keys = [(e.registration_id, e.idempotency_key) for e in bids]
    if len(set(keys)) != len(keys):
        problems.append("an idempotency key accepted twice")
    auction = Auction.objects.get(pk=auction_id)
    if bids and (auction.current_price != bids[-1].amount or auction.bid_count != len(bids)):
        problems.append(
            f"auction shows {auction.current_price} after {auction.bid_count} bids; the record "
            f"shows {bids[-1].amount} after {len(bids)}"
        )
    verdict = (
        logged_in_client(live_server.url, "watcher", PASSWORD)
        .get(f"/api/v1/market/auctions/{auction_id}/verify")
        .json()
    )
    if not verdict["intact"]:
        problems.append(f"hash chain broken at {verdict['broken_at']}: {verdict['problems']}")
    return problems


def test_concurrent_bids_keep_prices_keys_and_chain_consistent(live_server, reference):
    auction, usernames = _market(reference)
    responses = _load(live_server, auction, usernames, rounds=20)
    accepted = sum(1 for r in responses if not isinstance(r, Exception) and r[1].status_code == 201)
    assert _violations(auction.pk, responses, live_server) == []
    assert accepted >= 20, "every round should see at least one accepted bid"
    replays = [
        r for r in responses if not isinstance(r, Exception) and r[1].headers.get("Idempotent-Replayed")
    ]
    assert replays, "the retried duplicates should have been answered as replays"


def test_negative_control_without_the_lock_the_invariant_fails(live_server, reference, monkeypatch):
    from contextlib import nullcontext
    from types import SimpleNamespace

    monkeypatch.setattr(auction_services, "lock", lambda queryset, pk: queryset.get(pk=pk))
    monkeypatch.setattr(auction_services, "transaction", SimpleNamespace(atomic=lambda **kw: nullcontext()))
    auction, usernames = _market(reference)
    responses = _load(live_server, auction, usernames, rounds=3)
    assert _violations(auction.pk, responses, live_server) != []
