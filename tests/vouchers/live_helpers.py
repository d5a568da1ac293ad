"""Signed-in HTTP clients without a login round-trip per user (password hashing would dominate),
for concurrency tests against the live server: the session is written directly, as a login would."""

import time
import uuid

import httpx
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.utils import timezone
from django.utils.crypto import get_random_string

from tests.factories import member_of, staff_in
from zhouqiao.accounts.models import Membership, User


def session_client(base_url: str, user) -> httpx.Client:
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    csrf = get_random_string(32)
    return httpx.Client(
        base_url=base_url,
        timeout=120,
        follow_redirects=False,
        cookies={"sessionid": session.session_key, "csrftoken": csrf},
        headers={"X-CSRFToken": csrf, "Referer": base_url + "/"},
        limits=httpx.Limits(max_connections=200, max_keepalive_connections=0),
    )


def quick_users(prefix: str, count: int, organisation=None) -> list:
    """Users with an unusable password (no hashing cost), members of ``organisation`` if given."""
    now = timezone.now()
    users = User.objects.bulk_create(
        [
            User(
                username=f"{prefix}{i}",
                display_name=f"{prefix}{i}",
                password="!" + get_random_string(20),
                password_changed_at=now,
                date_joined=now,
            )
            for i in range(count)
        ]
    )
    users = list(User.objects.filter(username__startswith=prefix).order_by("pk"))
    if organisation is not None:
        Membership.objects.bulk_create(
            [Membership(user=u, organisation=organisation, joined_at=now) for u in users]
        )
    return users


def post(client: httpx.Client, url: str, *, json=None, idempotency_key: str | None = None, attempts: int = 8):
    """POST, retrying a dropped connection with the same Idempotency-Key (the live test server's
    listen backlog is small, and a retry is exactly what the key makes safe)."""
    headers = {"Idempotency-Key": idempotency_key} if idempotency_key else {}
    for attempt in range(attempts):
        try:
            return client.post(url, json=json, headers=headers)
        except httpx.TransportError:
            if attempt == attempts - 1:
                raise
            time.sleep(0.05 * (attempt + 1))


def key() -> str:
    return uuid.uuid4().hex


__all__ = ["session_client", "quick_users", "key", "post", "member_of", "staff_in"]
