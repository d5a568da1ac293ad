"""Pages of the events app: list, publish, detail with registration and QR code, organiser's
registration review, phone check-in, roadshow slots, one-to-one meetings and personal schedules."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhouqiao.accounts import scope
from zhouqiao.catalog import access
from zhouqiao.catalog.models import Achievement, Demand
from zhouqiao.catalog.states import RecordStatus
from zhouqiao.community.events import forms, meetings, services
from zhouqiao.community.events.models import Event, Interest, Meeting, Registration
from zhouqiao.community.events.permissions import (
    may_manage,
    may_publish,
    may_view_registrations,
    publishing_organisations,
    side_of,
)
from zhouqiao.community.events.states import EventStatus, InterestLevel, RegistrationStatus
from zhouqiao.core import clock
from zhouqiao.core.errors import DomainError
from zhouqiao.core.forms import show_domain_error


def _fail(request, exc: DomainError) -> None:
    messages.error(request, str(exc.message))


def event_list(request):
    now = clock.now()
    qs = Event.objects.published().select_related("region")
    return render(
        request,
        "events/event_list.html",
        {
            "upcoming": qs.filter(ends_at__gt=now).order_by("starts_at")[:50],
            "past": qs.filter(ends_at__lte=now).order_by("-starts_at")[:50],
            "may_publish": may_publish(request.user),
        },
    )


def _publishers(user) -> list[tuple[str, str]]:
    """A verified transfer institution the user belongs to, or a jurisdiction of a business duty."""
    from zhouqiao.accounts.models import StaffAssignment

    choices = [(f"org:{o.pk}", o.name) for o in publishing_organisations(user)]
    seen = set()
    for code, name in (
        StaffAssignment.objects.filter(user=user, duty__in=scope.BUSINESS_DUTIES)
        .order_by("jurisdiction__code")
        .values_list("jurisdiction__code", "jurisdiction__name")
    ):
        if code not in seen:
            seen.add(code)
            choices.append((f"region:{code}", _("科技主管部门 · %(region)s") % {"region": name}))
    return choices


@login_required
def event_new(request):
    if not may_publish(request.user):
        raise DjangoPermissionDenied
    publishers = _publishers(request.user)
    form = forms.EventForm(request.POST or None, publishers=publishers)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        who, _sep, value = data.pop("publisher").partition(":")
        try:
            event = services.publish_event(
                actor=request.user,
                data=data,
                organisation_id=value if who == "org" else None,
                region_code=value if who == "region" else "",
                now=clock.now(),
            )
        except DomainError as exc:
            # beside the fields it names; a refusal about no field (who may publish, where) above them
            show_domain_error(form, exc, fields={"region": "publisher", "organisation_id": "publisher"})
        else:
            messages.success(request, _("活动已发布。"))
            return redirect("events:event_detail", event.pk)
    return render(request, "events/event_new.html", {"form": form})


def _qr(url: str, title: str) -> str:
    import segno

    return segno.make(url, error="m").svg_inline(scale=4, title=title)


def event_detail(request, pk):
    event = get_object_or_404(Event.objects.select_related("region", "organiser_org"), pk=pk)
    now = clock.now()
    user = request.user
    mine = None
    if user.is_authenticated:
        mine = Registration.objects.select_related("organisation").filter(event=event, user=user).first()
    context = {
        "event": event,
        "now": now,
        "mine": mine,
        "organiser": may_manage(user, event),
        "roadshow": event.roadshow_slots.select_related("achievement", "presenter"),
        "open": event.status == EventStatus.PUBLISHED and now <= event.registration_deadline,
    }
    if mine is not None and mine.status == RegistrationStatus.APPROVED:
        url = request.build_absolute_uri(reverse("events:checkin", args=[mine.checkin_token]))
        context["qr_svg"] = _qr(url, _("签到二维码"))
        context["checkin_url"] = url
    can_register = (
        context["open"]
        and user.is_authenticated
        and not context["organiser"]  # the organiser runs the event, it does not sign up to it
        and (mine is None or mine.status not in ("pending", "approved"))
    )
    if can_register:
        orgs = list(scope.organisation_ids(user))
        from zhouqiao.accounts.models import Organisation

        context["register_form"] = forms.RegisterForm(
            organisations=list(Organisation.objects.filter(pk__in=orgs))
        )
    if context["organiser"]:
        context["pending"] = event.registrations.filter(status=RegistrationStatus.PENDING).count()
        context["roadshow_form"] = forms.RoadshowForm(
            achievements=Achievement.objects.filter(status=RecordStatus.PUBLISHED)
            .select_related("owner")
            .order_by("-pk")[:200]
        )
    return render(request, "events/event_detail.html", context)


@login_required
@require_POST
def register(request, pk):
    event = get_object_or_404(Event, pk=pk)
    organisation_id = request.POST.get("organisation_id") or None
    try:
        services.register(
            actor=request.user,
            event_id=event.pk,
            organisation_id=organisation_id,
            note=request.POST.get("note", ""),
            now=clock.now(),
        )
    except DomainError as exc:
        _fail(request, exc)
    else:
        messages.success(request, _("报名已提交，请等待主办方审核。"))
    return redirect("events:event_detail", event.pk)


@login_required
@require_POST
def event_cancel(request, pk):
    event = get_object_or_404(Event, pk=pk)
    try:
        services.cancel_event(
            actor=request.user, event_id=pk, reason=request.POST.get("reason", ""), now=clock.now()
        )
    except DomainError as exc:
        _fail(request, exc)
    else:
        messages.success(request, _("活动已取消，已通知报名者。"))
    return redirect("events:event_detail", event.pk)


@login_required
def registrations(request, pk):
    event = get_object_or_404(Event, pk=pk)
    if not may_view_registrations(request.user, event):
        raise DjangoPermissionDenied
    rows = event.registrations.select_related("organisation", "user").order_by("status", "created_at")
    return render(
        request,
        "events/registrations.html",
        {"event": event, "rows": rows, "may_decide": may_manage(request.user, event)},
    )


@login_required
@require_POST
def registration_action(request, pk, action):
    registration = get_object_or_404(Registration.objects.select_related("event"), pk=pk)
    now = clock.now()
    try:
        if action in ("approve", "reject"):
            services.decide_registration(
                actor=request.user,
                registration_id=pk,
                approve=action == "approve",
                reason=request.POST.get("reason", ""),
                now=now,
            )
            messages.success(request, _("已审核。"))
            return redirect("events:registrations", registration.event_id)
        if action == "cancel":
            services.cancel_registration(actor=request.user, registration_id=pk, now=now)
            messages.success(request, _("报名已取消。"))
        else:
            raise Http404
    except DomainError as exc:
        _fail(request, exc)
        if may_manage(request.user, registration.event):
            return redirect("events:registrations", registration.event_id)
    return redirect("events:event_detail", registration.event_id)


@login_required
def checkin_lookup(request):
    """For phones: type the code printed under the QR code when the camera cannot read it."""
    token = (request.GET.get("code") or "").strip()
    if token:
        return redirect("events:checkin", token)
    return render(request, "events/checkin_lookup.html")


@login_required
def checkin(request, token):
    """What the QR code opens: the organiser sees who it is and checks them in with one tap."""
    try:
        registration = services.registration_by_token(token)
    except DomainError as exc:
        return render(request, "events/checkin.html", {"error": exc.message}, status=404)
    if not may_manage(request.user, registration.event):
        return render(
            request, "events/checkin.html", {"error": _("只有活动主办方可以办理签到。")}, status=403
        )
    if request.method == "POST":
        try:
            registration = services.check_in(actor=request.user, token=token, now=clock.now())
        except DomainError as exc:
            _fail(request, exc)
        else:
            messages.success(request, _("签到成功。"))
        return redirect("events:checkin", token)
    return render(request, "events/checkin.html", {"registration": registration, "event": registration.event})


@login_required
@require_POST
def roadshow_add(request, pk):
    get_object_or_404(Event, pk=pk)
    form = forms.RoadshowForm(request.POST)
    form.fields["achievement"].choices = [(request.POST.get("achievement"), "")]
    if not form.is_valid():
        messages.error(request, _("请完整填写路演成果、时间和时长。"))
        return redirect("events:event_detail", pk)
    try:
        services.add_roadshow_slot(
            actor=request.user,
            event_id=pk,
            achievement_id=form.cleaned_data["achievement"],
            starts_at=form.cleaned_data["starts_at"],
            minutes=form.cleaned_data["minutes"],
            speaker=form.cleaned_data["speaker"],
            now=clock.now(),
        )
    except DomainError as exc:
        _fail(request, exc)
    else:
        messages.success(request, _("路演场次已添加。"))
    return redirect("events:event_detail", pk)


# --- one-to-one meetings ------------------------------------------------------------------------


def _targets(event: Event, mine: Registration, user) -> list[dict]:
    """The other participants, each with its published achievements and public demands."""
    people = meetings.participants(event)
    orgs = [r.organisation for org_id, r in people.items() if org_id != mine.organisation_id]
    levels = dict(Interest.objects.filter(registration=mine).values_list("target_key", "level"))
    ach = {}
    for a in Achievement.objects.filter(owner__in=orgs, status=RecordStatus.PUBLISHED).order_by("pk"):
        ach.setdefault(a.owner_id, []).append(
            {"key": f"a:{a.pk}", "title": a.title, "level": levels.get(f"a:{a.pk}", 0)}
        )
    dem = {}
    for d in Demand.objects.filter(owner__in=orgs, status=RecordStatus.PUBLISHED).order_by("pk"):
        if access.demand_access(user, d) == access.FULL:
            dem.setdefault(d.owner_id, []).append(
                {"key": f"d:{d.pk}", "title": d.title, "level": levels.get(f"d:{d.pk}", 0)}
            )
    return [
        {
            "org": o,
            "key": f"o:{o.pk}",
            "level": levels.get(f"o:{o.pk}", 0),
            "achievements": ach.get(o.pk, [])[:5],
            "demands": dem.get(o.pk, [])[:5],
        }
        for o in orgs
    ]


@login_required
def meeting_board(request, pk):
    event = get_object_or_404(Event, pk=pk)
    if not event.has_meetings:
        raise Http404
    organiser = may_manage(request.user, event)
    mine = (
        Registration.objects.select_related("organisation")
        .filter(
            event=event, user=request.user, status=RegistrationStatus.APPROVED, organisation__isnull=False
        )
        .first()
    )
    if not organiser and mine is None:
        raise DjangoPermissionDenied
    context = {"event": event, "organiser": organiser, "mine": mine, "levels": InterestLevel.choices}
    if mine is not None and event.schedule_published_at is None:
        context["targets"] = _targets(event, mine, request.user)
        free = mine.available_slots()
        context["slots"] = [
            {"index": i, "start": s, "end": e, "free": i in free}
            for i, (s, e) in enumerate(event.slot_times())
        ]
    if organiser:
        found = meetings.proposals(event)
        context["proposals"] = len(found)
        context["mutual"] = sum(1 for p in found if p.mutual)
        times = event.slot_times()
        grid = {}
        for m in Meeting.objects.filter(event=event).select_related(
            "first__organisation", "second__organisation"
        ):
            grid.setdefault(m.slot, []).append(m)
        context["grid"] = [
            {"slot": i + 1, "start": times[i][0], "end": times[i][1], "meetings": grid.get(i, [])}
            for i in range(len(times))
        ]
        context["meeting_count"] = sum(len(v) for v in grid.values())
        context["can_generate"] = event.schedule_published_at is None and clock.now() < event.starts_at
    return render(request, "events/meetings.html", context)


@login_required
@require_POST
def meeting_board_action(request, pk, action):
    event = get_object_or_404(Event, pk=pk)
    now = clock.now()
    try:
        if action == "interest":
            services.set_interest(
                actor=request.user,
                event_id=pk,
                target_key=request.POST.get("target", ""),
                level=request.POST.get("level", ""),
                now=now,
            )
            messages.success(request, _("洽谈意向已保存。"))
        elif action == "availability":
            services.set_availability(
                actor=request.user, event_id=pk, slots=request.POST.getlist("slots"), now=now
            )
            messages.success(request, _("可参加场次已保存。"))
        elif action == "generate":
            written = services.generate_schedule(actor=request.user, event_id=pk, now=now)
            messages.success(request, _("已生成排程：共安排%(n)s场一对一洽谈。") % {"n": len(written)})
        elif action == "publish":
            services.publish_schedule(actor=request.user, event_id=pk, now=now)
            messages.success(request, _("洽谈排程已发布，已通知各参会单位。"))
        else:
            raise Http404
    except DomainError as exc:
        _fail(request, exc)
    return redirect("events:meetings", event.pk)


def _my_registration(request, event) -> Registration:
    mine = (
        Registration.objects.select_related("organisation", "user")
        .filter(event=event, status=RegistrationStatus.APPROVED, organisation__isnull=False)
        .filter(Q(user=request.user) | Q(organisation_id__in=scope.organisation_ids(request.user)))
        .order_by("pk")
        .first()
    )
    if mine is None:
        raise DjangoPermissionDenied
    return mine


def _schedule_context(request, pk):
    event = get_object_or_404(Event, pk=pk)
    if event.schedule_published_at is None:
        raise Http404
    mine = _my_registration(request, event)
    rows = meetings.personal_schedule(event, mine)
    now = clock.now()
    for row in rows:
        m = row["meeting"]
        opener = services.negotiation_opener(m)
        row["may_negotiate"] = bool(
            m.outcome and not m.negotiation_id and opener is not None and side_of(request.user, opener)
        )
    return {"event": event, "mine": mine, "rows": rows, "over": now >= event.ends_at}


@login_required
def my_schedule(request, pk):
    context = _schedule_context(request, pk)
    context["outcome_form"] = forms.OutcomeForm()
    return render(request, "events/my_schedule.html", context)


@login_required
def my_schedule_pdf(request, pk):
    from zhouqiao.contracts.pdf import render_pdf

    context = _schedule_context(request, pk)
    response = HttpResponse(render_pdf("events/schedule_print.html", context), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="schedule-{pk}.pdf"'
    return response


@login_required
@require_POST
def meeting_action(request, pk, action):
    meeting = get_object_or_404(Meeting, pk=pk)
    now = clock.now()
    try:
        if action == "outcome":
            form = forms.OutcomeForm(request.POST)
            if not form.is_valid():
                raise services.fail("outcome", _("请选择洽谈结果。"))
            services.record_outcome(
                actor=request.user,
                meeting_id=pk,
                outcome=form.cleaned_data["outcome"],
                note=form.cleaned_data["note"],
                now=now,
            )
            messages.success(request, _("洽谈结果已登记。"))
        elif action == "negotiate":
            negotiation = services.open_negotiation(actor=request.user, meeting_id=pk, now=now)
            messages.success(request, _("已转入在线洽谈。"))
            return redirect("market:negotiation_detail", negotiation.pk)
        else:
            raise Http404
    except DomainError as exc:
        _fail(request, exc)
    return redirect("events:my_schedule", meeting.event_id)
