"""PostgreSQL: a bid read, checked and accepted in one statement (the hash chain's next record
computed by the server) writes exactly what the two-step path writes, and a bid it refuses
although its snapshot allows it (the auction moved meanwhile) is decided on the fresh auction."""

from decimal import Decimal

import pytest
from django.db import connection

from tests.market.conftest import NOW, bid, register
from zhouqiao.core.errors import DomainError
from zhouqiao.core.models import AuditEvent
from zhouqiao.market import chain
from zhouqiao.market.models import Auction, AuctionEvent
from zhouqiao.market.services import auctions as auction_services
from zhouqiao.market.states import EventKind

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the one-statement bid is PostgreSQL's"),
]


def _two_step_only(monkeypatch):
    """The one statement refuses everything with the current snapshot: place_bid then reads again
    and takes the two-step path."""

    def refuse(auction_id, actor, organisation_id, key, bid, now):
        return None, *auction_services._read_auction(auction_id, actor, organisation_id, key)

    monkeypatch.setattr(auction_services, "_bid_at_once", refuse)


def _comparable(event: AuctionEvent, logged: AuditEvent) -> tuple:
    audit_fields = ("actor_id", "actor_name", "action", "target_type", "target_id", "target_repr")
    audit_fields += ("region_code", "before", "ip", "success", "reason", "at")
    return (
        event.kind,
        event.at,
        event.registration_id,
        sorted(event.data),
        event.idempotency_key != "",
        {name: getattr(logged, name) for name in audit_fields},
        sorted(logged.after),
    )


def test_one_statement_and_two_steps_write_the_same_records(auction, bidder_a, bidder_b, monkeypatch):
    register(bidder_a, auction)
    register(bidder_b, auction)
    accepted_at_once = []
    at_once = auction_services._bid_at_once

    def spy(*args):
        result = at_once(*args)
        accepted_at_once.append(result[0] is not None)
        return result

    monkeypatch.setattr(auction_services, "_bid_at_once", spy)
    fast, _ = bid(bidder_a, auction, 100000)
    assert accepted_at_once == [True]
    with monkeypatch.context() as patch:
        _two_step_only(patch)
        slow, _ = bid(bidder_a, auction, 105000)
    fast_row, slow_row = AuctionEvent.objects.get(pk=fast.pk), AuctionEvent.objects.get(pk=slow.pk)
    assert (fast_row.seq, fast_row.hash, fast_row.prev_hash) == (fast.seq, fast.hash, fast.prev_hash)
    assert fast_row.data == {"paddle": 1} and fast_row.amount == Decimal("100000.00")
    assert slow_row.prev_hash == fast_row.hash and slow_row.seq == fast_row.seq + 1
    logs = list(AuditEvent.objects.filter(action="market.auction.bid").order_by("id"))
    assert [log.after for log in logs] == [
        {"amount": "100000.00", "paddle": 1, "seq": fast.seq},
        {"amount": "105000.00", "paddle": 1, "seq": slow.seq},
    ]
    assert _comparable(fast_row, logs[0]) == _comparable(slow_row, logs[1])
    assert logs[0].target_repr == auction.title and logs[0].region_code == auction.region_id
    fresh = Auction.objects.get(pk=auction.pk)
    assert fresh.head_hash == slow.hash and fresh.bid_count == 2 and fresh.current_price == Decimal("105000")
    assert chain.verify(fresh).intact
    # and the one statement again, after a two-step bid, by the other bidder (paddle 2)
    third, _ = bid(bidder_b, auction, 110000)
    assert accepted_at_once == [True, True]
    assert third.data == {"paddle": 2} and third.prev_hash == slow.hash
    assert Auction.objects.get(pk=auction.pk).leading.paddle == 2
    assert chain.verify(Auction.objects.get(pk=auction.pk)).intact


def test_a_bid_refused_because_the_auction_moved_is_decided_on_the_fresh_auction(
    auction, bidder_a, bidder_b, monkeypatch
):
    register(bidder_a, auction)
    register(bidder_b, auction)
    stale = auction_services._read_auction(auction.pk, bidder_b, None, "k")
    bid(bidder_a, auction, 100000)  # moves the auction after bidder_b's "snapshot"

    def refuse_with_the_stale_snapshot(*args):
        return None, *stale

    monkeypatch.setattr(auction_services, "_bid_at_once", refuse_with_the_stale_snapshot)
    with pytest.raises(DomainError) as refused:
        bid(bidder_b, auction, 100000)  # the starting price: fine on the snapshot, too low now
    assert refused.value.code == "below_minimum" and refused.value.detail["minimum_bid"] == "105000.00"
    accepted, _ = bid(bidder_b, auction, 105000)
    assert accepted.seq == Auction.objects.get(pk=auction.pk).chain_length
    assert chain.verify(Auction.objects.get(pk=auction.pk)).intact


def test_a_bid_in_the_extension_window_extends_through_the_two_step_path(auction, bidder_a):
    register(bidder_a, auction)
    late = auction.ends_at - auction_services.timedelta(minutes=2)
    bid(bidder_a, auction, 100000, now=late)
    fresh = Auction.objects.get(pk=auction.pk)
    assert fresh.ends_at == late + auction_services.timedelta(minutes=5)
    assert [e.kind for e in fresh.events.order_by("seq")][-2:] == [EventKind.BID, EventKind.EXTENDED]
    assert chain.verify(fresh).intact
    assert NOW < fresh.ends_at


def test_ids_given_as_strings_still_bid(auction, bidder_a, enterprise):
    """Binary parameters (core.prepared): ids from forms, as strings, still compare as numbers."""
    register(bidder_a, auction)
    event, replayed = auction_services.place_bid(
        actor=bidder_a,
        auction_id=str(auction.pk),
        amount="100000",
        idempotency_key="as-strings",
        organisation_id=str(enterprise.pk),
        now=NOW,
    )
    assert not replayed and event.amount == Decimal("100000.00")
    assert chain.verify(Auction.objects.get(pk=auction.pk)).intact
