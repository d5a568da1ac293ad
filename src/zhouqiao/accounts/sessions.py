"""Signed-in sessions: one record per login (when, last seen, browser, address), so that a person
can see where they are signed in and end a session; and the idle timeout, which polling does not
extend (finding 8).

The idle clock is the session's own ``_zq_seen`` stamp, set by every request a person makes and
by none of the background polls (the auction's live panel, an import's progress): a page left open
and polling is signed out ``SESSION_COOKIE_AGE`` seconds after the person's last own request.
"""

from datetime import timedelta
from importlib import import_module

from django.conf import settings
from django.db import transaction

from zhouqiao.accounts.exceptions import NOT_ALLOWED
from zhouqiao.accounts.models import LoginSession, User
from zhouqiao.core import audit
from zhouqiao.core.errors import PermissionDenied
from zhouqiao.core.locking import lock
from zhouqiao.core.middleware import client_ip

SEEN_KEY = "_zq_seen"
RECORDED_KEY = "_zq_seen_recorded"
# The URL names HTMX polls ("hx-trigger=every …"): a poll is not the person's activity.
POLLING_URL_NAMES = {"market:auction_live", "catalog:import_job"}
# How often the "last seen" time of the session record is written, at most.
LAST_SEEN_EVERY = timedelta(minutes=1)


def idle_limit() -> timedelta:
    return timedelta(seconds=settings.SESSION_COOKIE_AGE)


def is_poll(request) -> bool:
    match = getattr(request, "resolver_match", None)
    return (
        request.method == "GET"
        and request.headers.get("HX-Request") == "true"
        and match is not None
        and match.view_name in POLLING_URL_NAMES
    )


def _store():
    return import_module(settings.SESSION_ENGINE).SessionStore


def record_login(*, user: User, session_key: str, user_agent: str, ip: str | None, now) -> LoginSession:
    """Called when a person signs in (inside the login's own request)."""
    record, _created = LoginSession.objects.update_or_create(
        session_key=session_key,
        defaults={
            "user": user,
            "created_at": now,
            "last_seen_at": now,
            "user_agent": (user_agent or "")[:300],
            "ip": ip,
            "ended_at": None,
        },
    )
    return record


def record_logout(*, session_key: str | None, now) -> None:
    if session_key:
        LoginSession.objects.filter(session_key=session_key, ended_at=None).update(ended_at=now)


def rekey(old_key: str | None, new_key: str | None) -> None:
    """The session kept its person under a new key (``update_session_auth_hash``)."""
    if old_key and new_key and old_key != new_key:
        LoginSession.objects.filter(session_key=old_key, ended_at=None).update(session_key=new_key)


def touch(*, session_key: str, now) -> None:
    LoginSession.objects.filter(session_key=session_key, ended_at=None).update(last_seen_at=now)


def active_sessions(user: User, *, now):
    """The person's sessions still signed in: not ended, not idle past the limit."""
    return LoginSession.objects.filter(
        user=user, ended_at=None, last_seen_at__gt=now - idle_limit()
    ).order_by("-last_seen_at")


@transaction.atomic(durable=True)
def end_session(*, actor: User, login_session_id: int, now) -> LoginSession:
    """End one of one's own sessions: the browser holding it is signed out at its next request."""
    record = lock(LoginSession.objects.all(), login_session_id)
    if record.user_id != actor.pk:
        raise PermissionDenied(NOT_ALLOWED)
    if record.ended_at is None:
        record.ended_at = now
        record.save(update_fields=["ended_at"])
        # The stored session goes at once (with the database backend, in this transaction): the
        # browser holding its cookie is signed out at its next request.
        _store()(session_key=record.session_key).delete()
        audit.record(
            "auth.session_end",
            actor=actor,
            target=actor,
            after={"session": record.pk, "ip": record.ip, "user_agent": record.user_agent[:80]},
            now=now,
        )
    return record


def end_other_sessions(*, actor: User, keep_session_key: str | None, now) -> int:
    ids = list(
        LoginSession.objects.filter(user=actor, ended_at=None)
        .exclude(session_key=keep_session_key or "")
        .values_list("pk", flat=True)
    )
    for pk in ids:
        end_session(actor=actor, login_session_id=pk, now=now)
    return len(ids)


def client_address(request) -> str | None:
    return client_ip(request)
