"""An expert's review history (评审记录), gathered from the apps that use experts.

Any app registers ``fn(expert) -> iterable of (date, title, role)`` with :func:`review_source`
(``programs`` for call reviews, challenges for proposal reviews and acceptance witnesses …): a
``date`` (date or datetime), the Chinese title of what was reviewed and the expert's role in it
(评审专家, 验收专家 …). Staff see the merged list, newest first, on the expert's page. Register in a
module imported at start-up (``models.py``, ``todos.py``) or in ``<app>/reviews.py``, which
:func:`history` imports on first use.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.utils import timezone
from django.utils.module_loading import autodiscover_modules

_sources: dict[str, Callable] = {}
_discovered = False
_lock = threading.Lock()


@dataclass(frozen=True)
class ReviewEntry:
    date: dt.date
    title: str
    role: str


def review_source(fn):
    """Register ``fn(expert) -> iterable of (date, title, role)``; registering twice is harmless."""
    _sources[f"{fn.__module__}.{fn.__qualname__}"] = fn
    return fn


def _as_date(value) -> dt.date:
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value


def history(expert) -> list[ReviewEntry]:
    global _discovered
    if not _discovered:
        with _lock:
            if not _discovered:
                autodiscover_modules("reviews")
                _discovered = True
    entries: list[ReviewEntry] = []
    for fn in list(_sources.values()):
        rows: Iterable = fn(expert) or ()
        for when, title, role in rows:
            entries.append(ReviewEntry(date=_as_date(when), title=str(title), role=str(role)))
    entries.sort(key=lambda e: e.date, reverse=True)
    return entries
