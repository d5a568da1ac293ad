"""Reads of a user's own saved searches and subscriptions (their messages are in the inbox of
``zhouqiao.notifications``)."""

from collections import Counter

from zhouqiao.notifications.models import Notification
from zhouqiao.search import todos
from zhouqiao.search.models import SavedSearch, Synonym


def saved_searches_of(user) -> list[SavedSearch]:
    """The user's saved searches and demand subscriptions, newest first, each with ``notified``
    (how many messages it has brought)."""
    if not getattr(user, "is_authenticated", False):
        return []
    rows = list(SavedSearch.objects.filter(user=user))
    keys = Notification.objects.filter(user=user, kind__in=[todos.ALERT, todos.DEMAND_MATCH]).values_list(
        "key", flat=True
    )
    counts = Counter(key.split(":")[1] for key in keys if key.count(":") >= 3)
    for row in rows:
        row.notified = counts.get(str(row.pk), 0)
    return rows


def synonyms():
    return Synonym.objects.all()
