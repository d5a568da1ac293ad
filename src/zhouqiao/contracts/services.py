"""Every write about technology contract registration: keyword-only arguments, ``actor`` and
``now``; one durable transaction owning its locks and audit record.

Registration number: ``YYYY`` (year of registration) + the seller's six-digit region code + a
five-digit sequence per year and region, e.g. ``2024220102`` ``00001`` → ``202422010200001``.
The sequence row (year, region) is locked while a number is taken, so numbers are unique and
gap-free under concurrency (and a unique constraint on the number backs it).
"""

import datetime as dt
import uuid
from decimal import Decimal

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from zhouqiao.accounts import scope
from zhouqiao.accounts.models import Duty, Organisation, StaffAssignment
from zhouqiao.catalog import posting
from zhouqiao.contracts import certificates, todos
from zhouqiao.contracts.exceptions import NOT_ALLOWED
from zhouqiao.contracts.models import Contract, NonTechnicalItem, PaymentInstalment, RegistrationSequence
from zhouqiao.contracts.states import (
    CONTRACT_TRANSITIONS,
    EDITABLE,
    REASON_REQUIRED,
    SUBTYPES,
    Actor,
    ContractStatus,
    ContractType,
    NonTechnicalKind,
)
from zhouqiao.core import audit, batch, clock
from zhouqiao.core.errors import InvalidTransition, NotFound, PermissionDenied, ValidationFailed
from zhouqiao.core.locking import lock
from zhouqiao.core.models import Industry, Region
from zhouqiao.core.money import AmountError, parse_amount

FIELDS = [
    "title",
    "contract_type",
    "subtype",
    "seller",
    "buyer",
    "transfer_institution",
    "broker_name",
    "broker_region",
    "industry",
    "contract_amount",
    "technology_amount",
    "signed_on",
    "ip_summary",
    "summary",
    "is_written",
    "status",
    "registration_number",
]
MAX_ATTACHMENT = 20 * 1024 * 1024


def decision_days() -> int:
    """Days the registrar has to decide after submission (技术合同认定登记管理办法: 30 days)."""
    return int(getattr(settings, "ZHOUQIAO_CONTRACT_DECISION_DAYS", 30))


def _fail(field: str, message) -> ValidationFailed:
    return ValidationFailed(message, detail={field: [str(message)]})


def _amount(value, field: str, label: str) -> Decimal:
    """Through the one parser (core.money): ≤ 10¹² 元, two places, never rounded."""
    if value is None or value == "":
        raise _fail(field, _("%(label)s不是有效金额。") % {"label": label})
    try:
        return parse_amount(value)
    except AmountError as exc:
        raise _fail(field, _("%(label)s：%(reason)s") % {"label": label, "reason": exc}) from exc


def _type_and_subtype(data: dict, *, open_choice: bool) -> tuple[str, str]:
    """The contract type and subtype asked for. A draft made from a deal (``open_choice``) keeps
    what could not be told from the deal unselected (empty) for the seller to choose before
    submitting; otherwise a type without a subtype takes its first subtype, as the API always did."""
    contract_type = data.get("contract_type") or ""
    if contract_type not in ContractType.values and not (open_choice and contract_type == ""):
        raise _fail("contract_type", _("请选择合同类型。"))
    subtype = data.get("subtype") or ""
    if contract_type and not subtype and (not open_choice or len(SUBTYPES[contract_type]) == 1):
        subtype = SUBTYPES[contract_type][0]
    if subtype and subtype not in SUBTYPES.get(contract_type, ()):
        raise _fail("subtype", _("合同子类与合同类型不符。"))
    return contract_type, subtype


def _buyer(data: dict, *, seller: Organisation, check_party: bool) -> Organisation:
    """The buyer named. A buyer the seller picks (``check_party``) must be a verified market party:
    an enterprise, university, institute…, never a bureau (the registry) or an investor."""
    buyer = Organisation.objects.filter(pk=data.get("buyer_id")).first()
    if buyer is None:
        raise _fail("buyer_id", _("请选择买方单位。"))
    if buyer.pk == seller.pk:
        raise _fail("buyer_id", _("买方与卖方不能是同一单位。"))
    if check_party and buyer.kind not in posting.POSTERS[posting.CONTRACT]:
        raise _fail(
            "buyer_id",
            _("%(kind)s不能作为技术合同的买方，请选择企业、高校、科研院所等市场主体。")
            % {"kind": buyer.get_kind_display()},
        )
    if check_party and not buyer.is_verified:
        raise _fail("buyer_id", _("买方单位尚未通过认证，不能作为技术合同的买方。"))
    return buyer


def _clean(data: dict, *, seller: Organisation, open_choice: bool = False, buyer=None) -> dict:
    """``buyer``: the buyer fixed elsewhere (a deal's buyer, the buyer of an unchanged draft),
    else the one named in ``data``, which must be a verified market party."""
    title = (data.get("title") or "").strip()
    if not title:
        raise _fail("title", _("请填写合同名称。"))
    contract_type, subtype = _type_and_subtype(data, open_choice=open_choice)
    if buyer is None:
        buyer = _buyer(data, seller=seller, check_party=True)
    institution = None
    if data.get("transfer_institution_id"):
        institution = Organisation.objects.filter(
            pk=data["transfer_institution_id"], kind="transfer_institution"
        ).first()
        if institution is None:
            raise _fail("transfer_institution_id", _("中介方须为已注册的技术转移机构。"))
    broker_name = (data.get("broker_name") or "").strip()
    broker_region = None
    if broker_name:
        broker_region = Region.objects.filter(code=str(data.get("broker_region") or "").strip()).first()
        if broker_region is None:
            raise _fail("broker_region", _("请填写技术经纪人执业地区的行政区划代码。"))
    industry = None
    if data.get("industry"):
        industry = Industry.objects.filter(code=data["industry"]).first()
        if industry is None:
            raise _fail("industry", _("行业代码不存在。"))
    amount = _amount(data.get("contract_amount"), "contract_amount", _("合同成交额"))
    if amount <= 0:
        raise _fail("contract_amount", _("合同成交额应大于零。"))
    items = []
    for i, item in enumerate(data.get("non_technical_items") or []):
        if item.get("kind") not in NonTechnicalKind.values:
            raise _fail("non_technical_items", _("第%(n)d项非技术性款项的类别不正确。") % {"n": i + 1})
        value = _amount(item.get("amount"), "non_technical_items", _("非技术性款项"))
        if value <= 0:
            raise _fail("non_technical_items", _("第%(n)d项非技术性款项金额应大于零。") % {"n": i + 1})
        items.append(
            NonTechnicalItem(
                kind=item["kind"], description=(item.get("description") or "")[:200], amount=value
            )
        )
    technology_amount = amount - sum((i.amount for i in items), start=Decimal("0.00"))
    if technology_amount < 0:
        raise _fail("non_technical_items", _("非技术性款项合计不能超过合同成交额。"))
    instalments = []
    for item in data.get("instalments") or []:
        try:
            due = dt.date.fromisoformat(str(item.get("due_on")))
        except ValueError as exc:
            raise _fail("instalments", _("支付计划的日期格式应为 YYYY-MM-DD。")) from exc
        value = _amount(item.get("amount"), "instalments", _("支付金额"))
        if value <= 0:
            raise _fail("instalments", _("支付金额应大于零。"))
        instalments.append(PaymentInstalment(due_on=due, amount=value, note=(item.get("note") or "")[:200]))
    if instalments and sum(i.amount for i in instalments) != amount:
        raise _fail("instalments", _("支付计划合计应等于合同成交额。"))
    try:
        signed_on = dt.date.fromisoformat(str(data.get("signed_on")))
    except ValueError as exc:
        raise _fail("signed_on", _("请填写签订日期（YYYY-MM-DD）。")) from exc
    return {
        "fields": {
            "title": title[:200],
            "contract_type": contract_type,
            "subtype": subtype,
            "buyer": buyer,
            "transfer_institution": institution,
            "broker_name": broker_name[:64],
            "broker_region": broker_region,
            "industry": industry,
            "contract_amount": amount,
            "technology_amount": technology_amount,
            "signed_on": signed_on,
            "ip_summary": (data.get("ip_summary") or "").strip(),
            "summary": (data.get("summary") or "").strip(),
            "is_written": bool(data.get("is_written", True)),
        },
        "items": items,
        "instalments": instalments,
    }


def _save_children(contract: Contract, cleaned: dict) -> None:
    contract.non_technical_items.all().delete()
    contract.instalments.all().delete()
    for item in cleaned["items"]:
        item.contract = contract
        item.save()
    for item in cleaned["instalments"]:
        item.contract = contract
        item.save()


def _seller_for(actor, seller_id) -> Organisation:
    seller = Organisation.objects.filter(pk=seller_id).first()
    if seller is None or not scope.is_member(actor, seller):
        raise PermissionDenied(NOT_ALLOWED)
    refused = posting.refusal(actor, seller, posting.CONTRACT)  # no administrator, no bureau as seller
    if refused:
        raise PermissionDenied(refused)
    if not seller.is_verified:
        raise PermissionDenied(_("卖方单位尚未通过认证，不能申请合同登记。"))
    return seller


def _create(
    *, actor, seller: Organisation, data: dict, now, source_deal_id=None, open_choice=False, buyer=None
) -> Contract:
    cleaned = _clean(data, seller=seller, open_choice=open_choice, buyer=buyer)
    contract = Contract(
        **cleaned["fields"],
        seller=seller,
        region=seller.region,
        created_by=actor,
        created_at=now,
        source_deal_id=source_deal_id,
    )
    try:
        with transaction.atomic():
            contract.save()
    except IntegrityError as exc:
        raise ValidationFailed(_("该交易已生成合同草稿。"), code="deal_already_drafted") from exc
    _save_children(contract, cleaned)
    audit.record(
        "contract.create", actor=actor, target=contract, after=audit.snapshot(contract, FIELDS), now=now
    )
    return contract


@transaction.atomic(durable=True)
def create_draft(*, actor, seller_id: int, data: dict, now) -> Contract:
    """The seller side starts a registration (a draft)."""
    return _create(actor=actor, seller=_seller_for(actor, seller_id), data=data, now=now)


@transaction.atomic(durable=True)
def draft_from_deal(*, actor, deal_data: dict, now) -> Contract:
    """A closed market deal becomes a draft contract. ``deal_data`` is plain data so that this app
    does not depend on the market: {"deal_id", "seller_id", "buyer_id", "title", "amount",
    "contract_type", "signed_on"?, "summary"?, "transfer_institution_id"?, "broker_name"?,
    "broker_region"?}. One draft per deal."""
    seller = _seller_for(actor, deal_data.get("seller_id"))
    data = {
        "title": deal_data.get("title"),
        # what the deal tells (its mode, the achievement's rights); the rest the seller chooses
        "contract_type": deal_data.get("contract_type", ""),
        "subtype": deal_data.get("subtype", ""),
        "buyer_id": deal_data.get("buyer_id"),
        "contract_amount": deal_data.get("amount"),
        "signed_on": deal_data.get("signed_on") or clock.local_date(now).isoformat(),
        "ip_summary": deal_data.get("ip_summary", ""),
        "summary": deal_data.get("summary", ""),
        # the deal's broker (中介方) and, when known, the broker person (技术经纪（理）人)
        "transfer_institution_id": deal_data.get("transfer_institution_id"),
        "broker_name": deal_data.get("broker_name", ""),
        "broker_region": deal_data.get("broker_region", ""),
    }
    buyer = _buyer(data, seller=seller, check_party=False)  # the deal's buyer, whoever it is now
    return _create(
        actor=actor,
        seller=seller,
        data=data,
        now=now,
        source_deal_id=deal_data.get("deal_id"),
        open_choice=True,
        buyer=buyer,
    )


def draft_for_buyer_selection(*, actor, seller: Organisation, data: dict, now) -> Contract:
    """A draft made when the buyer picks the seller in another workflow (a 揭榜挂帅 selection):
    the caller has checked, inside its own transaction, that ``actor`` acts for the buyer named in
    ``data``. The seller's members then complete, sign and submit it as any draft."""
    if not seller.is_verified:
        raise PermissionDenied(_("卖方单位尚未通过认证，不能申请合同登记。"))
    buyer = _buyer(data, seller=seller, check_party=False)  # the caller acts for this buyer
    return _create(actor=actor, seller=seller, data=data, now=now, buyer=buyer)


def _editable(actor, contract_id) -> Contract:
    contract = lock(Contract.objects.all(), contract_id)
    if not scope.is_member(actor, contract.seller):
        raise PermissionDenied(NOT_ALLOWED)
    refused = posting.refusal(actor, contract.seller, posting.CONTRACT)
    if refused:
        raise PermissionDenied(refused)
    if contract.status not in EDITABLE:
        raise InvalidTransition(_("只有草稿或已退回的合同可以修改。"))
    return contract


@transaction.atomic(durable=True)
def update_draft(*, actor, contract_id: int, data: dict, now) -> Contract:
    contract = _editable(actor, contract_id)
    before = audit.snapshot(contract, FIELDS)
    buyer = None  # a new buyer is checked as any the seller picks
    if str(data.get("buyer_id")) == str(contract.buyer_id):
        buyer = contract.buyer  # unchanged: kept even if it has since lost its verification
    elif contract.source_deal_id:
        raise _fail("buyer_id", _("本合同由交易生成，买方为交易的受让方，不能更改。"))
    cleaned = _clean(data, seller=contract.seller, open_choice=bool(contract.source_deal_id), buyer=buyer)
    for key, value in cleaned["fields"].items():
        setattr(contract, key, value)
    contract.save()
    _save_children(contract, cleaned)
    audit.record(
        "contract.update",
        actor=actor,
        target=contract,
        before=before,
        after=audit.snapshot(contract, FIELDS),
        now=now,
    )
    return contract


@transaction.atomic(durable=True)
def attach_signed_contract(*, actor, contract_id: int, content: bytes, filename: str, now) -> Contract:
    """Store the signed contract (PDF only, checked by its magic bytes) under a server-made name."""
    contract = _editable(actor, contract_id)
    if not content or len(content) > MAX_ATTACHMENT:
        raise _fail("attachment", _("合同文本不能为空，且不超过20MB。"))
    if not content.startswith(b"%PDF-"):
        raise _fail("attachment", _("合同文本须为PDF文件。"))
    old = contract.attachment.name if contract.attachment else ""
    contract.attachment.save(f"{uuid.uuid4().hex}.pdf", ContentFile(content), save=False)
    contract.attachment_name = (filename or "contract.pdf")[-200:]
    contract.save(update_fields=["attachment", "attachment_name"])
    audit.record(
        "contract.attach",
        actor=actor,
        target=contract,
        before={"attachment": old},
        after={"attachment": contract.attachment.name, "original_name": contract.attachment_name},
        now=now,
    )
    return contract


def _may_take(actor, contract: Contract, who: str) -> bool:
    if who == Actor.REGISTRAR:
        return scope.covers(actor, contract.region_id, Duty.REGISTRAR)
    return posting.may_post(actor, contract.seller, posting.CONTRACT)


def _next_number(contract: Contract, now) -> str:
    year = now.year
    RegistrationSequence.objects.get_or_create(year=year, region_code=contract.region_id)
    seq = RegistrationSequence.objects.select_for_update().get(year=year, region_code=contract.region_id)
    seq.last += 1
    seq.save(update_fields=["last"])
    return f"{year}{contract.region_id}{seq.last:05d}"


def _check_complete(contract: Contract) -> None:
    if not (contract.contract_type and contract.subtype):
        raise _fail("subtype", _("请先在“修改合同信息”中选择合同类型和合同子类，再提交。"))
    if not contract.attachment:
        raise _fail("attachment", _("请上传签字盖章的合同文本（PDF）后再提交。"))
    if not contract.is_written:
        raise _fail("is_written", _("口头合同不予登记，请提交书面合同。"))


@transaction.atomic(durable=True)
def transition_contract(*, actor, contract_id: int, to_status: str, reason: str = "", now) -> Contract:
    """The one way to move a registration (see states.py). Registering allocates the number and
    computes every entitlement the contract triggers; reversing a registration reverses them."""
    from zhouqiao.policy import services as policy_services

    contract = lock(Contract.objects.all(), contract_id)
    allowed = CONTRACT_TRANSITIONS.get(contract.status, {})
    if to_status not in allowed:
        raise InvalidTransition(
            _("当前状态“%(status)s”不能执行此操作。") % {"status": contract.get_status_display()}
        )
    if not _may_take(actor, contract, allowed[to_status]):
        raise PermissionDenied(NOT_ALLOWED)
    reason = (reason or "").strip()
    if to_status in REASON_REQUIRED and not reason:
        raise _fail("reason", _("请填写理由。"))
    before = audit.snapshot(contract, FIELDS + ["status_reason"])
    if to_status == ContractStatus.SUBMITTED:
        _check_complete(contract)
        contract.region = contract.seller.region
        contract.submitted_at = now
        contract.decision_due = clock.local_date(now) + dt.timedelta(days=decision_days())
    elif to_status == ContractStatus.REGISTERED:
        _check_complete(contract)
        contract.registration_number = _next_number(contract, now)
        contract.registered_at = now
        contract.registrar = actor
        contract.registry_name = certificates.registry_name(
            actor, contract.region_id, organisations=Organisation.objects, assignments=StaffAssignment.objects
        )
        contract.verification_code = certificates.new_verification_code()
    elif to_status in (ContractStatus.RETURNED, ContractStatus.REFUSED):
        contract.registrar = actor
        if to_status == ContractStatus.RETURNED:
            contract.returned_at = now
    contract.status = to_status
    contract.status_reason = reason
    contract.save()
    audit.record(
        f"contract.{to_status}",
        actor=actor,
        target=contract,
        before=before,
        after=audit.snapshot(contract, FIELDS + ["status_reason"]),
        reason=reason,
        now=now,
    )
    todos.contract_changed(contract, now=now)
    if to_status == ContractStatus.REGISTERED:
        policy_services.grant_for_contract(contract=contract, actor=actor, now=now)
    elif to_status == ContractStatus.REVERSED:
        policy_services.reverse_for_contract(contract=contract, actor=actor, reason=reason, now=now)
    return contract


def register_contracts(*, actor, contract_ids, now) -> batch.BatchOutcome:
    """A registrar registers several submitted contracts at once, each through
    :func:`transition_contract` (its own lock, checks, number, certificate and audit record)."""
    ids = batch.parse_ids(contract_ids)
    return batch.each(
        ids,
        visible={c.pk: c for c in Contract.objects.visible_to(actor).filter(pk__in=ids)},
        act=lambda pk: transition_contract(
            actor=actor, contract_id=pk, to_status=ContractStatus.REGISTERED, now=now
        ),
        name_of=lambda c: c.title,
        missing=_("合同不存在或您无权查看。"),
    )


def get_visible(user, contract_id: int) -> Contract:
    contract = Contract.objects.visible_to(user).filter(pk=contract_id).first()
    if contract is None:
        raise NotFound(_("合同不存在或您无权查看。"))
    return contract
