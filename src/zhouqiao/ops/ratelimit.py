"""Rate limits per client address and per account: one decorator for pages and API operations.

    @ratelimit("search", methods=("GET",))
    def search_page(request): ...

    @ratelimit("login", account=posted("username"))     # the account a login names
    LoginView.as_view(...)

    @ratelimit("login", account=posted("username"), failures_only=True)   # failed logins only

``settings.RATELIMITS[scope]`` holds the rates, e.g. ``{"ip": "20/10m", "account": "60/10m"}``
(count per window; windows in s, m, h or d). Each request the decorator sees (of the given methods)
counts once against the client address and once against the account (the signed-in user, unless
``account`` picks another value, such as the username a login form names). Over either limit the
request is refused before the view runs: 429 with ``Retry-After`` (seconds to the end of the
window) and a Chinese message — the JSON error shape under ``/api/``, the site's error page
elsewhere. ``RATELIMIT_ENABLED = False`` turns every limit off (benchmarks).

``failures_only`` (the login pages): only failed sign-ins count — an authentication Django reports
as failed (``user_login_failed``: a wrong password, a wrong second-step code, a locked account) —
and a request is refused once the address or the account name has used up its failures in the
window. A successful login never counts, so the staff of an office behind one public address all
get in; the refusal says, in Chinese, at what time to try again.

Counters are rows in the database (``ops.RateCounter``), incremented by one atomic statement, so
that all server processes share them without another service; fixed windows.
"""

import hashlib
import logging
import math
import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from functools import wraps

from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.utils import timezone
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


def _seen(key: str, period: int, now: datetime) -> tuple[int, int]:
    """The hits already counted for ``key`` in the current window, without counting: (hits, seconds left)."""
    epoch = now.timestamp()
    bucket = int(epoch // period)
    hits = RateCounter.objects.filter(scope_key=key, bucket=bucket).values_list("hits", flat=True).first()
    return hits or 0, max(1, math.ceil((bucket + 1) * period - epoch))


def _limits(request, scope: str, account: Callable) -> list[tuple[str, str, int, int]]:
    """(counter key, kind, limit, period) for each of ``scope``'s configured rates that applies."""
    rates = settings.RATELIMITS.get(scope)
    if rates is None:
        raise ImproperlyConfigured(f"no rate limits configured for {scope!r} (settings.RATELIMITS)")
    values = {"ip": client_ip(request) or "unknown", "account": account(request)}
    return [
        (_key(scope, kind, values[kind]), kind, *parse_rate(rate))
        for kind, rate in rates.items()
        if rate and values.get(kind)
    ]


def check(request, scope: str, account: Callable = signed_in_account) -> int | None:
    """Count this request against ``scope``'s limits; the seconds to wait if one is exceeded."""
    if not getattr(settings, "RATELIMIT_ENABLED", True):
        return None
    now = clock.now()
    wait = 0
    for key, _kind, limit, period in _limits(request, scope, account):
        hits, left = _hit(key, period, now)
        if hits > limit:
            wait = max(wait, left)
    if wait:
        logger.warning(
            "rate limit exceeded",
            extra={"scope": scope, "retry_after": wait, "client_ip": client_ip(request) or "unknown"},
        )
        return wait
    return None


def used_up(limits, now) -> tuple[int, str] | None:
    """Whether the failures already counted fill one of ``limits`` (nothing is counted): (seconds
    to wait, ``"account"`` when the account name's limit is reached, else ``"ip"``), or None."""
    reached = {}
    for key, kind, limit, period in limits:
        hits, left = _seen(key, period, now)
        if hits >= limit:
            reached[kind] = left
    if not reached:
        return None
    return max(reached.values()), ("account" if "account" in reached else "ip")


def count_failure(limits, now) -> None:
    """Count one failed attempt against each of ``limits``."""
    for key, _kind, _limit, period in limits:
        _hit(key, period, now)


FAILED = "_zq_login_failed"


def _note_failed_login(sender, credentials=None, request=None, **kwargs):
    """``user_login_failed``: mark the request, which the login pages' limit then counts."""
    if request is not None:
        setattr(request, FAILED, True)


user_login_failed.connect(_note_failed_login, dispatch_uid="zhouqiao.ratelimit.failed_login")


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


def _retry_at(seconds: int) -> str:
    """The local clock time at which to try again: "15:42" (with the date if it is another day),
    rounded up to the minute so that trying at that minute succeeds."""
    now = timezone.localtime(clock.now())
    then = timezone.localtime(clock.now() + timedelta(seconds=seconds))
    if then.second or then.microsecond:
        then = then.replace(second=0, microsecond=0) + timedelta(minutes=1)
    return then.strftime("%H:%M") if then.date() == now.date() else then.strftime("%m-%d %H:%M")


def too_many_failures(request, retry_after: int, kind: str):
    """The login form's refusal once the failures of an account name or an address fill the limit:
    the same page as the lock on the account (:func:`login_refusal`), with the later of the two ends."""
    username = request.POST.get("username", "") if request.method == "POST" else ""
    lock_seconds = _axes_lock_seconds(request, username) if username else 0
    return login_refusal(
        request, seconds=max(retry_after, lock_seconds), kind=kind, locked=bool(lock_seconds)
    )


def login_refusal(request, *, seconds: int, kind: str, locked: bool):
    """One refusal page for a login that may not be tried now — the account locked at this address
    (django-axes) or the failures limit of the account name or the address reached — with one
    time to try again (the later end of whichever apply), 忘记密码 and 返回登录页."""
    seconds = max(1, int(seconds))
    response = render(
        request,
        settings.AXES_LOCKOUT_TEMPLATE,
        {
            "kind": "lock" if locked else kind,
            "failure_limit": settings.AXES_FAILURE_LIMIT,
            "cooloff_timedelta": settings.AXES_COOLOFF_TIME,
            "lock_minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
            "retry_at": _retry_at(seconds),
            "wait": _wait_text(seconds),
        },
        status=429,
    )
    response["Retry-After"] = str(seconds)
    return response


def ratelimit(
    scope: str,
    *,
    methods: tuple[str, ...] | None = ("POST",),
    account: Callable = signed_in_account,
    failures_only: bool = False,
):
    """Limit a view (function, ``as_view()`` result or django-ninja operation) to ``scope``'s rates.
    ``methods=None`` counts every request; ``failures_only`` counts failed sign-ins only."""

    def decorate(view):
        @wraps(view)
        def limited(request, *args, **kwargs):
            if not (methods is None or request.method in methods):
                return view(request, *args, **kwargs)
            if failures_only:
                if not getattr(settings, "RATELIMIT_ENABLED", True):
                    return view(request, *args, **kwargs)
                # the account is read before the view: a second step's pending sign-in may end in it
                limits = _limits(request, scope, account)
                refused = used_up(limits, clock.now())
                if refused:
                    logger.warning(
                        "login failures limit reached",
                        extra={
                            "scope": scope,
                            "retry_after": refused[0],
                            "kind": refused[1],
                            "client_ip": client_ip(request) or "unknown",
                        },
                    )
                    return too_many_failures(request, *refused)
                response = view(request, *args, **kwargs)
                if getattr(request, FAILED, False):
                    count_failure(limits, clock.now())
                return response
            wait = check(request, scope, account)
            if wait:
                return too_many_requests(request, wait)
            return view(request, *args, **kwargs)

        return limited

    return decorate


def _lock_ends(request, username: str) -> datetime | None:
    """When the axes lock on this account name at this address ends: ``LOCKOUT_MINUTES`` after
    the last failure it counted (attempts during the lock do not extend it); None if not locked."""
    from axes.models import AccessAttempt

    now = clock.now()
    attempt = (
        AccessAttempt.objects.filter(
            username=username,
            ip_address=getattr(request, "axes_ip_address", None) or client_ip(request),
            failures_since_start__gte=settings.AXES_FAILURE_LIMIT,
        )
        .order_by("-attempt_time")
        .first()
    )
    if attempt is None:
        return None
    ends = attempt.attempt_time + settings.AXES_COOLOFF_TIME
    return ends if ends > now else None


def _axes_lock_seconds(request, username: str) -> int:
    ends = _lock_ends(request, username)
    return max(1, math.ceil((ends - clock.now()).total_seconds())) if ends else 0


def _login_limit_seconds(request) -> tuple[int, str]:
    """The failures limit of the login form for this request's account name and address, without
    counting: (seconds to wait or 0, "account" / "ip")."""
    if not getattr(settings, "RATELIMIT_ENABLED", True) or "login" not in settings.RATELIMITS:
        return 0, "account"
    refused = used_up(_limits(request, "login", posted("username")), clock.now())
    return refused or (0, "account")


def axes_lockout_response(request, original_response=None, credentials=None):
    """The login lockout page (django-axes, ``AXES_LOCKOUT_CALLABLE``): 429 with ``Retry-After``,
    the clock time at which to try again — the lock ends ``LOCKOUT_MINUTES`` after the failure that
    set it, or later if the login failures limit of the name or the address ends later."""
    from axes.helpers import get_client_username

    username = get_client_username(request, credentials)
    lock_seconds = _axes_lock_seconds(request, username) or math.ceil(
        settings.AXES_COOLOFF_TIME.total_seconds()
    )
    limit_seconds, kind = _login_limit_seconds(request)
    return login_refusal(request, seconds=max(lock_seconds, limit_seconds), kind=kind, locked=True)
