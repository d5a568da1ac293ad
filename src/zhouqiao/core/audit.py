"""Append-only audit trail: who, when, what, before/after, from where, success.

Services call :func:`record` inside their transaction, so the audit row commits or rolls back with
the change it describes. The client address comes from :mod:`zhouqiao.core.middleware`, which
keeps it for the current request, so services never need the request itself.
"""

from datetime import date, datetime
from decimal import Decimal

from django.db import models

from zhouqiao.core import clock
from zhouqiao.core.middleware import current_client_ip
from zhouqiao.core.models import AuditEvent


def _jsonable(value):
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [_jsonable(v) for v in value]
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, models.Model):
        return value.pk
    return value


def snapshot(instance: models.Model, fields: list[str]) -> dict:
    return {name: _jsonable(getattr(instance, name)) for name in fields}


def record(action: str, **fields) -> AuditEvent:
    """Write one audit record (arguments as for :func:`event`)."""
    entry = event(action, **fields)
    entry.save(force_insert=True)
    return entry


def event(
    action: str,
    *,
    actor=None,
    target: models.Model | None = None,
    before: dict | None = None,
    after: dict | None = None,
    success: bool = True,
    reason: str = "",
    region_code: str = "",
    actor_name: str = "",
    now: datetime | None = None,
) -> AuditEvent:
    """The unsaved audit record :func:`record` writes (for a caller that inserts it itself)."""
    is_user = actor is not None and getattr(actor, "is_authenticated", False)
    if target is not None and not region_code:
        region_code = getattr(target, "region_id", "") or ""
        if not region_code and target._meta.label_lower == "accounts.user":
            from zhouqiao.accounts.scope import home_region_code

            region_code = home_region_code(target)
    if not region_code and is_user:
        # A target without a region (a payment, a token, a voucher application …): the record is
        # filed where its actor belongs, their organisation's region or their jurisdiction. What is
        # still left without a region (an unknown name failing to sign in) is read by the
        # province-level audit administrator (core.audit_selectors).
        from zhouqiao.accounts.scope import home_region_code

        region_code = home_region_code(actor)
    return AuditEvent(
        at=now or clock.now(),
        actor=actor if is_user else None,
        actor_name=actor_name or (actor.get_username() if is_user else ""),
        action=action,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        target_repr=str(target)[:255] if target is not None else "",
        region_code=region_code,
        before=_jsonable(before) if before is not None else None,
        after=_jsonable(after) if after is not None else None,
        ip=current_client_ip(),
        success=success,
        reason=reason,
    )
