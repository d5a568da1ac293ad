"""What waits in events, and who is told.

registration submitted   → the organiser (the publisher, and its institution's admins or, for a bureau's
                           event, the reviewers of the bureau the event's region waits on); to-do until
                           decided
registration decided     → the registrant
schedule published       → each participant with meetings
event cancelled          → every registrant holding a seat
outcome to record        → to-do for each side of a meeting once the event is over
"""

from django.db.models import Q
from django.urls import reverse
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhouqiao.accounts import scope
from zhouqiao.core import clock
from zhouqiao.notifications import recipients
from zhouqiao.notifications.registry import Todo, kind, todo_source
from zhouqiao.notifications.services import notify

SUBMITTED = kind("events.registration_submitted", gettext_lazy("活动收到新报名"))
DECIDED = kind("events.registration_decided", gettext_lazy("活动报名审核结果"))
SCHEDULE = kind("events.schedule_published", gettext_lazy("一对一洽谈日程已发布"))
CANCELLED = kind("events.event_cancelled", gettext_lazy("活动已取消"))


def _event_url(event) -> str:
    return reverse("events:event_detail", args=[event.pk])


def organisers(event) -> list:
    """Who runs the event: its publisher, and the admins of the institution that published it or,
    for a bureau's own event, the staff running events in the bureau the event's region waits on
    (the nearest jurisdiction where someone holds the duty: recipients.handling_staff)."""
    from zhouqiao.community.events.permissions import EVENT_DUTY

    users = {event.created_by_id: event.created_by}
    if event.organiser_org_id:
        users.update((u.pk, u) for u in recipients.org_admins(event.organiser_org))
    else:
        users.update((u.pk, u) for u in recipients.handling_staff(EVENT_DUTY, event.region_id))
    return [u for u in users.values() if u.is_active]


def registration_submitted(registration, *, actor, now) -> None:
    event = registration.event
    notify(
        [u for u in organisers(event) if u.pk != actor.pk],
        kind=SUBMITTED,
        title=_("%(who)s报名参加“%(event)s”，请审核")
        % {"who": registration.participant_name, "event": event.title},
        url=reverse("events:registrations", args=[event.pk]),
        key=f"events:registration:{registration.pk}:{registration.created_at.isoformat()}:submitted",
        now=now,
    )


def registration_decided(registration, *, actor, now) -> None:
    event = registration.event
    if registration.status == "approved":
        title = _("您报名的“%(event)s”已通过审核，请凭签到码入场") % {"event": event.title}
    else:
        title = _("您报名的“%(event)s”未通过审核：%(reason)s") % {
            "event": event.title,
            "reason": registration.reason,
        }
    notify(
        [registration.user],
        kind=DECIDED,
        title=title,
        url=_event_url(event),
        key=f"events:registration:{registration.pk}:{registration.created_at.isoformat()}:{registration.status}",
        now=now,
    )


def schedule_published(event, *, actor, now) -> None:
    from zhouqiao.community.events.models import Meeting

    registrations = {}
    for m in Meeting.objects.filter(event=event).select_related("first__user", "second__user"):
        for r in (m.first, m.second):
            registrations[r.pk] = r
    users = {}
    for r in registrations.values():
        users[r.user_id] = r.user
        if r.organisation_id:
            users.update((u.pk, u) for u in recipients.org_admins(r.organisation))
    notify(
        list(users.values()),
        kind=SCHEDULE,
        title=_("“%(event)s”一对一洽谈日程已发布，请查看并打印") % {"event": event.title},
        url=reverse("events:my_schedule", args=[event.pk]),
        key=f"events:event:{event.pk}:schedule",
        now=now,
    )


def event_cancelled(event, *, actor, reason, now) -> None:
    from zhouqiao.community.events.models import Registration
    from zhouqiao.community.events.states import HOLDS_SEAT

    users = [
        r.user for r in Registration.objects.filter(event=event, status__in=HOLDS_SEAT).select_related("user")
    ]
    notify(
        [u for u in users if u.pk != actor.pk],
        kind=CANCELLED,
        title=_("“%(event)s”已取消：%(reason)s") % {"event": event.title, "reason": reason},
        url=_event_url(event),
        key=f"events:event:{event.pk}:cancelled",
        now=now,
    )


@todo_source(gettext_lazy("待审核的活动报名"))
def registrations_to_decide(user):
    from zhouqiao.community.events.models import Registration
    from zhouqiao.community.events.permissions import EVENT_DUTY

    # The organisers only (see organisers()): not every business duty of every bureau above.
    orgs = scope.organisation_ids(user)
    where = Q(event__created_by=user)
    if orgs:
        where |= Q(event__organiser_org_id__in=orgs)
    if scope.has_duty(user, EVENT_DUTY):
        where |= Q(event__organiser_org__isnull=True) & recipients.waiting_on_q(
            user, EVENT_DUTY, "event__region"
        )
    pending = (
        Registration.objects.filter(where, status="pending", event__status="published")
        .select_related("event", "organisation", "user")
        .order_by("created_at")[:100]
    )
    for r in pending:
        yield Todo(
            title=_("审核“%(event)s”的报名：%(who)s") % {"event": r.event.title, "who": r.participant_name},
            url=reverse("events:registrations", args=[r.event_id]),
            since=r.created_at,
            deadline=r.event.starts_at,
        )


@todo_source(gettext_lazy("待登记的洽谈结果"))
def outcomes_to_record(user):
    from zhouqiao.community.events.models import Meeting

    orgs = recipients.handled_organisation_ids(user)
    if not orgs:
        return []
    now = clock.now()
    mine = Q(first__organisation_id__in=orgs) | Q(second__organisation_id__in=orgs)
    waiting = (
        Meeting.objects.filter(
            mine, outcome="", event__ends_at__lte=now, event__schedule_published_at__isnull=False
        )
        .select_related("event", "first__organisation", "second__organisation")
        .order_by("event__ends_at", "slot")[:100]
    )
    items = []
    for m in waiting:
        other = m.second if m.first.organisation_id in orgs else m.first
        items.append(
            Todo(
                title=_("登记“%(event)s”与%(other)s的洽谈结果")
                % {"event": m.event.title, "other": other.participant_name},
                url=reverse("events:my_schedule", args=[m.event_id]),
                since=m.event.ends_at,
                detail=localtime(m.event.ends_at).strftime("%Y-%m-%d"),
            )
        )
    return items
