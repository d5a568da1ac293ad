"""What waits in technology contract registration, and who is told.

submitted  → the registrars of the bureau it waits on (the nearest jurisdiction with a
             registrar: notifications.recipients.waiting_on_q): register it
             (contracts.submitted; to-do "待登记的技术合同" with the decision deadline)
returned   → the seller's members: correct and resubmit it
             (contracts.returned; to-do "被退回补正的技术合同")
registered → the seller's members (contracts.registered), and the buyer's members too: the buyer
             is a party (contracts.registered_buyer; a tester's enterprise never heard of its contract)
draft      → the seller's members who may apply for it: complete and submit it (to-do
             "待完善并提交认定登记的技术合同"; a draft from a deal or a 揭榜挂帅 selection waits on them)

The deadline is ``Contract.decision_due``: ``ZHOUQIAO_CONTRACT_DECISION_DAYS`` (30) days after
submission, the term the national 技术合同认定登记管理办法 is understood to set. The research brief
(/work/shared/research) does not confirm that term, so it stays a setting.
"""

import datetime as dt

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhouqiao.accounts import scope
from zhouqiao.accounts.models import Duty
from zhouqiao.contracts.models import Contract
from zhouqiao.contracts.states import ContractStatus
from zhouqiao.core.money import format_yuan
from zhouqiao.notifications import recipients
from zhouqiao.notifications.registry import Todo, kind, todo_source
from zhouqiao.notifications.services import notify

SUBMITTED = kind("contracts.submitted", gettext_lazy("技术合同待登记审查"))
RETURNED = kind("contracts.returned", gettext_lazy("技术合同被退回补正"))
REGISTERED = kind("contracts.registered", gettext_lazy("技术合同已登记"))
REGISTERED_BUYER = kind("contracts.registered_buyer", gettext_lazy("本单位作为买方的技术合同已登记"))

LIMIT = 200


def _url(contract: Contract) -> str:
    return reverse("contracts:detail", args=[contract.pk])


def contract_changed(contract: Contract, *, now) -> None:
    """Tell whoever the contract now waits on, or its seller what happened. Called by the
    services inside their transaction, after the status change."""
    c = contract
    key = f"contracts.contract:{c.pk}:{c.status}"
    if c.status == ContractStatus.SUBMITTED:
        notify(
            recipients.handling_staff(Duty.REGISTRAR, c.region_id),
            kind=SUBMITTED,
            title=_("待登记审查：%(title)s（%(seller)s，%(amount)s）")
            % {"title": c.title, "seller": c.seller.name, "amount": format_yuan(c.contract_amount)},
            url=_url(c),
            key=f"{key}:{c.submitted_at.isoformat()}",  # each resubmission is a new event
            now=now,
        )
    elif c.status == ContractStatus.RETURNED:
        notify(
            recipients.org_handlers(c.seller, c.created_by_id),
            kind=RETURNED,
            title=_("技术合同被退回补正：%(title)s") % {"title": c.title},
            body=c.status_reason,
            url=_url(c),
            key=f"{key}:{c.returned_at.isoformat()}",
            now=now,
        )
    elif c.status == ContractStatus.REGISTERED:
        notify(
            recipients.org_handlers(c.seller, c.created_by_id),
            kind=REGISTERED,
            title=_("技术合同已登记：%(title)s，登记号%(number)s")
            % {"title": c.title, "number": c.registration_number},
            url=_url(c),
            key=key,
            now=now,
        )
        # The buyer is a party too; same key, so a member of both sides hears it once.
        notify(
            recipients.org_handlers(c.buyer),
            kind=REGISTERED_BUYER,
            title=_("贵单位作为买方的技术合同已登记：%(title)s（卖方%(seller)s），登记号%(number)s")
            % {"title": c.title, "seller": c.seller.name, "number": c.registration_number},
            url=_url(c),
            key=key,
            now=now,
        )


def _end_of(day: dt.date | None):
    if day is None:
        return None
    return timezone.make_aware(dt.datetime.combine(day, dt.time(23, 59, 59)))


@todo_source(gettext_lazy("待登记的技术合同"))
def contracts_to_register(user):
    if not scope.has_duty(user, Duty.REGISTRAR):
        return []
    waiting = (
        Contract.objects.filter(
            recipients.waiting_on_q(user, Duty.REGISTRAR), status=ContractStatus.SUBMITTED
        )
        .select_related("seller")
        .order_by("decision_due", "submitted_at", "pk")[:LIMIT]
    )
    return [
        Todo(
            title=c.title,
            url=_url(c),
            since=c.submitted_at,
            deadline=_end_of(c.decision_due),
            detail=f"{c.seller.name} · {format_yuan(c.contract_amount)}",
        )
        for c in waiting
    ]


@todo_source(gettext_lazy("被退回补正的技术合同"))
def contracts_to_correct(user):
    organisations = scope.organisation_ids(user)
    if not organisations:
        return []
    returned = Contract.objects.filter(seller_id__in=organisations, status=ContractStatus.RETURNED).order_by(
        "returned_at", "pk"
    )[:LIMIT]
    return [
        Todo(
            title=c.title,
            url=_url(c),
            since=c.returned_at or c.submitted_at or c.created_at,
            detail=_("登记意见：%(reason)s") % {"reason": c.status_reason},
        )
        for c in returned
    ]


@todo_source(gettext_lazy("待完善并提交认定登记的技术合同"))
def drafts_to_complete(user):
    """Drafts of a seller the user may apply for (a draft from a deal, or one the buyer's
    揭榜挂帅 selection made, waits on the seller's members to complete, sign and submit it)."""
    from zhouqiao.catalog import posting

    sellers = [o.pk for o in posting.organisations_for(user, posting.CONTRACT)]
    if not sellers:
        return []
    drafts = (
        Contract.objects.filter(seller_id__in=sellers, status=ContractStatus.DRAFT)
        .select_related("buyer")
        .order_by("created_at", "pk")[:LIMIT]
    )
    return [
        Todo(
            title=c.title,
            url=_url(c),
            since=c.created_at,
            detail=_("完善合同并提交认定登记（买方%(buyer)s，%(amount)s）")
            % {"buyer": c.buyer.name, "amount": format_yuan(c.contract_amount)},
        )
        for c in drafts
    ]
