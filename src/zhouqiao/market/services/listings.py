"""Listings (挂牌交易, 004 §6): a published achievement offered at a price through a public notice
period; verified organisations register intent; at the end of the period the scheduler concludes:

* no qualified intent → relisted for another period (if the owner chose so, at most
  ``MARKET_MAX_RELISTS`` times) or closed as unsold;
* one → a deal at the listing price;
* two or more → an auction among them (:func:`auction_from_listing`), starting at the listing price.

An intent is qualified if it was not withdrawn and its organisation is still verified at the end.
"""

from decimal import ROUND_HALF_UP, Decimal

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from zhouqiao.accounts import scope
from zhouqiao.catalog.models import unpack_modes
from zhouqiao.core import audit
from zhouqiao.core.errors import Conflict, InvalidTransition, PermissionDenied
from zhouqiao.core.locking import lock
from zhouqiao.market import rules, todos
from zhouqiao.market.exceptions import NOT_ALLOWED
from zhouqiao.market.models import Auction, AuctionRegistration, Listing, ListingIntent
from zhouqiao.market.services.auctions import _append, _give_paddle, auction_from_listing
from zhouqiao.market.services.common import acting_organisation, fail, published_achievement
from zhouqiao.market.services.common import amount as parse_amount
from zhouqiao.market.services.common import mode as parse_mode
from zhouqiao.market.services.deals import record_deal
from zhouqiao.market.states import AuctionStatus, DealSource, EventKind, ListingStatus, NoIntentAction

LISTING_FIELDS = [
    "title",
    "price",
    "mode",
    "notice_starts_at",
    "notice_ends_at",
    "on_no_intent",
    "status",
    "relist_count",
    "auction_increment",
    "auction_deposit",
]
# Defaults when the owner leaves them empty: increment 1% and deposit 10% of the listing price.
DEFAULT_INCREMENT_RATE = Decimal("0.01")
DEFAULT_DEPOSIT_RATE = Decimal("0.10")


def _share(price: Decimal, rate: Decimal) -> Decimal:
    return max((price * rate).quantize(Decimal("1"), rounding=ROUND_HALF_UP), Decimal("1")).quantize(
        Decimal("0.01")
    )


@transaction.atomic(durable=True)
def create_listing(
    *,
    actor,
    achievement_id: int,
    price,
    mode: str,
    terms: str = "",
    on_no_intent: str = NoIntentAction.WITHDRAW,
    auction_increment=None,
    auction_deposit=None,
    now,
) -> Listing:
    achievement = published_achievement(achievement_id)
    seller = acting_organisation(actor, achievement.owner_id)
    price = parse_amount(price, "price", _("挂牌价格"))
    mode = parse_mode(mode)
    offered = unpack_modes(achievement.transfer_modes)
    if offered and mode not in offered:
        raise fail("mode", _("该成果未提供此种转化方式。"))
    if on_no_intent not in NoIntentAction.values:
        raise fail("on_no_intent", _("请选择公示期满无人登记意向时的处理方式。"))
    increment = (
        parse_amount(auction_increment, "auction_increment", _("竞价加价幅度"))
        if auction_increment not in (None, "")
        else _share(price, DEFAULT_INCREMENT_RATE)
    )
    deposit = (
        parse_amount(auction_deposit, "auction_deposit", _("竞价保证金"), allow_zero=True)
        if auction_deposit not in (None, "")
        else _share(price, DEFAULT_DEPOSIT_RATE)
    )
    if Auction.objects.filter(achievement=achievement, status=AuctionStatus.SCHEDULED).exists():
        raise fail("achievement", _("该成果正在拍卖中，不能同时挂牌。"), "already_at_auction")
    days = rules.notice_working_days(achievement.region_id)
    listing = Listing(
        achievement=achievement,
        seller=seller,
        region_id=achievement.region_id,
        title=achievement.title[:200],
        price=price,
        mode=mode,
        terms=(terms or "").strip(),
        notice_working_days=days,
        notice_starts_at=now,
        notice_ends_at=rules.notice_end(now, days),
        on_no_intent=on_no_intent,
        auction_increment=increment,
        auction_deposit=deposit,
        created_by=actor,
        created_at=now,
    )
    try:
        with transaction.atomic():
            listing.save()
    except IntegrityError:
        raise fail("achievement", _("该成果已在挂牌公示中。"), "already_listed") from None
    audit.record(
        "market.listing.create",
        actor=actor,
        target=listing,
        after=audit.snapshot(listing, LISTING_FIELDS),
        now=now,
    )
    return listing


@transaction.atomic(durable=True)
def register_intent(*, actor, listing_id: int, organisation_id=None, note: str = "", now) -> ListingIntent:
    """A verified organisation registers intent (意向受让) during the notice period."""
    listing = lock(Listing.objects.all(), listing_id)
    org = acting_organisation(actor, organisation_id)
    if listing.status != ListingStatus.NOTICE or now >= listing.notice_ends_at:
        raise InvalidTransition(_("公示期已结束，不能再登记受让意向。"), code="notice_over")
    if org.pk == listing.seller_id:
        raise PermissionDenied(_("挂牌方不能对本单位的挂牌项目登记受让意向。"), code="own_lot")
    intent = ListingIntent.objects.filter(listing=listing, organisation=org).first()
    if intent is not None and intent.withdrawn_at is None:
        raise Conflict(_("贵单位已登记受让意向。"), code="already_registered")
    if intent is None:
        intent = ListingIntent(listing=listing, organisation=org)
    intent.created_by, intent.created_at, intent.withdrawn_at = actor, now, None
    intent.note = (note or "").strip()[:500]
    intent.save()
    audit.record(
        "market.listing.intent", actor=actor, target=listing, after={"organisation": org.pk}, now=now
    )
    todos.intent_received(listing, intent, actor=actor, now=now)
    return intent


@transaction.atomic(durable=True)
def withdraw_intent(*, actor, listing_id: int, organisation_id=None, now) -> ListingIntent:
    listing = lock(Listing.objects.all(), listing_id)
    org = acting_organisation(actor, organisation_id, verified=False)
    intent = ListingIntent.objects.filter(listing=listing, organisation=org, withdrawn_at=None).first()
    if intent is None:
        raise InvalidTransition(_("贵单位没有可撤回的受让意向。"), code="no_intent")
    if listing.status != ListingStatus.NOTICE or now >= listing.notice_ends_at:
        raise InvalidTransition(_("公示期已结束，受让意向不能撤回。"), code="notice_over")
    intent.withdrawn_at = now
    intent.save(update_fields=["withdrawn_at"])
    audit.record(
        "market.listing.intent_withdrawn",
        actor=actor,
        target=listing,
        after={"organisation": org.pk},
        now=now,
    )
    return intent


@transaction.atomic(durable=True)
def withdraw_listing(*, actor, listing_id: int, reason: str, now) -> Listing:
    listing = lock(Listing.objects.all(), listing_id)
    if not scope.is_member(actor, listing.seller):
        raise PermissionDenied(NOT_ALLOWED)
    if listing.status != ListingStatus.NOTICE:
        raise InvalidTransition(
            _("当前状态“%(status)s”不能撤牌。") % {"status": listing.get_status_display()}
        )
    reason = (reason or "").strip()
    if not reason:
        raise fail("reason", _("撤牌必须填写理由。"))
    listing.status, listing.status_reason, listing.concluded_at = ListingStatus.WITHDRAWN, reason, now
    listing.save(update_fields=["status", "status_reason", "concluded_at"])
    audit.record(
        "market.listing.withdrawn",
        actor=actor,
        target=listing,
        before={"status": ListingStatus.NOTICE},
        after={"status": listing.status},
        reason=reason,
        now=now,
    )
    return listing


def qualified_intents(listing: Listing) -> list[ListingIntent]:
    return [
        i
        for i in listing.intents.select_related("organisation").filter(withdrawn_at=None).order_by("pk")
        if i.organisation.is_verified and i.organisation_id != listing.seller_id
    ]


@transaction.atomic(durable=True)
def conclude_listing(*, listing_id: int, now) -> Listing:
    """The scheduler ends a notice period; a no-op for a listing still in notice or already done."""
    listing = lock(Listing.objects.all(), listing_id)
    if listing.status != ListingStatus.NOTICE or now < listing.notice_ends_at:
        return listing
    before = audit.snapshot(listing, LISTING_FIELDS)
    period = listing.relist_count
    intents = qualified_intents(listing)
    if (
        not intents
        and listing.on_no_intent == NoIntentAction.RELIST
        and listing.relist_count < rules.max_relists()
    ):
        listing.relist_count += 1
        listing.notice_starts_at = listing.notice_ends_at
        listing.notice_ends_at = rules.notice_end(listing.notice_starts_at, listing.notice_working_days)
        listing.status_reason = _("公示期满无人登记受让意向，已自动重新挂牌。")
    elif not intents:
        listing.status = ListingStatus.UNSOLD
        listing.status_reason = _("公示期满无人登记受让意向，已撤牌。")
    elif len(intents) == 1:
        listing.status = ListingStatus.SOLD
        listing.status_reason = _("公示期满仅有一家意向受让方，按挂牌价格成交。")
    else:
        listing.status = ListingStatus.TO_AUCTION
        listing.status_reason = _("公示期满有 %(n)d 家意向受让方，转入竞价。") % {"n": len(intents)}
    listing.concluded_at = now if listing.status != ListingStatus.NOTICE else None
    listing.save()
    audit.record(
        f"market.listing.{listing.status}",
        actor=None,
        actor_name="scheduler",
        target=listing,
        before=before,
        after=audit.snapshot(listing, LISTING_FIELDS),
        now=now,
    )
    todos.listing_concluded(listing, period=period, now=now)
    if listing.status == ListingStatus.SOLD:
        record_deal(
            actor=None,
            now=now,
            drafter=listing.created_by,
            source=DealSource.LISTING,
            title=listing.title,
            achievement=listing.achievement,
            seller=listing.seller,
            buyer=intents[0].organisation,
            region=listing.region,
            amount=listing.price,
            mode=listing.mode,
            terms=listing.terms,
            listing=listing,
        )
    elif listing.status == ListingStatus.TO_AUCTION:
        auction = auction_from_listing(listing=listing, now=now)
        for intent in intents:
            registration = AuctionRegistration.objects.create(
                auction=auction,
                organisation=intent.organisation,
                created_by=intent.created_by,
                created_at=now,
                deposit_amount=auction.deposit_amount,
            )
            _append(
                auction,
                EventKind.REGISTERED,
                now=now,
                registration=registration,
                data={"organisation": intent.organisation_id, "from_intent": intent.pk},
            )
            if auction.deposit_amount == 0:
                _give_paddle(auction, registration, now=now, reference="", actor=None)
            todos.registered(auction, registration, now=now)
        auction.save(update_fields=["chain_length", "head_hash", "next_paddle"])
    return listing


def conclude_due_listings(*, now) -> list[int]:
    """The scheduled job (idempotent): conclude every listing whose notice period has ended."""
    done = []
    due = Listing.objects.filter(status=ListingStatus.NOTICE, notice_ends_at__lte=now).order_by("pk")
    for listing_id in due.values_list("pk", flat=True):
        conclude_listing(listing_id=listing_id, now=now)
        done.append(listing_id)
    return done
