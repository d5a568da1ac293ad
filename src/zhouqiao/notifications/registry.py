"""Who waits on what: every app declares here the notification kinds it sends and the to-do sources
that list what waits on a given person. Apps do it in their ``todos.py`` (imported at start-up).

A to-do source is a function of the user returning the items waiting on that user only; it answers
``[]`` at once for a user it cannot concern, so that collecting all of them stays cheap.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

KINDS: dict[str, str] = {}
SOURCES: list[tuple[str, str, Callable]] = []


@dataclass(frozen=True)
class Todo:
    title: str
    url: str
    since: datetime
    deadline: datetime | None = None
    detail: str = ""


def kind(code: str, label) -> str:
    """Declare a notification kind (``label`` is what the preferences page and the inbox show)."""
    KINDS[code] = label
    return code


def label_of(code: str) -> str:
    return str(KINDS.get(code, ""))


def todo_source(label):
    """Register ``function(user) -> iterable of Todo`` under a heading such as 待登记的技术合同."""

    def register(function: Callable[..., Iterable[Todo]]):
        key = f"{function.__module__}.{function.__qualname__}"
        if all(existing != key for existing, _, _ in SOURCES):
            SOURCES.append((key, label, function))
        return function

    return register
