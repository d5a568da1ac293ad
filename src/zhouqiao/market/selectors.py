"""Reads of the technology market, each filtered by who is asking (accounts.scope)."""

from django.db.models import OuterRef, Q, Subquery
from django.http import Http404

from zhouqiao.accounts import scope
from zhouqiao.accounts.models import Duty, Organisation
from zhouqiao.market.models import (
    Auction,
    AuctionEvent,
    AuctionRegistration,
    Deal,
    Listing,
    ListingIntent,
    Negotiation,
    NegotiationEntry,
)
from zhouqiao.market.states import (
    AuctionStatus,
    DepositStatus,
    EntryKind,
    EventKind,
    ListingStatus,
    NegotiationStatus,
)


def _get(queryset, pk):
    found = queryset.filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def auction_for(user, pk) -> Auction:
    return _get(
        Auction.objects.visible_to(user).select_related("seller", "region", "achievement", "leading"), pk
    )


def listing_for(user, pk) -> Listing:
    return _get(Listing.objects.visible_to(user).select_related("seller", "region", "achievement"), pk)


def negotiation_for(user, pk) -> Negotiation:
    return _get(
        Negotiation.objects.visible_to(user).select_related("seller", "buyer", "broker", "region"), pk
    )


def deal_for(user, pk) -> Deal:
    return _get(Deal.objects.visible_to(user).select_related("seller", "buyer", "broker", "region"), pk)


def may_see_reserve(user, auction: Auction) -> bool:
    """The reserve price is secret from bidders until the close; the seller and the market staff
    of the lot's region know it."""
    return auction.is_closed or scope.is_member(user, auction.seller) or scope.covers(user, auction.region_id)


def may_oversee(user, record) -> bool:
    return scope.covers(user, record.region_id)


def bids(auction: Auction):
    return (
        AuctionEvent.objects.filter(auction=auction, kind=EventKind.BID)
        .select_related("registration")
        .order_by("-seq")
    )


def records(auction: Auction):
    return AuctionEvent.objects.filter(auction=auction).order_by("seq")


def registrations_of(user, auction: Auction) -> list[AuctionRegistration]:
    """The registrations of each of ``user``'s organisations in ``auction`` (one person may act for
    several organisations; each bids under its own paddle, named in the form)."""
    own = scope.organisation_ids(user)
    if not own:
        return []
    return list(
        auction.registrations.filter(organisation_id__in=own).select_related("organisation").order_by("pk")
    )


def acting_candidates(user) -> list[Organisation]:
    """The verified organisations ``user`` may act for in the market (the picker's choices).
    A person who belongs to several names one in every form; nothing is guessed."""
    if not getattr(user, "is_authenticated", False):
        return []
    own = scope.organisation_ids(user)
    if not own:
        return []
    return list(Organisation.objects.verified().filter(pk__in=own).order_by("name"))


def bidder_candidates(user, auction: Auction, now) -> list[Organisation]:
    """The organisations for which 报名竞买 works for ``user`` (the checks of ``register_bidder``)."""
    if auction.status != AuctionStatus.SCHEDULED or now >= auction.ends_at:
        return []
    orgs = [o for o in acting_candidates(user) if o.pk != auction.seller_id]
    if not orgs:
        return []
    registered = set(
        auction.registrations.filter(organisation__in=orgs).values_list("organisation_id", flat=True)
    )
    orgs = [o for o in orgs if o.pk not in registered]
    if orgs and auction.restricted:
        with_intent = set(
            ListingIntent.objects.filter(
                listing_id=auction.listing_id, organisation__in=orgs, withdrawn_at=None
            ).values_list("organisation_id", flat=True)
        )
        orgs = [o for o in orgs if o.pk in with_intent]
    return orgs


def may_register_for_auction(user, auction: Auction, now) -> bool:
    """Whether the 报名竞买 button works for ``user`` (the checks of ``register_bidder``)."""
    return bool(bidder_candidates(user, auction, now))


def negotiation_candidates(user, lot) -> list[Organisation]:
    """The organisations for which 发起洽谈 (or 响应需求) works: verified ones other than the owner."""
    return [o for o in acting_candidates(user) if o.pk != lot.owner_id]


def may_open_negotiation(user, lot) -> bool:
    """Whether 发起洽谈 on an achievement (or 响应需求 on a demand) works for ``user``: a member of a
    verified organisation other than the lot's owner (the checks of ``open_negotiation``)."""
    return bool(negotiation_candidates(user, lot))


def intent_candidates(user, listing: Listing, now) -> list[Organisation]:
    """The organisations for which 登记受让意向 works for ``user`` (the checks of ``register_intent``)."""
    if listing.status != ListingStatus.NOTICE or now >= listing.notice_ends_at:
        return []
    orgs = [o for o in acting_candidates(user) if o.pk != listing.seller_id]
    if not orgs:
        return []
    registered = set(
        listing.intents.filter(organisation__in=orgs, withdrawn_at=None).values_list(
            "organisation_id", flat=True
        )
    )
    return [o for o in orgs if o.pk not in registered]


def may_register_intent(user, listing: Listing, now) -> bool:
    """Whether the 登记受让意向 button works for ``user`` (the checks of ``register_intent``)."""
    return bool(intent_candidates(user, listing, now))


def auctions_open(user):
    return Auction.objects.visible_to(user).filter(status=AuctionStatus.SCHEDULED).select_related("region")


def auctions_recent(user):
    return Auction.objects.visible_to(user).exclude(status=AuctionStatus.SCHEDULED).select_related("region")


def listings_in_notice(user):
    return (
        Listing.objects.visible_to(user)
        .filter(status=ListingStatus.NOTICE)
        .select_related("region", "seller")
    )


def listings_recent(user):
    return (
        Listing.objects.visible_to(user)
        .exclude(status=ListingStatus.NOTICE)
        .select_related("region", "seller")
    )


def negotiations_of(user):
    return Negotiation.objects.visible_to(user).select_related("seller", "buyer", "broker")


def deals_of(user):
    return Deal.objects.visible_to(user).select_related("seller", "buyer")


def announced_deals():
    return Deal.objects.announced().select_related("seller", "buyer", "region")


def oversight(user) -> dict:
    """Staff: every listing and auction of lots in their jurisdictions' subtrees."""
    return {
        "listings": Listing.objects.in_jurisdiction(user).select_related("region", "seller"),
        "auctions": Auction.objects.in_jurisdiction(user).select_related("region", "seller"),
        "deals": Deal.objects.in_jurisdiction(user).select_related("region", "seller", "buyer"),
    }


# --- What waits on a person (the market's to-do sources read these) ------------------------------


def negotiations_awaiting(user) -> list[Negotiation]:
    """Open negotiations whose seller or buyer is the user's organisation and whose last word (an
    offer or a message; nothing yet: the opening) came from the other side. Each carries
    ``last_kind``, ``last_amount``, ``last_at`` and ``last_org_name`` (empty when nothing was said)."""
    own = scope.organisation_ids(user)
    if not own:
        return []
    latest = (
        NegotiationEntry.objects.filter(
            negotiation=OuterRef("pk"), kind__in=[EntryKind.OFFER, EntryKind.MESSAGE]
        )
        .filter(Q(organisation_id=OuterRef("seller_id")) | Q(organisation_id=OuterRef("buyer_id")))
        .order_by("-created_at", "-pk")
    )
    rows = (
        Negotiation.objects.filter(status=NegotiationStatus.OPEN)
        .filter(Q(seller_id__in=own) | Q(buyer_id__in=own))
        .annotate(
            last_org=Subquery(latest.values("organisation_id")[:1]),
            last_org_name=Subquery(latest.values("organisation__name")[:1]),
            last_kind=Subquery(latest.values("kind")[:1]),
            last_amount=Subquery(latest.values("amount")[:1]),
            last_at=Subquery(latest.values("created_at")[:1]),
        )
        .select_related("initiator")
        .order_by("updated_at", "pk")
    )
    waiting = []
    for n in rows:
        mine = n.seller_id if n.seller_id in own else n.buyer_id
        spoke = n.last_org if n.last_org is not None else n.initiator_id
        if spoke != mine:
            waiting.append(n)
    return waiting


def deposits_to_pay(user):
    """Registrations of the user's organisations whose deposit is still due, auction not over."""
    own = scope.organisation_ids(user)
    if not own:
        return AuctionRegistration.objects.none()
    return (
        AuctionRegistration.objects.filter(
            organisation_id__in=own,
            deposit_status=DepositStatus.PENDING,
            auction__status=AuctionStatus.SCHEDULED,
        )
        .select_related("auction")
        .order_by("created_at", "pk")
    )


def deposits_to_confirm(user):
    """Deposits the user (finance staff of the lot's region) records as received (``record_deposit``)."""
    if not scope.has_duty(user, Duty.FINANCE):
        return AuctionRegistration.objects.none()
    return (
        AuctionRegistration.objects.filter(
            scope.region_q(user, "auction__region", Duty.FINANCE),
            deposit_status=DepositStatus.PENDING,
            auction__status=AuctionStatus.SCHEDULED,
        )
        .select_related("auction", "organisation")
        .order_by("created_at", "pk")[:200]
    )


def deals_without_contract(user):
    """Deals of the user's organisation as seller still to be turned into a draft contract
    (``draft_contract``; the automatic draft after the deal could not be made)."""
    own = scope.organisation_ids(user)
    if not own:
        return Deal.objects.none()
    return (
        Deal.objects.filter(seller_id__in=own, contract_id__isnull=True)
        .select_related("buyer")
        .order_by("agreed_at", "pk")
    )


def broker_invitations(user):
    """Open negotiations inviting, and not yet answered by, an intermediary the user answers for
    (as its administrator or one of its certified brokers)."""
    from zhouqiao.community.institutions.models import Broker

    own = scope.organisation_ids(user)
    if not own:
        return Negotiation.objects.none()
    admin_of = scope.organisation_ids(user, "admin")
    broker_of = Broker.objects.certified().filter(user_id=user.pk, organisation_id__in=own)
    return (
        Negotiation.objects.filter(
            Q(broker_id__in=admin_of) | Q(broker_id__in=broker_of.values("organisation_id")),
            status=NegotiationStatus.OPEN,
            broker_accepted_at__isnull=True,
        )
        .select_related("seller", "buyer", "broker")
        .order_by("updated_at", "pk")
    )
