"""Voucher pages: parse → call one service or selector → render. Money-moving POSTs run once per
idempotency key (a hidden field made when the form was shown)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhouqiao.accounts import scope
from zhouqiao.accounts.models import Duty, Organisation, OrganisationKind, StaffAssignment
from zhouqiao.core import clock
from zhouqiao.core.errors import DomainError
from zhouqiao.core.forms import show_domain_error
from zhouqiao.core.models import Region
from zhouqiao.core.money import format_yuan
from zhouqiao.core.spreadsheets import xlsx_response
from zhouqiao.vouchers import forms, idempotency, ledger, orders, selectors, services, spreadsheets
from zhouqiao.vouchers.models import Voucher
from zhouqiao.vouchers.states import ServiceCategory, VoucherStatus


def _once(request, endpoint: str, action) -> bool:
    """Run a money-moving action once per form key; True when it ran (now or before)."""
    try:
        idempotency.run_once(
            user=request.user,
            key=idempotency.key_from(request),
            endpoint=endpoint,
            payload={
                k: v for k, v in request.POST.items() if k not in ("csrfmiddlewaretoken", "idempotency_key")
            },
            action=lambda: (200, {"done": str(action())}),
            now=clock.now(),
        )
    except DomainError as exc:
        messages.error(request, exc.message)
        return False
    return True


def _my_orgs(user, kind: str | None = None):
    qs = Organisation.objects.filter(pk__in=scope.organisation_ids(user))
    return qs.filter(kind=kind) if kind else qs.exclude(kind=OrganisationKind.GOVERNMENT)


def _finance_regions(user):
    """The regions a finance officer may open a pool for: their jurisdictions and the regions
    directly under them."""
    codes = list(
        StaffAssignment.objects.filter(user=user, duty=Duty.FINANCE).values_list("jurisdiction_id", flat=True)
    )
    return Region.objects.filter(Q(code__in=codes) | Q(parent_id__in=codes)).order_by("code")


def index(request):
    user = request.user
    year = timezone.localdate(clock.now()).year
    context = {
        "pools": selectors.pools().filter(year=year),
        "year": year,
        "categories": ServiceCategory.choices,
    }
    if user.is_authenticated:
        context.update(
            {
                "can_apply": _my_orgs(user, OrganisationKind.ENTERPRISE).exists(),
                "standing": _standing(user, clock.now()),
                "can_offer": _my_orgs(user).exists(),
                "applications": selectors.applications_for(user).filter(
                    enterprise_id__in=scope.organisation_ids(user)
                )[:20],
                "vouchers": selectors.vouchers_for(user).filter(
                    enterprise_id__in=scope.organisation_ids(user)
                )[:20],
                "orders": selectors.orders_for(user).filter(
                    Q(enterprise_id__in=scope.organisation_ids(user))
                    | Q(provider_id__in=scope.organisation_ids(user))
                )[:20],
                "my_services": selectors.services_for(user).filter(
                    provider_id__in=scope.organisation_ids(user)
                ),
                "certifications": selectors.certifications_for(user).filter(
                    organisation_id__in=scope.organisation_ids(user)
                ),
                "is_staff_user": scope.is_business_staff(user),
            }
        )
    return render(request, "vouchers/index.html", context)


def _standing(user, now) -> list[dict]:
    """For each of the user's enterprises: the pools open to it this year and why it may not apply
    (empty: it may) — said up front, in the service's words."""
    today = timezone.localdate(now)
    rows = []
    for org in _my_orgs(user, OrganisationKind.ENTERPRISE).select_related("region"):
        pools = services.open_pools(org, year=today.year)
        rows.append(
            {
                "org": org,
                "pools": pools,
                "region": services.region_words(org.region),
                "refusals": services.refusals(org, as_of=today, pools=pools),
            }
        )
    return rows


@login_required
def apply(request):
    standing = _standing(request.user, clock.now())
    enterprises = [row["org"] for row in standing if not row["refusals"]]
    form = forms.ApplicationForm(request.POST or None, enterprises=enterprises)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            app = services.apply_for_voucher(
                actor=request.user,
                enterprise_id=d["enterprise"],
                category=d["category"],
                amount=d["amount"],
                purpose=d["purpose"],
                now=clock.now(),
            )
        except DomainError as exc:
            show_domain_error(form, exc)
        else:
            messages.success(request, _("创新券申请已提交，请等待科技局审核。"))
            return redirect("vouchers:application", app.pk)
    return render(
        request,
        "vouchers/apply.html",
        {
            "form": form,
            "has_enterprise": bool(standing),
            "standing": standing,
            "may_apply": bool(enterprises),
        },
    )


@login_required
def application(request, pk):
    app = get_object_or_404(selectors.applications_for(request.user), pk=pk)
    can_review = scope.covers(request.user, app.pool.jurisdiction_id, "reviewer")
    return render(
        request,
        "vouchers/application.html",
        {
            "app": app,
            "can_review": can_review,
            "facts": selectors.review_facts(app, as_of=clock.local_date())
            if can_review and app.status == "submitted"
            else None,
            "is_applicant": scope.is_member(request.user, app.enterprise),
            "reason_form": forms.ReasonForm(),
            "approve_form": forms.IdempotentForm(),
            "voucher": Voucher.objects.filter(application=app).first(),
        },
    )


@login_required
@require_POST
def application_action(request, pk, action):
    app = get_object_or_404(selectors.applications_for(request.user), pk=pk)
    now = clock.now()
    if action == "approve":
        if _once(
            request,
            f"applications.{pk}.approve",
            lambda: services.approve_application(actor=request.user, application_id=app.pk, now=now).pk,
        ):
            messages.success(request, _("已批准并发放创新券。"))
        return redirect("vouchers:application", pk)
    target = {"return": "returned", "withdraw": "withdrawn", "resubmit": "submitted"}.get(action)
    if target is None:
        raise Http404
    try:
        services.transition_application(
            actor=request.user,
            application_id=app.pk,
            to_status=target,
            reason=request.POST.get("reason", ""),
            now=now,
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        done = {
            "return": _("已退回%(enterprise)s的创新券申请（%(amount)s），企业修改后可重新提交。"),
            "withdraw": _("已撤回%(enterprise)s的创新券申请（%(amount)s）。"),
            "resubmit": _("已重新提交%(enterprise)s的创新券申请（%(amount)s），请等待科技局审核。"),
        }[action]
        messages.success(
            request, done % {"enterprise": app.enterprise.name, "amount": format_yuan(app.amount)}
        )
    return redirect("vouchers:application", pk)


@login_required
def voucher(request, pk):
    v = get_object_or_404(selectors.vouchers_for(request.user), pk=pk)
    return render(
        request,
        "vouchers/voucher.html",
        {
            "voucher": v,
            "entries": selectors.entries_of(v),
            "revoke_form": forms.RevokeForm(),
            "can_spend": v.status == VoucherStatus.ACTIVE
            and v.remaining > 0
            and v.expires_on >= timezone.localdate(clock.now())
            and scope.is_member(request.user, v.enterprise),
            "can_revoke": v.status == VoucherStatus.ACTIVE
            and scope.covers(request.user, v.pool.jurisdiction_id, "reviewer"),
            "orders": selectors.orders_for(request.user).filter(voucher=v),
        },
    )


@login_required
@require_POST
def voucher_revoke(request, pk):
    v = get_object_or_404(selectors.vouchers_for(request.user), pk=pk)
    if _once(
        request,
        f"vouchers.{pk}.revoke",
        lambda: (
            services.revoke_voucher(
                actor=request.user, voucher_id=v.pk, reason=request.POST.get("reason", ""), now=clock.now()
            ).pk
        ),
    ):
        messages.success(request, _("创新券已作废，余额已退回资金池。"))
    return redirect("vouchers:voucher", pk)


def providers(request):
    category = request.GET.get("category", "")
    page = Paginator(selectors.directory(category=category, q=request.GET.get("q", "")), 20).get_page(
        request.GET.get("page")
    )
    enterprises = (
        _my_orgs(request.user, OrganisationKind.ENTERPRISE) if request.user.is_authenticated else None
    )
    return render(
        request,
        "vouchers/providers.html",
        {
            "page": page,
            "categories": ServiceCategory.choices,
            "can_order": bool(enterprises) and enterprises.exists(),
            "voucher_id": request.GET.get("voucher", "") if request.GET.get("voucher", "").isdigit() else "",
            "my_org_ids": scope.organisation_ids(request.user),
        },
    )


SERVICE_FIELDS = ("category", "name", "price", "unit", "description")


def _service_form(request, form, save, done: str, context: dict):
    """The register and the revise pages: one form, one of two services."""
    if request.method == "POST" and form.is_valid():
        try:
            save(**{f: form.cleaned_data[f] for f in SERVICE_FIELDS}, actor=request.user, now=clock.now())
        except DomainError as exc:
            show_domain_error(form, exc)
        else:
            messages.success(request, done)
            return redirect("vouchers:index")
    return render(request, "vouchers/service_new.html", {"form": form, **context})


@login_required
def service_new(request):
    form = forms.ServiceForm(request.POST or None, providers=_my_orgs(request.user))

    def register(**values):
        return orders.register_service(provider_id=form.cleaned_data["provider"], **values)

    return _service_form(request, form, register, _("服务已提交，审核通过后进入服务机构名录。"), {})


@login_required
def service_edit(request, pk):
    service = get_object_or_404(
        selectors.services_for(request.user).filter(provider_id__in=scope.organisation_ids(request.user)),
        pk=pk,
    )
    initial = {f: getattr(service, f) for f in SERVICE_FIELDS} | {"provider": service.provider_id}
    form = forms.ServiceForm(request.POST or None, initial=initial, providers=[service.provider])

    def revise(**values):
        return orders.revise_service(service_id=service.pk, **values)

    return _service_form(request, form, revise, _("服务已修改并重新提交审核。"), {"service": service})


@login_required
@require_POST
def service_action(request, pk, action):
    service = get_object_or_404(selectors.services_for(request.user), pk=pk)
    target = {"approve": "approved", "return": "returned", "resubmit": "submitted"}.get(action)
    if target is None:
        raise Http404
    try:
        orders.transition_service(
            actor=request.user,
            service_id=service.pk,
            to_status=target,
            reason=request.POST.get("reason", ""),
            now=clock.now(),
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        done = {
            "approve": _("已批准“%(name)s”（%(provider)s）进入服务机构名录。"),
            "return": _("已退回“%(name)s”（%(provider)s），服务机构修改后可重新提交。"),
            "resubmit": _("已重新提交“%(name)s”（%(provider)s），请等待科技局审核。"),
        }[action]
        messages.success(request, done % {"name": service.name, "provider": service.provider.name})
    return redirect(request.POST.get("next") or "vouchers:office")


@login_required
def order_new(request, service_pk):
    service = get_object_or_404(selectors.directory(), pk=service_pk)
    mine = selectors.vouchers_for(request.user).filter(
        enterprise_id__in=scope.organisation_ids(request.user),
        status=VoucherStatus.ACTIVE,
        category=service.category,
    )
    initial = {"price": service.price}
    if request.GET.get("voucher", "").isdigit():
        initial["voucher"] = int(request.GET["voucher"])
    form = forms.OrderForm(request.POST or None, vouchers=mine, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        v = mine.get(pk=d["voucher"])
        try:
            order = orders.place_order(
                actor=request.user,
                enterprise_id=v.enterprise_id,
                service_id=service.pk,
                voucher_id=v.pk,
                price=d["price"],
                description=d["description"],
                now=clock.now(),
            )
        except DomainError as exc:
            show_domain_error(form, exc)
        else:
            messages.success(request, _("服务订单已提交。"))
            return redirect("vouchers:order", order.pk)
    return render(
        request,
        "vouchers/order_new.html",
        {
            "service": service,
            "form": form,
            "can_apply": _my_orgs(request.user, OrganisationKind.ENTERPRISE).exists(),
        },
    )


@login_required
def order(request, pk):
    o = get_object_or_404(selectors.orders_for(request.user), pk=pk)
    user = request.user
    return render(
        request,
        "vouchers/order.html",
        {
            "order": o,
            "redemption": o.redemptions.first(),
            "share": orders.voucher_share_of(o),
            "is_provider": scope.is_member(user, o.provider),
            "is_enterprise": scope.is_member(user, o.enterprise),
            "is_finance": scope.covers(user, o.voucher.pool.jurisdiction_id, "finance"),
            # the services' own checks: the provider claims; the enterprise's administrator confirms
            "can_claim": scope.is_member(user, o.provider),
            "can_confirm": scope.is_org_admin(user, o.enterprise),
            "claim_form": forms.ClaimForm(),
            "settle_form": forms.SettleForm(),
            "plain_form": forms.IdempotentForm(),
        },
    )


def _order_words(o) -> dict:
    """An order's service, parties and the voucher's payment, for the messages after each step."""
    paid = sum(r.amount for r in o.redemptions.all())
    return {
        "service": o.service.name,
        "enterprise": o.enterprise.name,
        "provider": o.provider.name,
        "paid": format_yuan(paid),
    }


@login_required
@require_POST
def order_action(request, pk, action):
    o = get_object_or_404(selectors.orders_for(request.user), pk=pk)
    now, user = clock.now(), request.user
    if action == "claim":
        amount = request.POST.get("amount") or None
        if _once(
            request,
            f"orders.{pk}.claim",
            lambda: orders.claim_redemption(actor=user, order_id=o.pk, amount=amount, now=now).pk,
        ):
            messages.success(
                request,
                _("已提交创新券兑付申请：《%(service)s》，创新券支付%(paid)s，请等待%(enterprise)s确认。")
                % _order_words(o),
            )
    elif action == "settle":
        if _once(
            request,
            f"orders.{pk}.settle",
            lambda: (
                orders.settle_redemption(
                    actor=user, order_id=o.pk, settlement_ref=request.POST.get("settlement_ref", ""), now=now
                ).pk
            ),
        ):
            messages.success(
                request,
                _("已结算拨付给服务机构：《%(service)s》，创新券支付%(paid)s拨付给%(provider)s。")
                % _order_words(o),
            )
    elif action in ("deliver", "confirm", "cancel"):
        move = {
            "deliver": orders.deliver_order,
            "confirm": orders.confirm_redemption,
            "cancel": orders.cancel_order,
        }[action]
        try:
            move(actor=user, order_id=o.pk, now=now)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            done = {
                "deliver": _("已确认交付《%(service)s》，请申请创新券兑付。"),
                "confirm": _(
                    "已确认《%(service)s》的服务与兑付金额（创新券支付%(paid)s），请等待科技局结算拨付。"
                ),
                "cancel": _("已取消《%(service)s》的服务订单，创新券未被使用。"),
            }[action]
            messages.success(request, done % _order_words(o))
    else:
        raise Http404
    return redirect("vouchers:order", pk)


@login_required
def office(request):
    user = request.user
    if not scope.is_business_staff(user):
        raise DjangoPermissionDenied
    pools = selectors.staff_pools(user)
    return render(
        request,
        "vouchers/office.html",
        {
            "queue": selectors.review_queue(user),
            "service_queue": selectors.service_queue(user),
            "settlements": selectors.settlement_queue(user),
            "pools": [(pool, forms.PoolAdjustForm()) for pool in pools],  # a key per form
            "cert_form": forms.CertificationForm(),
            "cert_import_form": forms.CertificationImportForm(),
            "relation_form": forms.RelationForm(),
            "pool_form": forms.PoolForm(regions=_finance_regions(user)),
            "is_reviewer": scope.has_duty(user, Duty.REVIEWER),
            "is_finance": scope.has_duty(user, Duty.FINANCE),
            "report": ledger.reconcile(pool_ids=pools.values("pk")) if pools.exists() else None,
            "reason_form": forms.ReasonForm(),
        },
    )


@login_required
@require_POST
def office_certification(request):
    form = forms.CertificationForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        try:
            services.record_certification(
                actor=request.user,
                organisation_id=services.organisation_by_credit_code(d["credit_code"]).pk,
                kind=d["kind"],
                number=d["number"],
                valid_from=d["valid_from"],
                valid_until=d["valid_until"],
                now=clock.now(),
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("资质认定已登记。"))
    else:
        messages.error(request, _("请完整填写资质认定信息。"))
    return redirect("vouchers:office")


@login_required
def certification_template(request):
    return xlsx_response(spreadsheets.certification_template(), "certification-template.xlsx")


@login_required
@require_POST
def office_certification_import(request):
    if not scope.is_business_staff(request.user):
        raise DjangoPermissionDenied
    form = forms.CertificationImportForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("请选择要导入的文件。"))
        return redirect("vouchers:office")
    try:
        count = services.import_certifications(
            actor=request.user,
            rows=spreadsheets.read_certifications(form.cleaned_data["file"]),
            now=clock.now(),
        )
    except DomainError as exc:
        messages.error(request, _("未导入任何记录。") + exc.message)
    else:
        messages.success(request, _("已导入 %(n)s 条资质认定。") % {"n": count})
    return redirect("vouchers:office")


@login_required
@require_POST
def office_pool_adjust(request, pool_pk):
    pool = get_object_or_404(selectors.staff_pools(request.user), pk=pool_pk)
    form = forms.PoolAdjustForm(request.POST)
    if not form.is_valid():
        refused = form.errors.get("amount") if request.POST.get("amount") else None
        messages.error(request, str(refused[0]) if refused else _("请填写调整金额和理由。"))
    elif _once(
        request,
        f"pools.{pool.pk}.adjust",
        lambda: (
            services.adjust_pool(
                actor=request.user,
                pool_id=pool.pk,
                amount=form.cleaned_data["amount"],
                note=form.cleaned_data["note"],
                now=clock.now(),
            ).available
        ),
    ):
        messages.success(request, _("预算已调整。"))
    return redirect("vouchers:office")


@login_required
@require_POST
def office_relation(request):
    form = forms.RelationForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请完整填写关联关系。"))
        return redirect("vouchers:office")
    d = form.cleaned_data
    try:
        orders.record_relation(
            actor=request.user,
            provider_id=services.organisation_by_credit_code(d["provider_credit_code"]).pk,
            enterprise_id=services.organisation_by_credit_code(d["enterprise_credit_code"]).pk,
            description=d["description"],
            now=clock.now(),
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("关联关系已登记，该服务机构不能兑付该企业的创新券。"))
    return redirect("vouchers:office")


@login_required
def ledger_export(request, pool_pk):
    pool = get_object_or_404(selectors.staff_pools(request.user), pk=pool_pk)
    book = spreadsheets.ledger_workbook(pool, selectors.pool_ledger(pool))
    return xlsx_response(book, f"voucher-ledger-{pool.jurisdiction_id}-{pool.year}.xlsx")


@login_required
@require_POST
def office_pool(request):
    form = forms.PoolForm(request.POST, regions=_finance_regions(request.user))
    if form.is_valid():
        d = form.cleaned_data
        if _once(
            request,
            "pools.create",
            lambda: (
                services.create_pool(
                    actor=request.user,
                    jurisdiction_code=d["jurisdiction"],
                    year=d["year"],
                    budget=d["budget"],
                    category=d["category"],
                    enterprise_ceiling=d["enterprise_ceiling"],
                    voucher_share=d["voucher_share"],
                    validity_days=d["validity_days"],
                    now=clock.now(),
                ).pk
            ),
        ):
            messages.success(request, _("资金池已创建，预算已下达。"))
    else:
        messages.error(request, _("请完整填写资金池信息。"))
    return redirect("vouchers:office")
