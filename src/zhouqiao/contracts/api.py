"""Contracts API at /api/v1/contracts: the same actions as the pages — list, read, create and
edit a draft (itemised non-technical payments, payment schedule), upload the signed PDF, move the
registration (submit / register / return / refuse / reverse) and the statistics. Reads are
filtered by ``visible_to``; writes go to one service each."""

from django.utils.translation import gettext as _
from ninja import File, Query, Router, Schema
from ninja.files import UploadedFile

from zhouqiao.accounts import scope
from zhouqiao.accounts.auth import signed_in_user
from zhouqiao.contracts import selectors, services
from zhouqiao.contracts.models import Contract
from zhouqiao.contracts.states import ACTIONS
from zhouqiao.core import clock
from zhouqiao.core.bounds import Amount, Page, Year
from zhouqiao.core.errors import NotFound, PermissionDenied, ValidationFailed

router = Router(tags=["contracts"])


class ItemIn(Schema):
    kind: str
    description: str = ""
    amount: Amount


class InstalmentIn(Schema):
    due_on: str
    amount: Amount
    note: str = ""


class ContractIn(Schema):
    title: str
    contract_type: str
    subtype: str = ""
    buyer_id: int
    transfer_institution_id: int | None = None
    broker_name: str = ""
    broker_region: str = ""
    industry: str = ""
    contract_amount: Amount
    signed_on: str
    ip_summary: str = ""
    summary: str = ""
    is_written: bool = True
    non_technical_items: list[ItemIn] = []
    instalments: list[InstalmentIn] = []


class DraftIn(ContractIn):
    seller_id: int


class TransitionIn(Schema):
    action: str
    reason: str = ""


def contract_out(contract: Contract) -> dict:
    return {
        "id": contract.pk,
        "title": contract.title,
        "contract_type": contract.contract_type,
        "subtype": contract.subtype,
        "status": contract.status,
        "status_display": contract.get_status_display(),
        "status_reason": contract.status_reason,
        "registration_number": contract.registration_number,
        "seller": {
            "id": contract.seller_id,
            "name": contract.seller.name,
            "region": contract.seller.region_id,
        },
        "buyer": {"id": contract.buyer_id, "name": contract.buyer.name, "region": contract.buyer.region_id},
        "transfer_institution_id": contract.transfer_institution_id,
        "broker_name": contract.broker_name,
        "broker_region": contract.broker_region_id,
        "region": contract.region_id,
        "contract_amount": f"{contract.contract_amount:.2f}",
        "technology_amount": f"{contract.technology_amount:.2f}",
        "non_technical_items": [
            {"kind": i.kind, "description": i.description, "amount": f"{i.amount:.2f}"}
            for i in contract.non_technical_items.all()
        ],
        "instalments": [
            {"due_on": i.due_on.isoformat(), "amount": f"{i.amount:.2f}", "note": i.note}
            for i in contract.instalments.all()
        ],
        "signed_on": contract.signed_on.isoformat(),
        "ip_summary": contract.ip_summary,
        "summary": contract.summary,
        "has_attachment": bool(contract.attachment),
        "decision_due": contract.decision_due.isoformat() if contract.decision_due else None,
        "registered_at": contract.registered_at,
    }


def _data(payload: ContractIn) -> dict:
    data = payload.dict()
    data.pop("seller_id", None)
    return data


@router.get("", summary="可见的技术合同")
def list_contracts(request, paging: Query[Page], status: str = ""):
    user = signed_in_user(request)
    contracts = Contract.objects.visible_to(user).select_related("seller", "buyer")
    if status:
        contracts = contracts.filter(status=status)
    return [contract_out(c) for c in paging.slice(contracts)]


@router.post("", response={201: dict}, summary="新建合同登记草稿（卖方）")
def create_contract(request, payload: DraftIn):
    user = signed_in_user(request)
    contract = services.create_draft(
        actor=user, seller_id=payload.seller_id, data=_data(payload), now=clock.now()
    )
    return contract_out(contract)


@router.get("/statistics", summary="技术合同登记统计")
def statistics(request, by: str = "year", level: str = "city", year: Year | None = None):
    """Registered contracts within the caller's jurisdiction: by year, quarter, region (level province /
    city / county), type, industry or flow (seller region → buyer region)."""
    if not scope.is_business_staff(request.user):
        raise PermissionDenied(_("仅科技主管部门人员可查看统计。"))
    if (
        by not in ("year", "quarter", "region", "type", "industry", "flow")
        or level not in selectors.LEVEL_LENGTH
    ):
        raise ValidationFailed(_("统计维度不正确。"))
    queryset = Contract.objects.filter(scope.region_q(request.user, "region"))
    return selectors.statistics(queryset=queryset, by=by, level=level, year=year)


@router.get("/{contract_id}", summary="技术合同详情")
def get_contract(request, contract_id: int):
    return contract_out(services.get_visible(signed_in_user(request), contract_id))


@router.put("/{contract_id}", summary="修改草稿或已退回的合同（卖方）")
def update_contract(request, contract_id: int, payload: ContractIn):
    user = signed_in_user(request)
    services.get_visible(user, contract_id)
    contract = services.update_draft(
        actor=user, contract_id=contract_id, data=_data(payload), now=clock.now()
    )
    return contract_out(contract)


@router.post("/{contract_id}/attachment", summary="上传签字盖章的合同文本（PDF）")
def upload_attachment(request, contract_id: int, file: File[UploadedFile]):
    user = signed_in_user(request)
    services.get_visible(user, contract_id)
    contract = services.attach_signed_contract(
        actor=user, contract_id=contract_id, content=file.read(), filename=file.name, now=clock.now()
    )
    return contract_out(contract)


@router.post("/{contract_id}/transitions", summary="提交、登记、退回、不予登记、撤销登记")
def transition(request, contract_id: int, payload: TransitionIn):
    user = signed_in_user(request)
    services.get_visible(user, contract_id)
    if payload.action not in ACTIONS:
        raise NotFound(_("不支持的操作。"))
    contract = services.transition_contract(
        actor=user,
        contract_id=contract_id,
        to_status=ACTIONS[payload.action],
        reason=payload.reason,
        now=clock.now(),
    )
    return contract_out(contract)
