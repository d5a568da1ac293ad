"""Auctions (拍卖/竞价, 004 §6): create, register bidders, deposits, bids, close.

Every record of an auction (creation, registrations, deposits, bids, extensions, the close) is
appended to its hash chain (:mod:`zhouqiao.market.chain`) in the same transaction as the change,
while the auction row is locked, so the chain has exactly one order.

Bidding (:func:`place_bid`) is one durable transaction on both databases: the auction row is
locked (``SELECT … FOR UPDATE`` on PostgreSQL; SQLite's ``BEGIN IMMEDIATE`` holds the write lock),
the bid is checked against the auction as the lock finds it, and the bid, the chain records and the
audit record are written through the models. Racing bidders queue on the lock; each then sees the
bids before it (see bench_auction for a burst of 50).

A bid must be the current price plus a whole multiple (≥ 1) of the increment; the first bid the
starting price plus a whole multiple (≥ 0). A bid inside the last ``extension_window_minutes`` moves the end to
``now + extension_minutes``. Times come from ``now`` (views pass the server clock).
"""

import secrets
from datetime import timedelta

from django.db import IntegrityError, OperationalError, transaction
from django.utils.translation import gettext as _

from zhouqiao.accounts import scope
from zhouqiao.accounts.models import Duty
from zhouqiao.core import audit
from zhouqiao.core.errors import (
    Conflict,
    InvalidTransition,
    NotFound,
    PermissionDenied,
    ValidationFailed,
)
from zhouqiao.core.locking import lock
from zhouqiao.core.money import format_yuan
from zhouqiao.market import chain, rules, todos
from zhouqiao.market.exceptions import NOT_ALLOWED
from zhouqiao.market.models import Auction, AuctionEvent, AuctionRegistration, ListingIntent, OutbidNotice
from zhouqiao.market.services.common import acting_organisation, fail, published_achievement
from zhouqiao.market.services.common import amount as parse_amount
from zhouqiao.market.services.common import mode as parse_mode
from zhouqiao.market.services.deals import record_deal
from zhouqiao.market.states import AuctionStatus, DealSource, DepositStatus, EventKind

AUCTION_FIELDS = [
    "title",
    "mode",
    "starts_at",
    "ends_at",
    "starting_price",
    "reserve_price",
    "increment",
    "deposit_amount",
    "status",
    "current_price",
    "final_hash",
]


def _append(
    auction: Auction,
    kind: str,
    *,
    now,
    registration=None,
    amount_=None,
    key: str = "",
    data: dict | None = None,
) -> AuctionEvent:
    """Append one record to the chain; the caller holds the auction lock and saves the auction."""
    data = data or {}
    seq = auction.chain_length + 1
    prev = auction.head_hash or chain.GENESIS
    digest = chain.digest(
        auction_id=auction.pk, seq=seq, kind=kind, at=now, amount=amount_, data=data, prev_hash=prev
    )
    event = AuctionEvent.objects.create(
        auction=auction,
        seq=seq,
        kind=kind,
        at=now,
        registration=registration,
        amount=amount_,
        idempotency_key=key,
        data=data,
        prev_hash=prev,
        hash=digest,
    )
    auction.chain_length, auction.head_hash = seq, digest
    return event


def _is_market_staff(actor, auction: Auction) -> bool:
    return scope.covers(actor, auction.region_id)


def _clean_terms(
    *, starts_at, ends_at, starting_price, reserve_price, increment, deposit_amount, now
) -> dict:
    cleaned = {
        "starting_price": parse_amount(starting_price, "starting_price", _("起拍价")),
        "reserve_price": parse_amount(reserve_price, "reserve_price", _("保留价"), allow_zero=True),
        "increment": parse_amount(increment, "increment", _("加价幅度")),
        "deposit_amount": parse_amount(deposit_amount, "deposit_amount", _("保证金"), allow_zero=True),
    }
    if starts_at is None or ends_at is None:
        raise fail("starts_at", _("请填写竞价开始和结束时间。"))
    if ends_at <= starts_at:
        raise fail("ends_at", _("竞价结束时间应晚于开始时间。"))
    if ends_at <= now:
        raise fail("ends_at", _("竞价结束时间应晚于当前时间。"))
    return {**cleaned, "starts_at": starts_at, "ends_at": ends_at}


def _new_auction(
    *, actor, achievement, seller, title, mode_, terms, listing=None, restricted=False, now, **cleaned
) -> Auction:
    window, extension = rules.extension(achievement.region_id)
    auction = Auction.objects.create(
        achievement=achievement,
        seller=seller,
        region_id=achievement.region_id,
        listing=listing,
        title=title,
        mode=mode_,
        terms=terms,
        scheduled_end_at=cleaned["ends_at"],
        extension_window_minutes=window,
        extension_minutes=extension,
        restricted=restricted,
        created_by=actor,
        created_at=now,
        reserve_salt=secrets.token_hex(16),
        **cleaned,
    )
    _append(
        auction,
        EventKind.CREATED,
        now=now,
        data={
            "title": title,
            "seller": seller.pk,
            "starts_at": auction.starts_at.isoformat(),
            "ends_at": auction.ends_at.isoformat(),
            "starting_price": str(auction.starting_price),
            "increment": str(auction.increment),
            "deposit": str(auction.deposit_amount),
            # The reserve price is secret until the close; the chain commits to it without showing it.
            "reserve_commitment": chain.reserve_commitment(auction.reserve_price, auction.reserve_salt),
            "listing": listing.pk if listing else None,
        },
    )
    auction.save(update_fields=["chain_length", "head_hash"])
    audit.record(
        "market.auction.create",
        actor=actor,
        target=auction,
        after=audit.snapshot(auction, AUCTION_FIELDS),
        now=now,
    )
    return auction


@transaction.atomic(durable=True)
def create_auction(
    *,
    actor,
    achievement_id: int,
    mode: str,
    starts_at,
    ends_at,
    starting_price,
    reserve_price,
    increment,
    deposit_amount,
    terms: str = "",
    title: str = "",
    now,
) -> Auction:
    """The owner of a published achievement puts it to auction."""
    achievement = published_achievement(achievement_id)
    seller = acting_organisation(actor, achievement.owner_id)
    cleaned = _clean_terms(
        starts_at=starts_at,
        ends_at=ends_at,
        starting_price=starting_price,
        reserve_price=reserve_price,
        increment=increment,
        deposit_amount=deposit_amount,
        now=now,
    )
    if Auction.objects.filter(achievement=achievement, status=AuctionStatus.SCHEDULED).exists():
        raise fail("achievement", _("该成果已有正在进行的拍卖。"), "already_at_auction")
    return _new_auction(
        actor=actor,
        achievement=achievement,
        seller=seller,
        title=(title or achievement.title)[:200],
        mode_=parse_mode(mode),
        terms=terms.strip(),
        now=now,
        **cleaned,
    )


def auction_from_listing(*, listing, now) -> Auction:
    """Inside the listing's conclusion: an auction among its intending buyers, at the listing
    price as starting and reserve price, scheduled by :func:`rules.auction_schedule`."""
    starts_at, ends_at = rules.auction_schedule(listing.notice_ends_at)
    if ends_at <= now:  # a late run of the job: start one working day from now instead
        starts_at, ends_at = rules.auction_schedule(now)
    auction = _new_auction(
        actor=None,
        achievement=listing.achievement,
        seller=listing.seller,
        title=listing.title,
        mode_=listing.mode,
        terms=listing.terms,
        listing=listing,
        restricted=True,
        now=now,
        starts_at=starts_at,
        ends_at=ends_at,
        starting_price=listing.price,
        reserve_price=listing.price,
        increment=listing.auction_increment,
        deposit_amount=listing.auction_deposit,
    )
    return auction


def _qualified_for(auction: Auction, organisation) -> bool:
    if not auction.restricted:
        return True
    return ListingIntent.objects.filter(
        listing_id=auction.listing_id, organisation=organisation, withdrawn_at=None
    ).exists()


def _give_paddle(auction: Auction, registration: AuctionRegistration, *, now, reference: str, actor) -> None:
    registration.deposit_status = DepositStatus.PAID
    registration.deposit_paid_at = now
    registration.deposit_reference = reference
    registration.deposit_recorded_by = actor if getattr(actor, "is_authenticated", False) else None
    registration.paddle = auction.next_paddle
    auction.next_paddle += 1
    registration.save()
    _append(
        auction,
        EventKind.DEPOSIT_PAID,
        now=now,
        registration=registration,
        amount_=registration.deposit_amount if registration.deposit_amount > 0 else None,
        data={
            "paddle": registration.paddle,
            "organisation": registration.organisation_id,
            "reference": reference,
        },
    )
    todos.deposit_confirmed(auction, registration, actor=actor, now=now)


@transaction.atomic(durable=True)
def register_bidder(*, actor, auction_id: int, organisation_id=None, now) -> AuctionRegistration:
    """A verified organisation registers to bid; with no deposit due it gets its paddle at once."""
    auction = lock(Auction.objects.all(), auction_id)
    org = acting_organisation(actor, organisation_id)
    if auction.status != AuctionStatus.SCHEDULED or now >= auction.ends_at:
        raise InvalidTransition(_("本场拍卖已结束，不能再报名。"), code="auction_over")
    if org.pk == auction.seller_id:
        raise PermissionDenied(_("委托方不能参与本单位拍品的竞买。"), code="own_lot")
    if not _qualified_for(auction, org):
        raise PermissionDenied(_("本场竞价仅限挂牌期内登记受让意向的机构参加。"), code="not_intending_buyer")
    if AuctionRegistration.objects.filter(auction=auction, organisation=org).exists():
        raise Conflict(_("贵单位已报名本场拍卖。"), code="already_registered")
    registration = AuctionRegistration.objects.create(
        auction=auction,
        organisation=org,
        created_by=actor,
        created_at=now,
        deposit_amount=auction.deposit_amount,
    )
    _append(auction, EventKind.REGISTERED, now=now, registration=registration, data={"organisation": org.pk})
    if auction.deposit_amount == 0:
        _give_paddle(auction, registration, now=now, reference="", actor=actor)
    auction.save(update_fields=["chain_length", "head_hash", "next_paddle"])
    audit.record(
        "market.auction.register", actor=actor, target=auction, after={"organisation": org.pk}, now=now
    )
    todos.registered(auction, registration, now=now)
    return registration


def _record_deposit(*, actor, registration_id: int, reference: str, now) -> AuctionRegistration:
    auction_id = (
        AuctionRegistration.objects.filter(pk=registration_id).values_list("auction_id", flat=True).first()
    )
    if auction_id is None:
        raise NotFound(_("竞买登记不存在。"))
    auction = lock(Auction.objects.all(), auction_id)
    registration = AuctionRegistration.objects.select_related("organisation").get(pk=registration_id)
    if actor is not None and not scope.covers(actor, auction.region_id, Duty.FINANCE):
        raise PermissionDenied(NOT_ALLOWED)
    if registration.deposit_status != DepositStatus.PENDING:
        raise InvalidTransition(_("该竞买人的保证金已登记，不能重复登记。"), code="deposit_recorded")
    if auction.status != AuctionStatus.SCHEDULED or now >= auction.ends_at:
        raise InvalidTransition(_("本场拍卖已结束，不能再登记保证金。"), code="auction_over")
    reference = (reference or "").strip()[:64]
    if not reference:
        raise fail("reference", _("请填写缴款凭证号（银行流水号）。"))
    _give_paddle(auction, registration, now=now, reference=reference, actor=actor)
    auction.save(update_fields=["chain_length", "head_hash", "next_paddle"])
    audit.record(
        "market.auction.deposit_paid",
        actor=actor,
        target=auction,
        after={"registration": registration.pk, "paddle": registration.paddle, "reference": reference},
        actor_name="" if actor else "payment-hook",
        now=now,
    )
    return registration


@transaction.atomic(durable=True)
def record_deposit(*, actor, registration_id: int, reference: str, now) -> AuctionRegistration:
    """Finance staff of the lot's region record a deposit as received (offline bank transfer)."""
    if actor is None:
        raise PermissionDenied(NOT_ALLOWED)
    return _record_deposit(actor=actor, registration_id=registration_id, reference=reference, now=now)


@transaction.atomic(durable=True)
def confirm_deposit_from_gateway(*, registration_id: int, reference: str, now) -> AuctionRegistration:
    """The pluggable payment hook: a payment integration calls this when a deposit has arrived.
    No gateway ships with Zhouqiao; deployments wire their bank's notification to it."""
    return _record_deposit(actor=None, registration_id=registration_id, reference=reference, now=now)


def _bid_error(message, code: str, field: str = "amount", **extra) -> ValidationFailed:
    return ValidationFailed(message, code=code, detail={field: [str(message)], **extra})


def _check_bid(auction: Auction, registration, bid, now) -> None:
    if auction.status != AuctionStatus.SCHEDULED:
        raise InvalidTransition(_("本场拍卖已结束，不能再出价。"), code="auction_over")
    if now < auction.starts_at:
        raise InvalidTransition(_("竞价尚未开始，请在开始时间后出价。"), code="auction_not_started")
    if now >= auction.ends_at:
        raise InvalidTransition(_("竞价已结束，不能再出价。"), code="auction_over")
    if registration is None or registration.deposit_status != DepositStatus.PAID:
        raise PermissionDenied(_("贵单位未报名本场拍卖或保证金尚未到账，不能出价。"), code="not_registered")
    # The current highest bidder does not raise its own bid (as in the exchanges' 网络竞价 rules:
    # 当前最高报价者不能连续报价): it would only bid against itself (a tester's paddle 1 went from
    # 33万元 to 34万元 unopposed). Checked under the auction's lock, so it holds under races.
    if auction.leading_id is not None and auction.leading_id == registration.pk:
        raise InvalidTransition(
            _("贵单位当前出价领先，不能连续出价；其他竞买人出价超过后方可再次出价。"),
            code="already_leading",
        )
    _check_price(auction, bid)


def _check_price(auction: Auction, bid) -> None:
    minimum = auction.minimum_bid()
    if bid < minimum:
        if auction.current_price is None:
            raise _bid_error(
                _("出价不能低于起拍价%(min)s。") % {"min": format_yuan(minimum)},
                "below_minimum",
                minimum_bid=str(minimum),
            )
        raise _bid_error(
            _("出价须至少为当前价加一个加价幅度，即不低于%(min)s。") % {"min": format_yuan(minimum)},
            "below_minimum",
            minimum_bid=str(minimum),
        )
    if (bid - minimum) % auction.increment != 0:
        raise _bid_error(
            _("出价须为当前价加上加价幅度（%(inc)s）的整数倍，例如%(a)s或%(b)s。")
            % {
                "inc": format_yuan(auction.increment),
                "a": format_yuan(minimum),
                "b": format_yuan(minimum + auction.increment),
            },
            "not_a_multiple",
        )


def _existing_bid(registration, key: str):
    return AuctionEvent.objects.filter(
        registration=registration, idempotency_key=key, kind=EventKind.BID
    ).first()


def place_bid(*, actor, auction_id: int, amount, idempotency_key: str, organisation_id=None, now):
    """Bid for the organisation ``actor`` names (or their only one). Returns ``(bid_event, replayed)``;
    the same ``idempotency_key`` from the same bidder returns the first accepted bid and changes
    nothing.

    One durable transaction: lock the auction row (PostgreSQL waits for a concurrent bid's
    transaction; SQLite's ``BEGIN IMMEDIATE`` already serialises writers), check the bid against
    the auction as the lock finds it, append the bid (and an extension) to the chain, move the
    auction and write the audit record."""
    key = (idempotency_key or "").strip()
    if not key or len(key) > 128:
        raise _bid_error(
            _("请提供本次出价的唯一标识（Idempotency-Key，不超过128个字符）。"),
            "idempotency_key_required",
            "idempotency_key",
        )
    try:
        bid = parse_amount(amount, "amount", _("出价"))
    except ValidationFailed as exc:
        raise _bid_error(exc.message, "invalid_amount") from None
    organisation = acting_organisation(actor, organisation_id)  # refuses strangers and the unverified
    try:
        with transaction.atomic(durable=True):
            auction = lock(Auction.objects.all(), auction_id)
            registration = AuctionRegistration.objects.filter(
                auction=auction, organisation=organisation
            ).first()
            first = _existing_bid(registration, key) if registration else None
            if first is not None:
                return _replay(first, bid)
            if organisation.pk == auction.seller_id:
                raise PermissionDenied(_("委托方不能对本单位的拍品出价。"), code="own_lot")
            _check_bid(auction, registration, bid, now)
            return _accept(auction, registration, bid, key, actor=actor, now=now), False
    except IntegrityError:  # the same key, accepted a moment ago by a parallel request
        first = _existing_bid(registration, key)
        if first is None:
            raise Conflict(_("系统繁忙，请稍后重试。"), code="busy") from None
        return _replay(first, bid)
    except OperationalError:
        raise Conflict(_("系统繁忙，请稍后重试。"), code="busy") from None


def _replay(first: AuctionEvent, bid):
    if first.amount != bid:
        raise _bid_error(
            _("该 Idempotency-Key 已用于另一笔金额不同的出价。"), "idempotency_key_reused", "idempotency_key"
        )
    return first, True


def _accept(auction: Auction, registration, bid, key: str, *, actor, now) -> AuctionEvent:
    """Inside the transaction, the auction locked: the bid and (in the extension window) the
    extension appended to the chain, the auction moved, the audit record."""
    seq = auction.chain_length + 1
    event = _append(
        auction,
        EventKind.BID,
        now=now,
        registration=registration,
        amount_=bid,
        key=key,
        data={"paddle": registration.paddle},
    )
    new_end = now + timedelta(minutes=auction.extension_minutes)
    in_window = auction.ends_at - now <= timedelta(minutes=auction.extension_window_minutes)
    if in_window and new_end > auction.ends_at:
        _append(
            auction,
            EventKind.EXTENDED,
            now=now,
            data={"from": auction.ends_at.isoformat(), "to": new_end.isoformat(), "bid": seq},
        )
        auction.ends_at = new_end
    auction.current_price = bid
    auction.leading = registration
    auction.bid_count += 1
    auction.save(
        update_fields=["current_price", "leading", "bid_count", "chain_length", "head_hash", "ends_at"]
    )
    audit.record(
        "market.auction.bid",
        actor=actor,
        target=auction,
        after={"amount": bid, "paddle": registration.paddle, "seq": seq},
        now=now,
    )
    return event


@transaction.atomic(durable=True)
def reschedule_auction(*, actor, auction_id: int, starts_at, ends_at, now) -> Auction:
    """The seller or market staff move the times of an auction that has no bid yet."""
    auction = lock(Auction.objects.all(), auction_id)
    if not (scope.is_member(actor, auction.seller) or _is_market_staff(actor, auction)):
        raise PermissionDenied(NOT_ALLOWED)
    if auction.status != AuctionStatus.SCHEDULED or auction.bid_count:
        raise InvalidTransition(_("已有出价或已结束的拍卖不能调整时间。"), code="auction_started")
    if ends_at <= starts_at or ends_at <= now:
        raise fail("ends_at", _("竞价结束时间应晚于开始时间和当前时间。"))
    before = {"starts_at": auction.starts_at, "ends_at": auction.ends_at}
    auction.starts_at, auction.ends_at, auction.scheduled_end_at = starts_at, ends_at, ends_at
    _append(
        auction,
        EventKind.RESCHEDULED,
        now=now,
        data={"starts_at": starts_at.isoformat(), "ends_at": ends_at.isoformat()},
    )
    auction.save(update_fields=["starts_at", "ends_at", "scheduled_end_at", "chain_length", "head_hash"])
    audit.record(
        "market.auction.reschedule",
        actor=actor,
        target=auction,
        before=before,
        after={"starts_at": starts_at, "ends_at": ends_at},
        now=now,
    )
    return auction


def _settle_deposits(auction: Auction, winner, now) -> None:
    for registration in auction.registrations.filter(deposit_status=DepositStatus.PAID):
        registration.deposit_status = (
            DepositStatus.APPLIED if registration == winner else DepositStatus.RELEASED
        )
        registration.deposit_settled_at = now
        registration.save(update_fields=["deposit_status", "deposit_settled_at"])


@transaction.atomic(durable=True)
def cancel_auction(*, actor, auction_id: int, reason: str, now) -> Auction:
    auction = lock(Auction.objects.all(), auction_id)
    if not (scope.is_member(actor, auction.seller) or _is_market_staff(actor, auction)):
        raise PermissionDenied(NOT_ALLOWED)
    if auction.status != AuctionStatus.SCHEDULED or auction.bid_count:
        raise InvalidTransition(_("已有出价或已结束的拍卖不能取消。"), code="auction_started")
    reason = (reason or "").strip()
    if not reason:
        raise fail("reason", _("取消拍卖必须填写理由。"))
    auction.status, auction.status_reason, auction.closed_at = AuctionStatus.CANCELLED, reason, now
    _settle_deposits(auction, None, now)
    event = _append(auction, EventKind.CANCELLED, now=now, data={"reason": reason})
    auction.final_hash = event.hash
    auction.save()
    audit.record(
        "market.auction.cancel",
        actor=actor,
        target=auction,
        before={"status": AuctionStatus.SCHEDULED},
        after={"status": auction.status},
        reason=reason,
        now=now,
    )
    todos.auction_cancelled(auction, actor=actor, reason=reason, now=now)
    return auction


@transaction.atomic(durable=True)
def close_auction(*, auction_id: int, now) -> Auction:
    """The scheduler closes an auction whose end has passed; a no-op for one already closed or
    still running (an extension may have moved its end). Sold if the highest bid reaches the
    reserve price: a deal, the winner's deposit applied; the other deposits released."""
    auction = lock(Auction.objects.all(), auction_id)
    if auction.status != AuctionStatus.SCHEDULED or now < auction.ends_at:
        return auction
    winner = auction.leading
    sold = winner is not None and auction.current_price >= auction.reserve_price
    auction.status = AuctionStatus.SOLD if sold else AuctionStatus.UNSOLD
    auction.closed_at = now
    _settle_deposits(auction, winner if sold else None, now)
    event = _append(
        auction,
        EventKind.CLOSED,
        now=now,
        registration=winner if sold else None,
        amount_=auction.current_price if sold else None,
        data={
            "outcome": auction.status,
            "reserve_price": str(auction.reserve_price),
            "reserve_salt": auction.reserve_salt,
            "bids": auction.bid_count,
            "paddle": winner.paddle if sold else None,
        },
    )
    auction.final_hash = event.hash
    auction.save()
    audit.record(
        f"market.auction.{auction.status}",
        actor=None,
        actor_name="scheduler",
        target=auction,
        before={"status": AuctionStatus.SCHEDULED},
        after=audit.snapshot(auction, AUCTION_FIELDS),
        now=now,
    )
    todos.auction_closed(auction, winner=winner if sold else None, now=now)
    if sold:
        origin = {"listing": auction.listing} if auction.listing_id else {}
        drafter = auction.created_by or (auction.listing.created_by if auction.listing_id else None)
        record_deal(
            actor=None,
            now=now,
            drafter=drafter,
            source=DealSource.AUCTION,
            title=auction.title,
            achievement=auction.achievement,
            seller=auction.seller,
            buyer=winner.organisation,
            region=auction.region,
            amount=auction.current_price,
            mode=auction.mode,
            terms=auction.terms,
            auction=auction,
            **origin,
        )
    return auction


def close_due_auctions(*, now) -> list[int]:
    """The scheduled job: close every auction whose end has passed. Safe to run any number of
    times, also concurrently (each close locks its auction and re-checks)."""
    closed = []
    for auction_id in Auction.objects.due_for_closing(now).order_by("pk").values_list("pk", flat=True):
        if close_auction(auction_id=auction_id, now=now).status != AuctionStatus.SCHEDULED:
            closed.append(auction_id)
    return closed


def tell_outbid_bidders(*, now) -> int:
    """The scheduled job (every minute, before the close): for each running auction, tell the
    bidder each new bid displaced (not when an organisation raises its own lead). The bid path
    itself stays one statement and tells nobody; the job follows the auction's record from where it
    last stopped (:class:`OutbidNotice`). Idempotent, also when two runs overlap (the notice of a
    bid has that bid as its key). Returns how many people were told."""
    running = dict(
        Auction.objects.filter(status=AuctionStatus.SCHEDULED, bid_count__gt=0).values_list(
            "pk", "chain_length"
        )
    )
    done = dict(OutbidNotice.objects.filter(auction_id__in=running).values_list("auction_id", "seq"))
    told = 0
    for auction_id in sorted(running):
        if running[auction_id] > done.get(auction_id, 0):
            told += _tell_outbid(auction_id, now=now)
    return told


@transaction.atomic(durable=True)
def _tell_outbid(auction_id: int, *, now) -> int:
    notice, _created = OutbidNotice.objects.select_for_update().get_or_create(auction_id=auction_id)
    bids = AuctionEvent.objects.filter(auction_id=auction_id, kind=EventKind.BID).select_related(
        "registration__organisation"
    )
    before = bids.filter(seq__lte=notice.seq).order_by("-seq").first()
    new = list(bids.filter(seq__gt=notice.seq).order_by("seq"))
    if not new:
        return 0
    auction = Auction.objects.only("pk", "title").get(pk=auction_id)
    told = 0
    for previous, bid in zip([before, *new[:-1]], new, strict=True):
        if previous is not None:
            told += todos.outbid(auction, bid=bid, previous=previous, now=now)
    notice.seq = new[-1].seq
    notice.save(update_fields=["seq"])
    return told
