"""Market API at /api/v1/market: auctions, bids, verification, listings, negotiations, deals.

Reads are filtered by ``visible_to`` like the pages; writes go to one service each. Bids take an
``Idempotency-Key`` header: a replay answers with the first accepted bid (and the header
``Idempotent-Replayed: true``) and changes nothing.
"""

from django.http import HttpResponse
from ninja import Query, Router, Status

from zhouqiao.accounts.auth import signed_in_user
from zhouqiao.core import clock
from zhouqiao.core.bounds import Page
from zhouqiao.market import chain, selectors, services
from zhouqiao.market.models import Auction, AuctionEvent, AuctionRegistration, Deal, Listing, Negotiation
from zhouqiao.market.schemas import (
    AcceptIn,
    AuctionIn,
    AuctionOut,
    BidIn,
    BidOut,
    DealOut,
    DepositIn,
    IntentIn,
    InviteIn,
    ListingIn,
    ListingOut,
    MessageIn,
    NegotiationIn,
    NegotiationOut,
    OfferIn,
    ReasonIn,
    RegistrationIn,
    RegistrationOut,
    VerifyOut,
)
from zhouqiao.market.services.negotiations import ensure_invitation_not_withdrawn
from zhouqiao.ops.ratelimit import ratelimit

router = Router(tags=["market"])


def _money(value) -> str | None:
    return None if value is None else f"{value:.2f}"


def auction_out(auction: Auction, user, now) -> dict:
    return {
        "id": auction.pk,
        "title": auction.title,
        "status": auction.status,
        "status_display": auction.get_status_display(),
        "achievement_id": auction.achievement_id,
        "listing_id": auction.listing_id,
        "seller_name": auction.seller.name,
        "region_code": auction.region_id,
        "mode": auction.mode,
        "starts_at": auction.starts_at,
        "ends_at": auction.ends_at,
        "scheduled_end_at": auction.scheduled_end_at,
        "starting_price": _money(auction.starting_price),
        "reserve_price": _money(auction.reserve_price) if selectors.may_see_reserve(user, auction) else None,
        "increment": _money(auction.increment),
        "deposit_amount": _money(auction.deposit_amount),
        "current_price": _money(auction.current_price),
        "minimum_bid": _money(auction.minimum_bid()),
        "bid_count": auction.bid_count,
        "leading_paddle": auction.leading.paddle if auction.leading_id else None,
        "is_live": auction.is_live(now),
        "chain_length": auction.chain_length,
        "head_hash": auction.head_hash,
        "final_hash": auction.final_hash,
        "server_time": now,
    }


def bid_out(event: AuctionEvent) -> dict:
    return {
        "seq": event.seq,
        "auction_id": event.auction_id,
        "amount": _money(event.amount),
        "paddle": event.data.get("paddle"),
        "at": event.at,
        "hash": event.hash,
        "prev_hash": event.prev_hash,
    }


def registration_out(registration: AuctionRegistration) -> dict:
    return {
        "id": registration.pk,
        "auction_id": registration.auction_id,
        "organisation_id": registration.organisation_id,
        "organisation_name": registration.organisation.name,
        "deposit_amount": _money(registration.deposit_amount),
        "deposit_status": registration.deposit_status,
        "paddle": registration.paddle,
    }


@router.get("/auctions", response=list[AuctionOut])
def list_auctions(request, paging: Query[Page], status: str = ""):
    auctions = Auction.objects.visible_to(request.user).select_related("seller", "leading")
    if status:
        auctions = auctions.filter(status=status)
    now = clock.now()
    return [auction_out(a, request.user, now) for a in paging.slice(auctions)]


@router.post("/auctions", response={201: AuctionOut})
def create_auction(request, payload: AuctionIn):
    now = clock.now()
    auction = services.create_auction(actor=signed_in_user(request), now=now, **payload.dict())
    return Status(201, auction_out(auction, request.user, now))


@router.get("/auctions/{auction_id}", response=AuctionOut)
def get_auction(request, auction_id: int):
    return auction_out(selectors.auction_for(request.user, auction_id), request.user, clock.now())


@router.get("/auctions/{auction_id}/bids", response=list[BidOut])
def list_bids(request, auction_id: int):
    return [bid_out(e) for e in selectors.bids(selectors.auction_for(request.user, auction_id))]


@router.post("/auctions/{auction_id}/bids", response={201: BidOut})
@ratelimit("bid")
def place_bid(request, response: HttpResponse, auction_id: int, payload: BidIn):
    auction = selectors.auction_for(request.user, auction_id)
    event, replayed = services.place_bid(
        actor=signed_in_user(request),
        auction_id=auction.pk,
        amount=payload.amount,
        idempotency_key=request.headers.get("Idempotency-Key", ""),
        organisation_id=payload.organisation_id,
        now=clock.now(),
    )
    if replayed:
        response["Idempotent-Replayed"] = "true"
    return Status(201, bid_out(event))


@router.get("/auctions/{auction_id}/verify", response=VerifyOut)
def verify_auction(request, auction_id: int):
    """Recompute the auction's hash chain: is it intact, and where does it first break?"""
    auction = selectors.auction_for(request.user, auction_id)
    return {"auction_id": auction.pk, **chain.verify(auction).as_dict()}


@router.post("/auctions/{auction_id}/registrations", response={201: RegistrationOut})
def register_bidder(request, auction_id: int, payload: RegistrationIn):
    auction = selectors.auction_for(request.user, auction_id)
    registration = services.register_bidder(
        actor=signed_in_user(request),
        auction_id=auction.pk,
        organisation_id=payload.organisation_id,
        now=clock.now(),
    )
    return Status(201, registration_out(registration))


@router.post("/registrations/{registration_id}/deposit", response=RegistrationOut)
def record_deposit(request, registration_id: int, payload: DepositIn):
    registration = services.record_deposit(
        actor=signed_in_user(request),
        registration_id=registration_id,
        reference=payload.reference,
        now=clock.now(),
    )
    return registration_out(registration)


def listing_out(listing: Listing) -> dict:
    return {
        "id": listing.pk,
        "title": listing.title,
        "achievement_id": listing.achievement_id,
        "seller_name": listing.seller.name,
        "region_code": listing.region_id,
        "price": _money(listing.price),
        "mode": listing.mode,
        "status": listing.status,
        "status_display": listing.get_status_display(),
        "notice_working_days": listing.notice_working_days,
        "notice_starts_at": listing.notice_starts_at,
        "notice_ends_at": listing.notice_ends_at,
        "intent_count": listing.intents.filter(withdrawn_at=None).count(),
        "auction_id": getattr(getattr(listing, "auction", None), "pk", None),
        "deal_id": getattr(getattr(listing, "deal", None), "pk", None),
    }


@router.get("/listings", response=list[ListingOut])
def list_listings(request, paging: Query[Page], status: str = ""):
    listings = Listing.objects.visible_to(request.user).select_related("seller")
    if status:
        listings = listings.filter(status=status)
    return [listing_out(x) for x in paging.slice(listings)]


@router.post("/listings", response={201: ListingOut})
def create_listing(request, payload: ListingIn):
    listing = services.create_listing(actor=signed_in_user(request), now=clock.now(), **payload.dict())
    return Status(201, listing_out(listing))


@router.get("/listings/{listing_id}", response=ListingOut)
def get_listing(request, listing_id: int):
    return listing_out(selectors.listing_for(request.user, listing_id))


@router.post("/listings/{listing_id}/intents", response={201: ListingOut})
def register_intent(request, listing_id: int, payload: IntentIn):
    listing = selectors.listing_for(request.user, listing_id)
    services.register_intent(
        actor=signed_in_user(request),
        listing_id=listing.pk,
        organisation_id=payload.organisation_id,
        note=payload.note,
        now=clock.now(),
    )
    return Status(201, listing_out(listing))


@router.post("/listings/{listing_id}/withdraw", response=ListingOut)
def withdraw_listing(request, listing_id: int, payload: ReasonIn):
    listing = selectors.listing_for(request.user, listing_id)
    return listing_out(
        services.withdraw_listing(
            actor=signed_in_user(request), listing_id=listing.pk, reason=payload.reason, now=clock.now()
        )
    )


def negotiation_out(negotiation: Negotiation) -> dict:
    entries = [
        {
            "id": e.pk,
            "kind": e.kind,
            "organisation_name": e.organisation.name,
            "author": str(e.author),
            "body": e.body,
            "amount": _money(e.amount),
            "mode": e.mode,
            "terms": e.terms,
            "created_at": e.created_at,
        }
        for e in negotiation.entries.select_related("organisation", "author")
    ]
    return {
        "id": negotiation.pk,
        "title": negotiation.title,
        "status": negotiation.status,
        "seller_name": negotiation.seller.name,
        "buyer_name": negotiation.buyer.name,
        "broker_name": negotiation.broker.name if negotiation.broker_id else None,
        "broker_accepted": negotiation.broker_accepted,
        "achievement_id": negotiation.achievement_id,
        "demand_id": negotiation.demand_id,
        "entries": entries,
        "deal_id": getattr(getattr(negotiation, "deal", None), "pk", None),
    }


@router.get("/negotiations", response=list[NegotiationOut])
def list_negotiations(request, paging: Query[Page]):
    return [negotiation_out(n) for n in paging.slice(selectors.negotiations_of(request.user))]


@router.post("/negotiations", response={201: NegotiationOut})
def open_negotiation(request, payload: NegotiationIn):
    negotiation = services.open_negotiation(actor=signed_in_user(request), now=clock.now(), **payload.dict())
    return Status(201, negotiation_out(negotiation))


@router.get("/negotiations/{negotiation_id}", response=NegotiationOut)
def get_negotiation(request, negotiation_id: int):
    return negotiation_out(selectors.negotiation_for(request.user, negotiation_id))


def _negotiation_action(request, negotiation_id: int, action, **kwargs) -> dict:
    negotiation = selectors.negotiation_for(request.user, negotiation_id)
    action(actor=signed_in_user(request), negotiation_id=negotiation.pk, now=clock.now(), **kwargs)
    return negotiation_out(Negotiation.objects.get(pk=negotiation.pk))


@router.post("/negotiations/{negotiation_id}/messages", response={201: NegotiationOut})
def post_message(request, negotiation_id: int, payload: MessageIn):
    return Status(201, _negotiation_action(request, negotiation_id, services.post_message, body=payload.body))


@router.post("/negotiations/{negotiation_id}/offers", response={201: NegotiationOut})
def make_offer(request, negotiation_id: int, payload: OfferIn):
    return Status(201, _negotiation_action(request, negotiation_id, services.make_offer, **payload.dict()))


@router.post("/negotiations/{negotiation_id}/accept", response=NegotiationOut)
def accept_offer(request, negotiation_id: int, payload: AcceptIn):
    return _negotiation_action(request, negotiation_id, services.accept_offer, offer_id=payload.offer_id)


@router.post("/negotiations/{negotiation_id}/broker", response=NegotiationOut)
def invite_broker(request, negotiation_id: int, payload: InviteIn):
    return _negotiation_action(request, negotiation_id, services.invite_broker, broker_id=payload.broker_id)


@router.post("/negotiations/{negotiation_id}/broker/withdraw", response=NegotiationOut)
def withdraw_broker_invitation(request, negotiation_id: int, payload: ReasonIn):
    """The side that invited the intermediary withdraws the invitation before it is answered."""
    return _negotiation_action(
        request, negotiation_id, services.withdraw_broker_invitation, reason=payload.reason
    )


@router.post("/negotiations/{negotiation_id}/broker/accept", response=NegotiationOut)
def accept_broker_invitation(request, negotiation_id: int):
    """The invited intermediary (its administrator or a certified broker) accepts."""
    ensure_invitation_not_withdrawn(request.user, negotiation_id)
    return _negotiation_action(request, negotiation_id, services.answer_broker_invitation, accept=True)


@router.post("/negotiations/{negotiation_id}/broker/decline", response=NegotiationOut)
def decline_broker_invitation(request, negotiation_id: int, payload: ReasonIn):
    ensure_invitation_not_withdrawn(request.user, negotiation_id)
    return _negotiation_action(
        request, negotiation_id, services.answer_broker_invitation, accept=False, reason=payload.reason
    )


@router.post("/negotiations/{negotiation_id}/close", response=NegotiationOut)
def close_negotiation(request, negotiation_id: int, payload: ReasonIn):
    return _negotiation_action(request, negotiation_id, services.close_negotiation, reason=payload.reason)


def deal_out(deal: Deal) -> dict:
    return {
        "id": deal.pk,
        "source": deal.source,
        "title": deal.title,
        "seller_name": deal.seller.name,
        "buyer_name": deal.buyer.name,
        "broker_name": deal.broker.name if deal.broker_id else None,
        "amount": _money(deal.amount),
        "mode": deal.mode,
        "terms": deal.terms,
        "agreed_at": deal.agreed_at,
        "achievement_id": deal.achievement_id,
        "demand_id": deal.demand_id,
        "contract_id": deal.contract_id,
    }


@router.get("/deals", response=list[DealOut])
def list_deals(request, paging: Query[Page]):
    return [deal_out(d) for d in paging.slice(selectors.deals_of(request.user))]


@router.get("/deals/{deal_id}", response=DealOut)
def get_deal(request, deal_id: int):
    return deal_out(selectors.deal_for(request.user, deal_id))


@router.post("/deals/{deal_id}/contract", response=DealOut)
def draft_contract(request, deal_id: int):
    deal = selectors.deal_for(request.user, deal_id)
    return deal_out(services.draft_contract(actor=signed_in_user(request), deal_id=deal.pk, now=clock.now()))
