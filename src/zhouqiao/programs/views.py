"""Pages of project calls: parse → one service or selector → render."""

import csv
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhouqiao.accounts import scope
from zhouqiao.accounts.models import Duty, Organisation, OrganisationKind
from zhouqiao.core import clock
from zhouqiao.core.errors import DomainError
from zhouqiao.core.forms import show_domain_error
from zhouqiao.core.models import Region
from zhouqiao.core.money import AmountError, parse_amount
from zhouqiao.programs import assignment as assigning
from zhouqiao.programs import forms, selectors, services, tasks
from zhouqiao.programs.models import Application, Attachment, Call, Objection, ReviewAssignment
from zhouqiao.programs.states import ApplicationStatus, AssignmentRun, CallStatus

FUNDED = (ApplicationStatus.APPROVED, ApplicationStatus.ESTABLISHED)


def _call_or_404(request, pk) -> Call:
    return get_object_or_404(selectors.visible_calls(request.user), pk=pk)


def _jurisdictions(user):
    return Region.objects.filter(
        code__in=list(
            user.assignments.filter(duty=Duty.PROGRAM_OFFICER).values_list("jurisdiction_id", flat=True)
        )
    )


def _departments(user) -> list[tuple[str, str]]:
    """The departments (主管部门) a program officer issues calls for: (jurisdiction code, the
    bureau's name). The bureau is the government organisation of the officer (or of another
    program officer of that jurisdiction), never the region's own name alone."""
    regions = list(_jurisdictions(user).order_by("code"))
    if not regions:
        return []
    own = set(scope.organisation_ids(user))
    rows = (
        Organisation.objects.filter(
            kind=OrganisationKind.GOVERNMENT,
            memberships__user__assignments__duty=Duty.PROGRAM_OFFICER,
            memberships__user__assignments__jurisdiction_id__in=[r.code for r in regions],
        )
        .values_list("memberships__user__assignments__jurisdiction_id", "pk", "name")
        .order_by("pk")
        .distinct()
    )
    bureaus: dict[str, str] = {}
    for code, pk, name in rows:
        if code not in bureaus or pk in own:  # the officer's own bureau first
            bureaus[code] = name
    return [
        (r.code, bureaus.get(r.code) or _("%(region)s科技管理部门") % {"region": r.name}) for r in regions
    ]


def _applying_organisations(user):
    """The user's organisations that may lead an application (a bureau does not apply to itself)."""
    return (
        Organisation.objects.filter(pk__in=scope.organisation_ids(user))
        .exclude(kind=OrganisationKind.GOVERNMENT)
        .order_by("pk")
    )


def call_list(request):
    calls = selectors.visible_calls(request.user).order_by("-opens_at", "-pk")
    is_officer = request.user.is_authenticated and scope.has_duty(request.user, Duty.PROGRAM_OFFICER)
    return render(request, "programs/call_list.html", {"calls": calls, "is_officer": is_officer})


@login_required
def call_create(request):
    departments = _departments(request.user)
    if not departments:
        raise Http404
    form = forms.CallForm(request.POST or None, departments=departments)
    if request.method == "POST" and form.is_valid():
        region = Region.objects.get(code=form.cleaned_data["jurisdiction"])
        try:
            call = services.create_call(
                actor=request.user,
                now=clock.now(),
                jurisdiction_id=region.code,
                **form.service_fields(region),
            )
        except DomainError as exc:
            show_domain_error(form, exc, fields={"closes_at": "closes_on"})
        else:
            messages.success(request, _("申报指南已保存为草稿，核对后请发布。"))
            return redirect("programs:call_detail", pk=call.pk)
    return render(request, "programs/call_form.html", {"form": form})


def call_detail(request, pk):
    call = _call_or_404(request, pk)
    return render(request, "programs/call_detail.html", _call_context(request, call))


def _call_context(request, call: Call) -> dict:
    now = clock.now()
    officer = services.is_officer(request.user, call)
    context = {
        "call": call,
        "officer": officer,
        "rules": services.eligibility_rules(call),
        "now": now,
        "accepting": call.status == CallStatus.OPEN and call.opens_at <= now < call.closes_at,
    }
    if request.user.is_authenticated:
        orgs = scope.organisation_ids(request.user)
        context["mine"] = call.applications.filter(lead_id__in=orgs).order_by("-pk") if orgs else []
        context["may_apply"] = context["accepting"] and _applying_organisations(request.user).exists()
    if officer:
        context["applications"] = call.applications.exclude(status=ApplicationStatus.DRAFT).select_related(
            "lead"
        )
        if call.status in (CallStatus.REVIEW, CallStatus.NOTICE, CallStatus.CLOSED):
            ranking = services.ranking(call)
            context["ranking"] = ranking
            context["approved_total"] = sum(
                (a.approved_amount or 0 for a in ranking if a.status in FUNDED), Decimal("0")
            )
            context["reviews_in"] = (
                ReviewAssignment.objects.filter(call=call).exclude(submitted_at=None).count()
            )
            context["reviews_all"] = ReviewAssignment.objects.filter(call=call).count()
            context["has_undecided"] = any(a.status == ApplicationStatus.ACCEPTED for a in ranking)
            if call.status == CallStatus.REVIEW and context["has_undecided"]:
                context["decision_blocker"] = services.decision_blocker(call)
        context["open_objections"] = Objection.objects.filter(
            application__call=call, answered_at=None
        ).count()
    if call.status in (CallStatus.NOTICE, CallStatus.CLOSED):
        notice = list(
            call.applications.filter(
                status__in=[ApplicationStatus.APPROVED, ApplicationStatus.ESTABLISHED]
            ).select_related("lead")
        )
        context["notice_open"] = (
            call.status == CallStatus.NOTICE and call.notice_ends_at and now < call.notice_ends_at
        )
        context["objection_form"] = forms.ObjectionForm()
        # The 异议 column: the officer sees how many objections each project has and how many wait
        # for an answer; a signed-in person sees the ones they raised (and may raise another).
        if officer or request.user.is_authenticated:
            rows = Objection.objects.filter(application__call=call)
            if not officer:
                rows = rows.filter(author=request.user)
            by_application = {}
            for application_id, answered_at in rows.values_list("application_id", "answered_at"):
                counts = by_application.setdefault(application_id, [0, 0])
                counts[0] += 1
                counts[1] += answered_at is None
            for a in notice:
                a.objections_raised, a.objections_open = by_application.get(a.pk, (0, 0))
        context["notice"] = notice
        context["objection_column"] = officer or (context["notice_open"] and request.user.is_authenticated)
    return context


def _officer_call(request, pk) -> Call:
    call = get_object_or_404(Call, pk=pk)
    if not services.is_officer(request.user, call):
        raise Http404
    return call


def _run(request, call, action, success):
    try:
        action()
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, success)
    return redirect("programs:call_detail", pk=call.pk)


@login_required
@require_POST
def call_publish(request, pk):
    call = _officer_call(request, pk)
    return _run(
        request,
        call,
        lambda: services.publish_call(actor=request.user, now=clock.now(), call_id=call.pk),
        _("指南已发布。"),
    )


@login_required
@require_POST
def call_start_review(request, pk):
    call = _officer_call(request, pk)
    return _run(
        request,
        call,
        lambda: services.start_review(actor=request.user, now=clock.now(), call_id=call.pk),
        _("申报已截止，进入评审阶段。"),
    )


@login_required
@require_POST
def call_assign(request, pk):
    call = _officer_call(request, pk)

    def start():
        assigning.start(actor=request.user, now=clock.now(), call_id=call.pk)
        actor_id = request.user.pk
        transaction.on_commit(lambda: tasks.assign_reviewers.enqueue(call.pk, actor_id))

    return _run(request, call, start, _("已开始分配评审专家，本页显示进度。"))


@login_required
def assignment_progress(request, pk):
    call = _officer_call(request, pk)
    return render(request, "programs/partials/assignment_progress.html", {"call": call})


@login_required
@require_POST
def call_approve(request, pk):
    call = _officer_call(request, pk)
    amounts, typed, error = {}, {}, None
    for application in call.applications.filter(status=ApplicationStatus.ACCEPTED):
        raw = (request.POST.get(f"amount_{application.pk}") or "").strip()[:40]
        typed[application.pk] = raw
        try:
            amounts[application.pk] = parse_amount(raw, units=True) if raw else None
        except AmountError as exc:
            error = error or _("“%(t)s”：%(m)s") % {"t": application.title, "m": exc}
    if error is None:
        try:
            services.approve(actor=request.user, now=clock.now(), call_id=call.pk, amounts=amounts)
        except DomainError as exc:
            error = str(exc.message)
        else:
            messages.success(request, _("拟立项项目及资助金额已确定。"))
            return redirect("programs:call_detail", pk=call.pk)
    # Refused: the page again with what was typed in every box and why, nothing saved.
    context = _call_context(request, call)
    if not context.get("ranking"):
        messages.error(request, error)
        return redirect("programs:call_detail", pk=call.pk)
    for application in context["ranking"]:
        application.typed_amount = typed.get(application.pk, "")
    if not context.get("decision_blocker"):  # a blocker is already said once, above the button
        context["approve_error"] = error
    return render(request, "programs/call_detail.html", context, status=422)


@login_required
@require_POST
def call_notice(request, pk):
    call = _officer_call(request, pk)
    return _run(
        request,
        call,
        lambda: services.publish_notice(actor=request.user, now=clock.now(), call_id=call.pk),
        _("拟立项项目已公示。"),
    )


@login_required
@require_POST
def call_establish(request, pk):
    call = _officer_call(request, pk)
    return _run(
        request,
        call,
        lambda: services.establish(actor=request.user, now=clock.now(), call_id=call.pk),
        _("已立项。"),
    )


# -- applications ----------------------------------------------------------------------------------
def _application_input(form) -> services.ApplicationInput:
    d = form.cleaned_data
    return services.ApplicationInput(
        title=d["title"],
        summary=d["summary"],
        plan=d["plan"],
        requested_amount=d["requested_amount"],
        project_start=d["project_start"],
        project_end=d["project_end"],
        category=d.get("category") or "",
        keywords=d["keywords"],
        discipline_id=d["discipline"],
        industry_id=d["industry"],
        rd_investment=d["rd_investment"],
        partners=d["partners"],
        team=d["team"],
        milestones=d["milestones"],
        budget_lines=d["budget_lines"],
    )


def _initial(application: Application) -> dict:
    return {
        "lead": application.lead_id,
        "title": application.title,
        "category": application.category,
        "discipline": application.discipline_id or "",
        "industry": application.industry_id or "",
        "keywords": application.keywords,
        "summary": application.summary,
        "plan": application.plan,
        "requested_amount": application.requested_amount,
        "rd_investment": application.rd_investment,
        "project_start": application.project_start,
        "project_end": application.project_end,
        "partners": "\n".join(
            f"{p.organisation.name}|{p.role}" for p in application.partners.select_related("organisation")
        ),
        "team": "\n".join(f"{m.name}|{m.title}|{m.role}" for m in application.team.all()),
        "milestones": "\n".join(f"{m.due.isoformat()}|{m.title}" for m in application.milestones.all()),
        "budget_lines": "\n".join(f"{b.item}|{b.amount}" for b in application.budget_lines.all()),
    }


@login_required
def application_form(request, call_pk, pk=None):
    call = _call_or_404(request, call_pk)
    application = None
    if pk is not None:
        application = get_object_or_404(Application, pk=pk, call=call)
        if not services.may_edit_application(request.user, application):
            raise Http404
    organisations = _applying_organisations(request.user)
    if not organisations:
        messages.error(request, _("请先加入或登记一个机构，再以机构名义申报。"))
        return redirect("programs:call_detail", pk=call.pk)
    initial = _initial(application) if application else {
        "project_start": call.project_start, "project_end": call.project_end, "lead": organisations[0].pk,
    }  # fmt: skip
    form = forms.ApplicationForm(
        request.POST or None, organisations=organisations, call=call, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.save_application(
                actor=request.user,
                now=clock.now(),
                call_id=call.pk,
                lead_id=int(form.cleaned_data["lead"]),
                data=_application_input(form),
                application_id=application.pk if application else None,
            )
        except DomainError as exc:
            show_domain_error(form, exc, fields={"rd_investment": "rd_investment"})
        else:
            messages.success(request, _("申报书已保存。请上传附件并核对后提交。"))
            return redirect("programs:application_detail", pk=saved.pk)
    return render(
        request, "programs/application_form.html", {"form": form, "call": call, "application": application}
    )


def _application_for(request, pk):
    application = get_object_or_404(
        Application.objects.select_related("call", "lead", "discipline", "industry"), pk=pk
    )
    role = selectors.role_for(request.user, application)
    if role is None:
        raise Http404
    return application, role


def application_detail(request, pk):
    application, role = _application_for(request, pk)
    call = application.call
    blind = selectors.blind_for(request.user, application, role)
    now = clock.now()
    attachments = list(application.attachments.all())
    context = {
        "application": application,
        "call": call,
        "role": role,
        "blind": blind,
        "attachments": [(a, selectors.attachment_name(application, a, blind=blind)) for a in attachments],
        "may_edit": services.may_edit_application(request.user, application),
        "may_submit": role == "applicant"
        and application.status in (ApplicationStatus.DRAFT, ApplicationStatus.RETURNED)
        and call.status == CallStatus.OPEN
        and now < call.closes_at,
    }
    if role == "officer":
        context["check_form"] = forms.FormalCheckForm()
        rows = list(application.assignments.select_related("expert__organisation", "application"))
        context["assignments"] = [(a, assigning.why(a)) for a in rows]
        context["recusals"] = list(application.recusals.select_related("expert__organisation"))
        if (
            call.status == CallStatus.REVIEW
            and application.status == ApplicationStatus.ACCEPTED
            and any(not a.submitted_at for a in rows)
        ):
            candidates = assigning.swap_candidates(application, now=now)
            context["candidates"] = candidates
            context["swap_form"] = forms.SwapForm(candidates=candidates)
        context["objections"] = application.objections.select_related("author")
        context["answer_form"] = forms.AnswerForm()
    if role == "reviewer":
        context["my_assignment"] = selectors.reviewer_assignment(request.user, application)
    if role in ("officer", "applicant"):
        context["attachment_form"] = forms.AttachmentForm()
    return render(request, "programs/application_detail.html", context)


@login_required
@require_POST
def application_submit(request, pk):
    application = get_object_or_404(Application, pk=pk)
    try:
        services.submit_application(actor=request.user, now=clock.now(), application_id=application.pk)
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("申报书已提交，等待形式审查。"))
    return redirect("programs:application_detail", pk=application.pk)


@login_required
@require_POST
def application_check(request, pk):
    application = get_object_or_404(Application, pk=pk)
    form = forms.FormalCheckForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择审查结论。"))
    else:
        try:
            services.formal_check(
                actor=request.user,
                now=clock.now(),
                application_id=application.pk,
                accept=form.cleaned_data["decision"] == "accept",
                reason=form.cleaned_data["reason"],
            )
        except DomainError as exc:
            messages.error(request, str(exc.message))
        else:
            messages.success(request, _("形式审查结论已保存。"))
    return redirect("programs:application_detail", pk=application.pk)


@login_required
@require_POST
def attachment_upload(request, pk):
    application = get_object_or_404(Application, pk=pk)
    form = forms.AttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("请选择要上传的文件。"))
    else:
        try:
            services.add_attachment(
                actor=request.user,
                now=clock.now(),
                application_id=application.pk,
                upload=form.cleaned_data["file"],
            )
        except DomainError as exc:
            messages.error(request, str(exc.message))
        else:
            messages.success(request, _("附件已上传。"))
    return redirect("programs:application_detail", pk=application.pk)


def attachment_download(request, pk):
    from zhouqiao.catalog import files

    attachment = get_object_or_404(
        Attachment.objects.select_related("application__call", "application__lead"), pk=pk
    )
    application, role = _application_for(request, attachment.application_id)
    name = selectors.attachment_name(
        application, attachment, blind=selectors.blind_for(request.user, application, role)
    )
    try:
        handle = open(files.stored_path("programs", attachment.stored_name), "rb")  # noqa: SIM115
    except (FileNotFoundError, DomainError):
        raise Http404 from None
    return FileResponse(handle, as_attachment=True, filename=name, content_type=attachment.content_type)


# -- review ------------------------------------------------------------------------------------------
@login_required
def my_reviews(request):
    rows = selectors.my_assignments(request.user)
    return render(request, "programs/my_reviews.html", {"rows": rows})


@login_required
def my_reviews_export(request):
    """The reviewer's own assignments and scores as CSV: codes and titles only, never applicants."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="my-reviews.csv"'
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow([_("项目编号"), _("项目名称"), _("申报指南"), _("总分"), _("评审意见"), _("提交时间")])
    for a in selectors.my_assignments(request.user):
        writer.writerow(
            [a.application.code, a.application.title, a.call.title, a.total or "", a.comment,
             a.submitted_at.strftime("%Y-%m-%d %H:%M") if a.submitted_at else ""]
        )  # fmt: skip
    return response


@login_required
def review(request, pk):
    assignment = get_object_or_404(
        ReviewAssignment.objects.select_related(
            "application__call", "application__discipline", "application__industry", "call"
        ),
        pk=pk,
        expert__user=request.user,
    )
    application, call = assignment.application, assignment.call
    open_for_review = call.status == CallStatus.REVIEW and application.status == ApplicationStatus.ACCEPTED
    initial = {f"score_{i}": s for i, s in enumerate(assignment.scores or [])} | {
        "comment": assignment.comment
    }
    form = forms.ReviewForm(request.POST or None, rubric=call.rubric, initial=initial)
    if request.method == "POST" and open_for_review and form.is_valid():
        try:
            services.submit_review(
                actor=request.user,
                now=clock.now(),
                assignment_id=assignment.pk,
                scores=form.scores(),
                comment=form.cleaned_data["comment"],
            )
        except DomainError as exc:
            show_domain_error(form, exc)
        else:
            messages.success(request, _("评审意见已提交。"))
            return redirect("programs:my_reviews")
    blind = call.blind
    attachments = list(application.attachments.all())
    return render(
        request,
        "programs/review.html",
        {
            "assignment": assignment,
            "application": application,
            "call": call,
            "blind": blind,
            "form": form,
            "open_for_review": open_for_review,
            "recusal_form": forms.RecusalForm(),
            "attachments": [(a, selectors.attachment_name(application, a, blind=blind)) for a in attachments],
        },
    )


@login_required
@require_POST
def assignment_swap(request, pk):
    assignment = get_object_or_404(ReviewAssignment.objects.select_related("call"), pk=pk)
    if not services.is_officer(request.user, assignment.call):
        raise Http404
    try:
        expert_id = int(request.POST.get("expert", ""))
    except ValueError:
        messages.error(request, _("请选择已入库的专家。"))
        return redirect("programs:application_detail", pk=assignment.application_id)
    try:
        assigning.swap(actor=request.user, now=clock.now(), assignment_id=assignment.pk, expert_id=expert_id)
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("评审专家已更换。"))
    return redirect("programs:application_detail", pk=assignment.application_id)


@login_required
@require_POST
def assignment_recuse(request, pk):
    assignment = get_object_or_404(ReviewAssignment, pk=pk, expert__user=request.user)
    form = forms.RecusalForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请写明回避理由（至少5个字）。"))
        return redirect("programs:review", pk=assignment.pk)
    try:
        assigning.recuse(
            actor=request.user,
            now=clock.now(),
            assignment_id=assignment.pk,
            reason=form.cleaned_data["reason"],
        )
    except DomainError as exc:
        messages.error(request, str(exc.message))
        return redirect("programs:review", pk=assignment.pk)
    messages.success(request, _("已申请回避，本项评审任务已取消，项目管理人员将另行分配专家。"))
    return redirect("programs:my_reviews")


# -- notice ---------------------------------------------------------------------------------------------
@login_required
@require_POST
def objection_create(request, pk):
    application = get_object_or_404(Application, pk=pk)
    form = forms.ObjectionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请写明异议理由（至少5个字）。"))
    else:
        try:
            services.object_to(
                actor=request.user,
                now=clock.now(),
                application_id=application.pk,
                reason=form.cleaned_data["reason"],
            )
        except DomainError as exc:
            messages.error(request, str(exc.message))
        else:
            messages.success(request, _("异议已提交，主管部门将予以答复。"))
    return redirect("programs:call_detail", pk=application.call_id)


@login_required
@require_POST
def objection_answer(request, pk):
    objection = get_object_or_404(Objection, pk=pk)
    form = forms.AnswerForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写处理意见。"))
    else:
        try:
            services.answer_objection(
                actor=request.user,
                now=clock.now(),
                objection_id=objection.pk,
                answer=form.cleaned_data["answer"],
                upheld=form.cleaned_data["upheld"],
            )
        except DomainError as exc:
            messages.error(request, str(exc.message))
        else:
            messages.success(request, _("异议处理意见已保存。"))
    return redirect("programs:application_detail", pk=objection.application_id)


__all__ = ["AssignmentRun", "ValidationError"]
