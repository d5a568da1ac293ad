"""Auctions (拍卖/竞价, 004 §6): create, register bidders, deposits, bids, close.

Every record of an auction (creation, registrations, deposits, bids, extensions, the close) is
appended to its hash chain (:mod:`zhouqiao.market.chain`) in the same transaction as the change,
while the auction row is locked, so the chain has exactly one order.

Bidding (:func:`place_bid`) on PostgreSQL is first tried as ONE prepared statement
(:func:`_bid_at_once`): it reads the auction, the bidder's registration and whether the idempotency
key was used, checks the bid in the WHERE of a locking read of the auction (so the checks hold for
the row as the lock finds it, and a bid its snapshot already refuses takes no lock), computes the
chain's next record on the server (the same canonical content and SHA-256 as :mod:`chain`), moves
the auction and appends the bid and the audit record. A refused bid costs that one statement: the
reason is named by the ordinary checks on the snapshot it returns. Otherwise — SQLite, a bid in
the extension window, an auction that moved while the statement ran — bidding reads the auction
(same query), validates, then moves the auction with a conditional ``UPDATE … WHERE chain_length =
<read>`` and appends the bid (and the audit record). On PostgreSQL that is again one statement that
also returns the auction as its row lock found it, so a losing bidder re-validates without another
query; the row lock is held only while the server runs a statement. On SQLite (``BEGIN IMMEDIATE``
holds the write lock) it is an ORM update and inserts in one durable transaction. If the auction
moved in between, the bid is validated again (usually it is now too low; see bench_auction).

A bid must be the current price plus a whole multiple (≥ 1) of the increment; the first bid the
starting price plus a whole multiple (≥ 0). A bid inside the last ``extension_window_minutes`` moves the end to
``now + extension_minutes``. Times come from ``now`` (views pass the server clock).
"""

# The plain SQL of the bid path interpolates only table and column names from the models and
# fixed fragments; every value is a query parameter.
# ruff: noqa: S608

import functools
import secrets
from contextlib import nullcontext
from datetime import timedelta

from django.db import IntegrityError, OperationalError, connection, transaction
from django.db.models import F, Q
from django.utils.translation import gettext as _

from zhouqiao.accounts import scope
from zhouqiao.accounts.models import Duty, Membership, Organisation
from zhouqiao.accounts.states import VerificationStatus
from zhouqiao.core import audit, prepared
from zhouqiao.core.errors import (
    Conflict,
    InvalidTransition,
    NotFound,
    PermissionDenied,
    ValidationFailed,
)
from zhouqiao.core.locking import lock
from zhouqiao.core.models import AuditEvent
from zhouqiao.core.money import format_yuan
from zhouqiao.market import chain, rules, todos
from zhouqiao.market.exceptions import NOT_ALLOWED, NOT_VERIFIED
from zhouqiao.market.models import Auction, AuctionEvent, AuctionRegistration, ListingIntent, OutbidNotice
from zhouqiao.market.services.common import acting_organisation, fail, published_achievement
from zhouqiao.market.services.common import amount as parse_amount
from zhouqiao.market.services.common import mode as parse_mode
from zhouqiao.market.services.deals import record_deal
from zhouqiao.market.states import AuctionStatus, DealSource, DepositStatus, EventKind


def _bids_in_one_statement() -> bool:
    """On PostgreSQL a bid is read, checked and written by one statement (see :func:`_bid_at_once`)."""
    return connection.vendor == "postgresql"


def _unchanged_since_read(auction, read_length: int) -> Q:
    """The guard of a bid's update: the auction is still open and its chain is as long as when it was
    read, so nothing else was accepted in between (a loser finds it false and re-validates)."""
    return Q(pk=auction.pk, status=AuctionStatus.SCHEDULED, chain_length=read_length)


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


# The auction's fields a bid reads (its checks, its records, its audit record); the others stay
# deferred (loaded on access).
_BID_READ_FIELDS = (
    "id",
    "seller_id",
    "region_id",
    "title",
    "starts_at",
    "ends_at",
    "starting_price",
    "increment",
    "extension_window_minutes",
    "extension_minutes",
    "status",
    "current_price",
    "chain_length",
    "head_hash",
)


@functools.cache
def _read_sql(for_organisation: bool) -> tuple[str, prepared.Columns]:
    events = AuctionEvent._meta.db_table
    columns = prepared.Columns(Auction, "a", _BID_READ_FIELDS)
    sql = (
        f"SELECT {columns.sql}, r.id, r.organisation_id, r.paddle, r.deposit_status, o.status,"
        # The key's test repeats the unique index's condition so that a generic plan (prepared
        # statements) can use that index instead of scanning all the bidder's records.
        f" EXISTS (SELECT 1 FROM {events} e WHERE e.registration_id = r.id AND e.idempotency_key = %s"
        " AND NOT e.idempotency_key = '' AND e.kind = %s)"
        f" FROM {Auction._meta.db_table} a LEFT JOIN {_registration_join(for_organisation)}"
        f" LEFT JOIN {Organisation._meta.db_table} o ON o.id = r.organisation_id WHERE a.id = %s"
    )
    return sql, columns


def _registration_join(for_organisation: bool) -> str:
    """The first registration for this auction of an organisation the user belongs to (the given
    one). PostgreSQL: a lateral subquery, so the plan looks it up by the auction's index instead
    of hashing every registration of every auction; SQLite has no LATERAL."""
    regs, members = AuctionRegistration._meta.db_table, Membership._meta.db_table
    only_org = " AND r2.organisation_id = %s" if for_organisation else ""
    if connection.vendor == "postgresql":
        return (
            "LATERAL (SELECT r2.id, r2.organisation_id, r2.paddle, r2.deposit_status"
            f" FROM {regs} r2 JOIN {members} m ON m.organisation_id = r2.organisation_id AND m.user_id = %s"
            f" WHERE r2.auction_id = a.id{only_org} ORDER BY r2.id LIMIT 1) r ON true"
        )
    return (
        f"{regs} r ON r.id = (SELECT r2.id FROM {regs} r2 WHERE r2.auction_id = a.id AND r2.organisation_id"
        f" IN (SELECT m.organisation_id FROM {members} m WHERE m.user_id = %s){only_org} ORDER BY r2.id LIMIT 1)"
    )


def _read_auction(auction_id: int, actor, organisation_id, key: str):
    """One query, run on every attempt: the auction; the registration of the organisation the
    actor bids for (with that organisation's verification status); and whether this bidder's
    key was already accepted (``auction.key_used``). Returns ``(auction, registration)``, each
    None if there is none. Plain SQL, prepared on PostgreSQL: under contention the ORM's query
    compilation and the server's planning cost more than running the query."""
    sql, columns = _read_sql(bool(organisation_id))
    with prepared.cursor() if connection.vendor == "postgresql" else connection.cursor() as cursor:
        cursor.execute(sql, _read_params(auction_id, actor, organisation_id, key))
        row = cursor.fetchone()
    return _loaded(row, columns)


def _read_params(auction_id, actor, organisation_id, key: str) -> list:
    user_id = actor.pk if getattr(actor, "is_authenticated", False) else None
    return [key, EventKind.BID, user_id, *([organisation_id] if organisation_id else []), auction_id]


def _loaded(row, columns: prepared.Columns):
    """``(auction, registration)`` from a row of :func:`_read_sql`'s query."""
    if row is None:
        return None, None
    auction = columns.load(row[: len(columns)])
    reg_id, reg_organisation_id, paddle, deposit_status, organisation_status, key_used = row[len(columns) :]
    auction.key_used = bool(key_used)
    if reg_id is None:
        return auction, None
    known = {
        "id": reg_id,
        "organisation_id": reg_organisation_id,
        "paddle": paddle,
        "deposit_status": deposit_status,
    }
    # The other fields stay deferred (loaded on access), so the instance is never wrong.
    registration = prepared.loaded(AuctionRegistration, list(known), list(known.values()))
    registration.auction = auction
    registration.organisation_status = organisation_status
    return auction, registration


class _Moved(Exception):
    """The auction changed between reading it and the conditional update: validate again against
    ``auction`` (its state right after the failed update) or, when that is None, read it again."""

    def __init__(self, auction=None):
        super().__init__()
        self.auction = auction


# --- PostgreSQL: a bid in one statement, validated under the row lock -------------------------------------

# Stand-ins for the three values of a bid's canonical content (see chain.canonical) that only the
# statement knows: the paddle, the previous hash and the sequence number.
_PADDLE, _PREV, _SEQ = -7070707070707, "~prev~", -8080808080808

# Columns of the ``snap`` row (what :func:`_read_sql` reads) after the auction's own.
_SNAP_EXTRA = (
    "reg_id",
    "reg_organisation_id",
    "reg_paddle",
    "reg_deposit_status",
    "organisation_status",
    "key_used",
)


def _canonical_parts(auction_id: int, bid, now) -> list[str]:
    """A bid's canonical content (:func:`chain.canonical`) cut around the paddle, the previous hash
    and the sequence number, which the statement puts in (as JSON writes them: digits, hex)."""
    text = chain.canonical(
        auction_id=auction_id,
        seq=_SEQ,
        kind=EventKind.BID,
        at=now,
        amount=bid,
        data={"paddle": _PADDLE},
        prev_hash=_PREV,
    ).decode()
    head, _sep, rest = text.partition(str(_PADDLE))
    middle, _sep, rest = rest.partition(_PREV)
    tail, _sep, end = rest.partition(str(_SEQ))
    if not end or head + str(_PADDLE) + middle + _PREV + tail + str(_SEQ) + end != text:
        raise AssertionError("unexpected canonical form")  # pragma: no cover
    return [head, middle, tail, end]


@functools.cache
def _bid_at_once_sql(for_organisation: bool) -> tuple[str, prepared.Columns, list, list]:
    """The SQL of :func:`_bid_at_once`, the auction's columns in its ``snap`` part, and the fields
    of the bid record and of the audit record whose values are parameters."""
    read_sql, columns = _read_sql(for_organisation)
    table = Auction._meta.db_table
    minimum = "COALESCE(a.current_price + a.increment, a.starting_price)"
    snap = f"snap ({', '.join([*columns.names, *_SNAP_EXTRA])}) AS ({read_sql})"
    # Every check of _check_bid, on the auction as the row lock finds it (a bid that the statement's
    # snapshot already refuses takes no lock at all), and the bidder's as the snapshot found them.
    # Not in the extension window: a bid there takes the two-step path, which extends.
    cur = (
        f"cur AS (SELECT a.id, a.chain_length + 1 AS seq, COALESCE(NULLIF(a.head_hash, ''), %s) AS prev,"
        f" a.title, a.region_id FROM {table} a WHERE a.id = %s AND a.status = %s"
        " AND a.starts_at <= %s::timestamptz"
        " AND a.ends_at - %s::timestamptz > make_interval(mins => a.extension_window_minutes)"
        f" AND %s::numeric >= {minimum} AND mod(%s::numeric - {minimum}, a.increment) = 0"
        " AND (SELECT s.reg_paddle IS NOT NULL AND s.reg_deposit_status = %s AND s.organisation_status = %s"
        " AND NOT s.key_used AND s.reg_organisation_id <> s.seller_id FROM snap s)"
        " FOR UPDATE)"
    )
    bid = (
        "bid AS (SELECT cur.id, cur.seq, cur.prev, cur.title, cur.region_id, s.reg_id, s.reg_paddle,"
        " %s::text AS amount_text, encode(sha256(convert_to(%s::text || s.reg_paddle::text || %s::text"
        " || cur.prev || %s::text || cur.seq::text || %s::text, 'UTF8')), 'hex') AS hash FROM cur, snap s)"
    )
    moved = (
        f"moved AS (UPDATE {table} a SET current_price = %s::numeric, leading_id = bid.reg_id,"
        " bid_count = a.bid_count + 1, chain_length = bid.seq, head_hash = bid.hash"
        " FROM bid WHERE a.id = bid.id RETURNING a.id)"
    )
    source = "moved JOIN bid ON bid.id = moved.id"
    event_sql, event_fields = prepared.insert_cte(
        "e0",
        AuctionEvent,
        source,
        {
            "auction_id": "moved.id",
            "seq": "bid.seq",
            "registration_id": "bid.reg_id",
            "data": "jsonb_build_object('paddle', bid.reg_paddle)",
            "prev_hash": "bid.prev",
            "hash": "bid.hash",
        },
        returning=True,
    )
    audit_sql, audit_fields = prepared.insert_cte(
        "logged",
        AuditEvent,
        source,
        {
            "target_repr": "left(bid.title, 255)",
            "region_code": "COALESCE(bid.region_id, '')",
            "after": "jsonb_build_object('amount', bid.amount_text, 'paddle', bid.reg_paddle, 'seq', bid.seq)",
        },
    )
    sql = (
        f"WITH {snap}, {cur}, {bid}, {moved}, {event_sql}, {audit_sql}"
        " SELECT (SELECT id FROM e0), (SELECT seq FROM bid), (SELECT prev FROM bid), (SELECT hash FROM bid),"
        " snap.* FROM snap"
    )
    return sql, columns, event_fields, audit_fields


def _bid_at_once(auction_id, actor, organisation_id, key: str, bid, now):
    """PostgreSQL: read, check and accept a bid in ONE prepared statement. The checks that depend on
    the auction run in the WHERE of a locking read, so they hold for the row as it is when the lock
    is had (a concurrent bid is waited for and seen); the hash chain's next record is computed by
    the server from that row (the same canonical content as :mod:`chain`, SHA-256 in SQL).

    Returns ``(bid_event, None, None)``, or ``(None, auction, registration)`` as the statement's
    snapshot found them when it refused: the caller names the reason with the ordinary checks
    (if they pass, the auction moved during the statement or the bid falls in the extension
    window: the caller goes the two-step way)."""
    sql, columns, event_fields, audit_fields = _bid_at_once_sql(bool(organisation_id))
    auction_id = int(auction_id)
    record = {"kind": EventKind.BID, "at": now, "amount": bid, "idempotency_key": key}
    logged = audit.event("market.auction.bid", actor=actor, after={}, now=now)
    logged.target_type, logged.target_id = Auction._meta.label_lower, str(auction_id)
    params = _read_params(auction_id, actor, organisation_id, key)
    params += [chain.GENESIS, auction_id, AuctionStatus.SCHEDULED, now, now, bid, bid]
    params += [DepositStatus.PAID, VerificationStatus.VERIFIED, str(bid)]
    params += _canonical_parts(auction_id, bid, now)
    params.append(bid)
    params += [record[field.attname] for field in event_fields]
    params += prepared.values_of(logged, audit_fields)
    # Outside any transaction the statement is its own (autocommit). Inside one (tests) it keeps
    # place_bid's durable-transaction contract.
    with transaction.atomic(durable=True) if connection.in_atomic_block else nullcontext():
        with prepared.cursor() as cursor:
            cursor.execute(sql, params)
            row = cursor.fetchone()
    if row is None:
        return None, None, None
    bid_id, seq, prev, digest = row[:4]
    snap = row[4:]
    if bid_id is None:
        return (None, *_loaded(snap, columns))
    reg_id, paddle = snap[len(columns)], snap[len(columns) + 2]
    event = AuctionEvent(
        pk=bid_id,
        auction_id=auction_id,
        seq=seq,
        registration_id=reg_id,
        data={"paddle": paddle},
        prev_hash=prev,
        hash=digest,
        **record,
    )
    event._state.adding, event._state.db = False, connection.alias
    return event, None, None


ATTEMPTS = 20


def place_bid(*, actor, auction_id: int, amount, idempotency_key: str, organisation_id=None, now):
    """Bid for the organisation ``actor`` acts for. Returns ``(bid_event, replayed)``; the same
    ``idempotency_key`` from the same bidder returns the first accepted bid and changes nothing.

    PostgreSQL first tries the whole bid as one statement (:func:`_bid_at_once`); when it refuses,
    the checks below name the reason on the snapshot it returns. Otherwise: read the auction,
    validate, then in one durable transaction move the auction by a conditional UPDATE guarded by
    the chain length read (every change of an auction appends to its chain, so an unchanged chain
    length means an unchanged auction) and append the bid. If the guard fails, the auction moved:
    read it again and re-validate (usually the bid is now too low)."""
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
    moved_meanwhile = False
    if _bids_in_one_statement():
        try:
            accepted, auction, registration = _bid_at_once(auction_id, actor, organisation_id, key, bid, now)
        except IntegrityError:  # the same key, accepted a moment ago
            auction, registration = _read_auction(auction_id, actor, organisation_id, key)
            first = _existing_bid(registration, key)
            if first is None:
                raise Conflict(_("系统繁忙，请稍后重试。"), code="busy") from None
            return _replay(first, bid)
        except OperationalError:
            raise Conflict(_("系统繁忙，请稍后重试。"), code="busy") from None
        if accepted is not None:
            return accepted, False
        # Refused: the checks below say why, on the auction as the statement's snapshot found it.
        moved_meanwhile = True
    else:
        auction, registration = _read_auction(auction_id, actor, organisation_id, key)
    if registration is None:
        org = acting_organisation(actor, organisation_id)  # refuses strangers, non-members, unverified
    elif registration.organisation_status != VerificationStatus.VERIFIED:
        raise PermissionDenied(NOT_VERIFIED, code="not_verified")
    checked = False
    for _attempt in range(ATTEMPTS):
        if not checked:
            if auction is None:
                auction, _registration = _read_auction(auction_id, actor, organisation_id, key)
            if auction is None:
                raise NotFound(_("拍卖不存在。"))
            if auction.key_used:
                return _replay(_existing_bid(registration, key), bid)
            if (registration.organisation_id if registration else org.pk) == auction.seller_id:
                raise PermissionDenied(_("委托方不能对本单位的拍品出价。"), code="own_lot")
        _check_bid(auction, registration, bid, now)
        if moved_meanwhile:
            moved_meanwhile = False
            if auction.ends_at - now > timedelta(minutes=auction.extension_window_minutes):
                # The one statement refused a bid its snapshot allows: the auction moved while
                # it ran (a concurrent bid). Read it again. (In the extension window the bid goes
                # the two-step way below, which extends the end.)
                auction, checked = None, False
                continue
        try:
            if connection.vendor == "postgresql":  # one statement, its own transaction
                return _accept(auction, registration, bid, key, actor=actor, now=now), False
            with transaction.atomic(durable=True):
                return _accept(auction, registration, bid, key, actor=actor, now=now), False
        except _Moved as moved:
            # The state that beat us when the attempt brought it back (PostgreSQL), else read again.
            auction, checked = moved.auction, moved.auction is not None
            continue
        except IntegrityError:
            first = _existing_bid(registration, key)
            if first is None:
                raise Conflict(_("系统繁忙，请稍后重试。"), code="busy") from None
            return _replay(first, bid)
        except OperationalError:
            raise Conflict(_("系统繁忙，请稍后重试。"), code="busy") from None
    raise Conflict(_("出价人数过多，请刷新后重试。"), code="busy")


def _replay(first: AuctionEvent, bid):
    if first.amount != bid:
        raise _bid_error(
            _("该 Idempotency-Key 已用于另一笔金额不同的出价。"), "idempotency_key_reused", "idempotency_key"
        )
    return first, True


def _accept(auction: Auction, registration, bid, key: str, *, actor, now) -> AuctionEvent:
    """Inside the transaction: the conditional update, then the records whose sequence numbers
    and hashes it has just reserved."""
    read_length = auction.chain_length
    event_data = {"paddle": registration.paddle}
    prev = auction.head_hash or chain.GENESIS
    bid_hash = chain.digest(
        auction_id=auction.pk,
        seq=read_length + 1,
        kind=EventKind.BID,
        at=now,
        amount=bid,
        data=event_data,
        prev_hash=prev,
    )
    records = [(EventKind.BID, bid, event_data, prev, bid_hash)]
    new_end = now + timedelta(minutes=auction.extension_minutes)
    extend = (
        auction.ends_at - now <= timedelta(minutes=auction.extension_window_minutes)
        and new_end > auction.ends_at
    )
    if extend:
        data = {"from": auction.ends_at.isoformat(), "to": new_end.isoformat(), "bid": read_length + 1}
        records.append(
            (
                EventKind.EXTENDED,
                None,
                data,
                bid_hash,
                chain.digest(
                    auction_id=auction.pk,
                    seq=read_length + 2,
                    kind=EventKind.EXTENDED,
                    at=now,
                    amount=None,
                    data=data,
                    prev_hash=bid_hash,
                ),
            )
        )
    changes = {
        "current_price": bid,
        "leading": registration,
        "bid_count": F("bid_count") + 1,
        "chain_length": read_length + len(records),
        "head_hash": records[-1][4],
    }
    if extend:
        changes["ends_at"] = new_end
    audit_after = {"amount": bid, "paddle": registration.paddle, "seq": read_length + 1}
    if _bids_in_one_statement():
        bid_id = _accept_in_one_statement(
            auction, registration, records, changes, key, audit_after, actor=actor, now=now
        )
        if bid_id is None:
            raise _Moved(auction)
        kind, value, data, prev_hash, digest = records[0]
        return AuctionEvent(
            pk=bid_id,
            auction=auction,
            seq=read_length + 1,
            kind=kind,
            at=now,
            registration=registration,
            amount=value,
            idempotency_key=key,
            data=data,
            prev_hash=prev_hash,
            hash=digest,
        )
    # The guarded update first: it takes the row lock (a loser waits only for it, then finds the
    # guard false); the records it makes valid follow in the same transaction.
    if not Auction.objects.filter(_unchanged_since_read(auction, read_length)).update(**changes):
        raise _Moved
    events = [
        AuctionEvent.objects.create(
            auction=auction,
            seq=read_length + i + 1,
            kind=kind,
            at=now,
            registration=registration if kind == EventKind.BID else None,
            amount=value,
            idempotency_key=key if kind == EventKind.BID else "",
            data=data,
            prev_hash=prev_hash,
            hash=digest,
        )
        for i, (kind, value, data, prev_hash, digest) in enumerate(records)
    ]
    audit.record("market.auction.bid", actor=actor, target=auction, after=audit_after, now=now)
    return events[0]


@functools.cache
def _bid_statement(records: int, extend: bool) -> tuple[str, list, list]:
    """The SQL of :func:`_accept_in_one_statement` for its shape, and the fields of the inserted
    chain records and audit record whose values are parameters."""
    table = Auction._meta.db_table
    sets = [
        "current_price = %s::numeric",
        "leading_id = %s::bigint",
        "bid_count = bid_count + 1",
        "chain_length = %s::integer",
        "head_hash = %s",
    ]
    if extend:
        sets.append("ends_at = %s::timestamptz")
    where = "id = (SELECT id FROM cur) AND status = %s AND chain_length = %s::integer"
    parts = [
        f"cur AS (SELECT id, {', '.join(FRESH_FIELDS)} FROM {table} WHERE id = %s FOR UPDATE)",
        f"moved AS (UPDATE {table} SET {', '.join(sets)} WHERE {where} RETURNING id)",
    ]
    event_fields = []
    for i in range(records):
        sql, fields = prepared.insert_cte(
            f"e{i}", AuctionEvent, "moved", {"auction_id": "moved.id"}, returning=True
        )
        parts.append(sql)
        event_fields.append(fields)
    sql, audit_fields = prepared.insert_cte("logged", AuditEvent, "moved")
    parts.append(sql)
    fresh = ", ".join(f"cur.{name}" for name in FRESH_FIELDS)
    return (
        "WITH " + ", ".join(parts) + f" SELECT (SELECT id FROM e0), {fresh} FROM cur",
        event_fields,
        audit_fields,
    )


def _accept_in_one_statement(auction, registration, records, changes, key, audit_after, *, actor, now):
    """PostgreSQL: the guarded update, the chain records and the audit record as ONE prepared
    statement (data-modifying CTEs; the inserts take their rows from the update's ``RETURNING``,
    so they happen exactly when the guard held). In autocommit the row lock is held only while
    the server runs it, not across client round trips, which is what serialises racing bidders.
    The statement also returns the auction as it is once the lock is had (``cur``, a locking read
    sees the latest version), so a losing bidder re-validates without another query.
    Returns the bid record's id, or None when the guard failed (then ``auction`` holds the state
    that beat it)."""
    read_length = changes["chain_length"] - len(records)
    sql, event_fields, audit_fields = _bid_statement(len(records), "ends_at" in changes)
    params = [
        auction.pk,
        changes["current_price"],
        registration.pk,
        changes["chain_length"],
        changes["head_hash"],
    ]
    if "ends_at" in changes:
        params.append(changes["ends_at"])
    params.append(AuctionStatus.SCHEDULED)
    params.append(read_length)
    for i, ((kind, value, data, prev_hash, digest), fields) in enumerate(
        zip(records, event_fields, strict=True)
    ):
        is_bid = kind == EventKind.BID
        event = AuctionEvent(
            seq=read_length + i + 1,
            kind=kind,
            at=now,
            registration=registration if is_bid else None,
            amount=value,
            idempotency_key=key if is_bid else "",
            data=data,
            prev_hash=prev_hash,
            hash=digest,
        )
        params += prepared.values_of(event, fields)
    logged = audit.event("market.auction.bid", actor=actor, target=auction, after=audit_after, now=now)
    params += prepared.values_of(logged, audit_fields)
    # Outside any transaction the statement is its own (autocommit): the lock is released the
    # moment it ends. Inside one (tests) it keeps place_bid's durable-transaction contract.
    with transaction.atomic(durable=True) if connection.in_atomic_block else nullcontext():
        with prepared.cursor() as cursor:
            cursor.execute(sql, params)
            row = cursor.fetchone()
    if row is None:  # the auction is gone
        raise _Moved
    if row[0] is not None:
        return row[0]
    for name, value in zip(FRESH_FIELDS, row[1:], strict=True):
        setattr(auction, name, value)
    return None


# What can change in an auction while it runs (read back after a failed bid).
FRESH_FIELDS = ["status", "starts_at", "ends_at", "current_price", "chain_length", "head_hash"]


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
