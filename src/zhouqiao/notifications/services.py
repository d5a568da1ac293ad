"""Telling people what waits for them: one inbox, and e-mail for the kinds a person opted into."""

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from zhouqiao.core import audit
from zhouqiao.core.errors import ValidationFailed
from zhouqiao.notifications.models import EmailPreference, Notification
from zhouqiao.notifications.registry import KINDS


def notify(recipients, *, kind: str, title: str, url: str, key: str, now, body: str = "") -> int:
    """Tell each recipient about one event, once: a person already told under ``key`` is skipped.

    Call it inside the workflow's transaction, so the message exists exactly when the change does.
    Returns how many people were newly told.
    """
    if kind not in KINDS:
        raise ValueError(f"unknown notification kind {kind!r}: declare it with registry.kind()")
    users = {user.pk: user for user in recipients}
    if not users:
        return 0
    already = set(Notification.objects.filter(key=key, user_id__in=users).values_list("user_id", flat=True))
    new = [
        Notification(user_id=pk, kind=kind, key=key, title=title[:255], body=body, url=url, created_at=now)
        for pk in users
        if pk not in already
    ]
    # ignore_conflicts: a concurrent call for the same event loses the race quietly.
    Notification.objects.bulk_create(new, ignore_conflicts=True)
    by_email = [
        users[pk].email
        for pk in EmailPreference.objects.filter(kind=kind, user_id__in=[n.user_id for n in new]).values_list(
            "user_id", flat=True
        )
        if users[pk].email
    ]
    if by_email:
        from zhouqiao.notifications.tasks import send_email

        transaction.on_commit(
            lambda: send_email.enqueue(recipients=by_email, subject=title, body=body, url=url)
        )
    return len(new)


def mark_read(*, actor, notification_ids: list[int] | None, now) -> int:
    """Mark the actor's notifications read (all unread ones when ``notification_ids`` is None)."""
    mine = Notification.objects.filter(user=actor, read_at__isnull=True)
    if notification_ids is not None:
        mine = mine.filter(pk__in=notification_ids)
    return mine.update(read_at=now)


def set_email_kinds(*, actor, kinds: list[str], now) -> None:
    """The kinds the actor wants by e-mail, replacing the previous choice."""
    unknown = set(kinds) - set(KINDS)
    if unknown:
        raise ValidationFailed(_("没有这种提醒。"))
    with transaction.atomic():
        before = sorted(EmailPreference.objects.filter(user=actor).values_list("kind", flat=True))
        EmailPreference.objects.filter(Q(user=actor) & ~Q(kind__in=kinds)).delete()
        EmailPreference.objects.bulk_create(
            [EmailPreference(user=actor, kind=k) for k in kinds], ignore_conflicts=True
        )
        audit.record(
            "notifications.email_preferences",
            actor=actor,
            target=actor,
            before={"email_kinds": before},
            after={"email_kinds": sorted(kinds)},
            now=now,
        )
