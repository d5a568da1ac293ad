"""``Idempotency-Key`` for money-moving POSTs: a replay returns the first response and never runs
the action again.

The key is inserted (unique per user and key) in its own transaction *before* the action runs, so
two concurrent requests with one key cannot both run it: the loser sees the stored response, or
409 while the first is still running. A refused action (a domain error) releases the key so that
the client may correct and retry; a crash between the action and storing its response leaves the
key "in progress" for good, which is safe: money is never moved twice.
"""

import hashlib
import json

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from zhouqiao.core.errors import Conflict, ValidationFailed
from zhouqiao.vouchers.models import IdempotencyKey

HEADER = "Idempotency-Key"
FORM_FIELD = "idempotency_key"


def key_from(request) -> str:
    return (request.headers.get(HEADER) or request.POST.get(FORM_FIELD) or "").strip()


def _digest(payload) -> str:
    return hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()


def run_once(*, user, key: str, endpoint: str, payload, action, now) -> tuple[int, dict, bool]:
    """Run ``action() -> (status, body)`` once per (user, key); return (status, body, replayed)."""
    if not key or len(key) > 128:
        raise ValidationFailed(
            _("请在请求头 Idempotency-Key 中提供本次操作的唯一标识（不超过128个字符）。"),
            code="idempotency_key_required",
        )
    digest = _digest(payload)
    try:
        with transaction.atomic():
            row = IdempotencyKey.objects.create(
                user=user, key=key, endpoint=endpoint, request_hash=digest, created_at=now
            )
    except IntegrityError:
        row = IdempotencyKey.objects.get(user=user, key=key)
        if row.endpoint != endpoint or row.request_hash != digest:
            raise ValidationFailed(
                _("该 Idempotency-Key 已用于另一笔不同的请求。"), code="idempotency_key_reused"
            ) from None
        if row.status_code is None:
            raise Conflict(_("相同的请求正在处理中，请稍后重试。"), code="idempotency_in_progress") from None
        return row.status_code, row.response, True
    try:
        status, body = action()
    except BaseException:
        IdempotencyKey.objects.filter(pk=row.pk).delete()
        raise
    IdempotencyKey.objects.filter(pk=row.pk).update(status_code=status, response=body)
    return status, body, False
