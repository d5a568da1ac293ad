"""Contract registration pages: parse → one service or selector → render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhouqiao.accounts import scope
from zhouqiao.accounts.models import Duty, Organisation
from zhouqiao.contracts import services
from zhouqiao.contracts.forms import AttachmentForm, ContractForm, ReasonForm
from zhouqiao.contracts.models import Contract
from zhouqiao.contracts.pdf import render_pdf
from zhouqiao.contracts.states import EDITABLE, ContractStatus
from zhouqiao.core import clock
from zhouqiao.core.errors import DomainError, NotFound
from zhouqiao.policy import services as policy_services

ACTIONS = {
    "submit": ContractStatus.SUBMITTED,
    "register": ContractStatus.REGISTERED,
    "return": ContractStatus.RETURNED,
    "refuse": ContractStatus.REFUSED,
    "reverse": ContractStatus.REVERSED,
}


def _contract(user, pk) -> Contract:
    try:
        return services.get_visible(user, pk)
    except NotFound as exc:
        raise Http404 from exc


@login_required
def contract_list(request):
    user = request.user
    visible = Contract.objects.visible_to(user).select_related("seller", "buyer", "region")
    own = visible.filter(seller_id__in=scope.organisation_ids(user)) | visible.filter(
        buyer_id__in=scope.organisation_ids(user)
    )
    queue = visible.filter(scope.region_q(user, "region", Duty.REGISTRAR), status=ContractStatus.SUBMITTED)
    return render(
        request,
        "contracts/list.html",
        {
            "own": own.distinct()[:100],
            "queue": queue.order_by("decision_due", "pk")[:100],
            "today": clock.now().date(),
            "sellers": Organisation.objects.filter(pk__in=scope.organisation_ids(user), status="verified"),
        },
    )


@login_required
def contract_new(request):
    seller = Organisation.objects.filter(
        pk__in=scope.organisation_ids(request.user), status="verified"
    ).first()
    if seller is None:
        messages.error(request, _("您所在的单位尚未通过认证，不能申请合同登记。"))
        return redirect("contracts:list")
    form = ContractForm(request.POST or None, request.FILES or None, seller=seller)
    if request.method == "POST" and form.is_valid():
        try:
            now = clock.now()
            contract = services.create_draft(
                actor=request.user, seller_id=seller.pk, data=form.service_data(), now=now
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
            for field, errors in (exc.detail or {}).items():
                name = field.removesuffix("_id")
                form.add_error(name if name in form.fields else None, errors[0])
            if not exc.detail:
                form.add_error(None, str(exc.message))
        else:
            messages.success(request, _("合同登记草稿已保存。"))
            return redirect("contracts:detail", pk=contract.pk)
    return render(request, "contracts/form.html", {"form": form, "seller": seller})


@login_required
def contract_detail(request, pk):
    contract = _contract(request.user, pk)
    user = request.user
    is_seller = scope.is_member(user, contract.seller)
    is_registrar = scope.covers(user, contract.region_id, Duty.REGISTRAR)
    quote = []
    if contract.status in (ContractStatus.SUBMITTED, ContractStatus.DRAFT, ContractStatus.RETURNED):
        quote = policy_services.quote_for_contract(contract, as_of=clock.now().date())
    return render(
        request,
        "contracts/detail.html",
        {
            "contract": contract,
            "is_seller": is_seller,
            "is_registrar": is_registrar,
            "editable": contract.status in EDITABLE and is_seller,
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
    return FileResponse(
        contract.attachment.open("rb"),
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
        services.transition_contract(
            actor=request.user,
            contract_id=contract.pk,
            to_status=ACTIONS[action],
            reason=form.cleaned_data.get("reason", ""),
            now=clock.now(),
        )
        messages.success(request, _("已办理。"))
    except DomainError as exc:
        messages.error(request, str(exc.message))
    return redirect("contracts:detail", pk=contract.pk)


@login_required
def certificate(request, pk):
    contract = _contract(request.user, pk)
    if contract.status != ContractStatus.REGISTERED:
        raise Http404
    pdf = render_pdf(
        "contracts/certificate.html",
        {
            "contract": contract,
            "items": contract.non_technical_items.all(),
        },
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="certificate-{contract.registration_number}.pdf"'
    return response
