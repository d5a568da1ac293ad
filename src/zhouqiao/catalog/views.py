"""Catalog pages: parse → one service or selector → render. What a viewer may see comes from
``access`` (the same functions as the API and the exports)."""

import hashlib
from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhouqiao.accounts import scope
from zhouqiao.accounts.models import Duty, Organisation
from zhouqiao.catalog import access, files, posting, selectors, services, todos
from zhouqiao.catalog.forms import (
    AchievementForm,
    AttachmentForm,
    DemandForm,
    InviteForm,
    IPFormSet,
    PackageForm,
    ip_items_from,
)
from zhouqiao.catalog.models import (
    Achievement,
    AchievementPackage,
    Attachment,
    Demand,
    ImportJob,
    TransferMode,
    unpack_modes,
)
from zhouqiao.catalog.states import (
    EDITABLE,
    RECORD_TRANSITIONS,
    PackageStatus,
    RecordStatus,
)
from zhouqiao.core import clock
from zhouqiao.core.errors import DomainError
from zhouqiao.core.models import KeyIndustry, Region
from zhouqiao.market import selectors as market_selectors

MODELS = {"achievement": Achievement, "demand": Demand}
FIELDS = {"achievement": access.achievement_fields, "demand": access.demand_fields}
PAGE_SIZE = 20


def form_error(form, exc: DomainError) -> None:
    """Put a service's error on the form field it names (``ip_items.1.number`` → the IP table)."""
    placed = False
    for field, errors in (exc.detail or {}).items():
        name = field.split(".")[0]
        for message in errors:
            if name in form.fields:
                form.add_error(name, message)
                placed = True
            elif name == "ip_items":
                form.add_error(None, message)
                placed = True
    if not placed:
        form.add_error(None, str(exc.message))


# The filters' key industries and cities are reference data (changed only by ``load_reference``):
# read once per process and kept this long instead of on every list page.
TAXONOMY_SECONDS = 300


def _filter_choices() -> tuple[list, list]:
    return cache.get_or_set(
        "zhouqiao:catalog:filter-choices",
        lambda: (list(KeyIndustry.objects.all()), list(Region.objects.filter(parent_id="220000"))),
        TAXONOMY_SECONDS,
    )


def _filters_context(request, kind):
    key_industries, cities = _filter_choices()
    return {
        "key_industries": key_industries,
        "cities": cities,
        "trl_levels": range(1, 10),
        "modes": TransferMode.choices,
        "query": request.GET.urlencode(),
        "kind": kind,
    }


# A list of published achievements (no status filter, not "mine") is the same for every visitor:
# each page of it is rendered once and kept this long, as the home page's public blocks are (a newly
# published record shows within it).
PUBLIC_ROWS_SECONDS = 30


def _achievement_results(request, filters) -> dict:
    """The count and the rendered table and pager of the page of achievements the request asks for."""

    def build() -> dict:
        # A row shows a summary: read as values, not whole records.
        qs = selectors.achievement_rows(request.user, filters)
        page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
        rows = [access.achievement_row(request.user, r) for r in page.object_list]
        html = render_to_string(
            "catalog/partials/achievement_rows.html", {"page": page, "rows": [r for r in rows if r]}, request
        )
        return {"count": page.paginator.count, "html": html}

    if filters.status or filters.mine:  # what the user may see beyond the published records
        return build()
    query = hashlib.sha256(request.GET.urlencode().encode()).hexdigest()[:32]
    key = f"zhouqiao:catalog:achievement-rows:{translation.get_language()}:{query}"
    results = cache.get(key)
    if results is None:
        results = build()
        cache.set(key, results, PUBLIC_ROWS_SECONDS)
    return results


def record_list(request, kind):
    filters = selectors.Filters.parse(request.GET)
    context = {"filters": filters, **_filters_context(request, kind)}
    if kind == "achievement":
        context["results"] = _achievement_results(request, filters)
    else:  # who was invited decides what a row shows: fetched for the page at once
        qs = selectors.demands_for(request.user, filters).prefetch_related("invitations")
        page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
        rows = [access.demand_fields(request.user, r, files=False) for r in page.object_list]
        context |= {"page": page, "rows": [r for r in rows if r]}
    return render(request, f"catalog/{kind}_list.html", context)


def _visible(request, kind, pk):
    record = get_object_or_404(MODELS[kind].objects.select_related("owner", "region", "industry"), pk=pk)
    data = FIELDS[kind](request.user, record)
    if data is None:
        raise Http404
    return record, data


def _actions(user, kind, record) -> dict:
    allowed = RECORD_TRANSITIONS.get(record.status, {})
    owner, reviewer = access.may_edit(user, record), access.may_review(user, record)
    return {
        "can_edit": owner and record.status in EDITABLE,
        # The service refuses a record of an unverified organisation: the page says why instead.
        "can_submit": owner and RecordStatus.SUBMITTED in allowed and record.owner.is_verified,
        "awaits_verification": owner and RecordStatus.SUBMITTED in allowed and not record.owner.is_verified,
        "can_review": reviewer and record.status == RecordStatus.SUBMITTED,
        "can_close": owner and RecordStatus.CLOSED in allowed,
        "insider": owner or (reviewer and record.status != RecordStatus.DRAFT),
        "is_owner": owner,
        "is_published": record.status == RecordStatus.PUBLISHED,
        "may_negotiate": record.status == RecordStatus.PUBLISHED
        and market_selectors.may_open_negotiation(user, record),
    }


def record_detail(request, kind, pk):
    record, data = _visible(request, kind, pk)
    actions = _actions(request.user, kind, record)
    context = {
        "record": record,
        "data": data,
        "kind": kind,
        **actions,
        "history": selectors.history(record) if actions["insider"] else None,
        "attachment_form": AttachmentForm(),
        "invite_form": InviteForm(),
        "close_reasons": services.close_reasons(record)
        if kind == "demand" and actions["can_close"]
        else None,
    }
    if kind == "demand" and access.may_edit(request.user, record):
        context["invitations"] = record.invitations.select_related("organisation")
        if record.confidentiality == "invited":
            # Picked by name (verified organisations only, as the service requires), not by id.
            context["invitable"] = (
                Organisation.objects.verified()
                .exclude(pk=record.owner_id)
                .exclude(pk__in=record.invitations.values("organisation_id"))
                .order_by("name")
                .only("pk", "name")[:1000]
            )
    return render(request, f"catalog/{kind}_detail.html", context)


def _post_refusal(user, kind) -> str:
    """Why the user may post no record of ``kind``: the rule's own words for their organisation."""
    own = Organisation.objects.filter(pk__in=scope.organisation_ids(user)).order_by("name").first()
    if own is None:
        return _("请先加入或注册一个机构，才能发布成果或需求。")
    return posting.refusal(user, own, kind) or _("您无权执行此操作。")


def _initial(kind, record) -> dict:
    names = ["title", "industry_id", "keywords", "contact_name", "contact_phone", "contact_email"]
    if kind == "achievement":
        names += [
            "abstract",
            "problem",
            "advantages",
            "scenarios",
            "economics",
            "readiness",
            "patent_class_id",
            "discipline_id",
            "price_kind",
            "price_min",
            "price_max",
            "team",
        ]
        modes = {"transfer_modes": unpack_modes(record.transfer_modes)}
    else:
        names += [
            "summary",
            "problem",
            "indicators",
            "current_approach",
            "budget_min",
            "budget_max",
            "deadline",
            "confidentiality",
        ]
        modes = {"cooperation_modes": unpack_modes(record.cooperation_modes)}
    initial = {n.removesuffix("_id"): getattr(record, n) for n in names}
    if kind == "achievement" and record.price_kind == "fixed":
        initial["price_max"] = None
    initial["key_industries"] = list(record.key_industries.values_list("slug", flat=True))
    initial["owner"] = record.owner_id
    return initial | modes


@login_required
def record_form(request, kind, pk=None):
    record = None
    if pk is not None:
        record = get_object_or_404(MODELS[kind], pk=pk)
        if not access.may_edit(request.user, record):
            raise Http404
    organisations = posting.organisations_for(request.user, kind)
    if record is None and not organisations:
        messages.error(request, _post_refusal(request.user, kind))
        return redirect("web:workspace")
    if record is not None:
        organisations = [record.owner]
    form_class = AchievementForm if kind == "achievement" else DemandForm
    initial = _initial(kind, record) if record else {}
    form = form_class(request.POST or None, organisations=organisations, initial=initial)
    ip_formset = None
    if kind == "achievement":
        ip_formset = IPFormSet(request.POST or None, prefix="ip", instance=record or Achievement())
    if request.method == "POST" and form.is_valid() and (ip_formset is None or ip_formset.is_valid()):
        data, now = form.cleaned_data, clock.now()
        try:
            if kind == "achievement":
                ip = ip_items_from(ip_formset)
                record = (
                    services.update_achievement(
                        actor=request.user, achievement_id=record.pk, data=data, ip_items=ip, now=now
                    )
                    if record
                    else services.create_achievement(
                        actor=request.user, owner_id=data["owner"], data=data, ip_items=ip, now=now
                    )
                )
            else:
                record = (
                    services.update_demand(actor=request.user, demand_id=record.pk, data=data, now=now)
                    if record
                    else services.create_demand(
                        actor=request.user, owner_id=data["owner"], data=data, now=now
                    )
                )
        except DomainError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("已保存。确认无误后请提交审核。"))
            return redirect(f"catalog:{kind}_detail", pk=record.pk)
    return render(
        request,
        f"catalog/{kind}_form.html",
        {"form": form, "ip_formset": ip_formset, "record": record, "kind": kind},
    )


@login_required
@require_POST
def record_transition(request, kind, pk, action):
    record = get_object_or_404(MODELS[kind], pk=pk)
    if FIELDS[kind](request.user, record) is None:
        raise Http404
    now = clock.now()
    try:
        if action in ("submit", "resubmit"):
            record = services.submit(actor=request.user, kind=kind, record_id=record.pk, now=now)
        elif action == "publish":
            record = services.publish(actor=request.user, kind=kind, record_id=record.pk, now=now)
        elif action == "return":
            services.return_for_changes(
                actor=request.user,
                kind=kind,
                record_id=record.pk,
                reason=request.POST.get("reason", ""),
                now=now,
            )
        elif action == "close":
            record = services.close(
                actor=request.user,
                kind=kind,
                record_id=record.pk,
                close_reason=request.POST.get("close_reason", ""),
                now=now,
            )
        else:
            raise Http404
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _done(kind, action, record))
    return redirect(f"catalog:{kind}_detail", pk=record.pk)


def _done(kind, action, record) -> str:
    """What the move did, to which record (and, on submission, whom it now waits on)."""
    names = {"title": record.title}
    if action == "close" and kind == "demand":
        return _("需求《%(title)s》已关闭（%(reason)s）。") % {
            **names,
            "reason": record.get_close_reason_display(),
        }
    if action in ("submit", "resubmit"):
        names["bureau"] = posting.bureau_name(record.region_id, Duty.REVIEWER)
        if kind == "demand":
            return _("已提交需求《%(title)s》，等待%(bureau)s审核。") % names
        return _("已提交成果《%(title)s》，等待%(bureau)s审核。") % names
    if action == "publish":
        if kind == "demand":
            return _("已审核通过并发布需求《%(title)s》。") % names
        return _("已审核通过并发布成果《%(title)s》。") % names
    if action == "return":
        return _("已将《%(title)s》退回修改，发布单位会收到退回理由。") % names
    return _("《%(title)s》已关闭。") % names


@login_required
@require_POST
def attachment_upload(request, kind, pk):
    record = get_object_or_404(MODELS[kind], pk=pk)
    if not access.may_edit(request.user, record):
        raise Http404
    form = AttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("请选择要上传的文件。"))
    else:
        try:
            services.add_attachment(
                actor=request.user,
                kind=kind,
                record_id=record.pk,
                upload=form.cleaned_data["file"],
                now=clock.now(),
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("附件已上传。"))
    return redirect(f"catalog:{kind}_detail", pk=record.pk)


def attachment_download(request, pk):
    attachment = get_object_or_404(Attachment.objects.select_related("achievement", "demand"), pk=pk)
    if not access.may_see_attachment(request.user, attachment):
        raise Http404
    path = files.stored_path("attachments", attachment.stored_name)
    if not path.exists():
        raise Http404
    inline = attachment.content_type in ("application/pdf", "image/png", "image/jpeg")
    response = FileResponse(
        open(path, "rb"),
        as_attachment=not inline,  # noqa: SIM115 — FileResponse closes it
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def attachment_delete(request, pk):
    attachment = get_object_or_404(Attachment.objects.select_related("achievement", "demand"), pk=pk)
    record = attachment.record
    if not access.may_edit(request.user, record):
        raise Http404
    try:
        services.remove_attachment(actor=request.user, attachment_id=attachment.pk, now=clock.now())
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect(f"catalog:{services.record_kind(record)}_detail", pk=record.pk)


@login_required
@require_POST
def demand_invite(request, pk):
    demand = get_object_or_404(Demand, pk=pk)
    if not access.may_edit(request.user, demand):
        raise Http404
    form = InviteForm(request.POST)
    try:
        if not form.is_valid():
            raise DomainError(_("请填写机构编号。"))
        if request.POST.get("remove"):
            services.uninvite(
                actor=request.user,
                demand_id=demand.pk,
                organisation_id=form.cleaned_data["organisation"],
                now=clock.now(),
            )
        else:
            services.invite(
                actor=request.user,
                demand_id=demand.pk,
                organisation_id=form.cleaned_data["organisation"],
                now=clock.now(),
            )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        if request.POST.get("remove"):
            messages.success(
                request, _("已取消该机构查看需求《%(title)s》的邀请。") % {"title": demand.title}
            )
        else:
            messages.success(request, _("已邀请该机构查看需求《%(title)s》。") % {"title": demand.title})
    return redirect("catalog:demand_detail", pk=demand.pk)


@login_required
def mine(request):
    """The workspace of an organisation's members: their records in every status, and imports."""
    user = request.user
    org_ids = scope.organisation_ids(user)
    return render(
        request,
        "catalog/mine.html",
        {
            "achievements": Achievement.objects.filter(owner_id__in=org_ids).select_related("owner")[:200],
            "demands": Demand.objects.filter(owner_id__in=org_ids).select_related("owner")[:200],
            "jobs": ImportJob.objects.filter(owner_id__in=org_ids)[:20],
            "has_org": bool(org_ids),
        },
    )


def _waiting(records, now) -> list:
    """Each record with ``days_waiting``, ``last_day`` to decide and ``overdue`` (todos.review_deadlines)."""
    records = list(records)
    since = [r.submitted_at or r.updated_at for r in records]
    for r, s, deadline in zip(records, since, todos.review_deadlines(since), strict=True):
        r.days_waiting, r.overdue = max(0, (now - s).days), deadline < now
        r.last_day = timezone.localtime(deadline - timedelta(minutes=1)).date()  # deadline is 24:00
    return records


@login_required
def review_queue(request):
    if not scope.has_duty(request.user, Duty.REVIEWER):
        raise DjangoPermissionDenied
    now = clock.now()
    return render(
        request,
        "catalog/review_queue.html",
        {
            "achievements": _waiting(selectors.review_queue(request.user, "achievement")[:200], now),
            "demands": _waiting(selectors.review_queue(request.user, "demand")[:200], now),
            "review_days": settings.CATALOG_REVIEW_DAYS,
            "packages": AchievementPackage.objects.filter(
                scope.region_q(request.user, "region", Duty.REVIEWER)
            )[:50],
        },
    )


# --- Packages --------------------------------------------------------------------------------------------


def package_list(request):
    return render(
        request,
        "catalog/package_list.html",
        {
            "packages": selectors.packages_for(request.user),
            "can_curate": scope.has_duty(request.user, Duty.REVIEWER),
        },
    )


def package_detail(request, pk):
    package = get_object_or_404(selectors.packages_for(request.user), pk=pk)
    rows = [
        access.achievement_fields(request.user, a)
        for a in selectors.package_achievements(package, request.user)
    ]
    return render(
        request,
        "catalog/package_detail.html",
        {
            "package": package,
            "rows": rows,
            "can_curate": scope.covers(request.user, package.region_id, Duty.REVIEWER),
            "PackageStatus": PackageStatus,
        },
    )


def _reviewer_regions(user):
    codes = [a.jurisdiction_id for a in user.assignments.filter(duty=Duty.REVIEWER)]
    return Region.objects.filter(code__in=codes)


@login_required
def package_form(request, pk=None):
    if not scope.has_duty(request.user, Duty.REVIEWER):
        raise DjangoPermissionDenied
    package = None
    initial = {}
    if pk is not None:
        package = get_object_or_404(AchievementPackage, pk=pk)
        if not scope.covers(request.user, package.region_id, Duty.REVIEWER):
            raise Http404
        initial = {
            "title": package.title,
            "theme": package.theme,
            "key_industry": package.key_industry_id or "",
            "region": package.region_id,
            "description": package.description,
            "achievements": ",".join(str(i) for i in package.items.values_list("achievement_id", flat=True)),
        }
    form = PackageForm(request.POST or None, regions=_reviewer_regions(request.user), initial=initial)
    if request.method == "POST" and form.is_valid():
        ids = form.achievement_ids()
        if not form.errors:
            try:
                if package:
                    package = services.update_package(
                        actor=request.user,
                        package_id=package.pk,
                        data=form.cleaned_data,
                        achievement_ids=ids,
                        now=clock.now(),
                    )
                else:
                    package = services.create_package(
                        actor=request.user, data=form.cleaned_data, achievement_ids=ids, now=clock.now()
                    )
            except DomainError as exc:
                form_error(form, exc)
            else:
                messages.success(request, _("成果包已保存。"))
                return redirect("catalog:package_detail", pk=package.pk)
    return render(request, "catalog/package_form.html", {"form": form, "package": package})


@login_required
@require_POST
def package_transition(request, pk, status):
    package = get_object_or_404(AchievementPackage, pk=pk)
    try:
        services.transition_package(
            actor=request.user, package_id=package.pk, to_status=status, now=clock.now()
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("操作成功。"))
    return redirect("catalog:package_detail", pk=package.pk)
