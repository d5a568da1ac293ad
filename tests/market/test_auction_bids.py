"""Bidding rules: the increment, the time window, registration, the owner, idempotency, extension."""

from datetime import timedelta
from decimal import Decimal

import pytest

from tests.market.conftest import NOW, bid, live_auction, register
from zhouqiao.core.errors import DomainError
from zhouqiao.market import chain, services
from zhouqiao.market.models import Auction, AuctionEvent
from zhouqiao.market.states import AuctionStatus, DepositStatus, EventKind

pytestmark = pytest.mark.django_db


def _refused(call) -> DomainError:
    with pytest.raises(DomainError) as caught:
        call()
    return caught.value


def _unchanged(auction, *, price, events):
    fresh = Auction.objects.get(pk=auction.pk)
    assert fresh.current_price == price
    assert AuctionEvent.objects.filter(auction=auction).count() == events
    return fresh


def test_first_bid_may_be_the_starting_price_and_later_bids_whole_increments(auction, bidder_a, bidder_b):
    register(bidder_a, auction)
    register(bidder_b, auction)
    first, replayed = bid(bidder_a, auction, 100000)
    assert not replayed and first.amount == Decimal("100000.00")
    bid(bidder_b, auction, 115000)  # three increments
    fresh = Auction.objects.get(pk=auction.pk)
    assert fresh.current_price == Decimal("115000.00") and fresh.bid_count == 2
    assert fresh.leading.organisation.name == "长春测试光电有限公司" and fresh.leading.paddle == 2


@pytest.mark.parametrize(
    ("amount", "code", "text"),
    [
        (104000, "below_minimum", "不低于10.5万元"),
        (100000, "below_minimum", "至少为当前价加一个加价幅度"),
        (107500, "not_a_multiple", "整数倍"),
    ],
)
def test_it_rejects_a_bad_amount_with_a_chinese_error_and_changes_nothing(
    auction, bidder_a, bidder_b, amount, code, text
):
    register(bidder_a, auction)
    register(bidder_b, auction)
    bid(bidder_a, auction, 100000)
    events = AuctionEvent.objects.filter(auction=auction).count()
    error = _refused(lambda: bid(bidder_b, auction, amount))
    assert error.code == code and text in str(error.message)
    _unchanged(auction, price=Decimal("100000.00"), events=events)


def test_it_rejects_a_first_bid_below_the_starting_price(auction, bidder_a):
    register(bidder_a, auction)
    error = _refused(lambda: bid(bidder_a, auction, 95000))
    assert error.code == "below_minimum" and "起拍价" in str(error.message)


def test_it_rejects_bids_before_the_start_and_after_the_end(auction, bidder_a):
    register(bidder_a, auction)
    events = AuctionEvent.objects.filter(auction=auction).count()
    early = _refused(lambda: bid(bidder_a, auction, 100000, now=auction.starts_at - timedelta(seconds=1)))
    late = _refused(lambda: bid(bidder_a, auction, 100000, now=auction.ends_at))
    assert early.code == "auction_not_started" and "尚未开始" in str(early.message)
    assert late.code == "auction_over" and "竞价已结束" in str(late.message)
    _unchanged(auction, price=None, events=events)


def test_it_rejects_an_unregistered_bidder(auction, bidder_a):
    error = _refused(lambda: bid(bidder_a, auction, 100000))
    assert error.code == "not_registered" and "未报名" in str(error.message)
    _unchanged(auction, price=None, events=1)


def test_it_rejects_a_bidder_whose_deposit_has_not_arrived(
    university_user, achievement, bidder_a, finance_staff
):
    auction = live_auction(seller_user=university_user, achievement=achievement, deposit="20000")
    registration = register(bidder_a, auction)
    assert registration.deposit_status == DepositStatus.PENDING and registration.paddle is None
    assert _refused(lambda: bid(bidder_a, auction, 100000)).code == "not_registered"
    services.record_deposit(
        actor=finance_staff,
        registration_id=registration.pk,
        reference="BANK-0001",
        now=NOW - timedelta(minutes=5),
    )
    event, _ = bid(bidder_a, auction, 100000)
    assert event.data["paddle"] == 1


def test_it_rejects_the_owner_bidding_on_its_own_lot(auction, university_user):
    error = _refused(lambda: bid(university_user, auction, 100000))
    assert error.code == "own_lot" and "委托方不能" in str(error.message)
    own_registration = _refused(lambda: register(university_user, auction))
    assert own_registration.code == "own_lot"


def test_it_rejects_an_unverified_organisation(auction, reference):
    from tests.factories import OrganisationFactory, member_of

    user = member_of(OrganisationFactory(submitted=True), username="pending_org_user")
    error = _refused(lambda: register(user, auction))
    assert error.code == "not_verified" and "通过认证" in str(error.message)


def test_a_replayed_idempotency_key_returns_the_first_bid_and_changes_nothing(auction, bidder_a, bidder_b):
    register(bidder_a, auction)
    register(bidder_b, auction)
    first, _ = bid(bidder_a, auction, 100000, key="k-1")
    bid(bidder_b, auction, 105000)
    again, replayed = bid(bidder_a, auction, 100000, key="k-1")
    assert replayed and again.pk == first.pk
    assert Auction.objects.get(pk=auction.pk).current_price == Decimal("105000.00")
    reused = _refused(lambda: bid(bidder_a, auction, 110000, key="k-1"))
    assert reused.code == "idempotency_key_reused"


def test_a_late_bid_extends_the_end(auction, bidder_a):
    register(bidder_a, auction)
    late = auction.ends_at - timedelta(minutes=3)
    bid(bidder_a, auction, 100000, now=late)
    fresh = Auction.objects.get(pk=auction.pk)
    assert fresh.ends_at == late + timedelta(minutes=5)
    assert fresh.events.filter(kind=EventKind.EXTENDED).count() == 1
    early = Auction.objects.get(pk=auction.pk).ends_at - timedelta(minutes=30)
    assert early > fresh.starts_at


def test_an_early_bid_does_not_extend_the_end(auction, bidder_a):
    register(bidder_a, auction)
    bid(bidder_a, auction, 100000, now=auction.ends_at - timedelta(minutes=6))
    assert Auction.objects.get(pk=auction.pk).ends_at == auction.ends_at


def test_closing_sells_to_the_highest_bid_at_or_above_the_reserve(auction, bidder_a, bidder_b):
    a, b = register(bidder_a, auction), register(bidder_b, auction)
    bid(bidder_a, auction, 100000)
    bid(bidder_b, auction, 120000)
    assert services.close_auction(auction_id=auction.pk, now=NOW).status == AuctionStatus.SCHEDULED  # not yet
    closed = services.close_auction(auction_id=auction.pk, now=auction.ends_at)
    assert closed.status == AuctionStatus.SOLD
    assert closed.deal.amount == Decimal("120000.00") and closed.deal.buyer_id == b.organisation_id
    a.refresh_from_db(), b.refresh_from_db()
    assert (a.deposit_status, b.deposit_status) == (DepositStatus.RELEASED, DepositStatus.APPLIED)
    assert closed.final_hash == closed.events.order_by("-seq").first().hash
    again = services.close_auction(auction_id=auction.pk, now=auction.ends_at + timedelta(hours=1))
    assert again.final_hash == closed.final_hash and AuctionEvent.objects.filter(kind="closed").count() == 1
    late = _refused(lambda: bid(bidder_a, auction, 125000, now=auction.ends_at - timedelta(minutes=1)))
    assert late.code == "auction_over"


def test_closing_below_the_reserve_is_unsold_and_releases_every_deposit(auction, bidder_a):
    a = register(bidder_a, auction)
    bid(bidder_a, auction, 110000)
    assert services.close_due_auctions(now=auction.ends_at) == [auction.pk]
    closed = Auction.objects.get(pk=auction.pk)
    assert closed.status == AuctionStatus.UNSOLD and not hasattr(closed, "deal")
    a.refresh_from_db()
    assert a.deposit_status == DepositStatus.RELEASED
    assert services.close_due_auctions(now=auction.ends_at) == []


def test_the_chain_verifies_and_reveals_the_reserve_commitment(auction, bidder_a):
    register(bidder_a, auction)
    bid(bidder_a, auction, 120000)
    closed = services.close_auction(auction_id=auction.pk, now=auction.ends_at)
    result = chain.verify(closed)
    assert result.intact and result.length == closed.chain_length and result.final_hash == closed.final_hash
    created, last = closed.events.get(seq=1), closed.events.get(kind="closed")
    assert created.data["reserve_commitment"] == chain.reserve_commitment(
        Decimal(last.data["reserve_price"]), last.data["reserve_salt"]
    )


def test_verification_finds_a_changed_bid(auction, bidder_a, bidder_b):
    register(bidder_a, auction)
    register(bidder_b, auction)
    bid(bidder_a, auction, 100000)
    target = bid(bidder_b, auction, 105000)[0]
    bid(bidder_a, auction, 110000)
    AuctionEvent.objects.filter(pk=target.pk).update(amount=Decimal("150000"))  # tampering behind the app
    result = chain.verify(Auction.objects.get(pk=auction.pk))
    assert not result.intact and result.broken_at == target.seq and "被改动" in result.problems[0]


def test_verification_finds_a_removed_record(auction, bidder_a, bidder_b):
    register(bidder_a, auction)
    register(bidder_b, auction)
    first = bid(bidder_a, auction, 100000)[0]
    bid(bidder_b, auction, 105000)  # a leader does not outbid itself
    AuctionEvent.objects.filter(pk=first.pk)._raw_delete(AuctionEvent.objects.db)
    result = chain.verify(Auction.objects.get(pk=auction.pk))
    assert not result.intact and result.broken_at == first.seq


def test_records_cannot_be_changed_through_the_application(auction):
    event = auction.events.first()
    with pytest.raises(ValueError):
        event.save()
    with pytest.raises(ValueError):
        event.delete()


def test_a_bid_is_booked_to_the_organisation_the_bidder_names(auction, bidder_a, bidder_b):
    """A person in two organisations bids for the one they name, never for a guessed "first" one."""
    from zhouqiao.accounts.models import Membership

    register(bidder_b, auction)
    other = Membership.objects.get(user=bidder_b).organisation
    Membership.objects.create(
        user=bidder_b, organisation=Membership.objects.get(user=bidder_a).organisation, joined_at=NOW
    )
    register(bidder_a, auction)
    event, _ = services.place_bid(
        actor=bidder_b,
        auction_id=str(auction.pk),
        amount="100000",
        idempotency_key="named",
        organisation_id=str(other.pk),
        now=NOW,
    )
    assert event.registration.organisation == other


def test_a_bid_writes_its_chain_record_and_audit_record(auction, bidder_a):
    from zhouqiao.core.models import AuditEvent

    register(bidder_a, auction)
    event, _ = bid(bidder_a, auction, 100000)
    logged = AuditEvent.objects.get(action="market.auction.bid")
    assert logged.after == {"amount": "100000.00", "paddle": 1, "seq": event.seq}
    assert logged.region_code == auction.region_id and logged.actor == bidder_a
    fresh = Auction.objects.get(pk=auction.pk)
    assert fresh.head_hash == event.hash and fresh.chain_length == event.seq
    assert chain.verify(fresh).intact
