"""The pool's upkeep and operation (专利收储与运营, seed 002 §26): annual fees (年费) of pooled
patents, their catalog record and market listing, and the proceeds they earn. The same rules as
:mod:`zhouqiao.programs.patent_pool.services` (which re-exports these functions): keyword-only
arguments, ``actor`` and ``now``, one durable transaction with its lock and audit record.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhouqiao.accounts import scope
from zhouqiao.accounts.models import Duty
from zhouqiao.core import audit
from zhouqiao.core.errors import Conflict, InvalidTransition, NotFound, PermissionDenied
from zhouqiao.core.locking import lock
from zhouqiao.programs.patent_pool.checks import (
    _amount,
    _check_pool_officer,
    _day,
    add_years,
    fail,
    may_operate_on_market,
)
from zhouqiao.programs.patent_pool.models import AnnualFee, PooledPatent, Proceeds, TrackedPatent
from zhouqiao.programs.patent_pool.states import POOL_TRANSITIONS, PoolStatus, ProceedsKind

# An invention patent runs twenty years from its filing date (专利法第四十二条).
TERM_YEARS = 20
POOLED_FIELDS = ["status", "achievement_id", "listing_id", "auction_id", "licence_terms"]


# --- maintenance (annual fees) -------------------------------------------------------------------


def next_anniversary(patent: TrackedPatent, today: dt.date) -> dt.date | None:
    """The next anniversary of the filing date (of the grant date when it is unknown) on or after
    ``today``, within the twenty-year term; None once the term is over."""
    base = patent.filed_on or patent.granted_on
    if base is None:
        return None
    years = max(today.year - base.year, 1)
    due = add_years(base, years)
    if due < today:
        due = add_years(base, years + 1)
    end = add_years(patent.filed_on, TERM_YEARS) if patent.filed_on else None
    if end is not None and due >= end:
        return None
    return due


def _term_end(patent: TrackedPatent) -> dt.date | None:
    return add_years(patent.filed_on, TERM_YEARS) if patent.filed_on else None


def _lock_pooled(pooled_id: int) -> PooledPatent:
    return lock(PooledPatent.objects.select_related("patent", "pool"), pooled_id)


@transaction.atomic(durable=True)
def schedule_fee(*, actor, pooled_id: int, amount, due_on=None, now) -> AnnualFee:
    """Start the fee schedule of a pooled patent: the next due date (by default the next
    anniversary of the filing date) and the amount staff entered."""
    pooled = _lock_pooled(pooled_id)
    _check_pool_officer(actor, pooled.pool)
    if pooled.status in (PoolStatus.TRANSFERRED, PoolStatus.LAPSED):
        raise InvalidTransition(_("该专利已转让或失效，不再缴纳年费。"), code="not_maintained")
    if pooled.fees.filter(paid_on__isnull=True).exists():
        raise Conflict(_("该专利已有待缴的年费，请先登记缴费。"), code="fee_open")
    money = _amount(amount, "amount", _("年费金额"))
    if money == 0:
        raise fail("amount", _("年费金额须大于零。"), "invalid_amount")
    today = timezone.localdate(now)
    due = _day(due_on, "due_on", _("缴费截止日")) or next_anniversary(pooled.patent, today)
    if due is None:
        raise fail("due_on", _("无法推算缴费日期：请填写缴费截止日。"))
    if due < today:
        raise fail("due_on", _("缴费截止日不能早于今天。"), "date_in_past")
    end = _term_end(pooled.patent)
    if end is not None and due >= end:
        raise fail("due_on", _("缴费截止日已超出专利保护期（申请日起二十年）。"))
    fee = AnnualFee.objects.create(pooled=pooled, due_on=due, amount=money, created_by=actor, created_at=now)
    audit.record(
        "patent_pool.fee.schedule",
        actor=actor,
        target=pooled,
        after={"due_on": due, "amount": money},
        region_code=pooled.pool.region_id,
        now=now,
    )
    return fee


@transaction.atomic(durable=True)
def record_fee_payment(
    *, actor, fee_id: int, paid_on, paid_amount=None, reference: str = "", now
) -> AnnualFee:
    """Record that a year's fee was paid; the next year's fee is scheduled at the same amount on
    the next anniversary (unless the term ends first)."""
    fee = lock(AnnualFee.objects.select_related("pooled__patent", "pooled__pool"), fee_id)
    pooled = fee.pooled
    _check_pool_officer(actor, pooled.pool)
    if fee.paid_on is not None:
        raise InvalidTransition(_("该笔年费已登记缴纳。"), code="already_paid")
    day = _day(paid_on, "paid_on", _("缴费日期"))
    if day is None:
        raise fail("paid_on", _("请填写缴费日期。"))
    if day > timezone.localdate(now):
        raise fail("paid_on", _("缴费日期不能晚于今天。"))
    money = _amount(paid_amount, "paid_amount", _("实缴金额"), required=False) or fee.amount
    if money == 0:
        raise fail("paid_amount", _("实缴金额须大于零。"), "invalid_amount")
    fee.paid_on, fee.paid_amount, fee.reference, fee.paid_recorded_by = (
        day,
        money,
        (reference or "").strip()[:64],
        actor,
    )
    fee.save(update_fields=["paid_on", "paid_amount", "reference", "paid_recorded_by"])
    following = add_years(fee.due_on, 1)
    end = _term_end(pooled.patent)
    nxt = None
    if end is None or following < end:
        nxt = AnnualFee.objects.create(
            pooled=pooled, due_on=following, amount=fee.amount, created_by=actor, created_at=now
        )
    audit.record(
        "patent_pool.fee.paid",
        actor=actor,
        target=pooled,
        after={
            "due_on": fee.due_on,
            "paid_on": day,
            "paid_amount": money,
            "next_due_on": nxt.due_on if nxt else None,
        },
        region_code=pooled.pool.region_id,
        now=now,
    )
    return fee


# --- operation: market and proceeds ---------------------------------------------------------------


def _set_pool_status(pooled: PooledPatent, to_status: str) -> None:
    if to_status != pooled.status and to_status not in POOL_TRANSITIONS.get(pooled.status, set()):
        raise InvalidTransition(
            _("该专利当前为“%(status)s”，不能执行此操作。") % {"status": pooled.get_status_display()},
            code="invalid_pool_move",
        )
    pooled.status = to_status


def _achievement_data(pooled: PooledPatent, licence_terms: str) -> dict:
    patent = pooled.patent
    pool = pooled.pool
    abstract = patent.abstract or _("专利池收储的发明专利。")
    return {
        "title": patent.title,
        "abstract": _("%(abstract)s\n\n专利号：%(number)s；本专利由%(pool)s收储，可许可或转让。%(terms)s")
        % {"abstract": abstract, "number": patent.number, "pool": pool.name, "terms": licence_terms},
        "readiness": 4,
        "industry": patent.industry_id or "",
        "keywords": _("专利池，发明专利"),
        "transfer_modes": ["licence", "transfer"],
        "price_kind": "negotiable",
        "contact_name": pool.holder.contact_name if pool.holder else "",
        "contact_phone": pool.holder.contact_phone if pool.holder else "",
    }


def prepare_market_record(*, actor, pooled_id: int, licence_terms: str = "", now) -> PooledPatent:
    """Give a pooled patent its catalog record (the pool holder's achievement) through the catalog's
    own services: created and submitted for review, and published at once when the officer is
    also a reviewer of the region (otherwise the region's reviewers publish it from their to-do).

    Three durable transactions of the catalog, then the link in ours: the catalog's services own
    their transactions. Re-running it after a failure continues where it stopped."""
    from zhouqiao.catalog import services as catalog
    from zhouqiao.catalog.models import Achievement
    from zhouqiao.catalog.states import RecordStatus

    pooled = PooledPatent.objects.select_related("patent", "pool__holder").filter(pk=pooled_id).first()
    if pooled is None:
        raise NotFound(_("记录不存在或已被删除。"))
    _check_pool_officer(actor, pooled.pool)
    if not may_operate_on_market(actor, pooled.pool):
        raise PermissionDenied(_("只有专利池持有机构的成员可以代表专利池上架。"), code="not_holder_member")
    if pooled.status in (PoolStatus.TRANSFERRED, PoolStatus.LAPSED):
        raise InvalidTransition(_("该专利已转让或失效，不能上架。"), code="not_available")
    terms = (licence_terms or "").strip()[:2000]
    achievement = (
        Achievement.objects.filter(pk=pooled.achievement_id).first() if pooled.achievement_id else None
    )
    if achievement is None:
        ip = [
            {
                "kind": "invention_patent",
                "status": "granted",
                "number": pooled.patent.number,
                "filed_on": pooled.patent.filed_on,
                "granted_on": pooled.patent.granted_on,
            }
        ]
        achievement = catalog.create_achievement(
            actor=actor,
            owner_id=pooled.pool.holder_id,
            data=_achievement_data(pooled, terms),
            ip_items=ip,
            now=now,
        )
        _link(pooled_id=pooled.pk, actor=actor, achievement_id=achievement.pk, licence_terms=terms, now=now)
    if achievement.status in (RecordStatus.DRAFT, RecordStatus.RETURNED):
        achievement = catalog.submit(actor=actor, kind="achievement", record_id=achievement.pk, now=now)
    if achievement.status == RecordStatus.SUBMITTED and scope.covers(
        actor, achievement.region_id, Duty.REVIEWER
    ):
        catalog.publish(actor=actor, kind="achievement", record_id=achievement.pk, now=now)
    return PooledPatent.objects.select_related("patent", "pool", "achievement").get(pk=pooled.pk)


@transaction.atomic(durable=True)
def _link(
    *,
    pooled_id: int,
    actor,
    now,
    achievement_id=None,
    listing_id=None,
    auction_id=None,
    licence_terms=None,
    status=None,
):
    pooled = _lock_pooled(pooled_id)
    before = audit.snapshot(pooled, POOLED_FIELDS)
    if achievement_id is not None:
        pooled.achievement_id = achievement_id
    if listing_id is not None:
        pooled.listing_id = listing_id
    if auction_id is not None:
        pooled.auction_id = auction_id
    if licence_terms:
        pooled.licence_terms = licence_terms
    if status is not None:
        _set_pool_status(pooled, status)
    pooled.updated_at = now
    pooled.save()
    audit.record(
        "patent_pool.pooled.update",
        actor=actor,
        actor_name="" if actor is not None else "scheduler",
        target=pooled,
        before=before,
        after=audit.snapshot(pooled, POOLED_FIELDS),
        region_code=pooled.pool.region_id,
        now=now,
    )
    return pooled


def _market_outcome(pooled: PooledPatent) -> str | None:
    """Where a listed patent stands once its lot has ended: licensed or transferred by the deal it
    produced (the listing's, the auction's, or the auction's among the listing's intending buyers),
    else back in the pool."""
    from zhouqiao.market.models import Auction, Deal
    from zhouqiao.market.states import AuctionStatus, ListingStatus

    listing, auction = pooled.listing, pooled.auction
    if listing is not None and pooled.auction_id is None:
        auction = Auction.objects.filter(listing=listing).first()
    deals = Deal.objects.none()
    if listing is not None:
        deals = deals | Deal.objects.filter(listing=listing)
    if auction is not None:
        deals = deals | Deal.objects.filter(auction=auction)
    deal = deals.order_by("agreed_at").first()
    if deal is not None:
        return PoolStatus.LICENSED if deal.mode == "licence" else PoolStatus.TRANSFERRED
    if auction is not None:
        return PoolStatus.HELD if auction.status != AuctionStatus.SCHEDULED else None
    if listing is not None and listing.status in (ListingStatus.UNSOLD, ListingStatus.WITHDRAWN):
        return PoolStatus.HELD
    return None


def follow_market(*, now) -> int:
    """Move listed pooled patents whose market lot has ended (part of the daily check). Returns how
    many moved."""
    moved = 0
    listed = PooledPatent.objects.filter(status=PoolStatus.LISTED).exclude(listing__status="notice")
    for pooled in listed.select_related("listing", "auction").order_by("pk"):
        outcome = _market_outcome(pooled)
        if outcome is not None:
            _link(pooled_id=pooled.pk, actor=None, status=outcome, now=now)
            moved += 1
    return moved


def _ready_for_market(actor, pooled_id: int) -> PooledPatent:
    from zhouqiao.catalog.states import RecordStatus

    pooled = PooledPatent.objects.select_related("patent", "pool", "achievement").filter(pk=pooled_id).first()
    if pooled is None:
        raise NotFound(_("记录不存在或已被删除。"))
    _check_pool_officer(actor, pooled.pool)
    if not may_operate_on_market(actor, pooled.pool):
        raise PermissionDenied(_("只有专利池持有机构的成员可以代表专利池挂牌。"), code="not_holder_member")
    if PoolStatus.LISTED not in POOL_TRANSITIONS.get(pooled.status, set()):
        raise InvalidTransition(
            _("该专利当前为“%(status)s”，不能挂牌。") % {"status": pooled.get_status_display()},
            code="invalid_pool_move",
        )
    if pooled.achievement is None or pooled.achievement.status != RecordStatus.PUBLISHED:
        raise InvalidTransition(_("请先建立成果档案并待审核发布后再挂牌。"), code="record_not_published")
    return pooled


def list_on_market(
    *, actor, pooled_id: int, price, mode: str = "licence", terms: str = "", now
) -> PooledPatent:
    """Put a pooled patent up for licensing or transfer as a market listing (挂牌), through the
    market's own service, the pool's holder acting as seller."""
    from zhouqiao.market.services.listings import create_listing

    pooled = _ready_for_market(actor, pooled_id)
    listing = create_listing(
        actor=actor, achievement_id=pooled.achievement_id, price=price, mode=mode, terms=terms, now=now
    )
    return _link(pooled_id=pooled.pk, actor=actor, listing_id=listing.pk, status=PoolStatus.LISTED, now=now)


def auction_on_market(*, actor, pooled_id: int, mode: str = "transfer", now, **terms) -> PooledPatent:
    """Put a pooled patent to auction (拍卖) through the market's own service; ``terms`` are those
    of ``market.services.create_auction`` (starts_at, ends_at, starting_price, reserve_price,
    increment, deposit_amount, terms)."""
    from zhouqiao.market.services.auctions import create_auction

    pooled = _ready_for_market(actor, pooled_id)
    auction = create_auction(actor=actor, achievement_id=pooled.achievement_id, mode=mode, now=now, **terms)
    return _link(pooled_id=pooled.pk, actor=actor, auction_id=auction.pk, status=PoolStatus.LISTED, now=now)


@transaction.atomic(durable=True)
def record_proceeds(
    *,
    actor,
    pooled_id: int,
    kind: str,
    amount,
    received_on,
    contract_id=None,
    deal_id=None,
    note: str = "",
    now,
) -> Proceeds:
    """Money earned from a pooled patent, with the registered contract or the market deal it came
    from. A licence keeps the patent available (已许可); a transfer takes it out of the pool."""
    from zhouqiao.contracts.models import Contract
    from zhouqiao.market.models import Deal

    pooled = _lock_pooled(pooled_id)
    _check_pool_officer(actor, pooled.pool)
    if kind not in ProceedsKind.values:
        raise fail("kind", _("请选择收益类型。"))
    money = _amount(amount, "amount", _("收益金额"))
    if money == 0:
        raise fail("amount", _("收益金额须大于零。"), "invalid_amount")
    day = _day(received_on, "received_on", _("到账日期"))
    if day is None:
        raise fail("received_on", _("请填写到账日期。"))
    if day > timezone.localdate(now):
        raise fail("received_on", _("到账日期不能晚于今天。"))
    contract = deal = None
    if deal_id not in (None, ""):
        deal = Deal.objects.filter(pk=deal_id).first()
        if deal is None or not pooled.achievement_id or deal.achievement_id != pooled.achievement_id:
            raise fail("deal", _("该交易不是本专利的交易。"))
    if contract_id not in (None, ""):
        contract = Contract.objects.filter(pk=contract_id).first()
        holder = pooled.pool.holder_id
        if contract is None or holder is None or contract.seller_id != holder:
            raise fail("contract", _("该合同的卖方不是专利池持有机构。"))
    if contract is None and deal is None:
        raise fail("contract", _("请注明收益来自哪份技术合同或哪笔交易。"))
    proceeds = Proceeds.objects.create(
        pooled=pooled,
        kind=kind,
        amount=money,
        contract=contract,
        deal=deal,
        received_on=day,
        note=(note or "").strip()[:200],
        recorded_by=actor,
        recorded_at=now,
    )
    before = audit.snapshot(pooled, POOLED_FIELDS)
    if kind == ProceedsKind.LICENCE:
        _set_pool_status(pooled, PoolStatus.LICENSED)
    elif kind == ProceedsKind.TRANSFER:
        _set_pool_status(pooled, PoolStatus.TRANSFERRED)
    pooled.updated_at = now
    pooled.save(update_fields=["status", "updated_at"])
    audit.record(
        "patent_pool.proceeds",
        actor=actor,
        target=pooled,
        before=before,
        after=audit.snapshot(pooled, POOLED_FIELDS)
        | {"amount": money, "kind": kind, "contract": contract_id, "deal": deal_id},
        region_code=pooled.pool.region_id,
        now=now,
    )
    return proceeds
