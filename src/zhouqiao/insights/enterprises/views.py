"""Enterprise profiles and the listing reserve: thin views over profiles (reads) and services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhouqiao.accounts.models import Organisation, OrganisationKind
from zhouqiao.core import clock
from zhouqiao.core.errors import DomainError
from zhouqiao.core.models import Region
from zhouqiao.core.spreadsheets import xlsx_response
from zhouqiao.insights.enterprises import access, forms, profiles, services, spreadsheets
from zhouqiao.insights.enterprises.models import ReserveCriterion, ReserveEntry
from zhouqiao.insights.enterprises.states import MONEY_FIGURES, EntryStatus, Figure


def _jurisdiction(request) -> tuple[Region, list[Region]]:
    options = access.jurisdictions(request.user)
    if not options:
        raise DjangoPermissionDenied
    wanted = (request.GET.get("region") or request.POST.get("jurisdiction") or "")[:6]
    chosen = next((r for r in options if r.code == wanted), options[0])
    return chosen, options


def _reserve_url(region: Region) -> str:
    return f"{reverse('enterprise_profiles:reserve')}?region={region.code}"


@login_required
def reserve(request):
    region, options = _jurisdiction(request)
    today = clock.local_date()
    entries = list(
        ReserveEntry.objects.filter(jurisdiction=region, status=EntryStatus.LISTED)
        .select_related("organisation__region", "added_by")
        .order_by("organisation__name")
    )
    listed_ids = [e.organisation_id for e in entries]
    values = profiles.figures(Organisation.objects.filter(pk__in=listed_ids), as_of=today)
    for entry in entries:
        entry.values = values.get(entry.organisation_id, {})
    source, criteria = profiles.criteria_for(region)
    can_keep = access.can_keep_reserve(request.user, region.code)
    removed = (
        ReserveEntry.objects.filter(jurisdiction=region, status=EntryStatus.REMOVED)
        .select_related("organisation", "removed_by")
        .order_by("-removed_at")[:20]
    )
    return render(
        request,
        "enterprise_profiles/reserve.html",
        {
            "region": region,
            "options": options,
            "entries": entries,
            "removed": removed,
            "criteria": criteria,
            "criteria_source": source,
            "own_criteria": source is not None and source.pk == region.pk,
            "candidates": profiles.candidates(region, as_of=today, exclude_ids=listed_ids),
            "window": profiles.window(today),
            "can_keep": can_keep,
            "criterion_form": forms.CriterionForm(),
            "money_figures": MONEY_FIGURES,
            "figures": Figure,
        },
    )


def _done(request, call, success: str):
    try:
        call()
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, success)


@login_required
@require_POST
def criterion_set(request):
    region, _options = _jurisdiction(request)
    if not access.can_keep_reserve(request.user, region.code):
        raise DjangoPermissionDenied
    form = forms.CriterionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择指标并填写门槛。"))
    else:
        d = form.cleaned_data
        _done(
            request,
            lambda: services.set_criterion(
                actor=request.user,
                jurisdiction=region.code,
                figure=d["figure"],
                minimum=d["minimum"],
                note=d["note"],
                now=clock.now(),
            ),
            _("入库条件已保存。"),
        )
    return redirect(_reserve_url(region))


@login_required
@require_POST
def criterion_delete(request, pk):
    row = get_object_or_404(ReserveCriterion, pk=pk)
    if not access.can_keep_reserve(request.user, row.jurisdiction_id):
        raise DjangoPermissionDenied
    region = row.jurisdiction
    _done(
        request,
        lambda: services.delete_criterion(actor=request.user, criterion_id=pk, now=clock.now()),
        _("入库条件已删除。"),
    )
    return redirect(_reserve_url(region))


@login_required
@require_POST
def entry_add(request):
    region, _options = _jurisdiction(request)
    if not access.can_keep_reserve(request.user, region.code):
        raise DjangoPermissionDenied
    form = forms.ReasonForm(request.POST)
    org_id = request.POST.get("organisation", "")
    if not form.is_valid() or not org_id.isdigit():
        messages.error(request, _("请写明入库理由。"))
    else:
        _done(
            request,
            lambda: services.add_to_reserve(
                actor=request.user,
                jurisdiction=region.code,
                organisation_id=int(org_id),
                reason=form.cleaned_data["reason"],
                now=clock.now(),
            ),
            _("已列入上市后备资源库。"),
        )
    return redirect(_reserve_url(region))


@login_required
@require_POST
def entry_remove(request, pk):
    entry = get_object_or_404(ReserveEntry.objects.select_related("jurisdiction"), pk=pk)
    if not access.can_keep_reserve(request.user, entry.jurisdiction_id):
        raise DjangoPermissionDenied
    form = forms.ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请写明移出理由。"))
    else:
        _done(
            request,
            lambda: services.remove_from_reserve(
                actor=request.user, entry_id=pk, reason=form.cleaned_data["reason"], now=clock.now()
            ),
            _("已移出上市后备资源库。"),
        )
    return redirect(_reserve_url(entry.jurisdiction))


@login_required
def reserve_export(request):
    region, _options = _jurisdiction(request)
    today = clock.local_date()
    entries = list(
        ReserveEntry.objects.filter(jurisdiction=region, status=EntryStatus.LISTED)
        .select_related("organisation__region")
        .order_by("organisation__name")
    )
    values = profiles.figures(
        Organisation.objects.filter(pk__in=[e.organisation_id for e in entries]), as_of=today
    )
    book = spreadsheets.reserve_workbook(region, entries, values, profiles.window(today))
    return xlsx_response(book, f"listing-reserve-{region.code}-{today:%Y%m%d}.xlsx")


@login_required
def profile(request, pk):
    org = get_object_or_404(
        Organisation.objects.select_related("region"), pk=pk, kind=OrganisationKind.ENTERPRISE
    )
    if not access.can_view(request.user, org.region_id):
        raise Http404
    context = profiles.profile(org, as_of=clock.local_date())
    context.update(
        {
            "can_record": access.can_record_certification(request.user, org.region_id),
            "certification_form": forms.CertificationForm(),
            "listed": ReserveEntry.objects.filter(organisation=org, status=EntryStatus.LISTED).select_related(
                "jurisdiction"
            ),
        }
    )
    return render(request, "enterprise_profiles/profile.html", context)


@login_required
@require_POST
def certification_record(request, pk):
    org = get_object_or_404(Organisation, pk=pk, kind=OrganisationKind.ENTERPRISE)
    if not access.can_record_certification(request.user, org.region_id):
        raise DjangoPermissionDenied
    form = forms.CertificationForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请完整填写资质认定信息（类型、证书编号、有效期）。"))
    else:
        d = form.cleaned_data
        _done(
            request,
            lambda: services.record_certification(
                actor=request.user,
                organisation_id=org.pk,
                kind=d["kind"],
                number=d["number"],
                valid_from=d["valid_from"],
                valid_until=d["valid_until"],
                now=clock.now(),
            ),
            _("资质认定已登记。"),
        )
    return redirect("enterprise_profiles:profile", pk=org.pk)
