"""What waits in the achievement and demand libraries, and who is told.

submitted (or resubmitted) → the reviewers of the bureau it waits on: the nearest jurisdiction
                             with a reviewer (notifications.recipients.waiting_on_q)  (catalog.submitted)
returned                   → the owner organisation's members: correct and resubmit   (catalog.returned)
published                  → the owner organisation's members                         (catalog.published)
demand expired             → the owner organisation's members                         (catalog.demand_expired)
invited to a demand        → the invited organisation's members                       (catalog.demand_invited)

Review deadline: no text in the seeds or the research notes sets a time limit for reviewing an
achievement or a demand, so ``CATALOG_REVIEW_DAYS`` (5 working days, as for the organisation
verification) is our service standard, not a statutory one. Working days skip weekends and the
holidays kept in the market's calendar (调休 days count).
"""

from datetime import date, datetime, timedelta

from django.conf import settings
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhouqiao.accounts import scope
from zhouqiao.accounts.models import Duty, Membership
from zhouqiao.catalog.models import Achievement, Demand
from zhouqiao.catalog.states import RecordStatus
from zhouqiao.notifications import recipients
from zhouqiao.notifications.registry import Todo, kind, todo_source
from zhouqiao.notifications.services import notify

SUBMITTED = kind("catalog.submitted", gettext_lazy("成果或需求待审核"))
RETURNED = kind("catalog.returned", gettext_lazy("成果或需求被退回"))
PUBLISHED = kind("catalog.published", gettext_lazy("成果或需求已发布"))
DEMAND_EXPIRED = kind("catalog.demand_expired", gettext_lazy("需求已到截止日期"))
DEMAND_INVITED = kind("catalog.demand_invited", gettext_lazy("受邀查看企业需求"))

KIND_NAMES = {"achievement": gettext_lazy("科技成果"), "demand": gettext_lazy("技术需求")}
LIMIT = 200


def record_url(kind_: str, pk: int) -> str:
    return reverse(f"catalog:{kind_}_detail", args=[pk])


# --- notifications (called inside catalog.services' transactions) ------------------------------


def record_moved(kind_: str, record, *, event_key: str, now) -> None:
    """Tell whoever the record now waits on, or its owner what the reviewer decided."""
    url = record_url(kind_, record.pk)
    values = {"kind": KIND_NAMES[kind_], "title": record.title}
    if record.status == RecordStatus.SUBMITTED:
        notify(
            recipients.handling_staff(Duty.REVIEWER, record.region_id),
            kind=SUBMITTED,
            title=_("%(kind)s待审核：%(title)s") % values,
            body=record.owner.name,
            url=url,
            key=event_key,
            now=now,
        )
    elif record.status == RecordStatus.RETURNED:
        notify(
            recipients.org_handlers(record.owner, record.created_by_id),
            kind=RETURNED,
            title=_("%(kind)s被退回，请修改后重新提交：%(title)s") % values,
            body=record.status_reason,
            url=url,
            key=event_key,
            now=now,
        )
    elif record.status == RecordStatus.PUBLISHED:
        notify(
            recipients.org_handlers(record.owner, record.created_by_id),
            kind=PUBLISHED,
            title=_("%(kind)s已审核发布：%(title)s") % values,
            url=url,
            key=event_key,
            now=now,
        )
    elif record.status == RecordStatus.EXPIRED:
        notify(
            recipients.org_handlers(record.owner, record.created_by_id),
            kind=DEMAND_EXPIRED,
            title=_("需求已过截止日期，不再公开展示：%(title)s") % values,
            url=url,
            key=event_key,
            now=now,
        )


def demand_invited(demand, organisation, *, now) -> None:
    notify(
        recipients.org_handlers(organisation),
        kind=DEMAND_INVITED,
        title=_("%(owner)s 邀请贵单位查看技术需求：%(title)s")
        % {"owner": demand.owner.name, "title": demand.title},
        url=record_url("demand", demand.pk),
        key=f"catalog.demand:{demand.pk}:invited:{organisation.pk}",
        now=now,
    )


# --- to-dos ------------------------------------------------------------------------------------


def _holidays(start: date, end: date) -> dict[date, bool]:
    from zhouqiao.market.models import CalendarDay

    return dict(CalendarDay.objects.filter(date__gte=start, date__lte=end).values_list("date", "is_workday"))


def add_working_days(start: date, count: int, exceptions: dict[date, bool]) -> date:
    day, left = start, count
    while left > 0:
        day += timedelta(days=1)
        if exceptions.get(day, day.weekday() < 5):
            left -= 1
    return day


def review_deadlines(submitted: list[datetime]) -> list[datetime]:
    """End (24:00 local) of the CATALOG_REVIEW_DAYS-th working day after each submission; one query."""
    if not submitted:
        return []
    days = settings.CATALOG_REVIEW_DAYS
    local = [timezone.localtime(s).date() for s in submitted]
    exceptions = _holidays(min(local), max(local) + timedelta(days=days * 2 + 60))
    return [
        timezone.make_aware(
            datetime.combine(add_working_days(d, days, exceptions) + timedelta(days=1), datetime.min.time())
        )
        for d in local
    ]


def _to_review(user, model, kind_: str) -> list[Todo]:
    if not scope.has_duty(user, Duty.REVIEWER):
        return []
    rows = list(
        model.objects.filter(recipients.waiting_on_q(user, Duty.REVIEWER), status=RecordStatus.SUBMITTED)
        .select_related("owner", "region")
        .order_by("submitted_at", "pk")[:LIMIT]
    )
    since = [r.submitted_at or r.updated_at for r in rows]
    return [
        Todo(
            title=r.title,
            url=record_url(kind_, r.pk),
            since=s,
            deadline=deadline,
            detail=f"{r.owner.name} · {r.region.name}",
        )
        for r, s, deadline in zip(rows, since, review_deadlines(since), strict=True)
    ]


@todo_source(gettext_lazy("待审核的科技成果"))
def achievements_to_review(user):
    return _to_review(user, Achievement, "achievement")


@todo_source(gettext_lazy("待审核的技术需求"))
def demands_to_review(user):
    return _to_review(user, Demand, "demand")


@todo_source(gettext_lazy("被退回的成果与需求（请修改后重新提交）"))
def records_to_correct(user):
    if not getattr(user, "is_authenticated", False):
        return []
    mine = Q(owner_id__in=Membership.objects.filter(user=user).values("organisation_id"))
    out = []
    for kind_, model in (("achievement", Achievement), ("demand", Demand)):
        for r in model.objects.filter(mine, status=RecordStatus.RETURNED).order_by("updated_at", "pk")[
            :LIMIT
        ]:
            out.append(
                Todo(
                    title=f"{KIND_NAMES[kind_]}：{r.title}",
                    url=record_url(kind_, r.pk),
                    since=r.updated_at,
                    detail=_("审核意见：%(reason)s") % {"reason": r.status_reason} if r.status_reason else "",
                )
            )
    return out
