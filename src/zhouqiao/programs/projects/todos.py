"""Who a funded project waits on, and who is told.

立项 without an officer          → program officers of the jurisdiction: assign one     (projects.created)
officer assigned                → the officer; the undertaker's members                 (projects.officer_assigned)
milestone due (30 days ahead)   → the undertaker's members: report it                  (to-do only)
milestone reported              → the officer: confirm or return                        (projects.milestone_reported)
milestone confirmed / returned  → the undertaker's members                              (projects.milestone_decided)
periodic report                 → the officer                                           (projects.report_submitted)
mid-term check due (30 days)    → the officer: record it                                (to-do only)
mid-term recorded               → the undertaker's members                              (projects.mid_term_recorded)
final report submitted          → the officer: form the acceptance panel                (projects.final_report_submitted)
panel formed                    → panel experts with an account: give an opinion        (projects.panel_invited)
all opinions in                 → the officer: record the conclusion                    (projects.opinions_complete)
accepted / not accepted         → the undertaker's members (then: apply for 后补助)      (projects.accepted)

The 30-day warning before a milestone or mid-term date is a platform choice; no seed sets one.
"""

from datetime import datetime, time, timedelta

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhouqiao.accounts import scope
from zhouqiao.accounts.models import Duty
from zhouqiao.core import clock
from zhouqiao.notifications import recipients
from zhouqiao.notifications.registry import Todo, kind, todo_source
from zhouqiao.notifications.services import notify

CREATED = kind("projects.created", gettext_lazy("新立项项目待指派专员"))
OFFICER_ASSIGNED = kind("projects.officer_assigned", gettext_lazy("项目专员已指派"))
MILESTONE_REPORTED = kind("projects.milestone_reported", gettext_lazy("项目节点目标待确认"))
MILESTONE_DECIDED = kind("projects.milestone_decided", gettext_lazy("项目节点目标已确认或退回"))
REPORT_SUBMITTED = kind("projects.report_submitted", gettext_lazy("项目进展报告已提交"))
MID_TERM_RECORDED = kind("projects.mid_term_recorded", gettext_lazy("项目中期检查结论"))
FINAL_REPORT = kind("projects.final_report_submitted", gettext_lazy("项目待组织验收"))
PANEL_INVITED = kind("projects.panel_invited", gettext_lazy("受邀参加项目验收"))
OPINIONS_COMPLETE = kind("projects.opinions_complete", gettext_lazy("验收专家意见已齐"))
ACCEPTED = kind("projects.accepted", gettext_lazy("项目验收结论"))

WARN_DAYS = 30
LIMIT = 100


def project_url(project) -> str:
    return reverse("projects:project_detail", args=[project.pk])


def _end_of(day) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(23, 59)))


def _start_of(day) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(0, 0)))


def _officer(project):
    return [project.officer] if project.officer_id and project.officer.is_active else []


# --- notifications (called inside services' transactions) ---------------------------------------


def project_created(project, *, now) -> None:
    notify(
        recipients.staff(Duty.PROGRAM_OFFICER, project.region_id),
        kind=CREATED,
        title=_("新立项项目待指派专员：%(title)s") % {"title": project.title},
        body=project.undertaker.name,
        url=project_url(project),
        key=f"project:{project.pk}:created",
        now=now,
    )


def officer_assigned(project, *, now) -> None:
    notify(
        _officer(project),
        kind=OFFICER_ASSIGNED,
        title=_("您已被指派为项目专员：%(title)s") % {"title": project.title},
        url=project_url(project),
        key=f"project:{project.pk}:officer:{project.officer_id}",
        now=now,
    )
    notify(
        recipients.org_handlers(project.undertaker),
        kind=OFFICER_ASSIGNED,
        title=_("项目专员已指派：%(title)s") % {"title": project.title},
        url=project_url(project),
        key=f"project:{project.pk}:officer:{project.officer_id}:undertaker",
        now=now,
    )


def milestone_reported(milestone, *, now) -> None:
    project = milestone.project
    notify(
        _officer(project),
        kind=MILESTONE_REPORTED,
        title=_("节点目标待确认：%(title)s — %(what)s")
        % {"title": project.title, "what": milestone.deliverable},
        url=project_url(project),
        key=f"milestone:{milestone.pk}:reported:{now.isoformat()}",
        now=now,
    )


def milestone_decided(milestone, *, now) -> None:
    project = milestone.project
    notify(
        recipients.org_handlers(project.undertaker),
        kind=MILESTONE_DECIDED,
        title=_("节点目标%(what)s：%(deliverable)s")
        % {
            "what": milestone.get_status_display() if milestone.confirmed_at else _("被退回"),
            "deliverable": milestone.deliverable,
        },
        body=milestone.officer_note,
        url=project_url(project),
        key=f"milestone:{milestone.pk}:decided:{now.isoformat()}",
        now=now,
    )


def report_submitted(report, *, now) -> None:
    project = report.project
    notify(
        _officer(project),
        kind=REPORT_SUBMITTED,
        title=_("进展报告已提交：%(title)s") % {"title": project.title},
        url=project_url(project),
        key=f"project_report:{report.pk}",
        now=now,
    )


def mid_term_recorded(project, *, now) -> None:
    notify(
        recipients.org_handlers(project.undertaker),
        kind=MID_TERM_RECORDED,
        title=_("中期检查结论（%(conclusion)s）：%(title)s")
        % {"conclusion": project.get_mid_term_conclusion_display(), "title": project.title},
        body=project.mid_term_reason,
        url=project_url(project),
        key=f"project:{project.pk}:mid_term:{now.isoformat()}",
        now=now,
    )


def final_report_submitted(project, *, now) -> None:
    notify(
        _officer(project),
        kind=FINAL_REPORT,
        title=_("科技报告已提交，待组织验收：%(title)s") % {"title": project.title},
        url=project_url(project),
        key=f"project:{project.pk}:final_report",
        now=now,
    )


def panel_formed(project, *, now) -> None:
    from django.contrib.auth import get_user_model

    users = get_user_model().objects.filter(expert__in=project.panel.values("expert"), is_active=True)
    notify(
        users,
        kind=PANEL_INVITED,
        title=_("请提交项目验收意见：%(title)s") % {"title": project.title},
        url=project_url(project),
        key=f"project:{project.pk}:panel",
        now=now,
    )


def opinion_recorded(project, *, now) -> None:
    if project.panel.filter(expert__user__isnull=False, submitted_at__isnull=True).exists():
        return
    notify(
        _officer(project),
        kind=OPINIONS_COMPLETE,
        title=_("验收专家意见已齐，请作出验收结论：%(title)s") % {"title": project.title},
        url=project_url(project),
        key=f"project:{project.pk}:opinions_complete",
        now=now,
    )


def acceptance_concluded(project, *, now) -> None:
    notify(
        recipients.org_handlers(project.undertaker),
        kind=ACCEPTED,
        title=_("项目验收结论（%(conclusion)s）：%(title)s")
        % {"conclusion": project.get_acceptance_conclusion_display(), "title": project.title},
        body=project.acceptance_reason,
        url=project_url(project),
        key=f"project:{project.pk}:accepted",
        now=now,
    )


# --- to-do sources ------------------------------------------------------------------------------


def _projects():
    from zhouqiao.programs.projects.models import Project

    return Project.objects.select_related("undertaker")


@todo_source(gettext_lazy("待指派专员的立项项目"))
def projects_without_officer(user):
    if not scope.has_duty(user, Duty.PROGRAM_OFFICER):
        return []
    from zhouqiao.programs.projects.states import ProjectStatus

    rows = _projects().filter(
        scope.region_q(user, "region", Duty.PROGRAM_OFFICER),
        officer__isnull=True,
        status__in=[ProjectStatus.IN_PROGRESS, ProjectStatus.RECTIFYING],
    )[:LIMIT]
    return [
        Todo(title=_("指派项目专员：%(title)s") % {"title": p.title}, url=project_url(p), since=p.created_at)
        for p in rows
    ]


@todo_source(gettext_lazy("待确认的节点目标、中期检查与结题验收"))
def officer_items(user):
    """Milestones to confirm, mid-term checks due, panels to form, conclusions to record."""
    if not scope.has_duty(user, Duty.PROGRAM_OFFICER):
        return []
    from zhouqiao.programs.projects.models import Milestone
    from zhouqiao.programs.projects.states import MilestoneStatus, ProjectStatus

    today = clock.local_date()
    items = []
    for m in Milestone.objects.filter(project__officer=user, status=MilestoneStatus.REPORTED).select_related(
        "project"
    )[:LIMIT]:
        items.append(
            Todo(
                title=_("确认节点目标：%(title)s — %(what)s")
                % {"title": m.project.title, "what": m.deliverable},
                url=project_url(m.project),
                since=m.reported_at,
            )
        )
    mine = _projects().filter(officer=user)
    for p in mine.filter(
        status=ProjectStatus.IN_PROGRESS,
        mid_term_at__isnull=True,
        mid_term_due__isnull=False,
        mid_term_due__lte=today + timedelta(days=WARN_DAYS),
    )[:LIMIT]:
        items.append(
            Todo(
                title=_("中期检查：%(title)s") % {"title": p.title},
                url=project_url(p),
                since=_start_of(p.mid_term_due - timedelta(days=WARN_DAYS)),
                deadline=_end_of(p.mid_term_due),
            )
        )
    for p in mine.filter(status=ProjectStatus.IN_PROGRESS, report_submitted_at__isnull=False)[:LIMIT]:
        items.append(
            Todo(
                title=_("组织验收：%(title)s") % {"title": p.title},
                url=project_url(p),
                since=p.report_submitted_at,
            )
        )
    from zhouqiao.programs.projects.models import PanelMember

    waiting = PanelMember.objects.filter(expert__user__isnull=False, submitted_at__isnull=True).values(
        "project"
    )
    for p in mine.filter(status=ProjectStatus.UNDER_ACCEPTANCE).exclude(pk__in=waiting)[:LIMIT]:
        items.append(
            Todo(
                title=_("作出验收结论：%(title)s") % {"title": p.title},
                url=project_url(p),
                since=_start_of(p.acceptance_due or today),
                deadline=_end_of(p.acceptance_due) if p.acceptance_due else None,
            )
        )
    return items


@todo_source(gettext_lazy("待报告的节点目标、科技报告与后补助申请"))
def undertaker_items(user):
    """Milestones coming due, the final report at the end of the period, 后补助 to apply for."""
    orgs = scope.organisation_ids(user)
    if not orgs:
        return []
    from zhouqiao.programs.projects.models import Milestone
    from zhouqiao.programs.projects.states import MilestoneStatus, ProjectStatus

    today = clock.local_date()
    active = [ProjectStatus.IN_PROGRESS, ProjectStatus.RECTIFYING]
    items = []
    for m in Milestone.objects.filter(
        project__undertaker_id__in=orgs,
        project__status__in=active,
        status=MilestoneStatus.PENDING,
        due_date__lte=today + timedelta(days=WARN_DAYS),
    ).select_related("project")[:LIMIT]:
        items.append(
            Todo(
                title=_("报告节点目标：%(title)s — %(what)s")
                % {"title": m.project.title, "what": m.deliverable},
                url=project_url(m.project),
                since=_start_of(max(m.due_date - timedelta(days=WARN_DAYS), m.project.start_date)),
                deadline=_end_of(m.due_date),
            )
        )
    for p in _projects().filter(
        undertaker_id__in=orgs,
        status=ProjectStatus.IN_PROGRESS,
        report_submitted_at__isnull=True,
        end_date__lte=today + timedelta(days=WARN_DAYS),
    )[:LIMIT]:
        items.append(
            Todo(
                title=_("提交科技报告（验收材料）：%(title)s") % {"title": p.title},
                url=project_url(p),
                since=_start_of(p.end_date - timedelta(days=WARN_DAYS)),
                deadline=_end_of(p.end_date),
            )
        )
    accepted = list(
        _projects().filter(undertaker_id__in=orgs, status=ProjectStatus.ACCEPTED, post_subsidy=True)[:LIMIT]
    )
    if accepted:
        from zhouqiao.policy.models import Application
        from zhouqiao.programs.projects.services import POST_SUBSIDY_EVENT, post_subsidy_rules

        claimed = set(
            Application.objects.filter(organisation_id__in=orgs, event=POST_SUBSIDY_EVENT).values_list(
                "event_reference", flat=True
            )
        )
        for p in accepted:
            if claimed.isdisjoint(p.claim_references) and post_subsidy_rules(p):
                items.append(
                    Todo(
                        title=_("申请后补助：%(title)s") % {"title": p.title},
                        url=project_url(p),
                        since=p.accepted_at,
                    )
                )
    return items


@todo_source(gettext_lazy("待提交的验收意见"))
def panel_items(user):
    if not getattr(user, "is_authenticated", False):
        return []
    from zhouqiao.programs.projects.models import PanelMember
    from zhouqiao.programs.projects.states import ProjectStatus

    rows = PanelMember.objects.filter(
        expert__user=user, submitted_at__isnull=True, project__status=ProjectStatus.UNDER_ACCEPTANCE
    ).select_related("project")[:LIMIT]
    return [
        Todo(
            title=_("提交验收意见：%(title)s") % {"title": s.project.title},
            url=project_url(s.project),
            since=s.invited_at,
            deadline=_end_of(s.project.acceptance_due) if s.project.acceptance_due else None,
        )
        for s in rows
    ]
