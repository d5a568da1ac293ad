import datetime as dt
import json
from decimal import Decimal

from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema

from zhouqiao.accounts.auth import signed_in_user
from zhouqiao.core import clock
from zhouqiao.core.errors import NotFound, ValidationFailed
from zhouqiao.policy import engine, parameters, services
from zhouqiao.policy.models import Application, Entitlement, IncomeDistribution
from zhouqiao.policy.states import ENTITLEMENT_ACTIONS

router = Router(tags=["policy"])


@router.post(
    "/calculate",
    auth=None,
    summary="政策计算器",
    openapi_extra={
        "requestBody": {"content": {"application/json": {"schema": {"type": "object"}}}, "required": True}
    },
)
def calculate(request):
    """Input and output as documented in src/zhouqiao/policy/README.md. Every refusal is HTTP 422
    ``{"code", "message", "detail": {<field path>: [message]}}``."""
    try:
        data = json.loads(request.body or b"null", parse_float=Decimal, parse_constant=_no_constant)
    except (ValueError, RecursionError) as exc:  # JSONDecodeError, UnicodeDecodeError, NaN
        raise ValidationFailed(
            _("请求体不是有效的 JSON（UTF-8）。"), detail={"input": [_("不是有效的 JSON。")]}
        ) from exc
    try:
        return parameters.calculate(data)
    except engine.CaseError as exc:
        raise ValidationFailed(exc.message, detail={exc.field or "input": [exc.message]}) from exc


def _no_constant(name: str):
    raise ValueError(f"{name} is not a number")


@router.get("/rules", auth=None, summary="政策规则（含条款出处）")
def rules(request):
    pkgs, today = parameters.effective_packages(), clock.local_date()
    statuses = {p.id: p.current_status(today) for p in pkgs}
    return [
        {
            "rule": r.id,
            "clause": r.clause,
            "title": r.title,
            "package": r.package,
            "applies_to": r.applies_to,
            "valid_from": r.valid_from.isoformat(),
            "valid_to": r.valid_to.isoformat() if r.valid_to else None,
            "beneficiary": r.beneficiary,
            "automatic": r.automatic,
            "trigger": r.trigger,
            "interpretation": r.interpretation,
            # added by issue 16
            "kind": r.kind,
            "document_status": statuses[r.package],
            "cap_period": r.cap_period(today) if r.parameter("annual_cap", today)[0] is not None else None,
            "evidence": list(r.evidence),
        }
        for r in engine.all_rules(pkgs)
    ]


# --- entitlements, applications, income distribution (the same actions as the pages) -------


class EntitlementActionIn(Schema):
    action: str
    reason: str = ""
    payment_reference: str = ""
    voucher_category: str = ""  # for a rule paid as an innovation voucher (001#20)


class AttachmentIn(Schema):
    """A required material (``rule.evidence``): PDF, JPG or PNG, at most 10 MB, base64-encoded."""

    material: str = Field("", max_length=200)
    name: str = Field(..., max_length=200)
    content_base64: str = Field(..., max_length=14_000_000)


class EventApplicationIn(Schema):
    organisation_id: int
    rule_id: str
    event_date: dt.date
    event_reference: str
    statement: str
    attachments: list[AttachmentIn] = Field(default_factory=list, max_length=20)


class StatementIn(Schema):
    statement: str
    attachments: list[AttachmentIn] = Field(default_factory=list, max_length=20)


def _files(attachments) -> list[tuple[str, bytes, str]]:
    import base64
    import binascii

    out = []
    for a in attachments or []:
        try:
            content = base64.b64decode(a.content_base64, validate=True)
        except (binascii.Error, ValueError) as exc:
            message = _("%(name)s：文件内容应为base64编码。") % {"name": a.name}
            raise ValidationFailed(message, detail={"attachments": [message]}) from exc
        out.append((a.material, content, a.name))
    return out


class ReviewIn(Schema):
    decision: str  # grant | refuse
    amount: str | None = None
    reason: str = ""


class SchemeIn(Schema):
    organisation_id: int
    inventors_ratio: str
    department_ratio: str = "0"


class InventorIn(Schema):
    name: str
    share: str


class DistributionIn(Schema):
    contract_id: int
    costs: str = "0.00"
    inventors: list[InventorIn]


def _money(value) -> str | None:
    return None if value is None else f"{value:.2f}"


def entitlement_out(e: Entitlement) -> dict:
    return {
        "id": e.pk,
        "contract_id": e.contract_id,
        "application_id": e.application_id,
        "rule": e.rule_id,
        "clause": e.clause,
        "title": e.title,
        "beneficiary": e.beneficiary,
        "beneficiary_name": e.beneficiary_name,
        "organisation_id": e.organisation_id,
        "payer_region": e.payer_region_id,
        "year": e.year,
        "amount": _money(e.amount),
        "status": e.status,
        "status_display": e.get_status_display(),
        "status_reason": e.status_reason,
        "payment_reference": e.payment_reference,
        "trace": e.trace,
    }


def attachments_out(a: Application, user) -> list[dict] | None:
    """The files attached per required material, with the download address the web page links
    (``policy:application_attachment``, signed in). ``None`` for a reader the download view
    refuses (``services.may_read_attachments``: a bureau that only oversees), so the list is never
    shown where the files cannot be fetched."""
    if not services.may_read_attachments(user, a):
        return None
    return [
        {
            "id": f.pk,
            "material": f.material,  # the rule's required material it was given for; "" for none
            "name": f.name,
            "size": f.size,
            "uploaded_at": f.uploaded_at.isoformat(),
            "url": reverse("policy:application_attachment", args=[a.pk, f.pk]),
        }
        for f in a.attachments.all()
    ]


def application_out(a: Application, user) -> dict:
    rule = engine.rule_by_id(a.rule_id)
    return {
        "id": a.pk,
        "contract_id": a.contract_id,
        "rule": a.rule_id,
        "clause": a.clause,
        "title": a.title,
        "beneficiary": a.beneficiary,
        "organisation_id": a.organisation_id,
        "payer_region": a.payer_region_id,
        "ceiling": _money(a.ceiling),
        "granted_amount": _money(a.granted_amount),
        "event": a.event,
        "event_date": a.event_date.isoformat() if a.event_date else None,
        "event_reference": a.event_reference,
        "statement": a.statement,
        "status": a.status,
        "status_display": a.get_status_display(),
        "status_reason": a.status_reason,
        "trace": a.trace,
        "required_materials": list(rule.evidence) if rule is not None else [],
        "attachments": attachments_out(a, user),
    }


def distribution_out(d: IncomeDistribution) -> dict:
    return {
        "id": d.pk,
        "contract_id": d.contract_id,
        "organisation_id": d.organisation_id,
        "income": _money(d.income),
        "costs": _money(d.costs),
        "net_income": _money(d.net_income),
        "inventors_amount": _money(d.inventors_amount),
        "department_amount": _money(d.department_amount),
        "unit_amount": _money(d.unit_amount),
        "inventors": d.inventors,
        "ratios": d.ratios,
    }


@router.get("/entitlements", summary="可见的政策兑现（本单位的，及本辖区财务可办理的）")
def list_entitlements(request):
    user = signed_in_user(request)
    return [entitlement_out(e) for e in Entitlement.objects.visible_to(user)[:500]]


@router.post("/entitlements/{entitlement_id}/transitions", summary="确认、财务初审、复审、拨付、驳回")
def transition_entitlement(request, entitlement_id: int, payload: EntitlementActionIn):
    user = signed_in_user(request)
    services.get_entitlement(user, entitlement_id)
    if payload.action not in ENTITLEMENT_ACTIONS:
        raise NotFound(_("不支持的操作。"))
    entitlement = services.transition_entitlement(
        actor=user,
        entitlement_id=entitlement_id,
        to_status=ENTITLEMENT_ACTIONS[payload.action],
        reason=payload.reason,
        payment_reference=payload.payment_reference,
        voucher_category=payload.voucher_category,
        now=clock.now(),
    )
    return entitlement_out(entitlement)


@router.get("/event-rules", auth=None, summary="可由单位申报的事项类条款")
def event_rules(request):
    today = clock.local_date()
    return [
        {
            "rule": r.id,
            "clause": r.clause,
            "title": r.title,
            "event": r.trigger,
            "beneficiary": r.beneficiary,
            "applies_to": r.applies_to,
            "fixed_amount": r.automatic,
            "once": r.once,
            # added by issue 16
            "minimum": r.parameter("minimum", today)[0],
            "evidence": list(r.evidence),
        }
        for r in engine.claimable_event_rules(parameters.effective_packages())
    ]


@router.get("/applications", summary="择优支持与事项申请（本单位的，及本辖区财务待评审的）")
def list_applications(request):
    user = signed_in_user(request)
    rows = Application.objects.visible_to(user).select_related("organisation").prefetch_related("attachments")
    return [application_out(a, user) for a in rows[:500]]


@router.post("/applications", response={201: dict}, summary="申报事项类政策支持")
def apply_for_event(request, payload: EventApplicationIn):
    user = signed_in_user(request)
    application = services.apply_for_event(
        actor=user,
        organisation_id=payload.organisation_id,
        rule_id=payload.rule_id,
        event_date=payload.event_date,
        event_reference=payload.event_reference,
        statement=payload.statement,
        attachments=_files(payload.attachments),
        now=clock.now(),
    )
    return application_out(application, user)


@router.get("/applications/{application_id}", summary="申请详情")
def get_application(request, application_id: int):
    user = signed_in_user(request)
    return application_out(services.get_application(user, application_id), user)


@router.post("/applications/{application_id}/submit", summary="提交合同登记生成的择优申请")
def submit_application(request, application_id: int, payload: StatementIn):
    user = signed_in_user(request)
    services.get_application(user, application_id)
    application = services.submit_application(
        actor=user,
        application_id=application_id,
        statement=payload.statement,
        attachments=_files(payload.attachments),
        now=clock.now(),
    )
    return application_out(application, user)


@router.post("/applications/{application_id}/review", summary="评审：核定（不超过上限）或不予支持")
def review_application(request, application_id: int, payload: ReviewIn):
    user = signed_in_user(request)
    services.get_application(user, application_id)
    if payload.decision not in ("grant", "refuse"):
        raise ValidationFailed(_("评审结论应为 grant 或 refuse。"), detail={"decision": [_("不正确。")]})
    application = services.review_application(
        actor=user,
        application_id=application_id,
        grant=payload.decision == "grant",
        amount=payload.amount,
        reason=payload.reason,
        now=clock.now(),
    )
    return application_out(application, user)


@router.put("/distribution-scheme", summary="设置本单位收益分配比例（单位管理员）")
def set_scheme(request, payload: SchemeIn):
    user = signed_in_user(request)
    scheme = services.set_distribution_scheme(
        actor=user,
        organisation_id=payload.organisation_id,
        inventors_ratio=payload.inventors_ratio,
        department_ratio=payload.department_ratio,
        now=clock.now(),
    )
    return {
        "organisation_id": scheme.organisation_id,
        "inventors_ratio": str(scheme.inventors_ratio),
        "department_ratio": str(scheme.department_ratio),
        "unit_ratio": str(scheme.unit_ratio),
    }


@router.get("/distributions", summary="本单位的收益分配记录")
def list_distributions(request):
    user = signed_in_user(request)
    return [distribution_out(d) for d in services.distributions_visible_to(user)[:200]]


@router.post("/distributions", response={201: dict}, summary="登记一次收益分配（单位管理员）")
def distribute(request, payload: DistributionIn):
    user = signed_in_user(request)
    distribution = services.distribute_income(
        actor=user,
        contract_id=payload.contract_id,
        costs=payload.costs,
        inventors=[p.dict() for p in payload.inventors],
        now=clock.now(),
    )
    return distribution_out(distribution)


@router.get("/distributions/{distribution_id}", summary="收益分配单")
def get_distribution(request, distribution_id: int):
    return distribution_out(services.get_distribution(signed_in_user(request), distribution_id))
