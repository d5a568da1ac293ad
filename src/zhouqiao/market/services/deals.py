"""Deals (交易): the one end of all three ways to trade, and the draft contract each produces.

A deal is written inside the transaction of the service that reaches it (accepting an offer,
concluding a listing, closing an auction). After that transaction commits, the deal is handed to
:func:`zhouqiao.contracts.services.draft_from_deal` as plain data; the draft is made in the name of
a member of the seller (the person who accepted, listed or put the lot to auction). If that is not
possible (the person left the seller, the seller is no longer verified), the deal stays without a
contract and the seller makes the draft from the deal page (:func:`draft_contract`).
"""

import logging

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from zhouqiao.accounts import scope
from zhouqiao.accounts.models import OrganisationKind
from zhouqiao.catalog.models import IPKind, IPStatus, TransferMode
from zhouqiao.core import audit, clock
from zhouqiao.core.errors import Conflict, DomainError, PermissionDenied
from zhouqiao.core.locking import lock
from zhouqiao.core.money import format_yuan
from zhouqiao.market import todos
from zhouqiao.market.exceptions import NOT_ALLOWED
from zhouqiao.market.models import Deal
from zhouqiao.notifications.services import notify

log = logging.getLogger(__name__)

DEAL_FIELDS = [
    "source",
    "title",
    "achievement",
    "demand",
    "seller",
    "buyer",
    "broker",
    "amount",
    "mode",
    "negotiation",
    "listing",
    "auction",
    "agreed_at",
]

# Transfer mode → statutory contract type (contracts.states.ContractType). "Other" names none: the
# seller chooses it on the draft.
CONTRACT_TYPE = {
    TransferMode.TRANSFER: "transfer",
    TransferMode.LICENCE: "licence",
    TransferMode.EQUITY: "equity",
    TransferMode.JOINT_DEVELOPMENT: "development",
}
PATENTS = {IPKind.INVENTION_PATENT, IPKind.UTILITY_MODEL, IPKind.DESIGN}
# 其他技术转让/许可: software copyright, plant variety (the national registration rules' "other")
OTHER_RIGHTS = {IPKind.SOFTWARE_COPYRIGHT, IPKind.PLANT_VARIETY}


def contract_subtype(contract_type: str, rights: list[tuple[str, str]]) -> str:
    """The statutory subtype a deal's contract takes, told from the type and the rights the
    achievement holds (``rights``: (IP kind, IP status) of each item still in force), or "" when
    they do not tell it (no rights recorded, patents together with know-how, patents still applied
    for under a licence): the seller then chooses; a wrong subtype is never proposed."""
    if contract_type == "development":
        return "cooperative_development"  # the mode is 合作开发
    if contract_type == "equity":
        return "equity"
    if contract_type not in ("transfer", "licence") or not rights:
        return ""
    kinds = {kind for kind, _status in rights}
    if kinds == {IPKind.KNOW_HOW}:
        return f"know_how_{contract_type}"
    if kinds <= OTHER_RIGHTS:
        return f"other_{contract_type}"
    if kinds <= PATENTS:
        statuses = {status for _kind, status in rights}
        if statuses == {IPStatus.GRANTED}:
            return f"patent_{contract_type}"
        if statuses == {IPStatus.FILED} and contract_type == "transfer":
            return "patent_application_transfer"
    return ""


def _rights(deal: Deal) -> list:
    """The achievement's intellectual property still in force, in the order it was entered."""
    if not deal.achievement_id:
        return []
    return list(deal.achievement.ip_items.exclude(status=IPStatus.LAPSED).order_by("pk"))


def _ip_summary(rights) -> str:
    return "；".join(
        f"{item.get_kind_display()}{' ' + item.number if item.number else ''}" for item in rights
    )


def record_deal(*, actor, now, drafter=None, **fields) -> Deal:
    """Write a deal inside the caller's transaction; draft its contract after commit."""
    deal = Deal.objects.create(agreed_at=now, **fields)
    audit.record("market.deal", actor=actor, target=deal, after=audit.snapshot(deal, DEAL_FIELDS), now=now)
    todos.deal_reached(deal, actor=actor, now=now)
    _end_open_listings(deal, actor=actor, now=now)
    if drafter is not None:
        transaction.on_commit(lambda: _draft_quietly(deal.pk, drafter, now))
    return deal


def _end_open_listings(deal: Deal, *, actor, now) -> None:
    """A deal on an achievement reached another way (撮合, 拍卖) ends the achievement's listing still
    in its notice period: the listing is 已成交 (concluded now, so :func:`deal_ending` finds the
    deal), its note says how, and the organisations whose intent it held are told it ended."""
    from zhouqiao.market.models import Listing
    from zhouqiao.market.states import ListingStatus

    if not deal.achievement_id:
        return
    open_ids = (
        Listing.objects.filter(achievement_id=deal.achievement_id, status=ListingStatus.NOTICE)
        .exclude(pk=deal.listing_id or 0)
        .values_list("pk", flat=True)
    )
    for listing_id in list(open_ids):
        listing = lock(Listing.objects.all(), listing_id)
        if listing.status != ListingStatus.NOTICE:
            continue
        before = {"status": listing.status, "status_reason": listing.status_reason}
        listing.status = ListingStatus.SOLD
        listing.status_reason = _("该成果已于%(date)s通过%(source)s成交，挂牌公示提前结束。") % {
            "date": clock.local_date(now).isoformat(),
            "source": deal.get_source_display(),
        }
        listing.concluded_at = now
        listing.save(update_fields=["status", "status_reason", "concluded_at"])
        audit.record(
            "market.listing.sold",
            actor=actor,
            target=listing,
            before=before,
            after={"status": listing.status, "status_reason": listing.status_reason, "deal": deal.pk},
            reason=listing.status_reason,
            now=now,
        )
        holders = [
            i.organisation
            for i in listing.intents.filter(withdrawn_at=None).select_related("organisation")
            if i.organisation_id != deal.buyer_id  # the buyer hears of the deal itself
        ]
        if holders:
            notify(
                todos._members(*holders, actor=actor),
                kind=todos.LISTING_CONCLUDED,
                title=_("挂牌项目“%(title)s”已通过%(source)s成交，公示提前结束，贵单位登记的受让意向不再办理")
                % {"title": listing.title, "source": deal.get_source_display()},
                url=reverse("market:listing_detail", args=[listing.pk]),
                key=f"market.listing:{listing.pk}:ended_by_deal",
                now=now,
            )


def deal_ending(listing, user):
    """The deal (visible to ``user``) that ended ``listing`` early, or None."""
    if listing.concluded_at is None:
        return None
    return (
        Deal.objects.visible_to(user)
        .filter(achievement_id=listing.achievement_id, agreed_at=listing.concluded_at)
        .exclude(listing_id=listing.pk)
        .first()
    )


def deal_broker_person(deal: Deal):
    """The broker person (技术经纪（理）人) of a deal's broker, if the deal has one: the certified
    broker of that institution who last wrote in the negotiation for it, else its only certified
    broker. None when the deal has no broker institution or the person cannot be told."""
    from zhouqiao.community.institutions.models import Broker
    from zhouqiao.market.models import NegotiationEntry

    if not deal.broker_id:
        return None
    certified = (
        Broker.objects.certified().filter(organisation_id=deal.broker_id).select_related("organisation")
    )
    if deal.negotiation_id:
        authors = (
            NegotiationEntry.objects.filter(
                negotiation_id=deal.negotiation_id, organisation_id=deal.broker_id
            )
            .order_by("-created_at", "-pk")
            .values_list("author_id", flat=True)
        )
        for author_id in authors:
            person = certified.filter(user_id=author_id).first()
            if person is not None:
                return person
    only = list(certified[:2])
    return only[0] if len(only) == 1 else None


def _broker_data(deal: Deal) -> dict:
    """The deal's broker as the contract names it: the institution (中介方) and the broker person."""
    if not deal.broker_id or deal.broker.kind != OrganisationKind.TRANSFER_INSTITUTION:
        return {}  # a contract's 中介方 must be a transfer institution
    data = {"transfer_institution_id": deal.broker_id}
    person = deal_broker_person(deal)
    if person is not None:
        data.update(broker_name=person.name, broker_region=person.organisation.region_id)
    return data


def contract_data(deal: Deal) -> dict:
    source = deal.get_source_display()
    contract_type = CONTRACT_TYPE.get(deal.mode, "")
    rights = _rights(deal)
    return {
        **_broker_data(deal),
        "deal_id": deal.pk,
        "seller_id": deal.seller_id,
        "buyer_id": deal.buyer_id,
        "title": deal.title[:200],
        "amount": str(deal.amount),
        "contract_type": contract_type,
        "subtype": contract_subtype(contract_type, [(r.kind, r.status) for r in rights]),
        "ip_summary": _ip_summary(rights),
        "signed_on": clock.local_date(deal.agreed_at).isoformat(),
        "summary": _(
            "经舟桥科技大市场%(source)s成交：%(title)s，成交金额%(amount)s，转化方式：%(mode)s。%(terms)s"
        )
        % {
            "source": source,
            "title": deal.title,
            "amount": format_yuan(deal.amount),
            "mode": deal.get_mode_display(),
            "terms": deal.terms,
        },
    }


def _draft_quietly(deal_id: int, drafter, now) -> None:
    try:
        draft_contract(actor=drafter, deal_id=deal_id, now=now)
    except DomainError as exc:
        log.info("deal %s: no automatic contract draft (%s)", deal_id, exc.message)


def draft_contract(*, actor, deal_id: int, now) -> Deal:
    """The seller turns a deal into a draft technology contract (once)."""
    from zhouqiao.contracts.services import draft_from_deal

    deal = Deal.objects.get(pk=deal_id)
    if not scope.is_member(actor, deal.seller):
        raise PermissionDenied(NOT_ALLOWED)
    if deal.contract_id:
        raise Conflict(_("该交易已生成合同草稿。"), code="deal_already_drafted")
    contract = draft_from_deal(actor=actor, deal_data=contract_data(deal), now=now)
    _link_contract(deal_id=deal.pk, contract_id=contract.pk, actor=actor, now=now)
    return Deal.objects.get(pk=deal_id)


@transaction.atomic(durable=True)
def _link_contract(*, deal_id: int, contract_id: int, actor, now) -> None:
    deal = lock(Deal.objects.all(), deal_id)
    deal.contract_id = contract_id
    deal.save(update_fields=["contract_id"])
    audit.record(
        "market.deal.contract_drafted", actor=actor, target=deal, after={"contract_id": contract_id}, now=now
    )
