"""揭榜挂帅 pages: parse → one service or selector → render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhouqiao.accounts import scope
from zhouqiao.accounts.models import Duty, Organisation
from zhouqiao.accounts.states import VerificationStatus
from zhouqiao.core import clock
from zhouqiao.core.errors import DomainError, NotFound
from zhouqiao.core.forms import show_domain_error
from zhouqiao.core.models import Region
from zhouqiao.programs.challenges import selectors, services
from zhouqiao.programs.challenges.forms import (
    AcceptanceForm,
    AttachmentForm,
    BoardFilterForm,
    ChallengeForm,
    IndicatorFormSet,
    MilestoneFormSet,
    ProposalForm,
    ReasonForm,
    RecusalForm,
    ReportForm,
    ScoreForm,
)
from zhouqiao.programs.challenges.models import ChallengeAttachment, Milestone
from zhouqiao.programs.challenges.states import (
    EDITABLE,
    PUBLIC,
    ChallengeStatus,
    MilestoneStatus,
    ProposalStatus,
)

PAGE_SIZE = 20


def _challenge(user, pk):
    try:
        return selectors.get_challenge(user, pk)
    except NotFound as exc:
        raise Http404 from exc


def _proposal(user, pk):
    try:
        return selectors.get_proposal(user, pk)
    except NotFound as exc:
        raise Http404 from exc


def _postable_organisations(user) -> list[Organisation]:
    return [
        o
        for o in Organisation.objects.filter(
            pk__in=scope.organisation_ids(user), status=VerificationStatus.VERIFIED
        )
        if services.may_post(user, o)
    ]


def board(request):
    """The public 榜单 with status and filters; above it what concerns the signed-in person."""
    user = request.user
    cities = [
        (r.code, r.name) for r in Region.objects.filter(level="city", code__startswith="22").order_by("code")
    ]
    form = BoardFilterForm(request.GET or None, regions=cities)
    rows = selectors.visible_challenges(user).filter(status__in=PUBLIC).prefetch_related("indicators")
    if form.is_valid():
        f = form.cleaned_data
        if f["q"]:
            rows = rows.filter(
                Q(title__icontains=f["q"]) | Q(summary__icontains=f["q"]) | Q(owner__name__icontains=f["q"])
            )
        if f["status"]:
            rows = rows.filter(status=f["status"])
        if f["region"]:
            rows = rows.filter(region__code__startswith=f["region"][:4])
    page = Paginator(rows.order_by("-published_at", "-pk"), PAGE_SIZE).get_page(request.GET.get("page"))
    mine, queue = [], []
    if user.is_authenticated:
        own = scope.organisation_ids(user)
        if own:
            mine = list(
                selectors.visible_challenges(user).filter(owner_id__in=own).order_by("-created_at")[:20]
            )
        if scope.has_duty(user, Duty.PROGRAM_OFFICER):
            queue = list(
                selectors.visible_challenges(user)
                .filter(
                    scope.region_q(user, "region", Duty.PROGRAM_OFFICER),
                    status__in=[
                        ChallengeStatus.PENDING_REVIEW,
                        ChallengeStatus.OPEN,
                        ChallengeStatus.REVIEWING,
                    ],
                )
                .order_by("status", "deadline")[:50]
            )
    counts = dict.fromkeys(PUBLIC, 0)
    for status in (
        selectors.visible_challenges(user).filter(status__in=PUBLIC).values_list("status", flat=True)
    ):
        counts[status] += 1
    return render(
        request,
        "challenges/board.html",
        {
            "form": form,
            "page": page,
            "mine": mine,
            "queue": queue,
            "may_post": bool(user.is_authenticated and _postable_organisations(user)),
            "counts": [(ChallengeStatus(s).label, n) for s, n in counts.items()],
        },
    )


def _challenge_data(form, indicators) -> dict:
    data = dict(form.cleaned_data)
    data["indicators"] = [f.cleaned_data for f in indicators.forms if hasattr(f, "cleaned_data")]
    return data


@login_required
def challenge_new(request):
    from zhouqiao.catalog.models import Demand
    from zhouqiao.catalog.states import RecordStatus

    organisations = _postable_organisations(request.user)
    if not organisations:
        raise PermissionDenied
    wanted = request.GET.get("organisation") or request.POST.get("organisation")
    organisation = next((o for o in organisations if str(o.pk) == wanted), organisations[0])
    government = organisation.kind == "government"
    demands = list(
        Demand.objects.filter(owner=organisation, status=RecordStatus.PUBLISHED).order_by("-published_at")[
            :200
        ]
    )
    initial = {}
    chosen = next((d for d in demands if str(d.pk) == request.GET.get("demand")), None)
    if chosen is not None:
        initial = {"demand_id": chosen.pk, "title": chosen.title, "summary": chosen.summary}
    form = ChallengeForm(request.POST or None, initial=initial, demands=demands, government=government)
    indicators = IndicatorFormSet(request.POST or None, prefix="ind")
    if request.method == "POST" and form.is_valid() and indicators.is_valid():
        try:
            challenge = services.create_challenge(
                actor=request.user,
                organisation_id=organisation.pk,
                data=_challenge_data(form, indicators),
                now=clock.now(),
            )
        except DomainError as exc:
            show_domain_error(form, exc)
        else:
            messages.success(request, _("榜单草稿已保存，请核对后提交审核。"))
            return redirect("challenges:detail", challenge.pk)
    return render(
        request,
        "challenges/challenge_form.html",
        {
            "form": form,
            "indicators": indicators,
            "organisation": organisation,
            "organisations": organisations,
            "challenge": None,
        },
    )


@login_required
def challenge_edit(request, pk):
    from zhouqiao.catalog.models import Demand
    from zhouqiao.catalog.states import RecordStatus

    challenge = _challenge(request.user, pk)
    if not services.is_owner(request.user, challenge) or challenge.status not in EDITABLE:
        raise PermissionDenied
    government = challenge.owner.kind == "government"
    demands = list(
        Demand.objects.filter(owner=challenge.owner, status=RecordStatus.PUBLISHED).order_by("-published_at")[
            :200
        ]
    )
    initial = {
        "demand_id": challenge.demand_id,
        "title": challenge.title,
        "summary": challenge.summary,
        "investment": challenge.investment,
        "reward": challenge.reward,
        "deadline": challenge.deadline.isoformat(),
        "completion_date": challenge.completion_date.isoformat(),
        "eligibility": challenge.eligibility,
    }
    form = ChallengeForm(request.POST or None, initial=initial, demands=demands, government=government)
    indicators = IndicatorFormSet(
        request.POST or None,
        prefix="ind",
        initial=[
            {
                "name": i.name,
                "target": i.target_text,
                "unit": i.unit,
                "direction": i.direction,
                "method": i.method,
            }
            for i in challenge.indicators.all()
        ],
    )
    if request.method == "POST" and form.is_valid() and indicators.is_valid():
        try:
            services.update_challenge(
                actor=request.user,
                challenge_id=challenge.pk,
                data=_challenge_data(form, indicators),
                now=clock.now(),
            )
        except DomainError as exc:
            show_domain_error(form, exc)
        else:
            messages.success(request, _("榜单已修改。"))
            return redirect("challenges:detail", challenge.pk)
    return render(
        request,
        "challenges/challenge_form.html",
        {
            "form": form,
            "indicators": indicators,
            "organisation": challenge.owner,
            "organisations": [],
            "challenge": challenge,
        },
    )


def challenge_detail(request, pk):
    user = request.user
    challenge = _challenge(user, pk)
    owner = services.is_owner(user, challenge)
    officer = services.is_officer(user, challenge)
    panel_expert = services.is_panel_expert(user, challenge)
    proposals = list(
        selectors.proposals_for(user, challenge).prefetch_related("scores__expert", "committed__indicator")
    )
    show_scores = selectors.may_see_scores(user, challenge)
    expert = services.expert_of(user) if panel_expert else None
    for p in proposals:
        scores = list(p.scores.all())
        p.shown_scores = scores if show_scores else [s for s in scores if expert and s.expert_id == expert.pk]
        p.mean_score = round(sum(s.score for s in scores) / len(scores), 1) if scores else None
        p.my_score = next((s for s in scores if expert and s.expert_id == expert.pk), None)
    attachments = [a for a in challenge.attachments.all() if services.may_download(user, a)]
    leads = []
    if user.is_authenticated and challenge.status == ChallengeStatus.OPEN:
        leads = [o for o in services.team_organisations(user) if services.eligible(challenge, o)]
    suggestions = []
    if officer and challenge.status in (ChallengeStatus.OPEN, ChallengeStatus.REVIEWING):
        suggestions = services.suggested_experts(challenge, now=clock.now())
    acceptances = list(
        challenge.acceptances.prefetch_related("measurements__indicator").select_related(
            "witness", "subsidy_application"
        )
    )
    selected = challenge.selected_proposal
    public_count = challenge.proposals.exclude(status=ProposalStatus.WITHDRAWN).count()
    return render(
        request,
        "challenges/detail.html",
        {
            "challenge": challenge,
            "indicators": list(challenge.indicators.all()),
            "proposals": proposals,
            "public_count": public_count,
            "selected": selected,
            "is_owner": owner,
            "is_officer": officer,
            "show_scores": show_scores,
            "panel_expert": panel_expert,
            "panel": list(challenge.panel.select_related("expert__organisation")),
            "recusals": list(challenge.recusals.select_related("expert", "proposal__lead"))
            if officer
            else [],
            "suggestions": suggestions,
            "attachments": attachments,
            "hidden_attachments": challenge.attachments.count() - len(attachments),
            "leads": leads,
            "may_submit": services.may_move(user, challenge, ChallengeStatus.PENDING_REVIEW)
            if user.is_authenticated
            else False,
            "may_review": user.is_authenticated and services.may_move(user, challenge, ChallengeStatus.OPEN),
            "may_close": officer
            and challenge.status == ChallengeStatus.OPEN
            and services.may_move(user, challenge, ChallengeStatus.REVIEWING),
            "closes_early": services.closes_early(challenge, now=clock.now()),
            "may_select": services.may_select(user, challenge) if user.is_authenticated else False,
            "may_edit": owner and challenge.status in EDITABLE,
            "may_attach": owner and challenge.status in (*EDITABLE, ChallengeStatus.OPEN),
            "may_accept": owner and services.ready_for_acceptance(challenge),
            "acceptances": acceptances,
            "may_apply": [
                a.pk for a in acceptances if user.is_authenticated and services.may_apply_subsidy(user, a)
            ],
            "reason_form": ReasonForm(),
            "score_form": ScoreForm(),
            "attachment_form": AttachmentForm(),
        },
    )


def _act(request, pk, action, success):
    try:
        action()
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, success)
    return redirect("challenges:detail", pk)


@login_required
@require_POST
def challenge_submit(request, pk):
    challenge = _challenge(request.user, pk)
    return _act(
        request,
        pk,
        lambda: services.submit_challenge(actor=request.user, challenge_id=challenge.pk, now=clock.now()),
        _("榜单已提交科技管理部门审核。"),
    )


@login_required
@require_POST
def challenge_review(request, pk, decision):
    challenge = _challenge(request.user, pk)
    publish = decision == "publish"
    return _act(
        request,
        pk,
        lambda: services.review_challenge(
            actor=request.user,
            challenge_id=challenge.pk,
            publish=publish,
            reason=request.POST.get("reason", ""),
            now=clock.now(),
        ),
        _("榜单已发布到揭榜挂帅榜单。") if publish else _("榜单已退回发榜单位修改。"),
    )


@login_required
@require_POST
def challenge_close(request, pk):
    challenge = _challenge(request.user, pk)
    return _act(
        request,
        pk,
        lambda: services.close_collection(
            actor=request.user,
            challenge_id=challenge.pk,
            reason=request.POST.get("reason", ""),
            confirm=request.POST.get("confirm") == "1",
            now=clock.now(),
        ),
        _("征集已结束。"),
    )


@login_required
@require_POST
def panel_add(request, pk):
    challenge = _challenge(request.user, pk)
    try:
        expert_id = int(request.POST.get("expert_id") or 0)
    except ValueError:
        expert_id = 0
    return _act(
        request,
        pk,
        lambda: services.assign_expert(
            actor=request.user,
            challenge_id=challenge.pk,
            expert_id=expert_id,
            reason=request.POST.get("reason", ""),
            now=clock.now(),
        ),
        _("已邀请专家参加评审。"),
    )


@login_required
@require_POST
def unawarded(request, pk):
    challenge = _challenge(request.user, pk)
    return _act(
        request,
        pk,
        lambda: services.declare_unawarded(
            actor=request.user,
            challenge_id=challenge.pk,
            reason=request.POST.get("reason", ""),
            now=clock.now(),
        ),
        _("榜单已结束：未揭榜。"),
    )


@login_required
@require_POST
def attachment_upload(request, pk):
    challenge = _challenge(request.user, pk)
    form = AttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("请选择要上传的附件。"))
        return redirect("challenges:detail", pk)
    upload = form.cleaned_data["file"]
    return _act(
        request,
        pk,
        lambda: services.add_attachment(
            actor=request.user,
            challenge_id=challenge.pk,
            content=upload.read(),
            filename=upload.name,
            confidential=form.cleaned_data["confidential"],
            now=clock.now(),
        ),
        _("附件已上传。"),
    )


def attachment_download(request, pk):
    attachment = ChallengeAttachment.objects.select_related("challenge").filter(pk=pk).first()
    if attachment is None:
        raise Http404
    _challenge(request.user, attachment.challenge_id)
    if not services.may_download(request.user, attachment):
        raise Http404
    return FileResponse(attachment.file.open("rb"), as_attachment=True, filename=attachment.original_name)


@login_required
def proposal_new(request, pk):
    user = request.user
    challenge = _challenge(user, pk)
    leads = [o for o in services.team_organisations(user) if services.eligible(challenge, o)]
    if challenge.status != ChallengeStatus.OPEN or not leads:
        raise PermissionDenied
    partners = (
        Organisation.objects.filter(status=VerificationStatus.VERIFIED)
        .exclude(kind="government")
        .exclude(pk=challenge.owner_id)
        .order_by("name")[:500]
    )
    indicators = list(challenge.indicators.all())
    form = ProposalForm(request.POST or None, leads=leads, partners=partners, indicators=indicators)
    milestones = MilestoneFormSet(request.POST or None, prefix="ms")
    if request.method == "POST" and form.is_valid() and milestones.is_valid():
        data = dict(form.cleaned_data)
        data["committed"] = form.committed()
        data["milestones"] = [f.cleaned_data for f in milestones.forms if hasattr(f, "cleaned_data")]
        try:
            proposal = services.submit_proposal(
                actor=user, challenge_id=challenge.pk, lead_id=data["lead_id"], data=data, now=clock.now()
            )
        except DomainError as exc:
            show_domain_error(form, exc, fields={"committed": "__all__"})
            if not form.errors:
                form.add_error(None, str(exc.message))
        else:
            messages.success(request, _("揭榜方案已提交。"))
            return redirect("challenges:proposal", proposal.pk)
    return render(
        request,
        "challenges/proposal_form.html",
        {"challenge": challenge, "form": form, "milestones": milestones, "indicators": indicators},
    )


def proposal_detail(request, pk):
    user = request.user
    proposal = _proposal(user, pk)
    challenge = proposal.challenge
    owner = services.is_owner(user, challenge)
    team = services.is_team(user, proposal)
    expert = services.expert_of(user) if services.is_panel_expert(user, challenge) else None
    show_scores = selectors.may_see_scores(user, challenge)
    scores = list(proposal.scores.select_related("expert__organisation"))
    running = proposal.status == ProposalStatus.SELECTED and challenge.status in (
        ChallengeStatus.AWARDED,
        ChallengeStatus.IN_PROGRESS,
    )
    return render(
        request,
        "challenges/proposal.html",
        {
            "proposal": proposal,
            "challenge": challenge,
            "committed": list(proposal.committed.select_related("indicator")),
            "milestones": list(proposal.milestones.all()),
            "partners": list(proposal.partners.all()),
            "members": [line.strip() for line in proposal.members.splitlines() if line.strip()],
            "scores": scores if show_scores else [s for s in scores if expert and s.expert_id == expert.pk],
            "show_scores": show_scores,
            "show_duplicates": services.is_officer(user, challenge),
            "may_score": expert is not None and challenge.status == ChallengeStatus.REVIEWING,
            "my_score": next((s for s in scores if expert and s.expert_id == expert.pk), None),
            "may_select": services.may_select(user, challenge)
            and proposal.status == ProposalStatus.SUBMITTED,
            "may_report": team and running,
            "may_decide": owner and running,
            "contract_url": reverse("contracts:detail", args=[challenge.contract_id])
            if challenge.contract_id and proposal.status == ProposalStatus.SELECTED and (owner or team)
            else "",
            "score_form": ScoreForm(),
            "may_recuse": expert is not None and services.may_recuse(user, challenge),
            "recusal_form": RecusalForm(),
            "reason_form": ReasonForm(),
            "report_form": ReportForm(),
            "reportable": (MilestoneStatus.PLANNED, MilestoneStatus.RETURNED),
        },
    )


def _to_proposal(request, pk, action, success):
    try:
        action()
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, success)
    return redirect("challenges:proposal", pk)


@login_required
@require_POST
def proposal_score(request, pk):
    proposal = _proposal(request.user, pk)
    return _to_proposal(
        request,
        pk,
        lambda: services.score_proposal(
            actor=request.user,
            proposal_id=proposal.pk,
            score=request.POST.get("score", ""),
            comment=request.POST.get("comment", ""),
            now=clock.now(),
        ),
        _("评分已保存。"),
    )


@login_required
@require_POST
def proposal_recuse(request, pk):
    proposal = _proposal(request.user, pk)
    form = RecusalForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请写明回避理由（至少5个字）。"))
        return redirect("challenges:proposal", pk)
    try:
        services.recuse(
            actor=request.user, proposal_id=proposal.pk, reason=form.cleaned_data["reason"], now=clock.now()
        )
    except DomainError as exc:
        messages.error(request, str(exc.message))
        return redirect("challenges:proposal", pk)
    messages.success(request, _("已申请回避：您已退出本榜单的评审组，项目管理人员将补充评审专家。"))
    return redirect("challenges:detail", proposal.challenge_id)


@login_required
@require_POST
def proposal_select(request, pk):
    proposal = _proposal(request.user, pk)
    try:
        services.select_proposal(
            actor=request.user,
            proposal_id=proposal.pk,
            reason=request.POST.get("reason", ""),
            now=clock.now(),
        )
    except DomainError as exc:
        messages.error(request, str(exc.message))
        return redirect("challenges:proposal", pk)
    messages.success(request, _("已选定揭榜方，并生成技术开发合同草稿。"))
    return redirect("challenges:detail", proposal.challenge_id)


def _milestone(user, pk) -> Milestone:
    milestone = Milestone.objects.filter(pk=pk).first()
    if milestone is None:
        raise Http404
    _proposal(user, milestone.proposal_id)
    return milestone


@login_required
@require_POST
def milestone_report(request, pk):
    milestone = _milestone(request.user, pk)
    return _to_proposal(
        request,
        milestone.proposal_id,
        lambda: services.report_milestone(
            actor=request.user,
            milestone_id=milestone.pk,
            report=request.POST.get("report", ""),
            now=clock.now(),
        ),
        _("交付已报告，等待发榜单位确认。"),
    )


@login_required
@require_POST
def milestone_decide(request, pk, decision):
    milestone = _milestone(request.user, pk)
    accept = decision == "accept"
    return _to_proposal(
        request,
        milestone.proposal_id,
        lambda: services.decide_milestone(
            actor=request.user,
            milestone_id=milestone.pk,
            accept=accept,
            reason=request.POST.get("reason", ""),
            now=clock.now(),
        ),
        _("里程碑已确认。") if accept else _("里程碑已退回。"),
    )


@login_required
def acceptance_new(request, pk):
    from zhouqiao.community.models import Expert, ExpertStatus

    challenge = _challenge(request.user, pk)
    if not services.is_owner(request.user, challenge) or not services.ready_for_acceptance(challenge):
        raise PermissionDenied
    proposal = challenge.selected_proposal
    committed = list(proposal.committed.select_related("indicator"))
    experts = list(challenge.panel.select_related("expert__organisation").values_list("expert", flat=True))
    experts = Expert.objects.filter(pk__in=experts, status=ExpertStatus.APPROVED).select_related(
        "organisation"
    )
    form = AcceptanceForm(request.POST or None, committed=committed, experts=experts)
    if request.method == "POST" and form.is_valid():
        try:
            acceptance = services.accept_challenge(
                actor=request.user,
                challenge_id=challenge.pk,
                measured=form.measured(),
                note=form.cleaned_data["note"],
                witness_id=form.cleaned_data.get("witness_id"),
                now=clock.now(),
            )
        except DomainError as exc:
            show_domain_error(form, exc, fields={"measured": "__all__"})
            if not form.errors:
                form.add_error(None, str(exc.message))
        else:
            if acceptance.passed:
                messages.success(request, _("验收通过。"))
            else:
                messages.error(request, _("验收未通过：有指标未达到承诺值。"))
            return redirect("challenges:detail", challenge.pk)
    return render(
        request,
        "challenges/acceptance_form.html",
        {"challenge": challenge, "form": form, "proposal": proposal},
    )


@login_required
@require_POST
def acceptance_apply(request, pk, acceptance_pk):
    challenge = _challenge(request.user, pk)
    acceptance = challenge.acceptances.filter(pk=acceptance_pk).first()
    if acceptance is None:
        raise Http404
    return _act(
        request,
        pk,
        lambda: services.apply_subsidy(actor=request.user, acceptance_id=acceptance.pk, now=clock.now()),
        _("补助申请已处理。"),
    )
