"""Each market notification reaches the people the step now waits on (or who must learn of it),
only them, and once; the market's to-do sources list what waits on a person and nothing else."""

import io
from collections import Counter
from datetime import timedelta

import pytest

from tests.factories import OrganisationFactory, member_of, staff_in
from tests.market.conftest import NOW, bid, live_auction, register
from zhouqiao.accounts.models import Duty
from zhouqiao.core.errors import DomainError
from zhouqiao.market import services, todos
from zhouqiao.market.models import Deal, Listing
from zhouqiao.notifications.models import Notification

pytestmark = pytest.mark.django_db


def told(kind: str) -> Counter:
    """How many notifications of ``kind`` each person got."""
    return Counter(Notification.objects.filter(kind=kind).values_list("user__username", flat=True))


@pytest.fixture
def people(university, university_user, enterprise, enterprise_user, broker, city_staff, stranger):
    """Two members on each side, an intermediary, staff and a stranger (who must hear nothing)."""
    member_of(university, username="uni_colleague")
    member_of(enterprise, username="ent_colleague")
    return {"broker_org": broker.memberships.first().organisation}


@pytest.fixture
def negotiation(people, enterprise_user, achievement):
    return services.open_negotiation(
        actor=enterprise_user, achievement_id=achievement.pk, message="想了解许可条件", now=NOW
    )


# --- negotiations -------------------------------------------------------------------------------


def test_the_owner_learns_that_a_buyer_opened_a_negotiation(negotiation):
    assert told(todos.OPENED) == Counter({"uni_admin": 1, "uni_colleague": 1})
    note = Notification.objects.get(user__username="uni_admin", kind=todos.OPENED)
    assert "长春测试汽车零部件有限公司" in note.title and negotiation.title in note.title
    assert note.url == f"/market/negotiations/{negotiation.pk}/"


def test_an_offer_goes_to_the_other_side_and_a_counter_offer_back(
    negotiation, enterprise_user, university_user
):
    offer = services.make_offer(
        actor=enterprise_user, negotiation_id=negotiation.pk, amount="400000", mode="licence", now=NOW
    )
    assert told(todos.OFFER) == Counter({"uni_admin": 1, "uni_colleague": 1})
    assert "40万元" in Notification.objects.get(user__username="uni_admin", kind=todos.OFFER).title
    services.make_offer(
        actor=university_user, negotiation_id=negotiation.pk, amount="550000", mode="licence", now=NOW
    )
    assert told(todos.OFFER) == Counter(
        {"uni_admin": 1, "uni_colleague": 1, "ent_admin": 1, "ent_colleague": 1}
    )
    assert offer.pk


def test_accepting_tells_every_party_of_the_deal_but_not_the_one_who_accepted(
    negotiation, enterprise_user, university_user, people
):
    services.invite_broker(
        actor=enterprise_user, negotiation_id=negotiation.pk, broker_id=people["broker_org"].pk, now=NOW
    )
    assert told(todos.BROKER_INVITED) == Counter({"broker": 1})
    broker = people["broker_org"].memberships.get().user
    services.answer_broker_invitation(actor=broker, negotiation_id=negotiation.pk, accept=True, now=NOW)
    assert told(todos.BROKER_ANSWERED) == Counter({"ent_admin": 1, "ent_colleague": 1})
    offer = services.make_offer(
        actor=university_user, negotiation_id=negotiation.pk, amount="550000", mode="licence", now=NOW
    )
    deal = services.accept_offer(
        actor=enterprise_user, negotiation_id=negotiation.pk, offer_id=offer.pk, now=NOW
    )
    assert told(todos.DEAL) == Counter({"uni_admin": 1, "uni_colleague": 1, "ent_colleague": 1, "broker": 1})
    assert Notification.objects.get(user__username="uni_admin", kind=todos.DEAL).url == (
        f"/market/deals/{deal.pk}/"
    )


def test_a_message_reaches_the_other_side_and_the_intermediary_and_closing_is_told(
    negotiation, enterprise_user, university_user, people, broker
):
    services.invite_broker(
        actor=university_user, negotiation_id=negotiation.pk, broker_id=people["broker_org"].pk, now=NOW
    )
    services.post_message(actor=university_user, negotiation_id=negotiation.pk, body="先谈一谈", now=NOW)
    # Invited, not yet accepted: the intermediary is not in the thread and hears no message.
    assert told(todos.MESSAGE) == Counter({"ent_admin": 1, "ent_colleague": 1})
    services.answer_broker_invitation(actor=broker, negotiation_id=negotiation.pk, accept=True, now=NOW)
    services.post_message(actor=university_user, negotiation_id=negotiation.pk, body="可以面谈", now=NOW)
    assert told(todos.MESSAGE) == Counter({"ent_admin": 2, "ent_colleague": 2, "broker": 1})
    services.close_negotiation(
        actor=enterprise_user, negotiation_id=negotiation.pk, reason="预算不足", now=NOW
    )
    assert told(todos.NEGOTIATION_CLOSED) == Counter({"uni_admin": 1, "uni_colleague": 1, "broker": 1})


def test_answering_a_demand_tells_the_demand_owner(people, university_user, enterprise):
    from zhouqiao.catalog.models import Demand
    from zhouqiao.catalog.states import RecordStatus

    demand = Demand.objects.create(
        owner=enterprise,
        region_id=enterprise.region_id,
        title="电驱系统散热技术需求",
        summary="需要更好的散热方案。",
        problem="电机温升过高。",
        cooperation_modes=",transfer,",
        status=RecordStatus.PUBLISHED,
        created_at=NOW,
        updated_at=NOW,
        published_at=NOW,
    )
    services.open_negotiation(actor=university_user, demand_id=demand.pk, now=NOW)
    assert told(todos.OPENED) == Counter({"ent_admin": 1, "ent_colleague": 1})


def test_the_negotiation_to_do_follows_whose_turn_it_is(negotiation, enterprise_user, university_user):
    def waiting(user):
        return [t.title for t in todos.negotiations_to_answer(user)]

    assert waiting(university_user) == [negotiation.title]
    assert waiting(enterprise_user) == []
    services.make_offer(
        actor=university_user, negotiation_id=negotiation.pk, amount="550000", mode="licence", now=NOW
    )
    assert waiting(university_user) == []
    assert waiting(enterprise_user) == [negotiation.title]
    assert "55万元" in todos.negotiations_to_answer(enterprise_user)[0].detail
    services.close_negotiation(actor=enterprise_user, negotiation_id=negotiation.pk, now=NOW)
    assert waiting(enterprise_user) == waiting(university_user) == []


# --- listings -----------------------------------------------------------------------------------


@pytest.fixture
def listing(people, university_user, achievement):
    return services.create_listing(
        actor=university_user,
        achievement_id=achievement.pk,
        price="200000",
        mode="transfer",
        auction_deposit="20000",
        now=NOW,
    )


def test_the_lister_hears_of_each_intent_once(listing, enterprise_user, bidder_b):
    services.register_intent(actor=enterprise_user, listing_id=listing.pk, now=NOW)
    services.register_intent(actor=bidder_b, listing_id=listing.pk, now=NOW)
    assert told(todos.INTENT) == Counter({"uni_admin": 2, "uni_colleague": 2})
    # Withdrawn and registered again: a new event.
    services.withdraw_intent(actor=bidder_b, listing_id=listing.pk, now=NOW)
    services.register_intent(actor=bidder_b, listing_id=listing.pk, now=NOW + timedelta(hours=1))
    assert told(todos.INTENT) == Counter({"uni_admin": 3, "uni_colleague": 3})


def test_two_intents_move_to_auction_the_lister_hears_and_the_buyers_owe_a_deposit(
    listing, enterprise_user, bidder_b
):
    services.register_intent(actor=enterprise_user, listing_id=listing.pk, now=NOW)
    services.register_intent(actor=bidder_b, listing_id=listing.pk, now=NOW)
    for _ in range(2):  # the job runs twice: nobody is told twice
        services.conclude_due_listings(now=listing.notice_ends_at)
    assert told(todos.LISTING_CONCLUDED) == Counter({"uni_admin": 1, "uni_colleague": 1})
    assert told(todos.DEPOSIT_DUE) == Counter({"ent_admin": 1, "ent_colleague": 1, "bidder_b": 1})
    assert [t.title for t in todos.deposits_to_pay(bidder_b)] == [listing.title]


def test_one_intent_is_a_deal_both_sides_hear_of(listing, enterprise_user):
    services.register_intent(actor=enterprise_user, listing_id=listing.pk, now=NOW)
    services.conclude_due_listings(now=listing.notice_ends_at)
    assert told(todos.DEAL) == Counter(
        {"uni_admin": 1, "uni_colleague": 1, "ent_admin": 1, "ent_colleague": 1}
    )
    assert told(todos.LISTING_CONCLUDED) == Counter()


def test_each_empty_notice_period_is_told_to_the_lister(people, university_user, achievement):
    listing = services.create_listing(
        actor=university_user,
        achievement_id=achievement.pk,
        price="200000",
        mode="transfer",
        on_no_intent="relist",
        now=NOW,
    )
    services.conclude_due_listings(now=listing.notice_ends_at)
    listing = Listing.objects.get(pk=listing.pk)
    services.conclude_due_listings(now=listing.notice_ends_at)
    assert told(todos.LISTING_CONCLUDED) == Counter({"uni_admin": 2, "uni_colleague": 2})


# --- auctions -----------------------------------------------------------------------------------


@pytest.fixture
def deposit_auction(people, university_user, achievement):
    return live_auction(seller_user=university_user, achievement=achievement, deposit="10000")


@pytest.fixture
def finance(reference):
    return staff_in("220100", Duty.FINANCE, username="cc_finance")


def test_registering_asks_the_bidder_for_the_deposit_and_finance_confirms_it(
    deposit_auction, enterprise_user, finance, reference
):
    other_finance = staff_in("220200", Duty.FINANCE, username="jl_finance")
    registration = register(enterprise_user, deposit_auction)
    assert told(todos.DEPOSIT_DUE) == Counter({"ent_admin": 1, "ent_colleague": 1})
    assert [t.title for t in todos.deposits_to_pay(enterprise_user)] == [deposit_auction.title]
    assert [t.title for t in todos.deposits_to_confirm(finance)] == [deposit_auction.title]
    assert todos.deposits_to_confirm(other_finance) == []
    assert todos.deposits_to_confirm(enterprise_user) == []
    services.record_deposit(actor=finance, registration_id=registration.pk, reference="BANK-1", now=NOW)
    assert told(todos.DEPOSIT_CONFIRMED) == Counter({"ent_admin": 1, "ent_colleague": 1})
    assert (
        "竞买号为1"
        in Notification.objects.get(user__username="ent_admin", kind=todos.DEPOSIT_CONFIRMED).title
    )
    assert todos.deposits_to_pay(enterprise_user) == []
    assert todos.deposits_to_confirm(finance) == []


def test_the_job_tells_each_displaced_highest_bidder_once(people, auction, enterprise_user, bidder_b):
    register(enterprise_user, auction)
    register(bidder_b, auction)
    bid(enterprise_user, auction, 100000)
    assert services.tell_outbid_bidders(now=NOW) == 0
    bid(bidder_b, auction, 105000)
    assert told(todos.OUTBID) == Counter()  # the bid itself tells nobody: it stays one statement
    assert services.tell_outbid_bidders(now=NOW) == 2
    assert told(todos.OUTBID) == Counter({"ent_admin": 1, "ent_colleague": 1})
    with pytest.raises(DomainError):  # the leader may not raise its own lead
        bid(bidder_b, auction, 110000)
    bid(bidder_b, auction, 105000)  # a replay is no new bid
    bid(enterprise_user, auction, 115000)
    for _ in range(2):  # the job runs twice: nobody is told twice
        services.tell_outbid_bidders(now=NOW)
    assert told(todos.OUTBID) == Counter({"ent_admin": 1, "ent_colleague": 1, "bidder_b": 1})
    note = Notification.objects.get(user__username="bidder_b", kind=todos.OUTBID)
    assert "11.5万元" in note.title and note.url == f"/market/auctions/{auction.pk}/"
    # Several bids between two runs: each one displaced is told.
    bid(bidder_b, auction, 120000)
    bid(enterprise_user, auction, 125000)
    services.tell_outbid_bidders(now=NOW)
    assert told(todos.OUTBID) == Counter({"ent_admin": 2, "ent_colleague": 2, "bidder_b": 2})


def test_the_close_tells_the_winner_the_other_bidders_and_the_seller(
    people,
    auction,
    university_user,
    enterprise_user,
    bidder_b,
    reference,
):
    bystander = member_of(OrganisationFactory(name="长春旁观科技有限公司", region_id="220106"), username="c")
    for user in (enterprise_user, bidder_b, bystander):
        register(user, auction)
    bid(enterprise_user, auction, 100000)
    bid(bidder_b, auction, 125000)
    for _ in range(2):
        services.close_due_auctions(now=auction.ends_at + timedelta(seconds=1))
    assert told(todos.WON) == Counter({"bidder_b": 1})
    assert told(todos.LOST) == Counter({"ent_admin": 1, "ent_colleague": 1, "c": 1})
    assert told(todos.DEAL) == Counter({"uni_admin": 1, "uni_colleague": 1})
    assert told(todos.AUCTION_ENDED) == Counter()
    # The automatic contract draft runs after commit (not here): the seller has the deal to hand on.
    deal = Deal.objects.get(auction=auction)
    assert [t.title for t in todos.deals_to_contract(university_user)] == [deal.title]
    assert todos.deals_to_contract(bidder_b) == []


def test_an_auction_without_a_sale_tells_the_seller_and_the_bidders(people, auction, enterprise_user):
    register(enterprise_user, auction)
    services.close_due_auctions(now=auction.ends_at + timedelta(seconds=1))
    assert told(todos.AUCTION_ENDED) == Counter({"uni_admin": 1, "uni_colleague": 1})
    assert told(todos.LOST) == Counter({"ent_admin": 1, "ent_colleague": 1})
    assert told(todos.WON) == told(todos.DEAL) == Counter()


def test_cancelling_tells_the_registered_bidders(people, university_user, achievement, enterprise_user):
    auction = live_auction(
        seller_user=university_user,
        achievement=achievement,
        starts_at=NOW + timedelta(hours=1),
        ends_at=NOW + timedelta(hours=3),
    )
    register(enterprise_user, auction)
    services.cancel_auction(actor=university_user, auction_id=auction.pk, reason="成果权属需核实", now=NOW)
    assert told(todos.AUCTION_CANCELLED) == Counter({"ent_admin": 1, "ent_colleague": 1})


def test_no_kind_reaches_staff_or_strangers(negotiation, enterprise_user, university_user):
    offer = services.make_offer(
        actor=university_user, negotiation_id=negotiation.pk, amount="1000", mode="licence", now=NOW
    )
    services.accept_offer(actor=enterprise_user, negotiation_id=negotiation.pk, offer_id=offer.pk, now=NOW)
    assert not Notification.objects.filter(user__username__in=["city_staff", "stranger"]).exists()


def test_the_market_jobs_command_tells_outbid_bidders(people, auction, enterprise_user, bidder_b):
    from django.core.management import call_command

    register(enterprise_user, auction)
    register(bidder_b, auction)
    bid(enterprise_user, auction, 100000)
    bid(bidder_b, auction, 105000)
    out = io.StringIO()
    call_command("market-jobs", stdout=out)
    assert "outbid bidders told: 2" in out.getvalue()
    assert told(todos.OUTBID) == Counter({"ent_admin": 1, "ent_colleague": 1})
