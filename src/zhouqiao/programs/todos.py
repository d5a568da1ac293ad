"""What waits on whom in project calls: formal checks, objections, reviewer top-ups, the funding
decision once the reviews are in and 立项 once the notice period is over (program officers),
returned applications (applicants), reviews (experts with an account).

The end of a call's notice period (公示期满) is also told, once per call, by the daily
``zhouqiao remind-notice-ended`` (:func:`tell_notice_ended`): nothing else happens at that moment,
so without it the officer learns of it only by opening the to-do list."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhouqiao.accounts import scope
from zhouqiao.accounts.models import Duty
from zhouqiao.notifications.registry import Todo, kind, todo_source
from zhouqiao.programs.models import Application, Objection, ReviewAssignment
from zhouqiao.programs.states import ApplicationStatus, CallStatus

kind("programs.application_submitted", gettext_lazy("项目申报书待形式审查"))
kind("programs.application_checked", gettext_lazy("项目申报书形式审查结果"))
kind("programs.partner_named", gettext_lazy("被列为项目合作单位"))
kind("programs.review_assigned", gettext_lazy("项目评审任务"))
kind("programs.result", gettext_lazy("项目立项结果"))
kind("programs.objection", gettext_lazy("拟立项项目异议"))
kind("programs.objection_answered", gettext_lazy("异议处理结果"))
kind("programs.review_recused", gettext_lazy("评审专家申请回避"))
kind("programs.reviews_complete", gettext_lazy("评审已完成，待确定拟立项"))
NOTICE_ENDED = kind("programs.notice_ended", gettext_lazy("立项公示期满，待正式立项"))


def tell_notice_ended(*, now) -> int:
    """Tell the program officers of each call whose notice period has ended (and that is not yet
    立项) that 正式立项 is next, or which objections still wait first. Once per call and officer
    (the notification key), so the daily run tells nobody twice; returns how many were told."""
    from django.db import transaction
    from django.db.models import Count, Q

    from zhouqiao.notifications import recipients
    from zhouqiao.notifications.services import notify
    from zhouqiao.programs.models import Call

    calls = Call.objects.filter(status=CallStatus.NOTICE, notice_ends_at__lte=now).annotate(
        approved=Count(
            "applications", filter=Q(applications__status=ApplicationStatus.APPROVED), distinct=True
        ),
        waiting=Count(
            "applications__objections",
            filter=Q(applications__objections__answered_at=None),
            distinct=True,
        ),
    )
    told = 0
    with transaction.atomic():
        for call in calls.order_by("pk"):
            if call.waiting:
                body = _("还有%(n)d条异议未处理，请先处理异议，处理完毕后即可正式立项。") % {
                    "n": call.waiting
                }
            else:
                body = _("拟立项项目%(n)d项，异议均已处理，请在指南页面点击“公示期满，正式立项”。") % {
                    "n": call.approved
                }
            told += notify(
                recipients.staff(Duty.PROGRAM_OFFICER, call.jurisdiction_id),
                kind=NOTICE_ENDED,
                title=_("立项公示期已满：%(t)s") % {"t": call.title},
                body=body,
                url=reverse("programs:call_detail", args=[call.pk]),
                key=f"programs:call:{call.pk}:notice_ended",
                now=now,
            )
    return told


@todo_source(gettext_lazy("待形式审查的项目申报书"))
def applications_to_check(user):
    if not scope.has_duty(user, Duty.PROGRAM_OFFICER):
        return []
    rows = Application.objects.filter(
        scope.region_q(user, "call__jurisdiction", Duty.PROGRAM_OFFICER), status=ApplicationStatus.SUBMITTED
    ).only("pk", "title", "submitted_at")
    return [
        Todo(title=a.title, url=reverse("programs:application_detail", args=[a.pk]), since=a.submitted_at)
        for a in rows
    ]


@todo_source(gettext_lazy("待处理的立项公示异议"))
def objections_to_answer(user):
    if not scope.has_duty(user, Duty.PROGRAM_OFFICER):
        return []
    rows = Objection.objects.filter(
        scope.region_q(user, "application__call__jurisdiction", Duty.PROGRAM_OFFICER), answered_at=None
    ).select_related("application")
    return [
        Todo(
            title=o.application.title,
            url=reverse("programs:application_detail", args=[o.application_id]),
            since=o.created_at,
        )
        for o in rows
    ]


@todo_source(gettext_lazy("被退回待修改的项目申报书"))
def applications_to_correct(user):
    orgs = scope.organisation_ids(user)
    if not orgs:
        return []
    rows = Application.objects.filter(
        lead_id__in=orgs, status=ApplicationStatus.RETURNED, call__status=CallStatus.OPEN
    ).select_related("call")
    return [
        Todo(
            title=a.title,
            url=reverse("programs:application_detail", args=[a.pk]),
            since=a.checked_at,
            deadline=a.call.closes_at,
            detail=a.status_reason,
        )
        for a in rows
    ]


@todo_source(gettext_lazy("待评审的项目申报书"))
def reviews_to_write(user):
    if not getattr(user, "is_authenticated", False):
        return []
    rows = ReviewAssignment.objects.filter(
        expert__user=user,
        submitted_at=None,
        call__status=CallStatus.REVIEW,
        application__status=ApplicationStatus.ACCEPTED,
    ).select_related("application")
    # The project's title (blind calls never show the applicant); its code only as a reference.
    return [
        Todo(
            title=a.application.title,
            url=reverse("programs:review", args=[a.pk]),
            since=a.assigned_at,
            detail=_("申报编号 %(code)s") % {"code": a.application.code},
        )
        for a in rows
    ]


@todo_source(gettext_lazy("待分配评审专家的项目申报指南"))
def calls_to_assign(user):
    """Calls in review whose accepted applications have fewer reviewers than the call asks for."""
    from django.db.models import Count, Min, Q

    from zhouqiao.programs.models import Call

    if not scope.has_duty(user, Duty.PROGRAM_OFFICER):
        return []
    calls = (
        Call.objects.filter(
            scope.region_q(user, "jurisdiction", Duty.PROGRAM_OFFICER), status=CallStatus.REVIEW
        )
        .exclude(assignment_run__in=["queued", "running"])
        .annotate(
            short=Count(
                "applications",
                filter=Q(applications__status=ApplicationStatus.ACCEPTED),
                distinct=True,
            ),
            places=Count("assignments", distinct=True),
            recused=Count("recusals", filter=Q(recusals__replaced_at=None), distinct=True),
            recused_since=Min("recusals__recused_at", filter=Q(recusals__replaced_at=None)),
        )
    )
    # A recusal (申请回避) frees a place: the call comes back here until the top-up fills it, and
    # has waited since the earliest recusal still without a replacement (not since the deadline).
    return [
        Todo(
            title=c.title,
            url=reverse("programs:call_detail", args=[c.pk]),
            since=c.recused_since or c.closes_at,
            detail=_("%(n)d位评审专家申请回避，请补充分配评审专家。") % {"n": c.recused} if c.recused else "",
        )
        for c in calls
        if c.short and c.places < c.short * c.reviewers_per_application
    ]


@todo_source(gettext_lazy("评审已完成，待确定拟立项"))
def calls_to_decide(user):
    """Calls in review whose decision may be taken (the page offers 确定拟立项项目): accepted
    applications all scored, no review outstanding, no recusal waiting for a replacement — the
    same test as ``services.decision_blocker``. Waiting since the last review came in."""
    from django.db.models import Exists, OuterRef, Subquery

    from zhouqiao.programs.models import Call, Recusal

    if not scope.has_duty(user, Duty.PROGRAM_OFFICER):
        return []
    accepted = Application.objects.filter(call=OuterRef("pk"), status=ApplicationStatus.ACCEPTED)
    reviews = ReviewAssignment.objects.filter(
        call=OuterRef("pk"), application__status=ApplicationStatus.ACCEPTED
    )
    calls = (
        Call.objects.filter(
            scope.region_q(user, "jurisdiction", Duty.PROGRAM_OFFICER), status=CallStatus.REVIEW
        )
        .exclude(assignment_run__in=["queued", "running"])
        .filter(Exists(accepted))
        .exclude(Exists(accepted.filter(aggregate_score=None)))
        .exclude(Exists(reviews.filter(submitted_at=None)))
        .exclude(
            Exists(
                Recusal.objects.filter(
                    call=OuterRef("pk"), replaced_at=None, application__status=ApplicationStatus.ACCEPTED
                )
            )
        )
        .annotate(last_review=Subquery(reviews.order_by("-submitted_at").values("submitted_at")[:1]))
        .only("pk", "title", "closes_at")
    )
    return [
        Todo(
            title=c.title,
            url=reverse("programs:call_detail", args=[c.pk]),
            since=c.last_review or c.closes_at,
            detail=_("评审意见已全部提交，请按评审排名确定拟立项项目及资助金额。"),
        )
        for c in calls
    ]


@todo_source(gettext_lazy("公示期满，待正式立项"))
def calls_to_establish(user):
    """Calls whose notice period (公示期) has ended with every objection answered: 立项 waits on
    the officer since the end of the notice period."""
    from django.db.models import Exists, OuterRef

    from zhouqiao.core import clock
    from zhouqiao.programs.models import Call

    if not scope.has_duty(user, Duty.PROGRAM_OFFICER):
        return []
    calls = (
        Call.objects.filter(
            scope.region_q(user, "jurisdiction", Duty.PROGRAM_OFFICER),
            status=CallStatus.NOTICE,
            notice_ends_at__lte=clock.now(),
        )
        .exclude(Exists(Objection.objects.filter(application__call=OuterRef("pk"), answered_at=None)))
        .only("pk", "title", "notice_ends_at")
    )
    return [
        Todo(
            title=c.title,
            url=reverse("programs:call_detail", args=[c.pk]),
            since=c.notice_ends_at,
            detail=_("公示期已满，异议均已处理，可正式立项。"),
        )
        for c in calls
    ]
