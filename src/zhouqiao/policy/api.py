import json
from decimal import Decimal

from django.utils.translation import gettext as _
from ninja import Router

from zhouqiao.core.errors import ValidationFailed
from zhouqiao.policy import engine

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
    """Input and output as documented in src/zhouqiao/policy/README.md."""
    try:
        data = json.loads(request.body or b"null", parse_float=Decimal)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ValidationFailed(_("请求体不是有效的 JSON。")) from exc
    try:
        return engine.calculate(data)
    except engine.CaseError as exc:
        raise ValidationFailed(exc.message, detail={exc.field or "input": [exc.message]}) from exc


@router.get("/rules", auth=None, summary="政策规则（含条款出处）")
def rules(request):
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
        }
        for r in engine.all_rules()
    ]
