"""What waits in the technology market, and who is told (notification kinds and to-do sources).

negotiation opened        → the other side's members (the achievement's owner, the demand's owner)
message / offer           → the other side's members (a message also to the invited intermediary)
intermediary invited      → the intermediary's administrators and certified brokers (to-do "待答复的
                            中介邀请" until one of them accepts or declines)
invitation answered       → the inviting side's members
invitation withdrawn      → the intermediary's administrators and certified brokers (the to-do goes)
negotiation closed        → the other side's members
deal reached              → every party's members (for an auction the buyer hears 竞得 instead)
intent registered         → the lister's members
notice period over        → the lister; intending buyers when it goes to auction
registration, deposit due → the bidder's members (to-do until the deposit is recorded)
deposit recorded          → the bidder's members (to-do for the finance staff of the lot's region)
outbid                    → the previous highest bidder's members (by the every-minute job)
auction closed            → the winner (竞得), the other registered bidders (未竞得), the seller
auction cancelled         → the registered bidders

Nobody is told about their own action. Each event has its own key, so a person hears of it once.
Neither listings nor registrations are reviewed by staff: a listing is public at once, and a
registration is accepted at once (only the deposit waits on finance). An intent needs no answer
from the lister either (the end of the notice period decides), so it is a notification, not a to-do.
"""

from django.db.models import Q
from django.urls import reverse
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhouqiao.accounts import scope
from zhouqiao.accounts.models import Duty, MemberRole
from zhouqiao.core.money import format_yuan
from zhouqiao.market import selectors
from zhouqiao.notifications import recipients
from zhouqiao.notifications.registry import Todo, kind, todo_source
from zhouqiao.notifications.services import notify

OPENED = kind("market.negotiation_opened", gettext_lazy("有机构发起洽谈"))
MESSAGE = kind("market.negotiation_message", gettext_lazy("洽谈收到新留言"))
OFFER = kind("market.offer", gettext_lazy("收到报价或还价"))
BROKER_INVITED = kind("market.broker_invited", gettext_lazy("受邀担任洽谈中介方"))
BROKER_ANSWERED = kind("market.broker_answered", gettext_lazy("中介方答复了邀请"))
BROKER_WITHDRAWN = kind("market.broker_invitation_withdrawn", gettext_lazy("中介邀请已撤回"))
NEGOTIATION_CLOSED = kind("market.negotiation_closed", gettext_lazy("对方结束了洽谈"))
DEAL = kind("market.deal_reached", gettext_lazy("交易达成"))
INTENT = kind("market.intent_received", gettext_lazy("挂牌项目收到受让意向"))
LISTING_CONCLUDED = kind("market.listing_concluded", gettext_lazy("挂牌公示期满"))
DEPOSIT_DUE = kind("market.deposit_due", gettext_lazy("竞买保证金待缴纳"))
DEPOSIT_CONFIRMED = kind("market.deposit_confirmed", gettext_lazy("竞买保证金已到账"))
OUTBID = kind("market.outbid", gettext_lazy("出价已被超过"))
WON = kind("market.auction_won", gettext_lazy("竞得拍品"))
LOST = kind("market.auction_lost", gettext_lazy("未竞得拍品"))
AUCTION_ENDED = kind("market.auction_ended", gettext_lazy("委托拍卖已结束"))
AUCTION_CANCELLED = kind("market.auction_cancelled", gettext_lazy("拍卖已取消"))


def _members(*organisations, actor=None):
    """The active members of the organisations, without the person who acted."""
    users = {}
    for org in organisations:
        if org is not None:
            users.update((u.pk, u) for u in recipients.org_handlers(org))
    if getattr(actor, "pk", None) in users:
        del users[actor.pk]
    return list(users.values())


# --- negotiations (inside the negotiation services' transactions) ------------------------------


def _negotiation_url(negotiation) -> str:
    return reverse("market:negotiation_detail", args=[negotiation.pk])


def _other_sides(negotiation, org, *, broker: bool = False) -> list:
    # An intermediary hears of the thread only once it has accepted the invitation.
    with_broker = broker and negotiation.broker_accepted
    sides = [negotiation.seller, negotiation.buyer] + ([negotiation.broker] if with_broker else [])
    return [o for o in sides if o is not None and o.pk != org.pk]


def negotiation_opened(negotiation, *, org, actor, now) -> None:
    if negotiation.demand_id:
        title = _("%(org)s响应了贵单位的技术需求“%(title)s”，请查看并答复")
    else:
        title = _("%(org)s就贵单位的科技成果“%(title)s”发起洽谈，请查看并答复")
    notify(
        _members(*_other_sides(negotiation, org), actor=actor),
        kind=OPENED,
        title=title % {"org": org.name, "title": negotiation.title},
        url=_negotiation_url(negotiation),
        key=f"market.negotiation:{negotiation.pk}:opened",
        now=now,
    )


def negotiation_message(negotiation, entry, *, org, actor, now) -> None:
    notify(
        _members(*_other_sides(negotiation, org, broker=True), actor=actor),
        kind=MESSAGE,
        title=_("%(org)s在洽谈“%(title)s”中留言") % {"org": org.name, "title": negotiation.title},
        body=entry.body[:500],
        url=_negotiation_url(negotiation),
        key=f"market.negotiation:{negotiation.pk}:entry:{entry.pk}",
        now=now,
    )


def offer_made(negotiation, entry, *, org, actor, now) -> None:
    notify(
        _members(*_other_sides(negotiation, org), actor=actor),
        kind=OFFER,
        title=_("%(org)s在洽谈“%(title)s”中报价%(amount)s（%(mode)s），请答复")
        % {
            "org": org.name,
            "title": negotiation.title,
            "amount": format_yuan(entry.amount),
            "mode": entry.get_mode_display(),
        },
        body=entry.terms[:500],
        url=_negotiation_url(negotiation),
        key=f"market.negotiation:{negotiation.pk}:entry:{entry.pk}",
        now=now,
    )


def _answerers(organisation) -> list:
    """Who may answer an invitation for an intermediary: its administrators and certified brokers."""
    from zhouqiao.community.institutions.models import Broker

    brokers = Broker.objects.certified().filter(organisation=organisation).values("user_id")
    users = recipients.org_members(organisation)
    return list(users.filter(Q(memberships__role=MemberRole.ADMIN) | Q(pk__in=brokers)).distinct())


def broker_invited(negotiation, *, org, actor, now) -> None:
    notify(
        [u for u in _answerers(negotiation.broker) if u.pk != actor.pk],
        kind=BROKER_INVITED,
        title=_("%(org)s邀请贵机构作为中介方参与洽谈“%(title)s”，请接受或谢绝")
        % {"org": org.name, "title": negotiation.title},
        url=_negotiation_url(negotiation),
        key=f"market.negotiation:{negotiation.pk}:broker:{negotiation.broker_id}:{now.isoformat()}",
        now=now,
    )


def broker_answered(negotiation, *, broker, inviter, accepted: bool, reason: str, actor, now) -> None:
    if accepted:
        title = _("%(broker)s已接受邀请，作为中介方参与洽谈“%(title)s”")
    else:
        title = _("%(broker)s谢绝了担任洽谈“%(title)s”中介方的邀请，可另行邀请")
    notify(
        _members(inviter, actor=actor),
        kind=BROKER_ANSWERED,
        title=title % {"broker": broker.name, "title": negotiation.title},
        body=reason[:500],
        url=_negotiation_url(negotiation),
        key=f"market.negotiation:{negotiation.pk}:broker:{broker.pk}:answered:{now.isoformat()}",
        now=now,
    )


def broker_invitation_withdrawn(negotiation, *, broker, org, reason: str, actor, now) -> None:
    """The intermediary no longer sees the thread, so the message leads to its to-do list."""
    notify(
        [u for u in _answerers(broker) if u.pk != actor.pk],
        kind=BROKER_WITHDRAWN,
        title=_("%(org)s撤回了邀请贵机构担任洽谈“%(title)s”中介方的邀请，无需再答复")
        % {"org": org.name, "title": negotiation.title},
        body=reason[:500],
        url=reverse("notifications:todo"),
        key=f"market.negotiation:{negotiation.pk}:broker:{broker.pk}:withdrawn:{now.isoformat()}",
        now=now,
    )


def negotiation_closed(negotiation, *, org, actor, reason: str, now) -> None:
    notify(
        _members(*_other_sides(negotiation, org, broker=True), actor=actor),
        kind=NEGOTIATION_CLOSED,
        title=_("%(org)s结束了洽谈“%(title)s”") % {"org": org.name, "title": negotiation.title},
        body=reason[:500],
        url=_negotiation_url(negotiation),
        key=f"market.negotiation:{negotiation.pk}:closed",
        now=now,
    )


# --- deals ---------------------------------------------------------------------------------------


def deal_reached(deal, *, actor, now) -> None:
    """Every party; for an auction only the seller (and intermediary): the buyer hears 竞得."""
    parties = [deal.seller, deal.broker] if deal.auction_id else [deal.seller, deal.buyer, deal.broker]
    notify(
        _members(*parties, actor=actor),
        kind=DEAL,
        title=_("交易达成：%(title)s，%(buyer)s以%(amount)s受让（%(source)s）")
        % {
            "title": deal.title,
            "buyer": deal.buyer.name,
            "amount": format_yuan(deal.amount),
            "source": deal.get_source_display(),
        },
        url=reverse("market:deal_detail", args=[deal.pk]),
        key=f"market.deal:{deal.pk}:reached",
        now=now,
    )


# --- listings --------------------------------------------------------------------------------------


def intent_received(listing, intent, *, actor, now) -> None:
    notify(
        _members(listing.seller, actor=actor),
        kind=INTENT,
        title=_("%(org)s对挂牌项目“%(title)s”登记了受让意向")
        % {"org": intent.organisation.name, "title": listing.title},
        body=intent.note,
        url=reverse("market:listing_detail", args=[listing.pk]),
        key=f"market.listing:{listing.pk}:intent:{intent.pk}:{intent.created_at.isoformat()}",
        now=now,
    )


def listing_concluded(listing, *, period: int, now) -> None:
    """The lister hears how a notice period ended (a sale is a deal, told by :func:`deal_reached`)."""
    from zhouqiao.market.states import ListingStatus

    texts = {
        ListingStatus.NOTICE: _("挂牌项目“%(title)s”公示期满无人登记受让意向，已自动重新挂牌"),
        ListingStatus.UNSOLD: _("挂牌项目“%(title)s”公示期满无人登记受让意向，已撤牌"),
        ListingStatus.TO_AUCTION: _("挂牌项目“%(title)s”公示期满有多家意向受让方，已转入竞价"),
    }
    if listing.status not in texts:
        return
    notify(
        _members(listing.seller),
        kind=LISTING_CONCLUDED,
        title=texts[listing.status] % {"title": listing.title},
        url=reverse("market:listing_detail", args=[listing.pk]),
        key=f"market.listing:{listing.pk}:period:{period}",
        now=now,
    )


# --- auctions --------------------------------------------------------------------------------------


def _auction_url(auction) -> str:
    return reverse("market:auction_detail", args=[auction.pk])


def registered(auction, registration, *, now) -> None:
    """A new bidder: the deposit to pay, or (none due, e.g. moved from a listing) the paddle."""
    if registration.deposit_amount > 0:
        notify(
            _members(registration.organisation),
            kind=DEPOSIT_DUE,
            title=_("已报名竞买“%(title)s”，请缴纳保证金%(amount)s，到账确认后发放竞买号")
            % {"title": auction.title, "amount": format_yuan(registration.deposit_amount)},
            url=_auction_url(auction),
            key=f"market.registration:{registration.pk}:deposit_due",
            now=now,
        )


def deposit_confirmed(auction, registration, *, actor, now) -> None:
    if registration.deposit_amount > 0:
        title = _("“%(title)s”的保证金%(amount)s已到账，贵单位竞买号为%(paddle)s")
    else:
        title = _("已取得“%(title)s”的竞买资格，贵单位竞买号为%(paddle)s")
    notify(
        _members(registration.organisation, actor=actor),
        kind=DEPOSIT_CONFIRMED,
        title=title
        % {
            "title": auction.title,
            "amount": format_yuan(registration.deposit_amount),
            "paddle": registration.paddle,
        },
        url=_auction_url(auction),
        key=f"market.registration:{registration.pk}:deposit_paid",
        now=now,
    )


def outbid(auction, *, bid, previous, now) -> int:
    """The bid before ``bid`` was the highest: tell its organisation, unless ``bid`` is its own
    (called by the ``tell_outbid_bidders`` job, not on the bid path)."""
    displaced = previous.registration.organisation
    if displaced.pk == bid.registration.organisation_id:
        return 0
    return notify(
        _members(displaced),
        kind=OUTBID,
        title=_("“%(title)s”有新出价%(amount)s，贵单位已不再领先")
        % {"title": auction.title, "amount": format_yuan(bid.amount)},
        url=_auction_url(auction),
        key=f"market.auction:{auction.pk}:outbid:{bid.seq}",
        now=now,
    )


def auction_closed(auction, *, winner, now) -> None:
    """The winner, the other registered bidders and (unsold) the seller; a sale's seller hears of
    the deal (:func:`deal_reached`)."""
    registrations = list(auction.registrations.select_related("organisation"))
    url = _auction_url(auction)
    if winner is not None:
        notify(
            _members(winner.organisation),
            kind=WON,
            title=_("贵单位以%(amount)s竞得“%(title)s”，保证金转为成交价款")
            % {"amount": format_yuan(auction.current_price), "title": auction.title},
            url=url,
            key=f"market.auction:{auction.pk}:won",
            now=now,
        )
    else:
        notify(
            _members(auction.seller),
            kind=AUCTION_ENDED,
            title=_("委托拍卖的“%(title)s”已结束，未成交（流拍）") % {"title": auction.title},
            url=url,
            key=f"market.auction:{auction.pk}:unsold",
            now=now,
        )
    losers = [r.organisation for r in registrations if winner is None or r.pk != winner.pk]
    if winner is not None:
        text = _("“%(title)s”拍卖已结束，贵单位未竞得；已缴保证金将退还")
    else:
        text = _("“%(title)s”拍卖已结束，未成交（流拍）；已缴保证金将退还")
    notify(
        _members(*losers),
        kind=LOST,
        title=text % {"title": auction.title},
        url=url,
        key=f"market.auction:{auction.pk}:lost",
        now=now,
    )


def auction_cancelled(auction, *, actor, reason: str, now) -> None:
    bidders = [r.organisation for r in auction.registrations.select_related("organisation")]
    notify(
        _members(*bidders, actor=actor),
        kind=AUCTION_CANCELLED,
        title=_("“%(title)s”拍卖已取消；已缴保证金将退还") % {"title": auction.title},
        body=reason[:500],
        url=_auction_url(auction),
        key=f"market.auction:{auction.pk}:cancelled",
        now=now,
    )


# --- to-do sources -------------------------------------------------------------------------------


@todo_source(gettext_lazy("等待本单位答复的洽谈"))
def negotiations_to_answer(user):
    rows = []
    for n in selectors.negotiations_awaiting(user):
        if n.last_kind == "offer":
            detail = _("%(org)s报价%(amount)s") % {
                "org": n.last_org_name,
                "amount": format_yuan(n.last_amount),
            }
        elif n.last_kind:
            detail = _("%(org)s留言") % {"org": n.last_org_name}
        else:
            detail = _("%(org)s发起洽谈") % {"org": n.initiator.name}
        rows.append(
            Todo(title=n.title, url=_negotiation_url(n), since=n.last_at or n.created_at, detail=detail)
        )
    return rows


@todo_source(gettext_lazy("待缴纳的竞买保证金"))
def deposits_to_pay(user):
    return [
        Todo(
            title=r.auction.title,
            url=_auction_url(r.auction),
            since=r.created_at,
            deadline=r.auction.ends_at,
            detail=_("保证金%(amount)s，竞价开始 %(start)s")
            % {
                "amount": format_yuan(r.deposit_amount),
                "start": localtime(r.auction.starts_at).strftime("%Y-%m-%d %H:%M"),
            },
        )
        for r in selectors.deposits_to_pay(user)
    ]


@todo_source(gettext_lazy("待确认到账的竞买保证金"))
def deposits_to_confirm(user):
    if not scope.has_duty(user, Duty.FINANCE):
        return []
    return [
        Todo(
            title=r.auction.title,
            url=_auction_url(r.auction),
            since=r.created_at,
            deadline=r.auction.ends_at,
            detail=_("%(org)s，保证金%(amount)s")
            % {"org": r.organisation.name, "amount": format_yuan(r.deposit_amount)},
        )
        for r in selectors.deposits_to_confirm(user)
    ]


@todo_source(gettext_lazy("待生成技术合同的交易"))
def deals_to_contract(user):
    return [
        Todo(
            title=d.title,
            url=reverse("market:deal_detail", args=[d.pk]),
            since=d.agreed_at,
            detail=_("%(buyer)s，%(amount)s") % {"buyer": d.buyer.name, "amount": format_yuan(d.amount)},
        )
        for d in selectors.deals_without_contract(user)
    ]


@todo_source(gettext_lazy("待答复的中介邀请"))
def broker_invitations(user):
    invitations = selectors.broker_invitations(user)
    return [
        Todo(
            title=n.title,
            url=_negotiation_url(n),
            since=n.updated_at,
            detail=_("%(seller)s与%(buyer)s的洽谈，邀请%(broker)s担任中介方")
            % {"seller": n.seller.name, "buyer": n.buyer.name, "broker": n.broker.name},
        )
        for n in invitations
    ]
