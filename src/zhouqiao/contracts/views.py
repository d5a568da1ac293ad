"""Contract registration pages: parse → one service or selector → render."""

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
from zhouqiao.catalog import posting
from zhouqiao.contracts import certificates, selectors, services, statistics
from zhouqiao.contracts.forms import (
    AttachmentForm,
    ContractFilterForm,
    ContractForm,
    InstalmentFormSet,
    NonTechnicalItemFormSet,
    ReasonForm,
    StatisticsFilterForm,
    instalment_initial,
    item_initial,
)
from zhouqiao.contracts.models import Contract
from zhouqiao.contracts.pdf import pdf_response
from zhouqiao.contracts.states import ACTIONS, EDITABLE, ContractStatus
from zhouqiao.core import batch, clock
from zhouqiao.core.errors import DomainError, NotFound
from zhouqiao.core.models import Industry, Region
from zhouqiao.core.money import amount_in_capitals
from zhouqiao.core.spreadsheets import xlsx_response
from zhouqiao.policy import services as policy_services


def _contract(user, pk) -> Contract:
    try:
        return services.get_visible(user, pk)
    except NotFound as exc:
        raise Http404 from exc


PAGE_SIZE = 20


def _regions_in(user) -> list[tuple[str, str]]:
    """The staff member's jurisdiction as choices, counties indented under their city; the city and
    province above a county jurisdiction too (the statistics roll a county up into them)."""
    query = Q(pk__in=[])
    for prefix in scope.prefixes(user):
        query |= Q(code__startswith=prefix) | Q(code__in=[prefix[:2] + "0000", prefix[:4].ljust(6, "0")])
    indent = {"province": "", "city": "", "county": "\u3000"}
    return [
        (r.code, indent.get(r.level, "") + r.name)
        for r in Region.objects.filter(query).exclude(name__in=["市辖区", "县"]).order_by("code")
    ]


def _buyer_regions(user, wanted: str) -> list[tuple[str, str]]:
    """Buyers may be anywhere: the jurisdiction, every province, and the region asked for."""
    choices = dict(_regions_in(user))
    for region in Region.objects.filter(level="province").order_by("code"):
        choices.setdefault(region.code, region.name)
    extra = (
        Region.objects.select_related("parent__parent").filter(code=wanted[:6]).first() if wanted else None
    )
    if extra is not None:
        choices.setdefault(extra.code, extra.full_name)
    return list(choices.items())


@login_required
def contract_list(request):
    """Staff: the registration queue, then every contract of their jurisdiction with filters (the
    statistics link here). Members of an organisation: their own contracts by status."""
    user = request.user
    visible = Contract.objects.visible_to(user)
    staff = scope.is_business_staff(user)
    form = ContractFilterForm(
        request.GET or None,
        staff=staff,
        regions=_regions_in(user) if staff else (),
        buyer_regions=_buyer_regions(user, request.GET.get("buyer_region", "")) if staff else (),
        industries=Industry.objects.filter(pk__in=visible.exclude(industry=None).values("industry_id"))
        .order_by("code")
        .values_list("code", "name")
        if staff
        else (),
    )
    filters = form.filters() if request.GET else {}
    listed = selectors.filter_contracts(visible.select_related("seller", "buyer", "region"), filters)
    page = Paginator(listed, PAGE_SIZE).get_page(request.GET.get("page"))
    queue = visible.filter(
        scope.region_q(user, "region", Duty.REGISTRAR), status=ContractStatus.SUBMITTED
    ).select_related("seller")
    return render(
        request,
        "contracts/list.html",
        {
            "form": form,
            "filtered": bool(filters),
            "page_obj": page,
            "staff": staff,
            "queue": queue.order_by("decision_due", "pk")[:100] if not filters else [],
            "today": clock.local_date(),
            "sellers": posting.organisations_for(user, posting.CONTRACT, verified_only=True),
            "is_staff": staff,
            "is_distributor": Organisation.objects.filter(
                pk__in=scope.organisation_ids(user, role="admin"), kind__in=["university", "institute"]
            ).exists(),
        },
    )


def _show_errors(form, exc: DomainError) -> None:
    """A service's refusal on the form: on the field it names (``buyer_id`` → ``buyer``), else at
    the top (itemised payments and the payment schedule are checked as a whole)."""
    for field, errors in (exc.detail or {}).items():
        name = field.removesuffix("_id")
        form.add_error(name if name in form.fields else None, errors[0])
    if not exc.detail:
        form.add_error(None, str(exc.message))


def _formsets(data, contract=None):
    return (
        NonTechnicalItemFormSet(data, prefix="items", initial=item_initial(contract) if contract else None),
        InstalmentFormSet(
            data, prefix="instalments", initial=instalment_initial(contract) if contract else None
        ),
    )


@login_required
@require_POST
def batch_register(request):
    """The registrar registers the contracts ticked in the queue; each is reported on its own."""
    try:
        outcome = services.register_contracts(
            actor=request.user,
            contract_ids=request.POST.getlist("ids")[: batch.BATCH_LIMIT + 1],
            now=clock.now(),
        )
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        if outcome.done:
            messages.success(request, _("已登记%(n)s份合同。") % {"n": len(outcome.done)})
        for name, reason in outcome.failed:
            messages.error(request, _("%(name)s未登记：%(reason)s") % {"name": name, "reason": reason})
    return redirect("contracts:list")


def _no_seller(user) -> str:
    """Why the user may apply for no organisation: the rule's words (an administrator, a bureau),
    else the verification their organisation still waits for."""
    own = Organisation.objects.filter(pk__in=scope.organisation_ids(user)).order_by("name")
    for org in own:
        refused = posting.refusal(user, org, posting.CONTRACT)
        if refused:
            return refused
    if posting.is_administrator(user):
        return posting.refusal(user, None, posting.CONTRACT)
    return _("您所在的单位尚未通过认证，不能申请合同登记。")


@login_required
def contract_new(request):
    # The seller is named: the only verified organisation of the person, or the one they pick
    # (?seller=<id>) when they belong to several; nothing is guessed.
    sellers = posting.organisations_for(request.user, posting.CONTRACT, verified_only=True)
    if not sellers:
        messages.error(request, _no_seller(request.user))
        return redirect("contracts:list")
    chosen = request.GET.get("seller", "")
    seller = next((o for o in sellers if str(o.pk) == chosen), sellers[0] if len(sellers) == 1 else None)
    if seller is None:
        return render(request, "contracts/choose_seller.html", {"sellers": sellers})
    data = request.POST if request.method == "POST" else None
    form = ContractForm(data, request.FILES or None, seller=seller)
    items, instalments = _formsets(data)
    if data is not None and all(f.is_valid() for f in (form, items, instalments)):
        try:
            now = clock.now()
            contract = services.create_draft(
                actor=request.user,
                seller_id=seller.pk,
                data=form.service_data(items, instalments),
                now=now,
            )
            upload = form.cleaned_data.get("attachment")
            if upload:
                services.attach_signed_contract(
                    actor=request.user,
                    contract_id=contract.pk,
                    content=upload.read(),
                    filename=upload.name,
                    now=now,
                )
        except DomainError as exc:
            _show_errors(form, exc)
        else:
            messages.success(request, _("合同登记草稿已保存。"))
            return redirect("contracts:detail", pk=contract.pk)
    return render(
        request,
        "contracts/form.html",
        {"form": form, "items": items, "instalments": instalments, "seller": seller},
    )


@login_required
def contract_edit(request, pk):
    """The seller corrects a draft or a returned registration (then resubmits on the detail page)."""
    contract = _contract(request.user, pk)
    if not (
        contract.status in EDITABLE and posting.may_post(request.user, contract.seller, posting.CONTRACT)
    ):
        messages.error(request, _("只有卖方可以修改草稿或已退回的合同。"))
        return redirect("contracts:detail", pk=contract.pk)
    data = request.POST if request.method == "POST" else None
    fixed_buyer = contract.buyer if contract.source_deal_id else None  # the deal's buyer
    form = ContractForm(
        data,
        seller=contract.seller,
        editing=True,
        fixed_buyer=fixed_buyer,
        current_buyer_id=contract.buyer_id,
        initial=ContractForm.initial_for(contract),
    )
    items, instalments = _formsets(data, contract)
    if data is not None and all(f.is_valid() for f in (form, items, instalments)):
        try:
            services.update_draft(
                actor=request.user,
                contract_id=contract.pk,
                data=form.service_data(items, instalments),
                now=clock.now(),
            )
        except DomainError as exc:
            _show_errors(form, exc)
        else:
            messages.success(request, _("合同信息已修改，请确认后提交登记机构审查。"))
            return redirect("contracts:detail", pk=contract.pk)
    return render(
        request,
        "contracts/form.html",
        {
            "form": form,
            "items": items,
            "instalments": instalments,
            "seller": contract.seller,
            "contract": contract,
            "fixed_buyer": fixed_buyer,
        },
    )


def _statistics_scope(user):
    if not scope.is_business_staff(user):
        raise PermissionDenied
    return Contract.objects.filter(scope.region_q(user, "region"))


def _own_level(user) -> str:
    """The grouping a staff member sees first: their own jurisdiction's level. A county clerk sees
    their county (not the city it rolls up into); city and province staff see the cities."""
    return "county" if any(len(p) >= COUNTY_PREFIX for p in scope.prefixes(user)) else "city"


COUNTY_PREFIX = 6


def _statistics_filters(request):
    """The bound filter form and the level and year it asks for (the user's own level by default)."""
    default = _own_level(request.user)
    form = StatisticsFilterForm(request.GET or None, initial={"level": default})
    level, year = default, None
    if form.is_valid():
        level = form.cleaned_data.get("level") or default
        year = form.cleaned_data.get("year")
    return form, level, year


@login_required
def statistics_page(request):
    queryset = _statistics_scope(request.user)
    form, level, year = _statistics_filters(request)
    return render(
        request,
        "contracts/statistics.html",
        {
            "form": form,
            "tables": statistics.tables(queryset=queryset, level=level, year=year),
            "query": request.GET.urlencode(),
        },
    )


@login_required
def statistics_export(request):
    queryset = _statistics_scope(request.user)
    _form, level, year = _statistics_filters(request)
    content = statistics.workbook(statistics.tables(queryset=queryset, level=level, year=year))
    return xlsx_response(content, "contract-statistics.xlsx")


@login_required
def contract_detail(request, pk):
    contract = _contract(request.user, pk)
    user = request.user
    is_seller = posting.may_post(user, contract.seller, posting.CONTRACT)
    is_registrar = scope.covers(user, contract.region_id, Duty.REGISTRAR)
    quote = []
    if contract.status in (ContractStatus.SUBMITTED, ContractStatus.DRAFT, ContractStatus.RETURNED):
        quote = policy_services.quote_for_contract(contract, as_of=clock.local_date())
    distribution = policy_services.distribution_floor_for(contract)  # 收益分配 (policy ruling 7)
    return render(
        request,
        "contracts/detail.html",
        {
            "contract": contract,
            "distribution_floor": distribution,
            "is_seller": is_seller,
            "is_registrar": is_registrar,
            "editable": contract.status in EDITABLE and is_seller,
            "distributable": contract.status == ContractStatus.REGISTERED
            and contract.contract_type in ("transfer", "licence", "equity")
            and contract.seller.kind in ("university", "institute")
            and scope.is_org_admin(user, contract.seller),
            "quote": quote,
            "entitlements": contract.entitlements.visible_to(user).order_by("clause", "pk"),
            "applications": contract.applications.visible_to(user),
            "attachment_form": AttachmentForm(),
            "reason_form": ReasonForm(),
        },
    )


@login_required
@require_POST
def attachment_upload(request, pk):
    contract = _contract(request.user, pk)
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["attachment"]
        try:
            services.attach_signed_contract(
                actor=request.user,
                contract_id=contract.pk,
                content=upload.read(),
                filename=upload.name,
                now=clock.now(),
            )
            messages.success(request, _("合同文本已上传。"))
        except DomainError as exc:
            messages.error(request, str(exc.message))
    else:
        messages.error(request, _("请选择要上传的PDF文件。"))
    return redirect("contracts:detail", pk=contract.pk)


@login_required
def attachment_download(request, pk):
    contract = _contract(request.user, pk)
    if not contract.attachment:
        raise Http404
    try:
        stream = contract.attachment.open("rb")
    except FileNotFoundError:  # the record names a file the storage no longer has: not a server error
        raise Http404 from None
    return FileResponse(
        stream,
        content_type="application/pdf",
        filename=contract.attachment_name or "contract.pdf",
    )


@login_required
@require_POST
def contract_transition(request, pk, action):
    if action not in ACTIONS:
        raise Http404
    contract = _contract(request.user, pk)
    form = ReasonForm(request.POST)
    form.is_valid()
    try:
        contract = services.transition_contract(
            actor=request.user,
            contract_id=contract.pk,
            to_status=ACTIONS[action],
            reason=form.cleaned_data.get("reason", ""),
            now=clock.now(),
        )
        messages.success(request, _done(contract))
    except DomainError as exc:
        messages.error(request, str(exc.message))
    return redirect("contracts:detail", pk=contract.pk)


def _done(contract: Contract) -> str:
    """What the move did to which contract: the registration number, whom it now waits on."""
    names = {"title": contract.title}
    if contract.status == ContractStatus.SUBMITTED:
        names["bureau"] = posting.bureau_name(contract.region_id, Duty.REGISTRAR)
        return _("已提交《%(title)s》的登记申请，等待%(bureau)s审核。") % names
    if contract.status == ContractStatus.REGISTERED:
        names["number"] = contract.registration_number
        return _("已准予登记《%(title)s》，登记号 %(number)s。") % names
    if contract.status == ContractStatus.RETURNED:
        return _("已将《%(title)s》退回补正，卖方会收到退回理由。") % names
    if contract.status == ContractStatus.REFUSED:
        return _("已决定《%(title)s》不予登记，卖方会收到理由。") % names
    return _("已撤销《%(title)s》的登记。") % names


def _registered(user, pk) -> Contract:
    contract = _contract(user, pk)
    if contract.status != ContractStatus.REGISTERED or not contract.verification_code:
        raise Http404
    return contract


def _certificate_context(request, contract: Contract) -> dict:
    import segno

    verify_url = request.build_absolute_uri(
        reverse("contracts:verify", kwargs={"code": contract.verification_code})
    )
    qr = segno.make(verify_url, error="m")
    return {
        "contract": contract,
        "items": contract.non_technical_items.all(),
        "capitals": _capitals(contract),
        "code": certificates.grouped(contract.verification_code),
        "verify_url": verify_url,
        "qr_svg": qr.svg_inline(scale=4, title=_("核验二维码")),
        "qr_uri": qr.svg_data_uri(scale=4),
    }


def _capitals(contract: Contract) -> dict:
    return {
        "contract": amount_in_capitals(contract.contract_amount),
        "technology": amount_in_capitals(contract.technology_amount),
    }


@login_required
def certificate_page(request, pk):
    """The certificate on screen, with its QR code and the link to the public verification page."""
    contract = _registered(request.user, pk)
    return render(request, "contracts/certificate_page.html", _certificate_context(request, contract))


@login_required
def certificate(request, pk):
    contract = _registered(request.user, pk)
    return pdf_response(
        "contracts/certificate.html",
        _certificate_context(request, contract),
        filename=f"certificate-{contract.registration_number}.pdf",
    )


def _verified(code: str) -> Contract | None:
    code = certificates.normalise_code(code)
    if len(code) != certificates.CODE_LENGTH:
        return None
    return (
        Contract.objects.filter(
            verification_code=code, status__in=[ContractStatus.REGISTERED, ContractStatus.REVERSED]
        )
        .only(
            "registration_number",
            "registered_at",
            "contract_type",
            "subtype",
            "contract_amount",
            "technology_amount",
            "registry_name",
            "status",
        )
        .first()
    )


def verify(request, code):
    """Public: anyone holding a certificate confirms it here. Only what the certificate states
    about the registration is shown: no parties, contact data or contract text."""
    contract = _verified(code) if len(code) <= 64 else None
    if contract is None:
        response = render(request, "contracts/verify_missing.html", {"code": code}, status=404)
    else:
        response = render(
            request, "contracts/verify.html", {"contract": contract, "capitals": _capitals(contract)}
        )
    response["X-Robots-Tag"] = "noindex"
    return response


def verify_lookup(request):
    """The verification form: a typed code opens its verification page."""
    code = certificates.normalise_code(request.GET.get("code", ""))
    if code:
        return redirect("contracts:verify", code=code)
    response = render(request, "contracts/verify_missing.html", {"code": ""})
    response["X-Robots-Tag"] = "noindex"
    return response
