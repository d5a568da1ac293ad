"""Negotiated matchmaking (撮合交易, 004 §6): an enterprise asks about a published achievement, or
a university (any verified organisation) answers a published demand. The two sides exchange
messages and offers (amount, transfer mode, terms); either may invite a transfer institution or
broker into the thread. When the side that did not make the latest offer accepts it, both sides
have agreed, and the negotiation becomes a deal.

Only the seller and the buyer make offers. An invited intermediary is only invited: its
administrator or one of its certified brokers accepts or declines the invitation (a to-do for
them; the inviting side is told the answer). Once it has accepted it writes messages in the thread
and is named on the deal and the contract as 中介方; a declined one is cleared and another may be
invited. Until it answers, the side that invited it may withdraw the invitation (撤回邀请): it is
cleared the same way, and the intermediary is told. An intermediary that never accepted is carried nowhere (a tester found an invited broker
named on the contract, and paid the broker award, without ever having agreed).
"""

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from zhouqiao.accounts.models import Organisation, OrganisationKind
from zhouqiao.catalog import access
from zhouqiao.catalog.models import Demand
from zhouqiao.catalog.states import RecordStatus
from zhouqiao.core import audit
from zhouqiao.core.errors import Conflict, InvalidTransition, NotFound, PermissionDenied
from zhouqiao.core.locking import lock
from zhouqiao.market import todos
from zhouqiao.market.exceptions import NOT_ALLOWED
from zhouqiao.market.models import Negotiation, NegotiationEntry
from zhouqiao.market.services.common import acting_organisation, fail, published_achievement
from zhouqiao.market.services.common import amount as parse_amount
from zhouqiao.market.services.common import mode as parse_mode
from zhouqiao.market.services.deals import record_deal
from zhouqiao.market.states import DealSource, EntryKind, NegotiationStatus

# 中介方: a technology transfer institution (a testing lab or other service provider is no broker)
BROKER_KINDS = {OrganisationKind.TRANSFER_INSTITUTION}


def _published_demand(demand_id, actor) -> Demand:
    demand = Demand.objects.select_related("owner").filter(pk=demand_id).first()
    # A demand the actor may not see at all (invited-only, not invited; not published) answers as
    # a missing one does: the answer must not tell that it exists (issue 17, item 11).
    if demand is None or access.demand_access(actor, demand) == access.NONE:
        raise NotFound(_("技术需求不存在。"))
    if demand.status != RecordStatus.PUBLISHED:
        raise fail("demand", _("只能响应已发布的技术需求。"), "lot_not_published")
    return demand


@transaction.atomic(durable=True)
def open_negotiation(
    *, actor, achievement_id=None, demand_id=None, organisation_id=None, message: str = "", now
) -> Negotiation:
    org = acting_organisation(actor, organisation_id)
    if bool(achievement_id) == bool(demand_id):
        raise fail("achievement", _("请选择要洽谈的科技成果或技术需求。"))
    if achievement_id:
        lot = published_achievement(achievement_id)
        seller, buyer = lot.owner, org
        lot_fields = {"achievement": lot}
        if org.pk == lot.owner_id:
            raise PermissionDenied(_("不能与本单位的成果发起洽谈。"), code="own_lot")
    else:
        lot = _published_demand(demand_id, actor)
        if access.demand_access(actor, lot) != access.FULL:
            raise PermissionDenied(
                _("您无权查看该技术需求的详细内容，不能响应。"), code="demand_confidential"
            )
        seller, buyer = org, lot.owner
        lot_fields = {"demand": lot}
        if org.pk == lot.owner_id:
            raise PermissionDenied(_("不能响应本单位发布的需求。"), code="own_lot")
    negotiation = Negotiation(
        seller=seller,
        buyer=buyer,
        initiator=org,
        region_id=lot.region_id,
        title=lot.title[:200],
        created_by=actor,
        created_at=now,
        updated_at=now,
        **lot_fields,
    )
    try:
        with transaction.atomic():
            negotiation.save()
    except IntegrityError:
        raise Conflict(_("贵单位已就此事项开启洽谈，请在原洽谈中继续。"), code="already_open") from None
    body = (message or "").strip()
    if body:
        NegotiationEntry.objects.create(
            negotiation=negotiation,
            kind=EntryKind.MESSAGE,
            organisation=org,
            author=actor,
            body=body,
            created_at=now,
        )
    audit.record(
        "market.negotiation.open",
        actor=actor,
        target=negotiation,
        after={"seller": seller.pk, "buyer": buyer.pk, "initiator": org.pk},
        now=now,
    )
    todos.negotiation_opened(negotiation, org=org, actor=actor, now=now)
    return negotiation


def _open_for(actor, negotiation_id, *, sides=("seller", "buyer")) -> tuple[Negotiation, Organisation]:
    negotiation = lock(Negotiation.objects.all(), negotiation_id)
    from zhouqiao.accounts import scope

    own = scope.organisation_ids(actor)
    mine = [
        o
        for o in (negotiation.seller_id, negotiation.buyer_id, negotiation.broker_id)
        if o in own and negotiation.side_of(o) in sides
    ]
    if not mine:
        raise PermissionDenied(NOT_ALLOWED)
    if len(set(mine)) > 1:  # a person of both sides: which side speaks cannot be guessed
        raise PermissionDenied(
            _("您同时属于本次洽谈的多方机构，不能在此洽谈中代表任何一方操作。"), code="both_sides"
        )
    org_id = mine[0]
    if negotiation.status != NegotiationStatus.OPEN:
        raise InvalidTransition(_("洽谈已结束。"), code="negotiation_over")
    if org_id == negotiation.broker_id and not negotiation.broker_accepted:
        raise PermissionDenied(_("请先接受中介邀请，再参与洽谈。"), code="broker_not_accepted")
    return negotiation, Organisation.objects.get(pk=org_id)


def _touch(negotiation: Negotiation, now) -> None:
    negotiation.updated_at = now
    negotiation.save(update_fields=["updated_at", "status", "broker", "broker_accepted_at"])


def may_answer_invitation(user, organisation_id) -> bool:
    """Who answers an invitation for an intermediary: its administrator or one of its certified
    brokers (the person who would act as 技术经纪（理）人)."""
    from zhouqiao.accounts import scope
    from zhouqiao.community.institutions.models import Broker

    if not organisation_id or not getattr(user, "is_authenticated", False):
        return False
    if organisation_id in scope.organisation_ids(user, "admin"):
        return True
    return Broker.objects.certified().filter(organisation_id=organisation_id, user_id=user.pk).exists()


@transaction.atomic(durable=True)
def post_message(*, actor, negotiation_id: int, body: str, now) -> NegotiationEntry:
    negotiation, org = _open_for(actor, negotiation_id, sides=("seller", "buyer", "broker"))
    body = (body or "").strip()
    if not body:
        raise fail("body", _("请填写留言内容。"))
    entry = NegotiationEntry.objects.create(
        negotiation=negotiation,
        kind=EntryKind.MESSAGE,
        organisation=org,
        author=actor,
        body=body[:5000],
        created_at=now,
    )
    _touch(negotiation, now)
    # The log says who wrote and when; the words stay in the thread, which only the parties read.
    audit.record(
        "market.negotiation.message",
        actor=actor,
        target=negotiation,
        after={"entry": entry.pk, "by": org.pk},
        now=now,
    )
    todos.negotiation_message(negotiation, entry, org=org, actor=actor, now=now)
    return entry


@transaction.atomic(durable=True)
def make_offer(*, actor, negotiation_id: int, amount, mode: str, terms: str = "", now) -> NegotiationEntry:
    negotiation, org = _open_for(actor, negotiation_id)
    entry = NegotiationEntry.objects.create(
        negotiation=negotiation,
        kind=EntryKind.OFFER,
        organisation=org,
        author=actor,
        amount=parse_amount(amount, "amount", _("报价金额")),
        mode=parse_mode(mode),
        terms=(terms or "").strip()[:5000],
        created_at=now,
    )
    _touch(negotiation, now)
    audit.record(
        "market.negotiation.offer",
        actor=actor,
        target=negotiation,
        after={"amount": entry.amount, "mode": entry.mode, "by": org.pk},
        now=now,
    )
    todos.offer_made(negotiation, entry, org=org, actor=actor, now=now)
    return entry


def latest_offer(negotiation: Negotiation) -> NegotiationEntry | None:
    return negotiation.entries.filter(kind=EntryKind.OFFER).order_by("-created_at", "-pk").first()


@transaction.atomic(durable=True)
def accept_offer(*, actor, negotiation_id: int, offer_id: int, now):
    """The other side accepts the latest offer (``offer_id`` must still be the latest one)."""
    negotiation, org = _open_for(actor, negotiation_id)
    offer = latest_offer(negotiation)
    if offer is None:
        raise InvalidTransition(_("还没有可接受的报价。"), code="no_offer")
    if offer.pk != int(offer_id):
        raise Conflict(_("对方已更新报价，请查看最新报价后再决定。"), code="offer_superseded")
    if offer.organisation_id == org.pk:
        raise PermissionDenied(_("不能接受本方提出的报价，须由对方接受。"), code="own_offer")
    NegotiationEntry.objects.create(
        negotiation=negotiation,
        kind=EntryKind.ACCEPT,
        organisation=org,
        author=actor,
        amount=offer.amount,
        mode=offer.mode,
        terms=offer.terms,
        created_at=now,
    )
    negotiation.status = NegotiationStatus.AGREED
    _touch(negotiation, now)
    audit.record(
        "market.negotiation.agreed",
        actor=actor,
        target=negotiation,
        before={"status": NegotiationStatus.OPEN},
        after={"status": negotiation.status, "offer": offer.pk},
        now=now,
    )
    drafter = actor if org.pk == negotiation.seller_id else offer.author
    # Only an intermediary that accepted the invitation is a party to the deal (and the contract).
    broker = negotiation.broker if negotiation.broker_accepted else None
    return record_deal(
        actor=actor,
        now=now,
        drafter=drafter,
        source=DealSource.NEGOTIATION,
        title=negotiation.title,
        achievement=negotiation.achievement,
        demand=negotiation.demand,
        seller=negotiation.seller,
        buyer=negotiation.buyer,
        broker=broker,
        region=negotiation.region,
        amount=offer.amount,
        mode=offer.mode,
        terms=offer.terms,
        negotiation=negotiation,
    )


@transaction.atomic(durable=True)
def invite_broker(*, actor, negotiation_id: int, broker_id: int, now) -> Negotiation:
    negotiation, org = _open_for(actor, negotiation_id)
    broker = Organisation.objects.filter(pk=broker_id).first()
    if broker is None or broker.kind not in BROKER_KINDS or not broker.is_verified:
        raise fail("broker", _("只能邀请已认证的技术转移机构作为中介方。"))
    if broker.pk in (negotiation.seller_id, negotiation.buyer_id):
        raise fail("broker", _("中介方不能是交易一方。"))
    if negotiation.broker_id:
        raise Conflict(_("本次洽谈已邀请中介方。"), code="broker_present")
    negotiation.broker = broker
    NegotiationEntry.objects.create(
        negotiation=negotiation,
        kind=EntryKind.INVITE,
        organisation=org,
        author=actor,
        body=broker.name,
        created_at=now,
    )
    _touch(negotiation, now)
    audit.record(
        "market.negotiation.invite", actor=actor, target=negotiation, after={"broker": broker.pk}, now=now
    )
    todos.broker_invited(negotiation, org=org, actor=actor, now=now)
    return negotiation


INVITATION_WITHDRAWN = _lazy("邀请方已撤回该中介邀请，无需再答复；洽谈记录未作任何改动。")


def _inviter_of(negotiation: Negotiation) -> NegotiationEntry | None:
    """The entry of the standing invitation (its organisation is the side that invited)."""
    return (
        negotiation.entries.filter(kind=EntryKind.INVITE)
        .select_related("organisation")
        .order_by("-pk")
        .first()
    )


def ensure_invitation_not_withdrawn(actor, negotiation_id) -> None:
    """Refuse, in words, an answer to an invitation the inviting side withdrew: the actor answers
    for an intermediary whose invitation to this negotiation was withdrawn and that is not invited
    again (the page or the to-do it answers from was stale). Otherwise do nothing."""
    from zhouqiao.core.models import AuditEvent

    current = Negotiation.objects.filter(pk=negotiation_id).values_list("broker_id", flat=True).first()
    withdrawn = AuditEvent.objects.filter(
        action="market.negotiation.broker_withdrawn",
        target_type=Negotiation._meta.label_lower,
        target_id=str(negotiation_id),
    ).values_list("before", flat=True)
    for before in withdrawn:
        broker_id = (before or {}).get("broker")
        if broker_id and broker_id != current and may_answer_invitation(actor, broker_id):
            raise InvalidTransition(INVITATION_WITHDRAWN, code="invitation_withdrawn")


def may_withdraw_invitation(user, negotiation: Negotiation) -> bool:
    """Whether ``user`` may withdraw the pending invitation: a member of the side that invited
    (as :func:`invite_broker` lets any member of a side invite), while the intermediary has not
    answered. The page shows the button on the same rule the service applies."""
    from zhouqiao.accounts import scope

    if negotiation.status != NegotiationStatus.OPEN or not negotiation.broker_pending:
        return False
    invitation = _inviter_of(negotiation)
    if invitation is None:
        return False
    own = scope.organisation_ids(user)
    sides = {negotiation.seller_id, negotiation.buyer_id} & set(own)
    return len(sides) == 1 and invitation.organisation_id in sides


@transaction.atomic(durable=True)
def withdraw_broker_invitation(*, actor, negotiation_id: int, reason: str = "", now) -> Negotiation:
    """The side that invited an intermediary withdraws the invitation before it is answered: the
    intermediary is cleared (another may be invited), its to-do goes and it is told once."""
    negotiation, org = _open_for(actor, negotiation_id)
    if negotiation.broker_accepted:
        raise InvalidTransition(
            _("中介方已接受邀请，不能撤回；如需更换，请与各方协商。"), code="invitation_answered"
        )
    if negotiation.broker_id is None:
        raise InvalidTransition(_("本次洽谈没有待答复的中介邀请。"), code="no_invitation")
    invitation = _inviter_of(negotiation)
    if invitation is None or invitation.organisation_id != org.pk:
        raise PermissionDenied(_("只有发出邀请的一方可以撤回中介邀请。"), code="not_inviter")
    broker = Organisation.objects.get(pk=negotiation.broker_id)
    reason = (reason or "").strip()[:2000]
    negotiation.broker = None
    NegotiationEntry.objects.create(
        negotiation=negotiation,
        kind=EntryKind.UNINVITE,
        organisation=org,
        author=actor,
        body=_("撤回对%(broker)s的邀请") % {"broker": broker.name}
        + (_("，理由：%(reason)s") % {"reason": reason} if reason else ""),
        created_at=now,
    )
    _touch(negotiation, now)
    audit.record(
        "market.negotiation.broker_withdrawn",
        actor=actor,
        target=negotiation,
        before={"broker": broker.pk, "accepted": False},
        after={"broker": None},
        reason=reason,
        now=now,
    )
    todos.broker_invitation_withdrawn(
        negotiation, broker=broker, org=org, reason=reason, actor=actor, now=now
    )
    return negotiation


@transaction.atomic(durable=True)
def answer_broker_invitation(
    *, actor, negotiation_id: int, accept: bool, reason: str = "", now
) -> Negotiation:
    """The invited intermediary accepts (it joins the thread and is named on the deal) or declines
    (the invitation is cleared; the parties may invite another)."""
    negotiation = lock(Negotiation.objects.all(), negotiation_id)
    broker_id = negotiation.broker_id
    if not may_answer_invitation(actor, broker_id):
        ensure_invitation_not_withdrawn(actor, negotiation.pk)
        raise PermissionDenied(NOT_ALLOWED)
    if negotiation.status != NegotiationStatus.OPEN:
        raise InvalidTransition(_("洽谈已结束。"), code="negotiation_over")
    if negotiation.broker_accepted:
        raise InvalidTransition(_("贵机构已接受该邀请。"), code="invitation_answered")
    broker = Organisation.objects.get(pk=broker_id)
    invitation = _inviter_of(negotiation)
    reason = (reason or "").strip()[:2000]
    if accept:
        negotiation.broker_accepted_at = now
    else:
        negotiation.broker = None
    NegotiationEntry.objects.create(
        negotiation=negotiation,
        kind=EntryKind.BROKER_ACCEPT if accept else EntryKind.BROKER_DECLINE,
        organisation=broker,
        author=actor,
        body=reason,
        created_at=now,
    )
    _touch(negotiation, now)
    answer = {
        "actor": actor,
        "target": negotiation,
        "before": {"broker": broker_id, "accepted": False},
        "after": {"broker": negotiation.broker_id, "accepted": accept},
        "reason": reason,
        "now": now,
    }
    if accept:
        audit.record("market.negotiation.broker_accepted", **answer)
    else:
        audit.record("market.negotiation.broker_declined", **answer)
    todos.broker_answered(
        negotiation,
        broker=broker,
        inviter=invitation.organisation if invitation else None,
        accepted=accept,
        reason=reason,
        actor=actor,
        now=now,
    )
    return negotiation


@transaction.atomic(durable=True)
def close_negotiation(*, actor, negotiation_id: int, reason: str = "", now) -> Negotiation:
    negotiation, org = _open_for(actor, negotiation_id)
    NegotiationEntry.objects.create(
        negotiation=negotiation,
        kind=EntryKind.CLOSE,
        organisation=org,
        author=actor,
        body=(reason or "").strip()[:2000],
        created_at=now,
    )
    negotiation.status = NegotiationStatus.CLOSED
    _touch(negotiation, now)
    audit.record(
        "market.negotiation.closed",
        actor=actor,
        target=negotiation,
        before={"status": NegotiationStatus.OPEN},
        after={"status": negotiation.status},
        reason=reason,
        now=now,
    )
    todos.negotiation_closed(negotiation, org=org, actor=actor, reason=reason or "", now=now)
    return negotiation
