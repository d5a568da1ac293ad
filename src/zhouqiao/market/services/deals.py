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
from django.utils.translation import gettext as _

from zhouqiao.accounts import scope
from zhouqiao.accounts.models import OrganisationKind
from zhouqiao.catalog.models import TransferMode
from zhouqiao.core import audit, clock
from zhouqiao.core.errors import Conflict, DomainError, PermissionDenied
from zhouqiao.core.locking import lock
from zhouqiao.core.money import format_yuan
from zhouqiao.market import todos
from zhouqiao.market.exceptions import NOT_ALLOWED
from zhouqiao.market.models import Deal

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

# Transfer mode → statutory contract type (contracts.states.ContractType).
CONTRACT_TYPE = {
    TransferMode.TRANSFER: "transfer",
    TransferMode.LICENCE: "licence",
    TransferMode.EQUITY: "equity",
    TransferMode.JOINT_DEVELOPMENT: "development",
    TransferMode.OTHER: "transfer",
}


def record_deal(*, actor, now, drafter=None, **fields) -> Deal:
    """Write a deal inside the caller's transaction; draft its contract after commit."""
    deal = Deal.objects.create(agreed_at=now, **fields)
    audit.record("market.deal", actor=actor, target=deal, after=audit.snapshot(deal, DEAL_FIELDS), now=now)
    todos.deal_reached(deal, actor=actor, now=now)
    if drafter is not None:
        transaction.on_commit(lambda: _draft_quietly(deal.pk, drafter, now))
    return deal


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
    return {
        **_broker_data(deal),
        "deal_id": deal.pk,
        "seller_id": deal.seller_id,
        "buyer_id": deal.buyer_id,
        "title": deal.title[:200],
        "amount": str(deal.amount),
        "contract_type": CONTRACT_TYPE.get(deal.mode, "transfer"),
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
