"""Patent pool pages: parse → one service or selector → render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Sum
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhouqiao.accounts import scope
from zhouqiao.accounts.models import Duty, MemberRole, Organisation
from zhouqiao.core import clock
from zhouqiao.core.errors import DomainError
from zhouqiao.core.forms import show_domain_error
from zhouqiao.core.models import Industry
from zhouqiao.programs.patent_pool import selectors, services
from zhouqiao.programs.patent_pool.forms import (
    AcquireForm,
    DeclareForm,
    FeePaymentForm,
    FeeScheduleForm,
    ImplementationForm,
    ListingForm,
    MarketRecordForm,
    OfferForm,
    PoolFilterForm,
    ProceedsForm,
    RefuseForm,
)
from zhouqiao.programs.patent_pool.models import AcquisitionCase, PatentPool, PooledPatent, TrackedPatent
from zhouqiao.programs.patent_pool.states import AVAILABLE, CaseStatus

PAGE_SIZE = 20


def index(request):
    """Public: the pools' patents available for licence or transfer, with filters."""
    pools = PatentPool.objects.order_by("region_id")
    fields = Industry.objects.filter(
        pk__in=PooledPatent.objects.exclude(patent__industry=None).values("patent__industry_id")
    ).order_by("code")
    form = PoolFilterForm(
        request.GET or None,
        pools=[(str(p.pk), p.name) for p in pools],
        fields=[(i.code, i.name) for i in fields],
    )
    filters = form.cleaned_data if request.GET and form.is_valid() else {}
    listed = selectors.available_patents(filters)
    page = Paginator(listed, PAGE_SIZE).get_page(request.GET.get("page"))
    user = request.user
    return render(
        request,
        "patent_pool/index.html",
        {
            "form": form,
            "filtered": any(filters.values()) if filters else False,
            "page_obj": page,
            "pools": pools,
            "is_officer": scope.has_duty(user, Duty.PROGRAM_OFFICER),
            "is_member": bool(scope.organisation_ids(user)),
        },
    )


def _pooled_or_404(pk) -> PooledPatent:
    return get_object_or_404(
        PooledPatent.objects.select_related(
            "patent__owner", "patent__industry", "pool__holder", "achievement", "listing", "auction"
        ),
        pk=pk,
    )


def pooled_detail(request, pk: int):
    """A pooled patent: public while it is available; the pool's officers see and do the rest."""
    pooled = _pooled_or_404(pk)
    officer = services.may_manage_pool(request.user, pooled.pool)
    if pooled.status not in AVAILABLE and not officer:
        raise Http404
    context = {"pooled": pooled, "officer": officer, "today": clock.local_date()}
    if officer:
        context.update(_pooled_staff_context(request, pooled))
    return render(request, "patent_pool/pooled.html", context)


def _proceeds_sources(pooled: PooledPatent) -> list[tuple[str, str]]:
    from zhouqiao.contracts.models import Contract
    from zhouqiao.market.models import Deal

    sources = []
    if pooled.achievement_id:
        for deal in Deal.objects.filter(achievement_id=pooled.achievement_id).order_by("-agreed_at")[:50]:
            sources.append(
                (
                    f"deal:{deal.pk}",
                    _("交易：%(title)s（%(day)s）")
                    % {"title": deal.title, "day": clock.local_date(deal.agreed_at)},
                )
            )
    if pooled.pool.holder_id:
        contracts = Contract.objects.filter(seller_id=pooled.pool.holder_id).exclude(status="draft")
        for c in contracts.order_by("-created_at")[:50]:
            sources.append((f"contract:{c.pk}", _("技术合同：%(title)s") % {"title": c.title}))
    return sources


def _pooled_staff_context(request, pooled: PooledPatent, **forms) -> dict:
    fees = list(pooled.fees.order_by("-due_on")[:20])
    open_fee = next((f for f in fees if f.paid_on is None), None)
    market = services.may_operate_on_market(request.user, pooled.pool)
    return {
        "fees": fees,
        "open_fee": open_fee,
        "next_due": services.next_anniversary(pooled.patent, clock.local_date()),
        "fee_form": forms.get("fee_form") or FeeScheduleForm(),
        "pay_form": forms.get("pay_form") or FeePaymentForm(initial={"paid_on": clock.local_date()}),
        "may_market": market,
        "record_form": forms.get("record_form")
        or MarketRecordForm(initial={"licence_terms": pooled.licence_terms}),
        "listing_form": forms.get("listing_form") or ListingForm(),
        "proceeds_form": forms.get("proceeds_form") or ProceedsForm(sources=_proceeds_sources(pooled)),
        "proceeds": list(pooled.proceeds.select_related("contract", "deal")),
        "proceeds_total": pooled.proceeds.aggregate(total=Sum("amount"))["total"] or 0,
    }


def _officer_pooled(request, pk) -> PooledPatent:
    pooled = _pooled_or_404(pk)
    if not services.may_manage_pool(request.user, pooled.pool):
        raise PermissionDenied
    return pooled


def _retry(request, pooled, **forms):
    context = {"pooled": pooled, "officer": True, "today": clock.local_date()}
    context.update(_pooled_staff_context(request, pooled, **forms))
    return render(request, "patent_pool/pooled.html", context)


@login_required
@require_POST
def schedule_fee(request, pk: int):
    pooled = _officer_pooled(request, pk)
    form = FeeScheduleForm(request.POST)
    if form.is_valid():
        try:
            services.schedule_fee(
                actor=request.user,
                pooled_id=pooled.pk,
                amount=form.cleaned_data["amount"],
                due_on=form.cleaned_data["due_on"],
                now=clock.now(),
            )
        except DomainError as exc:
            show_domain_error(form, exc)
        else:
            messages.success(request, _("已登记年费缴纳计划。"))
            return redirect("patent_pool:pooled", pk=pooled.pk)
    return _retry(request, pooled, fee_form=form)


@login_required
@require_POST
def pay_fee(request, pk: int, fee_id: int):
    pooled = _officer_pooled(request, pk)
    form = FeePaymentForm(request.POST)
    if form.is_valid():
        if not pooled.fees.filter(pk=fee_id).exists():
            raise Http404
        try:
            services.record_fee_payment(
                actor=request.user,
                fee_id=fee_id,
                paid_on=form.cleaned_data["paid_on"],
                paid_amount=form.cleaned_data["paid_amount"],
                reference=form.cleaned_data["reference"],
                now=clock.now(),
            )
        except DomainError as exc:
            show_domain_error(form, exc)
        else:
            messages.success(request, _("已登记缴费，并排定下一年度年费。"))
            return redirect("patent_pool:pooled", pk=pooled.pk)
    return _retry(request, pooled, pay_form=form)


@login_required
@require_POST
def prepare_record(request, pk: int):
    pooled = _officer_pooled(request, pk)
    form = MarketRecordForm(request.POST)
    if form.is_valid():
        try:
            result = services.prepare_market_record(
                actor=request.user,
                pooled_id=pooled.pk,
                licence_terms=form.cleaned_data["licence_terms"],
                now=clock.now(),
            )
        except DomainError as exc:
            show_domain_error(form, exc)
        else:
            if result.achievement and result.achievement.status == "published":
                messages.success(request, _("成果档案已建立并发布，可以挂牌。"))
            else:
                messages.success(request, _("成果档案已建立并提交审核，发布后即可挂牌。"))
            return redirect("patent_pool:pooled", pk=pooled.pk)
    return _retry(request, pooled, record_form=form)


@login_required
@require_POST
def list_on_market(request, pk: int):
    pooled = _officer_pooled(request, pk)
    form = ListingForm(request.POST)
    if form.is_valid():
        try:
            services.list_on_market(
                actor=request.user,
                pooled_id=pooled.pk,
                price=form.cleaned_data["price"],
                mode=form.cleaned_data["mode"],
                terms=form.cleaned_data["terms"],
                now=clock.now(),
            )
        except DomainError as exc:
            show_domain_error(form, exc)
        else:
            messages.success(request, _("已在科技大市场挂牌。"))
            return redirect("patent_pool:pooled", pk=pooled.pk)
    return _retry(request, pooled, listing_form=form)


@login_required
@require_POST
def record_proceeds(request, pk: int):
    pooled = _officer_pooled(request, pk)
    form = ProceedsForm(request.POST, sources=_proceeds_sources(pooled))
    if form.is_valid():
        kind_, _sep, ref = form.cleaned_data["source"].partition(":")
        try:
            services.record_proceeds(
                actor=request.user,
                pooled_id=pooled.pk,
                kind=form.cleaned_data["kind"],
                amount=form.cleaned_data["amount"],
                received_on=form.cleaned_data["received_on"],
                contract_id=ref if kind_ == "contract" else None,
                deal_id=ref if kind_ == "deal" else None,
                note=form.cleaned_data["note"],
                now=clock.now(),
            )
        except DomainError as exc:
            show_domain_error(form, exc, fields={"contract": "source", "deal": "source"})
        else:
            messages.success(request, _("已登记运营收益。"))
            return redirect("patent_pool:pooled", pk=pooled.pk)
    return _retry(request, pooled, proceeds_form=form)


# --- owners ---------------------------------------------------------------------------------------


@login_required
def mine(request):
    """Members: their organisations' tracked invention patents, with offers and implementations."""
    own = scope.organisation_ids(request.user)
    patents = (
        TrackedPatent.objects.filter(owner_id__in=own)
        .select_related("owner", "pooled")
        .prefetch_related("cases")
        .order_by("-granted_on", "pk")
    )
    rows = []
    for p in patents[:200]:
        cases = sorted(p.cases.all(), key=lambda c: (c.opened_at, c.pk), reverse=True)
        pending = next((c for c in cases if c.status == CaseStatus.PENDING), None)
        rows.append(
            {
                "patent": p,
                "pending": pending,
                "last": cases[0] if cases else None,
                "pooled": getattr(p, "pooled", None),
            }
        )
    admin_of = set(scope.organisation_ids(request.user, MemberRole.ADMIN))
    for row in rows:  # offering (and withdrawing) is the administrator's: the button shows only to them
        row["may_offer"] = row["patent"].owner_id in admin_of
    return render(request, "patent_pool/mine.html", {"rows": rows, "has_org": bool(own)})


def _owned(request, pk) -> TrackedPatent:
    patent = get_object_or_404(TrackedPatent.objects.select_related("owner"), pk=pk)
    if not services.is_owner_member(request.user, patent):
        raise PermissionDenied
    return patent


@login_required
def offer(request, pk: int):
    patent = _owned(request, pk)
    if not services.is_owner_admin(request.user, patent):
        raise PermissionDenied
    form = OfferForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.offer_patent(
                actor=request.user,
                patent_id=patent.pk,
                reason=form.cleaned_data["reason"],
                asking_price=form.cleaned_data["asking_price"],
                now=clock.now(),
            )
        except DomainError as exc:
            show_domain_error(form, exc)
        else:
            messages.success(request, _("收储申请已提交，辖区项目管理人员将作出决定。"))
            return redirect("patent_pool:mine")
    return render(request, "patent_pool/offer.html", {"patent": patent, "form": form})


@login_required
@require_POST
def withdraw(request, case_id: int):
    case = get_object_or_404(AcquisitionCase.objects.select_related("patent__owner"), pk=case_id)
    if not services.is_owner_admin(request.user, case.patent):
        raise PermissionDenied
    try:
        services.withdraw_offer(actor=request.user, case_id=case.pk, now=clock.now())
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("已撤回收储申请。"))
    return redirect("patent_pool:mine")


@login_required
def implement(request, pk: int):
    patent = _owned(request, pk)
    form = ImplementationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_implementation(
                actor=request.user,
                patent_id=patent.pk,
                kind=form.cleaned_data["kind"],
                evidence=form.cleaned_data["evidence"],
                now=clock.now(),
            )
        except DomainError as exc:
            show_domain_error(form, exc)
        else:
            messages.success(request, _("已登记实施情况。"))
            return redirect("patent_pool:mine")
    return render(request, "patent_pool/implement.html", {"patent": patent, "form": form})


@login_required
def declare(request):
    owners = Organisation.objects.filter(pk__in=scope.organisation_ids(request.user)).order_by("name")
    if not owners:
        raise PermissionDenied
    form = DeclareForm(request.POST or None, owners=[(str(o.pk), o.name) for o in owners])
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            patent = services.declare_patent(
                actor=request.user,
                owner_id=data["owner"],
                number=data["number"],
                title=data["title"],
                granted_on=data["granted_on"],
                filed_on=data["filed_on"],
                ipc=data["ipc"],
                now=clock.now(),
            )
        except DomainError as exc:
            show_domain_error(form, exc)
        else:
            messages.success(request, _("已登记发明专利。"))
            if services.is_owner_admin(request.user, patent):
                return redirect("patent_pool:offer", pk=patent.pk)
            return redirect("patent_pool:mine")
    return render(request, "patent_pool/declare.html", {"form": form})


# --- program officers -----------------------------------------------------------------------------


def _officer(request):
    if not scope.has_duty(request.user, Duty.PROGRAM_OFFICER):
        raise PermissionDenied


@login_required
def staff(request):
    """Officers: pending acquisition cases (offers and idle patents), flagged patents, the pool."""
    _officer(request)
    user = request.user
    horizon = clock.local_date()
    return render(
        request,
        "patent_pool/staff.html",
        {
            "cases": selectors.pending_cases(user),
            "flagged": selectors.flagged_patents(user)[:100],
            "pooled": selectors.pool_of(user),
            "decided": selectors.decided_cases(user)[:30],
            "today": horizon,
            "idle_years": services.idle_years(),
        },
    )


@login_required
def case_detail(request, pk: int):
    case = get_object_or_404(
        AcquisitionCase.objects.select_related("patent__owner", "patent__industry", "decided_by", "pool"),
        pk=pk,
    )
    officer = services.may_decide(request.user, case.patent)
    if not officer:
        raise PermissionDenied
    return render(request, "patent_pool/case.html", _case_context(case))


def _case_context(case, **forms) -> dict:
    patent = case.patent
    return {
        "case": case,
        "patent": patent,
        "implementations": list(patent.implementations.all()[:10]),
        "found": services.implementation_found(patent) if case.status == CaseStatus.PENDING else "",
        "acquire_form": forms.get("acquire_form") or AcquireForm(initial={"price": case.asking_price}),
        "refuse_form": forms.get("refuse_form") or RefuseForm(),
        "pending": case.status == CaseStatus.PENDING,
        "idle_years": services.idle_years(),
    }


@login_required
@require_POST
def acquire(request, pk: int):
    case = get_object_or_404(AcquisitionCase.objects.select_related("patent__owner"), pk=pk)
    if not services.may_decide(request.user, case.patent):
        raise PermissionDenied
    form = AcquireForm(request.POST)
    if form.is_valid():
        try:
            pooled = services.acquire(
                actor=request.user,
                case_id=case.pk,
                price=form.cleaned_data["price"],
                reason=form.cleaned_data["reason"],
                now=clock.now(),
            )
        except DomainError as exc:
            show_domain_error(form, exc)
        else:
            messages.success(request, _("已收储入%(pool)s。") % {"pool": pooled.pool.name})
            return redirect("patent_pool:pooled", pk=pooled.pk)
    return render(request, "patent_pool/case.html", _case_context(case, acquire_form=form))


@login_required
@require_POST
def refuse(request, pk: int):
    case = get_object_or_404(AcquisitionCase.objects.select_related("patent__owner"), pk=pk)
    if not services.may_decide(request.user, case.patent):
        raise PermissionDenied
    form = RefuseForm(request.POST)
    if form.is_valid():
        try:
            services.refuse(
                actor=request.user,
                case_id=case.pk,
                reason=form.cleaned_data["refuse_reason"],
                now=clock.now(),
            )
        except DomainError as exc:
            show_domain_error(form, exc, fields={"reason": "refuse_reason"})
        else:
            messages.success(request, _("已决定不予收储，并通知专利权人。"))
            return redirect("patent_pool:staff")
    return render(request, "patent_pool/case.html", _case_context(case, refuse_form=form))
