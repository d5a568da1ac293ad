"""Reads of a user's own saved searches, subscriptions and notifications."""

from django.db.models import Count

from zhouqiao.search.models import Notification, SavedSearch, Synonym


def saved_searches_of(user) -> list[SavedSearch]:
    """The user's saved searches and demand subscriptions, newest first, each with ``notified``
    (how many notifications it has made)."""
    if not getattr(user, "is_authenticated", False):
        return []
    rows = list(SavedSearch.objects.filter(user=user))
    counts = dict(
        Notification.objects.filter(user=user, saved_search__in=rows)
        .values("saved_search")
        .annotate(n=Count("id"))
        .values_list("saved_search", "n")
    )
    for row in rows:
        row.notified = counts.get(row.pk, 0)
    return rows


def notifications_of(user, *, unread_only: bool = False):
    if not getattr(user, "is_authenticated", False):
        return Notification.objects.none()
    rows = Notification.objects.filter(user=user).select_related("document")
    return rows.filter(read_at__isnull=True) if unread_only else rows


def unread_count(user) -> int:
    if not getattr(user, "is_authenticated", False):
        return 0
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def synonyms():
    return Synonym.objects.all()
