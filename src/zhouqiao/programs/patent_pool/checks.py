"""What the patent pool's services share: input parsing (Chinese errors, nothing rounded) and the
permission checks the pages reuse to show only the buttons a person may press."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils.translation import gettext as _

from zhouqiao.accounts import scope
from zhouqiao.accounts.models import Duty
from zhouqiao.core.errors import PermissionDenied, ValidationFailed
from zhouqiao.core.money import AmountError, parse_amount
from zhouqiao.programs.patent_pool.models import PatentPool, TrackedPatent


def idle_years() -> int:
    return int(getattr(settings, "ZHOUQIAO_PATENT_IDLE_YEARS", 3))


def fail(field: str, message, code: str = "validation_failed") -> ValidationFailed:
    return ValidationFailed(message, code=code, detail={field: [str(message)]})


def add_years(day: dt.date, years: int) -> dt.date:
    """The same calendar day ``years`` later (29 February → 28 February)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def _amount(value, field: str, label, *, required: bool = True):
    if value in (None, ""):
        if required:
            raise fail(field, _("请填写%(label)s。") % {"label": label}, "invalid_amount")
        return None
    try:
        return parse_amount(value)
    except AmountError as exc:
        raise fail(
            field, _("%(label)s：%(reason)s") % {"label": label, "reason": exc}, "invalid_amount"
        ) from None


def _text(value, field: str, message, *, limit: int = 2000) -> str:
    text = (value or "").strip()
    if not text:
        raise fail(field, message, "reason_required")
    if len(text) > limit:
        raise fail(field, _("不能超过%(n)s个字。") % {"n": limit})
    return text


def _day(value, field: str, label) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise fail(field, _("%(label)s不是有效日期（例如 2024-03-01）。") % {"label": label}) from None


# --- permissions (also used by the views to show only the buttons one may press) ----------------


def is_owner_member(user, patent: TrackedPatent) -> bool:
    """Any member of the owner: tracks its patents and records implementation facts (the
    inventor or the tech-transfer office knows the licences and products)."""
    return scope.is_member(user, patent.owner)


def is_owner_admin(user, patent: TrackedPatent) -> bool:
    """The owner's administrator: offers a patent for acquisition (disposing of the
    organisation's asset) and withdraws the offer, as only an administrator confirms money matters."""
    return scope.is_org_admin(user, patent.owner)


def may_decide(user, patent: TrackedPatent) -> bool:
    return scope.covers(user, patent.region_id, Duty.PROGRAM_OFFICER)


def may_manage_pool(user, pool: PatentPool) -> bool:
    return scope.covers(user, pool.region_id, Duty.PROGRAM_OFFICER)


def may_operate_on_market(user, pool: PatentPool) -> bool:
    return (
        may_manage_pool(user, pool)
        and pool.holder_id is not None
        and pool.holder_id in scope.organisation_ids(user)
    )


def _check_owner(actor, patent: TrackedPatent) -> None:
    if not getattr(actor, "is_authenticated", False) or not is_owner_member(actor, patent):
        raise PermissionDenied(_("只有专利权人所属机构的成员可以办理。"), code="not_owner")


def _check_owner_admin(actor, patent: TrackedPatent) -> None:
    _check_owner(actor, patent)
    if not is_owner_admin(actor, patent):
        raise PermissionDenied(
            _("申请收储或撤回申请是对本单位专利的处置，须由本单位管理员办理。"), code="not_owner_admin"
        )


def _check_officer(actor, patent: TrackedPatent) -> None:
    if not getattr(actor, "is_authenticated", False) or not may_decide(actor, patent):
        raise PermissionDenied(_("只有专利所在辖区的项目管理人员可以决定收储。"), code="not_officer")


def _check_pool_officer(actor, pool: PatentPool) -> None:
    if not getattr(actor, "is_authenticated", False) or not may_manage_pool(actor, pool):
        raise PermissionDenied(_("只有该专利池所在辖区的项目管理人员可以办理。"), code="not_officer")
