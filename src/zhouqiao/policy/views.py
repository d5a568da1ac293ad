"""Policy pages: the public rule list and 政策计算器, and the entitlement desk."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhouqiao.accounts import scope
from zhouqiao.accounts.models import Duty
from zhouqiao.core import clock
from zhouqiao.core.errors import DomainError
from zhouqiao.policy import engine, services
from zhouqiao.policy.forms import CalculatorForm, TransitionForm
from zhouqiao.policy.models import Entitlement
from zhouqiao.policy.states import EntitlementStatus

ACTIONS = {
    "confirm": EntitlementStatus.CONFIRMED,
    "approve1": EntitlementStatus.FIRST_APPROVED,
    "approve2": EntitlementStatus.APPROVED,
    "pay": EntitlementStatus.PAID,
    "reject": EntitlementStatus.REJECTED,
}


def rules(request):
    return render(request, "policy/rules.html", {"packages": engine.packages()})


def calculator(request):
    data = request.POST if request.method == "POST" else None
    form = CalculatorForm(
        data,
        initial={
            "date": clock.now().date(),
            "contract_type": "技术转让",
            "contract_amount": "800000.00",
            "technology_amount": "800000.00",
        },
    )
    results = None
    if data is not None and form.is_valid():
        try:
            results = engine.evaluate_contract(engine.parse_case(form.case()))
        except engine.CaseError as exc:
            form.add_error(None, exc.message)
    return render(request, "policy/calculator.html", {"form": form, "results": results})


@login_required
def entitlement_list(request):
    user = request.user
    visible = Entitlement.objects.visible_to(user).select_related("organisation", "contract")
    own = visible.filter(organisation_id__in=scope.organisation_ids(user))
    desk = visible.filter(scope.region_q(user, "payer_region", Duty.FINANCE)).exclude(
        status__in=[EntitlementStatus.PAID, EntitlementStatus.REJECTED, EntitlementStatus.REVERSED]
    )
    return render(request, "policy/entitlements.html", {"own": own[:200], "desk": desk[:200]})


@login_required
@require_POST
def entitlement_transition(request, pk, action):
    if action not in ACTIONS:
        raise Http404
    form = TransitionForm(request.POST)
    form.is_valid()
    try:
        services.get_entitlement(request.user, pk)
        services.transition_entitlement(
            actor=request.user,
            entitlement_id=pk,
            to_status=ACTIONS[action],
            reason=form.cleaned_data.get("reason"),
            payment_reference=form.cleaned_data.get("payment_reference"),
            now=clock.now(),
        )
        messages.success(request, _("已办理。"))
    except DomainError as exc:
        messages.error(request, str(exc.message))
    return redirect(
        request.POST.get("next") if url_is_local(request.POST.get("next")) else "policy:entitlements"
    )


def url_is_local(url) -> bool:
    return bool(url) and url.startswith("/") and not url.startswith("//")
