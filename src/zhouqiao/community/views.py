"""Expert registry pages: parse → one service or selector → render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhouqiao.accounts import scope
from zhouqiao.accounts.models import Duty, Organisation
from zhouqiao.catalog import access as catalog_access
from zhouqiao.catalog.models import Demand
from zhouqiao.catalog.states import RecordStatus
from zhouqiao.community import matching, selectors, services
from zhouqiao.community.forms import DecisionForm, ExpertForm, FilterForm, InviteForm
from zhouqiao.community.history import history
from zhouqiao.community.models import Expert, ExpertInvitation, ExpertStatus, InvitationStatus
from zhouqiao.core import clock
from zhouqiao.core.errors import DomainError
from zhouqiao.core.models import Region

PAGE_SIZE = 20


def _is_officer(user) -> bool:
    return bool(user.is_authenticated) and scope.has_duty(user, Duty.PROGRAM_OFFICER)


def _region_choices():
    province = Region.objects.filter(code="220000").first()
    rows = [(r.code, r.name) for r in Region.objects.filter(parent_id="220000").order_by("code")]
    return ([(province.code, province.name)] if province else []) + rows


def _fields_of(expert) -> dict:
    return {
        "disciplines": [d.name for d in expert.disciplines.all()],
        "industries": [i.name for i in expert.industries.all()],
    }


def expert_list(request):
    form = FilterForm(request.GET or None, regions=_region_choices())
    filters = form.cleaned_data if form.is_valid() else {}
    rows = selectors.search(
        discipline=filters.get("discipline", ""),
        industry=filters.get("industry", ""),
        region=filters.get("region", ""),
        q=filters.get("q", ""),
    ).order_by("name", "pk")
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    user = request.user
    experts = [
        {"expert": e, "contacts": selectors.contacts(user, e), **_fields_of(e)} for e in page.object_list
    ]
    context = {
        "form": form,
        "page": page,
        "experts": experts,
        "is_officer": _is_officer(user),
        "can_apply": bool(scope.organisation_ids(user)) and not Expert.objects.filter(user=user).exists(),
        "pending_count": (
            selectors.staff_queue(user).filter(status=ExpertStatus.APPLIED).count()
            if _is_officer(user)
            else 0
        ),
    }
    return render(request, "community/expert_list.html", context)


def expert_detail(request, pk):
    expert = get_object_or_404(
        Expert.objects.select_related("organisation", "region", "user").prefetch_related(
            "disciplines", "industries"
        ),
        pk=pk,
    )
    user = request.user
    if not selectors.may_see(user, expert):
        raise Http404
    officer = services.is_officer_for(user, expert)
    own = expert.user_id is not None and expert.user_id == user.pk
    context = {
        "expert": expert,
        **_fields_of(expert),
        "contacts": selectors.contacts(user, expert),
        "officer": officer,
        "own": own,
        "conflicts": (
            expert.declared_conflicts.select_related("organisation").order_by("pk")
            if officer or own
            else None
        ),
        "reviews": history(expert) if officer else None,
        "demands": (
            matching.demands_for_expert(expert)
            if (officer or own) and expert.status == ExpertStatus.APPROVED
            else None
        ),
        "can_decide": officer and expert.status == ExpertStatus.APPLIED,
        "can_suspend": officer and expert.status == ExpertStatus.APPROVED,
        "can_reinstate": officer and expert.status == ExpertStatus.SUSPENDED,
        "decision_form": DecisionForm(),
        **_talent_context(user, expert, officer or own),
    }
    return render(request, "community/expert_detail.html", context)


def _talent_context(user, expert, may_edit: bool) -> dict:
    from zhouqiao.community.exchange.views import may_talk
    from zhouqiao.community.forms import TalentForm

    return {
        "can_talk": may_talk(user, expert),
        "talent_form": (
            TalentForm(
                initial={
                    "category": expert.category,
                    "vice_president": expert.vice_president,
                    "industry_professor": expert.industry_professor,
                    "availability": expert.availability,
                }
            )
            if may_edit
            else None
        ),
    }


def _organisations(user):
    return Organisation.objects.filter(pk__in=scope.organisation_ids(user)).order_by("name")


@login_required
def apply(request):
    """Apply to join (a new person) or edit one's own profile (an applicant or expert)."""
    user = request.user
    expert = Expert.objects.filter(user=user).first()
    organisations = _organisations(user)
    if not organisations:
        return render(request, "community/no_organisation.html", status=403)
    if request.method == "POST":
        form = ExpertForm(request.POST, organisations=organisations, actor=user)
        if form.is_valid():
            try:
                if expert is None:
                    services.apply(actor=user, data=form.to_data(), now=clock.now())
                    messages.success(request, _("申请已提交，主管部门审核后您将收到通知。"))
                else:
                    services.update_profile(actor=user, data=form.to_data(), now=clock.now())
                    messages.success(request, _("专家信息已保存。"))
                return redirect("community:my_expert")
            except DomainError as exc:
                form.place_errors(exc)
    else:
        initial = ExpertForm.initial_from(expert) if expert else _fresh_initial(user, organisations)
        form = ExpertForm(initial=initial, organisations=organisations)
    return render(request, "community/expert_form.html", {"form": form, "expert": expert})


@login_required
def my_expert(request):
    expert = Expert.objects.filter(user=request.user).first()
    invitations = ExpertInvitation.objects.filter(user=request.user, status=InvitationStatus.PENDING)
    if expert is None and not invitations:
        return redirect("community:apply")
    if expert is not None:
        return redirect("community:expert_detail", pk=expert.pk)
    return redirect("community:invitation", pk=invitations[0].pk)


@login_required
@require_POST
def decide(request, pk, action):
    form = DecisionForm(request.POST)
    form.is_valid()
    reason = form.cleaned_data.get("reason", "")
    move = {
        "approve": services.approve,
        "reject": services.reject,
        "suspend": services.suspend,
        "reinstate": services.reinstate,
    }.get(action)
    if move is None:
        raise Http404
    try:
        expert = move(actor=request.user, expert_id=pk, reason=reason, now=clock.now())
    except DomainError as exc:
        messages.error(request, str(exc.message))
        return redirect("community:expert_detail", pk=pk)
    done = {
        "approve": _("已通过，%(name)s已进入专家库。"),
        "reject": _("已退回%(name)s的申请。"),
        "suspend": _("已暂停%(name)s的专家资格。"),
        "reinstate": _("已恢复%(name)s的专家资格。"),
    }[action]
    messages.success(request, done % {"name": expert.name})
    return redirect("community:expert_detail", pk=pk)


@login_required
def review_queue(request):
    user = request.user
    if not _is_officer(user):
        raise Http404
    queue = selectors.staff_queue(user)
    context = {
        "applications": queue.filter(status=ExpertStatus.APPLIED).order_by("updated_at", "pk"),
        "suspended": queue.filter(status=ExpertStatus.SUSPENDED).order_by("name"),
        "invitations": ExpertInvitation.objects.filter(invited_by=user)
        .select_related("user", "expert")
        .order_by("-created_at")[:50],
        "invite_form": InviteForm(),
    }
    return render(request, "community/review_queue.html", context)


@login_required
def invite(request):
    user = request.user
    if not _is_officer(user):
        raise Http404
    form = InviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.invite(
                actor=user,
                account=form.cleaned_data["account"],
                note=form.cleaned_data["note"],
                now=clock.now(),
            )
            messages.success(request, _("邀请已发出，对方接受并确认信息后进入专家库。"))
            return redirect("community:review_queue")
        except DomainError as exc:
            for field, errors in (exc.detail or {}).items():
                for message in errors:
                    form.add_error(field if field in form.fields else None, message)
            if not exc.detail:
                form.add_error(None, str(exc.message))
    return render(request, "community/invite.html", {"form": form})


def _fresh_initial(user, organisations) -> dict:
    return {
        "name": user.display_name,
        "email": user.email,
        "phone": user.phone,
        "available": True,
        "region": organisations[0].region_id,
    }


@login_required
def invitation(request, pk):
    """The invited person's page: confirm the profile and accept, or decline."""
    user = request.user
    item = get_object_or_404(ExpertInvitation.objects.select_related("invited_by", "jurisdiction"), pk=pk)
    if item.user_id != user.pk:
        raise Http404
    pending = item.status == InvitationStatus.PENDING
    if pending and request.method == "POST" and "decline" in request.POST:
        try:
            services.decline_invitation(actor=user, invitation_id=item.pk, now=clock.now())
            messages.success(request, _("已谢绝邀请。"))
        except DomainError as exc:
            messages.error(request, str(exc.message))
        return redirect("notifications:todo")
    organisations = _organisations(user)
    form = None
    if pending and organisations:
        if request.method == "POST":
            form = ExpertForm(request.POST, organisations=organisations, actor=user)
            if form.is_valid():
                try:
                    accepted = services.accept_invitation(
                        actor=user, invitation_id=item.pk, data=form.to_data(), now=clock.now()
                    )
                    messages.success(request, _("您已加入专家库。"))
                    return redirect("community:expert_detail", pk=accepted.pk)
                except DomainError as exc:
                    form.place_errors(exc)
        else:
            expert = Expert.objects.filter(user=user).first()
            initial = ExpertForm.initial_from(expert) if expert else _fresh_initial(user, organisations)
            form = ExpertForm(initial=initial, organisations=organisations)
    return render(
        request,
        "community/invitation.html",
        {"invitation": item, "form": form, "pending": pending, "has_organisation": bool(organisations)},
    )


def demand_experts(request, pk):
    """适合该需求的专家: the top five for a published demand, with reasons (no contact data). Served
    as an HTMX fragment into the demand's page, or as a page of its own without JavaScript."""
    demand = get_object_or_404(Demand.objects.select_related("owner"), pk=pk)
    level = catalog_access.demand_access(request.user, demand)
    if demand.status != RecordStatus.PUBLISHED or level == catalog_access.NONE:
        raise Http404
    if level == catalog_access.FULL:
        item = matching.demand_profile(demand)
    else:  # only what the visitor may read feeds the reasons shown to them
        item = matching.ItemProfile(
            text=" ".join([demand.title, demand.summary, demand.keywords]),
            industries=frozenset([demand.industry_id]) if demand.industry_id else frozenset(),
        )
    found = [
        {"expert": e, "score": s, "reason": r, **_fields_of(e)}
        for e, s, r in matching.experts_for(item, limit=5)
    ]
    template = (
        "community/_demand_experts.html"
        if request.headers.get("HX-Request")
        else "community/demand_experts.html"
    )
    return render(request, template, {"demand": demand, "found": found})
