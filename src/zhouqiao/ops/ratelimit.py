"""Rate limits per client address and per account: one decorator for pages and API operations.

    @ratelimit("search", methods=("GET",))
    def search_page(request): ...

    @ratelimit("login", account=posted("username"))     # the account a login names
    LoginView.as_view(...)

``settings.RATELIMITS[scope]`` holds the rates, e.g. ``{"ip": "20/10m", "account": "60/10m"}``
(count per window; windows in s, m, h or d). Each request the decorator sees (of the given methods)
counts once against the client address and once against the account (the signed-in user, unless
``account`` picks another value, such as the username a login form names). Over either limit the
request is refused before the view runs: 429 with ``Retry-After`` (seconds to the end of the
window) and a Chinese message — the JSON error shape under ``/api/``, the site's error page
elsewhere. ``RATELIMIT_ENABLED = False`` turns every limit off (benchmarks).

Counters are rows in the database (``ops.RateCounter``), incremented by one atomic statement, so
that all server processes share them without another service; fixed windows.
"""

import hashlib
import logging
import math
import re
from collections.abc import Callable
from datetime import UTC, datetime
from functools import wraps

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from zhouqiao.core import clock
from zhouqiao.core.middleware import client_ip
from zhouqiao.ops.models import RateCounter

logger = logging.getLogger("zhouqiao.ratelimit")

_RATE = re.compile(r"\s*(\d+)\s*/\s*(\d*)\s*([smhd])\s*")
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_rate(rate: str) -> tuple[int, int]:
    """``"20/10m"`` → (20 requests, 600 seconds)."""
    match = _RATE.fullmatch(rate or "")
    if not match:
        raise ImproperlyConfigured(f"rate limit {rate!r}: expected COUNT/PERIOD such as 20/10m")
    period = int(match[2] or 1) * _UNITS[match[3]]
    if period <= 0:
        raise ImproperlyConfigured(f"rate limit {rate!r}: the period must be longer than zero")
    return int(match[1]), period


def signed_in_account(request) -> str | None:
    user = getattr(request, "user", None)
    return f"user:{user.pk}" if user is not None and user.is_authenticated else None


def posted(field: str) -> Callable:
    """The account a form names (login, password reset): the posted ``field``, trimmed, case-folded."""

    def account(request) -> str | None:
        value = request.POST.get(field, "").strip().casefold()[:254]
        return f"{field}:{value}" if value else signed_in_account(request)

    return account


def _key(scope: str, kind: str, value: str) -> str:
    # Hashed: the table holds no addresses, names or e-mail addresses.
    return f"{scope}:{kind}:{hashlib.sha256(value.encode()).hexdigest()[:40]}"


def _hit(key: str, period: int, now: datetime) -> tuple[int, int]:
    """Count one request for ``key`` in the current window: (hits so far, seconds left)."""
    epoch = now.timestamp()
    bucket = int(epoch // period)
    ends = (bucket + 1) * period
    expires = datetime.fromtimestamp(ends, UTC)
    table = connection.ops.quote_name(RateCounter._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (scope_key, bucket, hits, expires_at) VALUES (%s, %s, 1, %s) "  # noqa: S608  # nosec B608 — the model's own table
            f"ON CONFLICT (scope_key, bucket) DO UPDATE SET hits = {table}.hits + 1 RETURNING hits",
            [key, bucket, connection.ops.adapt_datetimefield_value(expires)],
        )
        hits = cursor.fetchone()[0]
    if hits == 1:  # a new window for this key: drop the windows that have passed
        RateCounter.objects.filter(expires_at__lt=now).delete()
    return hits, max(1, math.ceil(ends - epoch))


def check(request, scope: str, account: Callable = signed_in_account) -> int | None:
    """Count this request against ``scope``'s limits; the seconds to wait if one is exceeded."""
    if not getattr(settings, "RATELIMIT_ENABLED", True):
        return None
    rates = settings.RATELIMITS.get(scope)
    if rates is None:
        raise ImproperlyConfigured(f"no rate limits configured for {scope!r} (settings.RATELIMITS)")
    now = clock.now()
    values = {"ip": client_ip(request) or "unknown", "account": account(request)}
    wait = 0
    for kind, rate in rates.items():
        if not rate or not values.get(kind):
            continue
        limit, period = parse_rate(rate)
        hits, left = _hit(_key(scope, kind, values[kind]), period, now)
        if hits > limit:
            wait = max(wait, left)
    if wait:
        logger.warning(
            "rate limit exceeded", extra={"scope": scope, "retry_after": wait, "client_ip": values["ip"]}
        )
        return wait
    return None


def _wait_text(seconds: int) -> str:
    if seconds < 60:
        return _("%(n)d秒") % {"n": seconds}
    return _("%(n)d分钟") % {"n": math.ceil(seconds / 60)}


def too_many_requests(request, retry_after: int):
    message = _("操作过于频繁，请%(wait)s后再试。") % {"wait": _wait_text(retry_after)}
    if request.path.startswith("/api/"):
        response = JsonResponse(
            {"code": "rate_limited", "message": message, "detail": {"retry_after": retry_after}},
            status=429,
            json_dumps_params={"ensure_ascii": False},
        )
    else:
        response = render(
            request,
            "web/errors/error.html",
            {"status": 429, "heading": _("操作过于频繁"), "explanation": message, "back_url": ""},
            status=429,
        )
    response["Retry-After"] = str(retry_after)
    return response


def ratelimit(
    scope: str, *, methods: tuple[str, ...] | None = ("POST",), account: Callable = signed_in_account
):
    """Limit a view (function, ``as_view()`` result or django-ninja operation) to ``scope``'s rates.
    ``methods=None`` counts every request."""

    def decorate(view):
        @wraps(view)
        def limited(request, *args, **kwargs):
            if methods is None or request.method in methods:
                wait = check(request, scope, account)
                if wait:
                    return too_many_requests(request, wait)
            return view(request, *args, **kwargs)

        return limited

    return decorate


def axes_lockout_response(request, original_response=None, credentials=None):
    """The login lockout page (django-axes, ``AXES_LOCKOUT_CALLABLE``): 429 with ``Retry-After``,
    the lock's full length (it ends ``LOCKOUT_MINUTES`` after the failure that set it)."""
    seconds = int(settings.AXES_COOLOFF_TIME.total_seconds())
    response = render(
        request,
        settings.AXES_LOCKOUT_TEMPLATE,
        {"failure_limit": settings.AXES_FAILURE_LIMIT, "cooloff_timedelta": settings.AXES_COOLOFF_TIME},
        status=429,
    )
    response["Retry-After"] = str(seconds)
    return response
