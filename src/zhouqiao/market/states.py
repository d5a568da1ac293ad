"""Statuses of the technology market (科技大市场, seeds 000 §2(1)(4)(1), 004 §6) and who may move them.

Three ways to trade end in one :class:`~zhouqiao.market.models.Deal`:

* negotiation (撮合交易)::

      open ──accept (the side that did not make the latest offer)──▶ agreed
        └────close (either side)──────────────────────────────────▶ closed

* listing (挂牌交易)::

      notice ──end of notice, one qualified intent──▶ sold        (a deal at the listing price)
         │  └──end of notice, two or more────────────▶ to_auction  (an auction among them)
         │  └──end of notice, none, relist chosen────▶ notice      (a new notice period)
         │  └──end of notice, none───────────────────▶ unsold
         └──withdraw (the owner, with a reason)───────▶ withdrawn

* auction (拍卖/竞价)::

      scheduled ──close job after the end, highest bid ≥ reserve──▶ sold
          │     └─close job after the end, otherwise──────────────▶ unsold (流拍)
          └──cancel (seller or market staff, before the first bid, with a reason)──▶ cancelled

  Whether a scheduled auction is *live* is a matter of the clock (``starts_at ≤ now < ends_at``),
  not of a stored status, so nothing has to run for an auction to open.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Actor(models.TextChoices):
    SELLER = "seller", _("卖方（成果所属机构）")
    PARTY = "party", _("交易一方")
    COUNTERPARTY = "counterparty", _("最新报价的另一方")
    STAFF = "staff", _("属地科技市场工作人员")
    SCHEDULER = "scheduler", _("系统定时任务")


class NegotiationStatus(models.TextChoices):
    OPEN = "open", _("洽谈中")
    AGREED = "agreed", _("已成交")
    CLOSED = "closed", _("已结束")


NEGOTIATION_TRANSITIONS: dict[str, dict[str, str]] = {
    NegotiationStatus.OPEN: {
        NegotiationStatus.AGREED: Actor.COUNTERPARTY,
        NegotiationStatus.CLOSED: Actor.PARTY,
    },
    NegotiationStatus.AGREED: {},
    NegotiationStatus.CLOSED: {},
}


class EntryKind(models.TextChoices):
    MESSAGE = "message", _("留言")
    OFFER = "offer", _("报价")
    INVITE = "invite", _("邀请中介")
    BROKER_ACCEPT = "broker_yes", _("中介方接受邀请")
    BROKER_DECLINE = "broker_no", _("中介方谢绝邀请")
    UNINVITE = "uninvite", _("撤回中介邀请")
    ACCEPT = "accept", _("接受报价")
    CLOSE = "close", _("结束洽谈")


class ListingStatus(models.TextChoices):
    NOTICE = "notice", _("公示中")
    SOLD = "sold", _("已成交")
    TO_AUCTION = "to_auction", _("转入竞价")
    UNSOLD = "unsold", _("期满无意向")
    WITHDRAWN = "withdrawn", _("已撤牌")


LISTING_TRANSITIONS: dict[str, dict[str, str]] = {
    ListingStatus.NOTICE: {
        ListingStatus.SOLD: Actor.SCHEDULER,
        ListingStatus.TO_AUCTION: Actor.SCHEDULER,
        ListingStatus.NOTICE: Actor.SCHEDULER,  # relisted: a new notice period
        ListingStatus.UNSOLD: Actor.SCHEDULER,
        ListingStatus.WITHDRAWN: Actor.SELLER,
    },
    ListingStatus.SOLD: {},
    ListingStatus.TO_AUCTION: {},
    ListingStatus.UNSOLD: {},
    ListingStatus.WITHDRAWN: {},
}


class NoIntentAction(models.TextChoices):
    RELIST = "relist", _("自动重新挂牌（再公示一期）")
    WITHDRAW = "withdraw", _("撤牌")


class AuctionStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("竞价安排中")
    SOLD = "sold", _("成交")
    UNSOLD = "unsold", _("流拍")
    CANCELLED = "cancelled", _("已取消")


AUCTION_TRANSITIONS: dict[str, dict[str, str]] = {
    AuctionStatus.SCHEDULED: {
        AuctionStatus.SOLD: Actor.SCHEDULER,
        AuctionStatus.UNSOLD: Actor.SCHEDULER,
        AuctionStatus.CANCELLED: Actor.SELLER,  # or staff of the lot's region
    },
    AuctionStatus.SOLD: {},
    AuctionStatus.UNSOLD: {},
    AuctionStatus.CANCELLED: {},
}


class DepositStatus(models.TextChoices):
    PENDING = "pending", _("待缴纳")
    PAID = "paid", _("已缴纳")
    RELEASED = "released", _("已退还")
    APPLIED = "applied", _("已转为成交价款")


DEPOSIT_TRANSITIONS: dict[str, set[str]] = {
    DepositStatus.PENDING: {DepositStatus.PAID},
    DepositStatus.PAID: {DepositStatus.RELEASED, DepositStatus.APPLIED},
    DepositStatus.RELEASED: set(),
    DepositStatus.APPLIED: set(),
}


class EventKind(models.TextChoices):
    """The records of an auction's hash chain (append-only)."""

    CREATED = "created", _("拍卖创建")
    REGISTERED = "registered", _("竞买报名")
    DEPOSIT_PAID = "deposit_paid", _("保证金到账，发放竞买号")
    BID = "bid", _("出价")
    EXTENDED = "extended", _("延时")
    RESCHEDULED = "rescheduled", _("调整竞价时间")
    CANCELLED = "cancelled", _("取消")
    CLOSED = "closed", _("结束")


class DealSource(models.TextChoices):
    NEGOTIATION = "negotiation", _("撮合交易")
    LISTING = "listing", _("挂牌交易")
    AUCTION = "auction", _("拍卖")
