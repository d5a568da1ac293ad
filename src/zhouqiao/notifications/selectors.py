"""What the inbox and the to-do list show."""

import secrets
import time
from dataclasses import dataclass, field
from datetime import datetime

from django.core.cache import cache

from zhouqiao.notifications.models import Notification
from zhouqiao.notifications.registry import SOURCES, Todo


def inbox(user, *, unread_only: bool = False):
    if not getattr(user, "is_authenticated", False):
        return Notification.objects.none()
    rows = Notification.objects.filter(user=user)
    return rows.filter(read_at__isnull=True) if unread_only else rows


def unread_count(user) -> int:
    if not getattr(user, "is_authenticated", False):
        return 0
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


@dataclass
class TodoGroup:
    label: str
    items: list[Todo] = field(default_factory=list)

    @property
    def overdue(self) -> int:
        return sum(1 for item in self.items if item.overdue)


@dataclass(frozen=True)
class TodoRow:
    """A to-do as the page shows it: how long it has waited and whether it is overdue."""

    todo: Todo
    now: datetime

    @property
    def days_waiting(self) -> int:
        return max(0, (self.now - self.todo.since).days)

    @property
    def overdue(self) -> bool:
        return self.todo.deadline is not None and self.todo.deadline < self.now


def todos_for(user, *, now) -> list[TodoGroup]:
    """Everything waiting on ``user``, grouped by source, oldest first; empty groups left out."""
    if not getattr(user, "is_authenticated", False):
        return []
    groups = []
    for _key, label, source in SOURCES:
        items = sorted((TodoRow(todo, now) for todo in source(user)), key=lambda row: row.todo.since)
        if items:
            groups.append(TodoGroup(str(label), items))
    return groups


def todos_of_request(request, *, now) -> list[TodoGroup]:
    """:func:`todos_for` the signed-in user, once per request (the header and the page both show it)."""
    cached = getattr(request, "_zq_todos", None)
    if cached is None:
        cached = request._zq_todos = todos_for(request.user, now=now)
    return cached


# The header shows the to-do count on every page; collecting it asks every app (one or two queries
# each), so the session keeps it for this long. A person's own POST drops it (see the middleware),
# so what they just did shows at once; what others add shows within this time.
HEADER_COUNT_SECONDS = 60
HEADER_COUNT_KEY = "zq_todo_count"


def header_todo_count(request, *, now) -> int:
    computed = getattr(request, "_zq_todos", None)
    if computed is None:
        kept = request.session.get(HEADER_COUNT_KEY)
        if kept and kept[1] > time.time():  # wall-clock expiry: valid across processes and restarts
            return kept[0]
        # Collected now, and kept as the workspace's panel is (which sets the session's count): the
        # workspace opened next, e.g. after a POST's redirect, shows them without collecting again.
        return sum(len(group.items) for group in todos_kept(request, now=now).groups)
    count = sum(len(group.items) for group in computed)
    request.session[HEADER_COUNT_KEY] = (count, time.time() + HEADER_COUNT_SECONDS)
    return count


def _kept_key(user) -> str:
    return f"zhouqiao:todos:{user.pk}"


@dataclass(frozen=True)
class KeptTodos:
    """:func:`todos_kept`'s answer: the groups and ``stamp``, which names this one collection of
    them (a page that keeps what it renders from the groups keys it with the stamp, so that it is
    never older than they are)."""

    groups: list[TodoGroup]
    stamp: str


def todos_kept(request, *, now) -> KeptTodos:
    """The to-dos for a page that shows them beside other things (the workspace's panel): kept
    with the header count, at most :data:`HEADER_COUNT_SECONDS` in Django's cache, and dropped with
    it by the person's own POST; what others add shows within that time, as in the header. The
    to-do page itself (:func:`todos_of_request`) always reads them afresh."""
    kept = request.session.get(HEADER_COUNT_KEY)
    valid = bool(kept and kept[1] > time.time())
    if valid:
        # Usable only if computed since the session's count was (so never before one's own POST).
        computed_at, groups, stamp = cache.get(_kept_key(request.user), (0.0, None, ""))
        if groups is not None and computed_at >= kept[1] - HEADER_COUNT_SECONDS:
            return KeptTodos(groups, stamp)
    groups = todos_for(request.user, now=now)
    computed_at, stamp = time.time(), secrets.token_hex(8)
    cache.set(_kept_key(request.user), (computed_at, groups, stamp), HEADER_COUNT_SECONDS)
    # The header shows the same count; a still-valid window keeps its end (each server process has
    # its own cache: moving the end would make the others compute again).
    expires = kept[1] if valid else computed_at + HEADER_COUNT_SECONDS
    request.session[HEADER_COUNT_KEY] = (sum(len(group.items) for group in groups), expires)
    return KeptTodos(groups, stamp)
