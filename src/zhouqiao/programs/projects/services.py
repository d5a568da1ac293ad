"""Every write on a funded project (立项 → 实施 → 中期检查 → 验收 → 后补助), one function each.

Who acts (seed 002 §23: decision, execution and evaluation kept apart; 项目专员制, 监理制):
- program officers (``Duty.PROGRAM_OFFICER``) of the project's jurisdiction assign the project's
  officer (专员) and supervisor (监理);
- the project's officer sets milestones, confirms milestone reports, records the mid-term check,
  forms the acceptance panel and records the acceptance conclusion; the officer or finance staff
  of the jurisdiction record disbursements;
- the undertaker's members report milestones, submit periodic and final reports (科技报告), and
  after acceptance apply for 后补助 (003 #16, through the policy engine) and turn the result into a
  draft achievement;
- panel experts with an account record their opinion.
"""

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from zhouqiao.accounts import scope
from zhouqiao.accounts.models import Duty, Organisation, User
from zhouqiao.core import audit
from zhouqiao.core.errors import Conflict, InvalidTransition, NotFound, PermissionDenied, ValidationFailed
from zhouqiao.core.locking import lock
from zhouqiao.core.money import AmountError, format_yuan, parse_amount
from zhouqiao.programs.projects import todos
from zhouqiao.programs.projects.models import Disbursement, Milestone, PanelMember, ProgressReport, Project
from zhouqiao.programs.projects.states import (
    OFFICER,
    TRANSITIONS,
    AcceptanceConclusion,
    MidTermConclusion,
    MilestoneStatus,
    Opinion,
    ProjectStatus,
)

# 003 #16 财政后补助: the event rule the acceptance of a funded project triggers (policy package 003).
POST_SUBSIDY_EVENT = "funded_project_accepted"
# An acceptance panel has at least this many experts (NSFC and regional funds use 3 or more reviewers;
# no Jilin text sets a panel size — a platform choice, see the research notes).
PANEL_MIN = 3
NOT_ALLOWED = _("您无权办理该项目的这一事项。")


def _fail(field: str, message) -> ValidationFailed:
    return ValidationFailed(message, detail={field: [str(message)]})


# --- who may act -------------------------------------------------------------------------------


def is_program_staff(user, project: Project) -> bool:
    """A program officer whose jurisdiction covers the project's region (assigns the officer)."""
    return scope.covers(user, project.region_id, Duty.PROGRAM_OFFICER)


def is_officer(user, project: Project) -> bool:
    """The project's own officer (专员), while still a program officer of its jurisdiction."""
    return (
        getattr(user, "is_authenticated", False)
        and project.officer_id == user.pk
        and is_program_staff(user, project)
    )


def is_undertaker(user, project: Project) -> bool:
    return getattr(user, "is_authenticated", False) and scope.is_member(user, project.undertaker)


def may_disburse(user, project: Project) -> bool:
    return is_officer(user, project) or scope.covers(user, project.region_id, Duty.FINANCE)


def panel_seat(user, project: Project) -> PanelMember | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return project.panel.filter(expert__user=user).select_related("expert").first()


def may_view(user, project: Project) -> bool:
    """The project's management pages: staff of the jurisdiction, the undertaker, the panel."""
    return (
        is_program_staff(user, project)
        or scope.covers(user, project.region_id, Duty.FINANCE)
        or is_undertaker(user, project)
        or panel_seat(user, project) is not None
    )


def _require(ok: bool) -> None:
    if not ok:
        raise PermissionDenied(NOT_ALLOWED)


def _move(project: Project, to_status: str, who: str) -> None:
    allowed = TRANSITIONS.get(project.status, {})
    if allowed.get(to_status) != who:
        raise InvalidTransition(
            _("项目当前为“%(status)s”，不能办理此事项。") % {"status": project.get_status_display()}
        )
    project.status = to_status


def _started(project: Project, now) -> None:
    if timezone.localdate(now) < project.start_date:
        raise _fail(
            "body",
            _("项目实施期自%(date)s开始，开始前不能提交报告。") % {"date": project.start_date.isoformat()},
        )


def _text(value, field: str, message, limit: int | None = None) -> str:
    value = (value or "").strip()
    if not value:
        raise _fail(field, message)
    if limit and len(value) > limit:
        raise _fail(field, _("不能超过%(n)s个字。") % {"n": limit})
    return value


def _date(value, field: str, message) -> dt.date:
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value.strip())
        except ValueError:
            value = None
    if not isinstance(value, dt.date):
        raise _fail(field, message)
    return value


def _within_period(project: Project, day: dt.date, field: str, what) -> None:
    if day < project.start_date or day > project.end_date:
        raise _fail(
            field,
            _("%(what)s须在项目实施期内（%(start)s至%(end)s）。")
            % {"what": what, "start": project.start_date.isoformat(), "end": project.end_date.isoformat()},
        )


def _amount(value, field: str) -> Decimal:
    try:
        return parse_amount(value, allow_zero=False)
    except AmountError as exc:
        raise _fail(field, str(exc)) from None


# --- 立项 ---------------------------------------------------------------------------------------


def _check_project_data(*, title, amount, start_date, end_date) -> tuple[str, Decimal, dt.date, dt.date]:
    title = _text(title, "title", _("请填写项目名称。"), 200)
    amount = _amount(amount, "approved_amount")
    start = _date(start_date, "start_date", _("请填写实施期开始日期。"))
    end = _date(end_date, "end_date", _("请填写实施期结束日期。"))
    if end <= start:
        raise _fail("end_date", _("实施期结束日期须晚于开始日期。"))
    return title, amount, start, end


def _create(
    *,
    actor,
    undertaker: Organisation,
    region_id: str,
    title: str,
    call_title: str,
    amount,
    start_date,
    end_date,
    summary: str = "",
    keywords: str = "",
    post_subsidy: bool = False,
    application=None,
    milestones=(),
    now,
    is_sample: bool = False,
) -> Project:
    title, amount, start, end = _check_project_data(
        title=title, amount=amount, start_date=start_date, end_date=end_date
    )
    values = {
        "title": title,
        "summary": (summary or "").strip(),
        "keywords": (keywords or "").strip()[:255],
        "undertaker": undertaker,
        "region_id": region_id,
        "call_title": (call_title or "").strip()[:200] or _("科技计划项目"),
        "approved_amount": amount,
        "start_date": start,
        "end_date": end,
        "post_subsidy": bool(post_subsidy),
        "created_at": now,
        "created_by": actor if getattr(actor, "is_authenticated", False) else None,
        "is_sample": is_sample,
    }
    if application is not None:
        values["application"] = application
    project = Project.objects.create(**values)
    for item in milestones:
        deliverable = _text(item.get("deliverable"), "deliverable", _("请填写节点目标与交付物。"), 200)
        due = _date(item.get("due_date"), "due_date", _("请填写计划完成日期。"))
        _within_period(project, due, "due_date", _("节点目标的计划完成日期"))
        Milestone.objects.create(project=project, deliverable=deliverable, due_date=due)
    audit.record(
        "projects.created",
        actor=actor,
        target=project,
        after=audit.snapshot(
            project, ["title", "undertaker", "approved_amount", "start_date", "end_date", "call_title"]
        ),
        now=now,
    )
    todos.project_created(project, now=now)
    return project


def _pick(obj, *names, default=None):
    for name in names:
        value = getattr(obj, name, None)
        if value is not None and value != "":
            return value
    return default


def create_from_application(*, application, actor, now) -> Project:
    """立项: the project of an approved application (called by ``programs.services.establish``
    inside its transaction, so this nests rather than opening a durable one). Idempotent per
    application. The call's ``post_subsidy`` says whether 后补助 applies; a call without that
    field is read as saying yes (the policy rule still decides who may claim it)."""
    with transaction.atomic():
        existing = Project.objects.filter(application=application).first()
        if existing is not None:
            return existing
        call = application.call
        amount = _pick(application, "approved_amount", "requested_amount")
        milestones = [{"deliverable": m.title[:200], "due_date": m.due} for m in application.milestones.all()]
        return _create(
            actor=actor,
            undertaker=application.lead,
            region_id=call.jurisdiction_id,
            title=application.title,
            call_title=call.title,
            amount=amount,
            start_date=application.project_start,
            end_date=application.project_end,
            summary=application.summary,
            keywords=application.keywords,
            post_subsidy=bool(getattr(call, "post_subsidy", True)),
            application=application,
            milestones=milestones,
            now=now,
        )


@transaction.atomic(durable=True)
def create_project(
    *,
    actor,
    undertaker_id: int,
    title: str,
    call_title: str,
    amount,
    start_date,
    end_date,
    summary: str = "",
    keywords: str = "",
    post_subsidy: bool = False,
    region_id: str | None = None,
    now,
    is_sample: bool = False,
) -> Project:
    """A project approved outside the platform's calls (recorded by a program officer)."""
    undertaker = Organisation.objects.filter(pk=undertaker_id).first()
    if undertaker is None:
        raise _fail("undertaker", _("请选择承担单位。"))
    region_id = region_id or undertaker.region_id
    if not scope.covers(actor, region_id, Duty.PROGRAM_OFFICER):
        raise PermissionDenied(NOT_ALLOWED)
    return _create(
        actor=actor,
        undertaker=undertaker,
        region_id=region_id,
        title=title,
        call_title=call_title,
        amount=amount,
        start_date=start_date,
        end_date=end_date,
        summary=summary,
        keywords=keywords,
        post_subsidy=post_subsidy,
        now=now,
        is_sample=is_sample,
    )


@transaction.atomic(durable=True)
def assign_officer(
    *, actor, project_id: int, officer_id: int, supervisor: str = "", mid_term_due=None, now
) -> Project:
    """项目专员制 / 监理制: a program officer of the jurisdiction names the project's officer, its
    supervisor (text: a unit or a person) and the date of the mid-term check."""
    project = lock(Project.objects.all(), project_id)
    _require(is_program_staff(actor, project))
    if project.status in (ProjectStatus.ACCEPTED, ProjectStatus.FAILED, ProjectStatus.TERMINATED):
        raise InvalidTransition(_("项目已办结，不能再指派专员。"))
    officer = User.objects.filter(pk=officer_id, is_active=True).first()
    if officer is None or not scope.covers(officer, project.region_id, Duty.PROGRAM_OFFICER):
        raise _fail("officer", _("项目专员须为本辖区承担项目管理职责的工作人员。"))
    due = None
    if mid_term_due not in (None, ""):
        due = _date(mid_term_due, "mid_term_due", _("中期检查时间应为日期，如 2026-06-30。"))
        _within_period(project, due, "mid_term_due", _("中期检查时间"))
    before = audit.snapshot(project, ["officer", "supervisor", "mid_term_due"])
    project.officer = officer
    project.supervisor = (supervisor or "").strip()[:200]
    project.mid_term_due = due
    project.save(update_fields=["officer", "supervisor", "mid_term_due"])
    audit.record(
        "projects.officer_assigned",
        actor=actor,
        target=project,
        before=before,
        after=audit.snapshot(project, ["officer", "supervisor", "mid_term_due"]),
        now=now,
    )
    todos.officer_assigned(project, now=now)
    return project


# --- milestones and reports -------------------------------------------------------------------


@transaction.atomic(durable=True)
def add_milestone(*, actor, project_id: int, deliverable: str, due_date, now) -> Milestone:
    project = lock(Project.objects.all(), project_id)
    _require(is_officer(actor, project))
    if project.status not in (ProjectStatus.IN_PROGRESS, ProjectStatus.RECTIFYING):
        raise InvalidTransition(_("只有实施中的项目可以增加节点目标。"))
    deliverable = _text(deliverable, "deliverable", _("请填写节点目标与交付物。"), 200)
    due = _date(due_date, "due_date", _("请填写计划完成日期，如 2026-06-30。"))
    _within_period(project, due, "due_date", _("节点目标的计划完成日期"))
    milestone = Milestone.objects.create(project=project, deliverable=deliverable, due_date=due)
    audit.record(
        "projects.milestone_added",
        actor=actor,
        target=project,
        after={"milestone": milestone.pk, "deliverable": deliverable, "due_date": due},
        now=now,
    )
    return milestone


@transaction.atomic(durable=True)
def report_milestone(*, actor, milestone_id: int, body: str, now) -> ProgressReport:
    """The undertaker reports a milestone's deliverable; the officer confirms it."""
    milestone = Milestone.objects.select_related("project").filter(pk=milestone_id).first()
    if milestone is None:
        raise NotFound(_("记录不存在或已被删除。"))
    project = lock(Project.objects.all(), milestone.project_id)
    milestone = lock(Milestone.objects.all(), milestone_id)
    _require(is_undertaker(actor, project))
    if project.status not in (ProjectStatus.IN_PROGRESS, ProjectStatus.RECTIFYING):
        raise InvalidTransition(_("只有实施中的项目可以报告节点目标。"))
    if milestone.status != MilestoneStatus.PENDING:
        raise InvalidTransition(_("该节点目标已报告。"))
    _started(project, now)
    body = _text(body, "body", _("请填写节点完成情况。"), 5000)
    report = ProgressReport.objects.create(
        project=project, milestone=milestone, body=body, submitted_by=actor, submitted_at=now
    )
    milestone.status, milestone.reported_at = MilestoneStatus.REPORTED, now
    milestone.save(update_fields=["status", "reported_at"])
    audit.record(
        "projects.milestone_reported",
        actor=actor,
        target=project,
        after={"milestone": milestone.pk, "report": report.pk},
        now=now,
    )
    todos.milestone_reported(milestone, now=now)
    return report


@transaction.atomic(durable=True)
def decide_milestone(*, actor, milestone_id: int, confirm: bool, note: str = "", now) -> Milestone:
    """The officer confirms a reported milestone, or returns it with a reason (it waits again)."""
    milestone = Milestone.objects.filter(pk=milestone_id).first()
    if milestone is None:
        raise NotFound(_("记录不存在或已被删除。"))
    project = lock(Project.objects.all(), milestone.project_id)
    milestone = lock(Milestone.objects.all(), milestone_id)
    _require(is_officer(actor, project))
    if milestone.status != MilestoneStatus.REPORTED:
        raise InvalidTransition(_("该节点目标不在待确认状态。"))
    note = (note or "").strip()
    if not confirm and not note:
        raise _fail("note", _("退回时请填写理由。"))
    if confirm:
        milestone.status, milestone.confirmed_at = MilestoneStatus.CONFIRMED, now
    else:
        milestone.status, milestone.reported_at = MilestoneStatus.PENDING, None
    milestone.officer_note = note
    milestone.save(update_fields=["status", "confirmed_at", "reported_at", "officer_note"])
    after = {"milestone": milestone.pk, "note": note}
    if confirm:
        audit.record("projects.milestone_confirmed", actor=actor, target=project, after=after, now=now)
    else:
        audit.record("projects.milestone_returned", actor=actor, target=project, after=after, now=now)
    todos.milestone_decided(milestone, now=now)
    return milestone


@transaction.atomic(durable=True)
def submit_report(*, actor, project_id: int, body: str, now) -> ProgressReport:
    """A periodic progress report (进展报告) by the undertaker."""
    project = lock(Project.objects.all(), project_id)
    _require(is_undertaker(actor, project))
    if project.status not in (ProjectStatus.IN_PROGRESS, ProjectStatus.RECTIFYING):
        raise InvalidTransition(_("只有实施中的项目可以提交进展报告。"))
    _started(project, now)
    body = _text(body, "body", _("请填写报告内容。"), 5000)
    report = ProgressReport.objects.create(project=project, body=body, submitted_by=actor, submitted_at=now)
    audit.record(
        "projects.report_submitted", actor=actor, target=project, after={"report": report.pk}, now=now
    )
    todos.report_submitted(report, now=now)
    return report


# --- money --------------------------------------------------------------------------------------


def disbursed(project: Project) -> Decimal:
    return project.disbursements.aggregate(total=Sum("amount"))["total"] or Decimal("0.00")


@transaction.atomic(durable=True)
def record_disbursement(*, actor, project_id: int, amount, paid_on, note: str = "", now) -> Disbursement:
    """拨付: the project row is locked, the sum re-read, and a payment that would take the total
    past the approved amount is refused."""
    project = lock(Project.objects.all(), project_id)
    _require(may_disburse(actor, project))
    if project.status in (ProjectStatus.FAILED, ProjectStatus.TERMINATED):
        raise InvalidTransition(_("项目已终止或未通过验收，不能再拨付经费。"))
    amount = _amount(amount, "amount")
    day = _date(paid_on, "paid_on", _("请填写拨付日期，如 2026-06-30。"))
    if day > timezone.localdate(now):
        raise _fail("paid_on", _("拨付日期不能晚于今天。"))
    paid = disbursed(project)
    left = project.approved_amount - paid
    if amount > left:
        raise _fail(
            "amount",
            _("累计拨付不能超过立项资助金额%(approved)s（已拨付%(paid)s，尚可拨付%(left)s）。")
            % {
                "approved": format_yuan(project.approved_amount),
                "paid": format_yuan(paid),
                "left": format_yuan(left),
            },
        )
    payment = Disbursement.objects.create(
        project=project,
        amount=amount,
        paid_on=day,
        note=(note or "").strip()[:200],
        recorded_by=actor,
        recorded_at=now,
    )
    audit.record(
        "projects.disbursed",
        actor=actor,
        target=project,
        after={"amount": amount, "paid_on": day, "total": paid + amount},
        now=now,
    )
    return payment


# --- mid-term check -----------------------------------------------------------------------------

MID_TERM_MOVES = {
    MidTermConclusion.PASSED: ProjectStatus.IN_PROGRESS,
    MidTermConclusion.RECTIFY: ProjectStatus.RECTIFYING,
    MidTermConclusion.TERMINATE: ProjectStatus.TERMINATED,
}


def may_record_mid_term(project: Project) -> bool:
    """The mid-term check is recorded once; a project under 整改 is checked once more."""
    if project.status == ProjectStatus.RECTIFYING:
        return True
    return project.status == ProjectStatus.IN_PROGRESS and not project.mid_term_conclusion


@transaction.atomic(durable=True)
def record_mid_term(*, actor, project_id: int, conclusion: str, reason: str, now) -> Project:
    """中期检查: the officer records 通过 / 整改 / 终止 with reasons, once. A project under 整改 is
    checked again (通过 returns it to 实施中, 终止 ends it); any other second record is refused."""
    project = lock(Project.objects.all(), project_id)
    _require(is_officer(actor, project))
    if project.mid_term_conclusion and not may_record_mid_term(project):
        raise InvalidTransition(
            _("中期检查结论已于%(date)s记录（%(conclusion)s），不能重复记录。")
            % {
                "date": timezone.localdate(project.mid_term_at).isoformat() if project.mid_term_at else "",
                "conclusion": project.get_mid_term_conclusion_display(),
            }
        )
    if conclusion not in MID_TERM_MOVES:
        raise _fail("conclusion", _("请选择中期检查结论。"))
    reason = _text(reason, "reason", _("请填写中期检查意见。"), 5000)
    if timezone.localdate(now) < project.start_date:
        raise _fail("conclusion", _("项目尚未开始实施，不能进行中期检查。"))
    target = MID_TERM_MOVES[conclusion]
    if target != project.status:
        _move(project, target, OFFICER)
    elif target == ProjectStatus.RECTIFYING:
        raise _fail("conclusion", _("项目已在整改中，复查结论请选择“通过”或“终止”。"))
    before = audit.snapshot(project, ["status", "mid_term_conclusion"])
    project.mid_term_conclusion, project.mid_term_reason, project.mid_term_at = conclusion, reason, now
    project.save(update_fields=["status", "mid_term_conclusion", "mid_term_reason", "mid_term_at"])
    audit.record(
        "projects.mid_term_recorded",
        actor=actor,
        target=project,
        before=before,
        after=audit.snapshot(project, ["status", "mid_term_conclusion", "mid_term_reason"]),
        now=now,
    )
    todos.mid_term_recorded(project, now=now)
    return project


# --- acceptance (验收) --------------------------------------------------------------------------


@transaction.atomic(durable=True)
def submit_final_report(*, actor, project_id: int, title: str, abstract: str, body: str, now) -> Project:
    """The undertaker submits the final report (科技报告) and so asks for acceptance."""
    project = lock(Project.objects.all(), project_id)
    _require(is_undertaker(actor, project))
    if project.status != ProjectStatus.IN_PROGRESS:
        raise InvalidTransition(_("只有实施中的项目可以提交验收材料（整改中的项目须先通过中期复查）。"))
    _started(project, now)
    project.report_title = _text(title, "title", _("请填写科技报告题名。"), 200)
    project.report_abstract = _text(abstract, "abstract", _("请填写科技报告摘要。"), 2000)
    project.report_body = _text(body, "body", _("请填写科技报告正文。"), 100_000)
    project.report_submitted_at = now
    project.save(update_fields=["report_title", "report_abstract", "report_body", "report_submitted_at"])
    audit.record(
        "projects.final_report_submitted",
        actor=actor,
        target=project,
        after={"report_title": project.report_title},
        now=now,
    )
    todos.final_report_submitted(project, now=now)
    return project


def _party(project: Project):
    from zhouqiao.community.conflicts import Party

    return Party.of([project.undertaker_id])


def conflict_reasons(experts, project: Project, *, now) -> dict[int, str]:
    """Why each expert must not sit on this project's acceptance panel (``community.conflicts``:
    own organisation, declared organisations, collaboration with the undertaker in recent years)."""
    from zhouqiao.community.conflicts import ConflictIndex

    experts = list(experts)
    if not experts:
        return {}
    index = ConflictIndex.build(experts, now=now)
    party = _party(project)
    reasons = {}
    for expert in experts:
        reason = index.reason(expert.pk, party)
        if reason:
            reasons[expert.pk] = str(reason)
    return reasons


def eligible_experts(project: Project, *, now):
    """Approved, available experts with no conflict with the undertaker."""
    from zhouqiao.community.models import Expert, ExpertStatus

    candidates = list(
        Expert.objects.filter(status=ExpertStatus.APPROVED, available=True)
        .select_related("organisation")
        .order_by("name", "pk")[:500]
    )
    refused = conflict_reasons(candidates, project, now=now)
    return [e for e in candidates if e.pk not in refused]


@transaction.atomic(durable=True)
def form_panel(*, actor, project_id: int, expert_ids, due_date, now) -> Project:
    """The officer forms the acceptance panel (at least PANEL_MIN conflict-free experts) after the
    final report is in; the project moves to 验收中 and the experts are asked for their opinion."""
    from zhouqiao.community.models import Expert, ExpertStatus

    project = lock(Project.objects.all(), project_id)
    _require(is_officer(actor, project))
    if project.report_submitted_at is None:
        raise InvalidTransition(_("承担单位尚未提交科技报告（验收材料），不能组织验收。"))
    ids = sorted({int(pk) for pk in expert_ids or []})
    if len(ids) < PANEL_MIN:
        raise _fail("experts", _("验收专家组至少%(n)s人。") % {"n": PANEL_MIN})
    experts = list(
        Expert.objects.filter(pk__in=ids, status=ExpertStatus.APPROVED).select_related("organisation")
    )
    if len(experts) != len(ids):
        raise _fail("experts", _("所选专家不存在或未入库。"))
    refused = conflict_reasons(experts, project, now=now)
    for expert in experts:
        if expert.pk in refused:
            message = _("%(name)s须回避：%(reason)s。") % {"name": expert.name, "reason": refused[expert.pk]}
            raise _fail("experts", message)
    due = _date(due_date, "due_date", _("请填写验收意见截止日期，如 2026-06-30。"))
    if due < timezone.localdate(now):
        raise _fail("due_date", _("验收意见截止日期不能早于今天。"))
    _move(project, ProjectStatus.UNDER_ACCEPTANCE, OFFICER)
    project.acceptance_due = due
    project.save(update_fields=["status", "acceptance_due"])
    PanelMember.objects.bulk_create(
        [PanelMember(project=project, expert=expert, invited_at=now) for expert in experts]
    )
    audit.record(
        "projects.panel_formed",
        actor=actor,
        target=project,
        after={"experts": ids, "due_date": due},
        now=now,
    )
    todos.panel_formed(project, now=now)
    return project


@transaction.atomic(durable=True)
def record_opinion(*, actor, project_id: int, opinion: str, comment: str, now) -> PanelMember:
    project = lock(Project.objects.all(), project_id)
    seat = panel_seat(actor, project)
    _require(seat is not None)
    seat = lock(PanelMember.objects.all(), seat.pk)
    if project.status != ProjectStatus.UNDER_ACCEPTANCE:
        raise InvalidTransition(_("项目不在验收中。"))
    if seat.submitted_at is not None:
        raise InvalidTransition(_("您已提交验收意见。"))
    if opinion not in Opinion.values:
        raise _fail("opinion", _("请选择验收意见。"))
    seat.opinion = opinion
    seat.comment = _text(comment, "comment", _("请填写评价意见。"), 5000)
    seat.submitted_at = now
    seat.save(update_fields=["opinion", "comment", "submitted_at"])
    audit.record(
        "projects.opinion_recorded",
        actor=actor,
        target=project,
        after={"expert": seat.expert_id, "opinion": opinion},
        now=now,
    )
    todos.opinion_recorded(project, now=now)
    return seat


def opinions_missing(project: Project) -> int:
    """Panel members with an account who have not given their opinion yet."""
    return project.panel.filter(expert__user__isnull=False, submitted_at__isnull=True).count()


@transaction.atomic(durable=True)
def conclude_acceptance(
    *, actor, project_id: int, conclusion: str, reason: str, report_public_from=None, now
) -> Project:
    """The officer records the acceptance conclusion once the panel's opinions are in, and the date
    from which the final report is public (科技报告 embargo; today when left empty)."""
    project = lock(Project.objects.all(), project_id)
    _require(is_officer(actor, project))
    if conclusion not in AcceptanceConclusion.values:
        raise _fail("conclusion", _("请选择验收结论。"))
    reason = _text(reason, "reason", _("请填写验收意见。"), 5000)
    if project.status != ProjectStatus.UNDER_ACCEPTANCE:
        raise InvalidTransition(_("项目不在验收中。"))
    if opinions_missing(project):
        raise InvalidTransition(_("尚有验收专家未提交意见。"))
    today = timezone.localdate(now)
    public_from = None
    if conclusion == AcceptanceConclusion.PASSED:
        if report_public_from in (None, ""):
            public_from = today
        else:
            public_from = _date(
                report_public_from, "report_public_from", _("科技报告公开日期应为日期，如 2027-06-30。")
            )
            if public_from < today:
                raise _fail("report_public_from", _("科技报告公开日期不能早于验收日期。"))
    target = ProjectStatus.ACCEPTED if conclusion == AcceptanceConclusion.PASSED else ProjectStatus.FAILED
    _move(project, target, OFFICER)
    project.acceptance_conclusion, project.acceptance_reason = conclusion, reason
    project.accepted_at, project.report_public_from = now, public_from
    project.save(
        update_fields=[
            "status",
            "acceptance_conclusion",
            "acceptance_reason",
            "accepted_at",
            "report_public_from",
        ]
    )
    audit.record(
        "projects.acceptance_concluded",
        actor=actor,
        target=project,
        after=audit.snapshot(project, ["status", "acceptance_conclusion", "report_public_from"]),
        now=now,
    )
    todos.acceptance_concluded(project, now=now)
    return project


# --- after acceptance: 后补助 and the draft achievement ----------------------------------------


def post_subsidy_rules(project: Project):
    """The 后补助 event rules (003 #16) that could apply to the project's undertaker."""
    from zhouqiao.policy import engine
    from zhouqiao.policy.parameters import effective_packages

    return [
        rule
        for rule in engine.event_rules(effective_packages())
        if rule.trigger == POST_SUBSIDY_EVENT and engine.within(project.undertaker.region_id, rule.applies_to)
    ]


def post_subsidy_application(project: Project):
    """The policy application this project's acceptance produced, if any."""
    from zhouqiao.policy.models import Application

    return (
        Application.objects.filter(
            organisation_id=project.undertaker_id,
            event=POST_SUBSIDY_EVENT,
            event_reference__in=project.claim_references,
        )
        .order_by("-created_at")
        .first()
    )


def may_apply_post_subsidy(user, project: Project) -> bool:
    return (
        project.status == ProjectStatus.ACCEPTED
        and project.post_subsidy
        and is_undertaker(user, project)
        and bool(post_subsidy_rules(project))
        and post_subsidy_application(project) is None
    )


def apply_post_subsidy(*, actor, project_id: int, now):
    """后补助 (003 #16): the undertaker claims the acceptance through the policy engine's event rule;
    the acceptance (its date, the project number, the officer's conclusion) is the evidence. The
    policy service owns the transaction, the checks (verified unit, region, document in force,
    one claim per project) and the finance review."""
    from zhouqiao.policy import services as policy

    project = Project.objects.select_related("undertaker").filter(pk=project_id).first()
    if project is None:
        raise NotFound(_("记录不存在或已被删除。"))
    _require(is_undertaker(actor, project))
    if project.status != ProjectStatus.ACCEPTED or project.accepted_at is None:
        raise InvalidTransition(_("项目通过验收后才能申请后补助。"))
    if not project.post_subsidy:
        raise InvalidTransition(_("该项目所属计划不实行后补助。"))
    rules = post_subsidy_rules(project)
    if not rules:
        raise InvalidTransition(_("承担单位所在地区没有适用的后补助政策。"))
    if post_subsidy_application(project) is not None:
        raise Conflict(_("本项目已申请后补助。"), code="already_applied")
    statement = _(
        "项目“%(title)s”（%(call)s，立项资助%(amount)s，实施期%(start)s至%(end)s）于%(date)s通过验收。验收意见：%(reason)s"
    ) % {
        "title": project.title,
        "call": project.call_title,
        "amount": format_yuan(project.approved_amount),
        "start": project.start_date.isoformat(),
        "end": project.end_date.isoformat(),
        "date": timezone.localdate(project.accepted_at).isoformat(),
        "reason": project.acceptance_reason,
    }
    return policy.apply_for_event(
        actor=actor,
        organisation_id=project.undertaker_id,
        rule_id=rules[0].id,
        event_date=timezone.localdate(project.accepted_at),
        event_reference=project.reference,
        statement=statement,
        now=now,
        from_platform_record=True,
    )


def may_make_achievement(user, project: Project) -> bool:
    return (
        project.status == ProjectStatus.ACCEPTED
        and project.achievement_id is None
        and is_undertaker(user, project)
    )


def make_achievement_draft(*, actor, project_id: int, now):
    """One click: the accepted project's result becomes a draft achievement of the undertaker
    (catalog's own service writes it; the undertaker completes and submits it there)."""
    from zhouqiao.catalog import services as catalog
    from zhouqiao.catalog.models import TransferMode

    project = Project.objects.filter(pk=project_id).first()
    if project is None:
        raise NotFound(_("记录不存在或已被删除。"))
    _require(is_undertaker(actor, project))
    if project.status != ProjectStatus.ACCEPTED:
        raise InvalidTransition(_("项目通过验收后才能登记为科技成果。"))
    if project.achievement_id is not None:
        raise Conflict(_("该项目的成果已登记。"), code="already_created")
    abstract = project.report_abstract or project.summary or project.title
    data = {
        "title": project.report_title or project.title,
        "abstract": abstract,
        "readiness": 6,
        "keywords": project.keywords,
        "transfer_modes": [TransferMode.TRANSFER, TransferMode.LICENCE],
        "price_kind": "",
        "team": project.undertaker.name,
    }
    achievement = catalog.create_achievement(actor=actor, owner_id=project.undertaker_id, data=data, now=now)
    with transaction.atomic():
        linked = Project.objects.filter(pk=project.pk, achievement__isnull=True).update(
            achievement=achievement
        )
        if linked:
            audit.record(
                "projects.achievement_drafted",
                actor=actor,
                target=project,
                after={"achievement": achievement.pk},
                now=now,
            )
    return achievement
