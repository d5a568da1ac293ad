"""Funded projects: the public 立项信息公开 list and 科技报告, and the project's management page.

Views parse, call one service and render; every button shown is the check the service makes."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhouqiao.accounts import scope
from zhouqiao.accounts.models import Duty
from zhouqiao.core import clock
from zhouqiao.core.errors import DomainError
from zhouqiao.core.forms import show_domain_error
from zhouqiao.core.models import Region
from zhouqiao.programs.projects import forms, services
from zhouqiao.programs.projects.models import Milestone, Project
from zhouqiao.programs.projects.states import MilestoneStatus, ProjectStatus

PAGE = 20


def _filters(request):
    projects = Project.objects.public().select_related("undertaker", "region")
    cities = Region.objects.filter(
        code__in={code[:4] + "00" for code in Project.objects.values_list("region_id", flat=True)}
    ).order_by("code")
    years = sorted({d.year for d in Project.objects.dates("start_date", "year")}, reverse=True)
    form = forms.SearchForm(request.GET or None, regions=[(r.code, r.name) for r in cities], years=years)
    # Filter by what was asked even when it is not among today's choices (a year with no projects
    # shows none, not all).
    keyword = (request.GET.get("q") or "").strip()[:100]
    projects = projects.search(keyword)
    region = (request.GET.get("region") or "").strip()
    if region:
        projects = (
            projects.filter(region__code__startswith=region[:4]) if region.isdigit() else projects.none()
        )
    year = (request.GET.get("year") or "").strip()
    if year:
        projects = (
            projects.filter(start_date__year=int(year))
            if year.isdigit() and len(year) == 4
            else projects.none()
        )
    return form, projects, keyword


def project_list(request):
    """立项信息公开 (002 §23): every approved project, and the 科技报告 of accepted ones after
    their embargo, searchable."""
    form, projects, keyword = _filters(request)
    today = clock.local_date()
    reports = Project.objects.reports_public(today).select_related("undertaker")
    if keyword:
        reports = reports.filter(
            Q(report_title__icontains=keyword)
            | Q(report_abstract__icontains=keyword)
            | Q(report_body__icontains=keyword)
            | Q(title__icontains=keyword)
        )
    page = Paginator(projects, PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "projects/project_list.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "reports": reports.order_by("-report_public_from", "-pk")[:PAGE],
            "keyword": keyword,
            "today": today,
            "may_manage": request.user.is_authenticated and bool(_managed(request.user).exists()),
        },
    )


def public_report(request, pk):
    """The public page of one project: what was approved and, after the embargo, its 科技报告."""
    project = get_object_or_404(Project.objects.select_related("undertaker", "region"), pk=pk)
    today = clock.local_date()
    return render(
        request,
        "projects/public_project.html",
        {
            "project": project,
            "report_public": project.report_is_public(today),
            "may_view": services.may_view(request.user, project),
        },
    )


def _managed(user):
    """Projects the user acts on: staff of the jurisdiction, the undertaker, the panel."""
    query = (
        scope.region_q(user, "region", Duty.PROGRAM_OFFICER)
        | scope.region_q(user, "region", Duty.FINANCE)
        | Q(undertaker_id__in=scope.organisation_ids(user))
        | Q(panel__expert__user=user)
    )
    return Project.objects.filter(query).distinct()


@login_required
def manage_list(request):
    projects = _managed(request.user).select_related("undertaker", "officer").order_by("status", "-pk")
    page = Paginator(projects, PAGE).get_page(request.GET.get("page"))
    return render(request, "projects/manage_list.html", {"page": page})


def _officers(project):
    users = get_user_model().objects.filter(assignments__duty=Duty.PROGRAM_OFFICER, is_active=True).distinct()
    return [u for u in users.order_by("username") if scope.covers(u, project.region_id, Duty.PROGRAM_OFFICER)]


def _context(request, project, bound: dict | None = None) -> dict:
    user, now = request.user, clock.now()
    today = clock.local_date(now)
    bound = bound or {}
    officer = services.is_officer(user, project)
    undertaker = services.is_undertaker(user, project)
    active = project.status in (ProjectStatus.IN_PROGRESS, ProjectStatus.RECTIFYING)
    seat = services.panel_seat(user, project)
    milestones = list(project.milestones.all())
    for m in milestones:
        m.may_report = (
            undertaker and active and m.status == MilestoneStatus.PENDING and today >= project.start_date
        )
        m.may_decide = officer and m.status == MilestoneStatus.REPORTED
    ctx = {
        "project": project,
        "milestones": milestones,
        "reports": project.reports.select_related("milestone", "submitted_by")[:50],
        "disbursements": project.disbursements.all(),
        "disbursed": services.disbursed(project),
        "left": project.approved_amount - services.disbursed(project),
        "panel": project.panel.select_related("expert", "expert__organisation"),
        "is_officer": officer,
        "is_undertaker": undertaker,
        "seat": seat,
        "report_public": project.report_is_public(today),
        "post_subsidy_application": services.post_subsidy_application(project),
        "may_apply_post_subsidy": services.may_apply_post_subsidy(user, project),
        "may_make_achievement": services.may_make_achievement(user, project),
        "post_subsidy_rules": services.post_subsidy_rules(project) if project.post_subsidy else [],
        "opinions_missing": services.opinions_missing(project),
    }
    if services.is_program_staff(user, project) and project.status not in (
        ProjectStatus.ACCEPTED,
        ProjectStatus.FAILED,
        ProjectStatus.TERMINATED,
    ):
        ctx["assign_form"] = bound.get("assign") or forms.AssignForm(
            officers=_officers(project),
            initial={
                "officer": project.officer_id,
                "supervisor": project.supervisor,
                "mid_term_due": project.mid_term_due,
            },
        )
    if officer and active:
        ctx["milestone_form"] = bound.get("milestone") or forms.MilestoneForm()
    if officer and (services.may_record_mid_term(project) or "mid_term" in bound):  # or its refusal
        recheck = project.status == ProjectStatus.RECTIFYING
        ctx["mid_term_form"] = bound.get("mid_term") or forms.MidTermForm(recheck=recheck)
    if services.may_disburse(user, project) and project.status not in (
        ProjectStatus.FAILED,
        ProjectStatus.TERMINATED,
    ):
        ctx["disbursement_form"] = bound.get("disburse") or forms.DisbursementForm(initial={"paid_on": today})
    if undertaker and active and today >= project.start_date:
        ctx["report_form"] = bound.get("report") or forms.ReportForm()
    if undertaker and project.status == ProjectStatus.IN_PROGRESS and today >= project.start_date:
        ctx["final_form"] = bound.get("final") or forms.FinalReportForm(
            initial={"title": project.report_title or project.title}
        )
    if officer and project.status == ProjectStatus.IN_PROGRESS and project.report_submitted_at:
        ctx["panel_form"] = bound.get("panel") or forms.PanelForm(
            experts=services.eligible_experts(project, now=now)
        )
    if seat is not None and seat.submitted_at is None and project.status == ProjectStatus.UNDER_ACCEPTANCE:
        ctx["opinion_form"] = bound.get("opinion") or forms.OpinionForm()
    if officer and project.status == ProjectStatus.UNDER_ACCEPTANCE and not ctx["opinions_missing"]:
        ctx["conclusion_form"] = bound.get("conclude") or forms.ConclusionForm()
    return ctx


def _project(request, pk) -> Project:
    project = get_object_or_404(Project.objects.select_related("undertaker", "region", "officer"), pk=pk)
    if not services.may_view(request.user, project):
        raise Http404
    return project


@login_required
def project_detail(request, pk):
    project = _project(request, pk)
    return render(request, "projects/project_detail.html", _context(request, project))


def _run(request, project, key: str, form, call, done: str, *, fields=None):
    """Validate the form, call the service; on a refusal show the detail page with the form and
    the Chinese message under the field the service named (nothing was written)."""
    if form.is_valid():
        try:
            call(form.cleaned_data)
        except DomainError as exc:
            show_domain_error(form, exc, fields=fields)
        else:
            messages.success(request, done)
            return redirect("projects:project_detail", project.pk)
    return render(
        request, "projects/project_detail.html", _context(request, project, {key: form}), status=422
    )


@login_required
@require_POST
def project_action(request, pk, action):
    project = _project(request, pk)
    user, now, data = request.user, clock.now(), request.POST
    if action == "assign":
        form = forms.AssignForm(data, officers=_officers(project))
        return _run(
            request,
            project,
            "assign",
            form,
            lambda c: services.assign_officer(
                actor=user,
                project_id=project.pk,
                officer_id=int(c["officer"]),
                supervisor=c["supervisor"],
                mid_term_due=c["mid_term_due"],
                now=now,
            ),
            _("项目专员已指派。"),
        )
    if action == "milestone":
        return _run(
            request,
            project,
            "milestone",
            forms.MilestoneForm(data),
            lambda c: services.add_milestone(
                actor=user,
                project_id=project.pk,
                deliverable=c["deliverable"],
                due_date=c["due_date"],
                now=now,
            ),
            _("节点目标已添加。"),
        )
    if action == "report":
        return _run(
            request,
            project,
            "report",
            forms.ReportForm(data),
            lambda c: services.submit_report(actor=user, project_id=project.pk, body=c["body"], now=now),
            _("进展报告已提交。"),
        )
    if action == "disburse":
        return _run(
            request,
            project,
            "disburse",
            forms.DisbursementForm(data),
            lambda c: services.record_disbursement(
                actor=user,
                project_id=project.pk,
                amount=c["amount"],
                paid_on=c["paid_on"],
                note=c["note"],
                now=now,
            ),
            _("拨付已登记。"),
        )
    if action == "mid_term":
        return _run(
            request,
            project,
            "mid_term",
            forms.MidTermForm(data, recheck=project.status == ProjectStatus.RECTIFYING),
            lambda c: services.record_mid_term(
                actor=user, project_id=project.pk, conclusion=c["conclusion"], reason=c["reason"], now=now
            ),
            _("中期检查结论已记录。"),
        )
    if action == "final":
        return _run(
            request,
            project,
            "final",
            forms.FinalReportForm(data),
            lambda c: services.submit_final_report(
                actor=user,
                project_id=project.pk,
                title=c["title"],
                abstract=c["abstract"],
                body=c["body"],
                now=now,
            ),
            _("科技报告已提交，等待项目专员组织验收。"),
        )
    if action == "panel":
        form = forms.PanelForm(data, experts=services.eligible_experts(project, now=now))
        return _run(
            request,
            project,
            "panel",
            form,
            lambda c: services.form_panel(
                actor=user, project_id=project.pk, expert_ids=c["experts"], due_date=c["due_date"], now=now
            ),
            _("验收专家组已组建，已通知专家提交意见。"),
        )
    if action == "opinion":
        return _run(
            request,
            project,
            "opinion",
            forms.OpinionForm(data),
            lambda c: services.record_opinion(
                actor=user, project_id=project.pk, opinion=c["opinion"], comment=c["comment"], now=now
            ),
            _("验收意见已提交。"),
        )
    if action == "conclude":
        return _run(
            request,
            project,
            "conclude",
            forms.ConclusionForm(data),
            lambda c: services.conclude_acceptance(
                actor=user,
                project_id=project.pk,
                conclusion=c["conclusion"],
                reason=c["reason"],
                report_public_from=c["report_public_from"],
                now=now,
            ),
            _("验收结论已记录。"),
        )
    if action in ("post_subsidy", "achievement"):
        try:
            if action == "post_subsidy":
                application = services.apply_post_subsidy(actor=user, project_id=project.pk, now=now)
                messages.success(request, _("后补助申请已提交，等待财政部门评审。"))
                return redirect(reverse("policy:application_detail", args=[application.pk]))
            achievement = services.make_achievement_draft(actor=user, project_id=project.pk, now=now)
            messages.success(request, _("已生成科技成果草稿，请补充完善后提交审核。"))
            return redirect(reverse("catalog:achievement_edit", args=[achievement.pk]))
        except DomainError as exc:
            messages.error(request, exc.message)
            return redirect("projects:project_detail", project.pk)
    raise Http404


@login_required
@require_POST
def milestone_action(request, pk, action):
    milestone = get_object_or_404(Milestone, pk=pk)
    project = _project(request, milestone.project_id)
    user, now = request.user, clock.now()
    if action == "report":
        try:
            services.report_milestone(
                actor=user,
                milestone_id=milestone.pk,
                body=request.POST.get(f"m{milestone.pk}-body", ""),
                now=now,
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("节点完成情况已报告，等待项目专员确认。"))
        return redirect("projects:project_detail", project.pk)
    if action in ("confirm", "return"):
        note = request.POST.get(f"d{milestone.pk}-note", "")
        try:
            services.decide_milestone(
                actor=user, milestone_id=milestone.pk, confirm=action == "confirm", note=note, now=now
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("节点目标已确认。") if action == "confirm" else _("节点目标已退回。"))
        return redirect("projects:project_detail", project.pk)
    raise Http404
