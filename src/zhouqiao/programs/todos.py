"""What waits on whom in project calls: formal checks and objections (program officers), returned
applications (applicants), reviews (experts with an account)."""

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
    # A neutral title: blind calls never show the applicant, and the code is enough to find it.
    return [
        Todo(
            title=f"{a.application.code} {a.application.title}",
            url=reverse("programs:review", args=[a.pk]),
            since=a.assigned_at,
        )
        for a in rows
    ]


@todo_source(gettext_lazy("待分配评审专家的项目申报指南"))
def calls_to_assign(user):
    """Calls in review whose accepted applications have fewer reviewers than the call asks for."""
    from django.db.models import Count, Q

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
        )
    )
    # A recusal (申请回避) frees a place: the call comes back here until the top-up fills it.
    return [
        Todo(
            title=c.title,
            url=reverse("programs:call_detail", args=[c.pk]),
            since=c.closes_at,
            detail=_("%(n)d位评审专家申请回避，请补充分配评审专家。") % {"n": c.recused} if c.recused else "",
        )
        for c in calls
        if c.short and c.places < c.short * c.reviewers_per_application
    ]
