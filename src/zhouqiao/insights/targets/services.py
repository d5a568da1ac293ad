"""Writes of the targets app: statistics staff enter a target's actual (the official figure, with
its source document) for a year — every target's, the 技术合同成交额 ones too: the platform's own
registrations are only part of those (see ``selectors``)."""

from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhouqiao.accounts import scope
from zhouqiao.accounts.models import Duty
from zhouqiao.core import audit
from zhouqiao.core.errors import NotFound, PermissionDenied, ValidationFailed
from zhouqiao.insights.targets import catalogue
from zhouqiao.insights.targets.models import TargetActual

FIRST_YEAR = 2010
MAX_VALUE = Decimal("1000000000000")


def can_enter(user, target: catalogue.Target) -> bool:
    return scope.covers(user, target.region_code, Duty.STATISTICS)


def _value(raw, target) -> Decimal:
    try:
        value = raw if isinstance(raw, Decimal) else Decimal(str(raw).strip().replace(",", ""))
    except (InvalidOperation, ValueError) as exc:
        raise ValidationFailed(_("实际值须为数字。"), code="bad_value") from exc
    if not value.is_finite():
        raise ValidationFailed(_("实际值须为数字。"), code="bad_value")
    if value < 0:
        raise ValidationFailed(_("实际值不能为负数。"), code="bad_value")
    if target.is_percent and value > 100:
        raise ValidationFailed(_("百分比不能超过100。"), code="bad_value")
    if value >= MAX_VALUE:
        raise ValidationFailed(_("实际值超出合理范围。"), code="bad_value")
    if value.as_tuple().exponent < -4:
        raise ValidationFailed(_("实际值最多保留四位小数。"), code="bad_value")
    return value


@transaction.atomic(durable=True)
def enter_actual(
    *, target_code: str, year: int, value, source_document: str, note: str = "", actor, now
) -> TargetActual:
    target = catalogue.get(target_code)
    if target is None:
        raise NotFound(_("该目标不存在。"))
    if not scope.covers(actor, target.region_code, Duty.STATISTICS):
        raise PermissionDenied(_("只有该地区的统计监测人员可以录入目标实际值。"))
    latest = timezone.localdate(now).year
    if not isinstance(year, int) or not FIRST_YEAR <= year <= latest:
        raise ValidationFailed(
            _("年度须在%(a)s年至%(b)s年之间。") % {"a": FIRST_YEAR, "b": latest}, code="bad_year"
        )
    value = _value(value, target)
    source_document = (source_document or "").strip()
    if not source_document:
        raise ValidationFailed(_("请填写来源文件（如统计公报名称及文号）。"), code="no_source")
    if len(source_document) > 200 or len(note or "") > 500:
        raise ValidationFailed(_("来源文件不超过200字，备注不超过500字。"), code="too_long")
    existing = TargetActual.objects.select_for_update().filter(target_code=target_code, year=year).first()
    before = audit.snapshot(existing, ["value", "source_document", "note"]) if existing else {}
    actual, _created = TargetActual.objects.update_or_create(
        target_code=target_code,
        year=year,
        defaults={
            "value": value,
            "source_document": source_document,
            "note": (note or "").strip(),
            "region_id": target.region_code,
            "entered_at": now,
            "entered_by": actor,
        },
    )
    audit.record(
        "targets.actual.entered",
        actor=actor,
        target=actual,
        before=before,
        after={"target": target_code, "year": year, "value": value, "source_document": source_document},
        region_code=target.region_code,
        now=now,
    )
    return actual
