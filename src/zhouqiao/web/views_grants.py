"""人员授权 (/office/grants/): a security administrator grants duties within their jurisdiction,
sees the duties held there, and withdraws them. The rules (三员分立, no self-grant, jurisdiction)
are the services'; the page shows a 撤销 button only where :func:`services.may_revoke` allows it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from zhouqiao.accounts import scope, selectors, services
from zhouqiao.accounts.models import Duty, User
from zhouqiao.core import clock
from zhouqiao.core.errors import DomainError
from zhouqiao.core.forms import show_domain_error
from zhouqiao.web.forms import GrantFilterForm, GrantForm
from zhouqiao.web.widgets import MAX_QUERY, MAX_SUGGESTIONS

PER_PAGE = 20


def _security_admin(request):
    if not scope.has_duty(request.user, Duty.SECURITY_ADMIN):
        raise DjangoPermissionDenied


def _duty_words(assignment) -> dict[str, str]:
    return {
        "person": str(assignment.user),
        "username": assignment.user.username,
        "jurisdiction": selectors.jurisdiction_name(assignment.jurisdiction),
        "duty": assignment.get_duty_display(),
    }


@login_required
def staff_grants(request):
    _security_admin(request)
    user = request.user
    grant_form = GrantForm(request.POST or None)
    if request.method == "POST" and grant_form.is_valid():
        try:
            assignment = services.grant_duty(
                actor=user,
                username=grant_form.cleaned_data["person"],
                jurisdiction_code=grant_form.cleaned_data["jurisdiction"],
                duty=grant_form.cleaned_data["duty"],
                now=clock.now(),
            )
        except DomainError as exc:
            show_domain_error(grant_form, exc, fields={"username": "person"})
        else:
            messages.success(
                request,
                _("已授予 %(person)s（%(username)s）%(jurisdiction)s · %(duty)s 职责。")
                % _duty_words(assignment),
            )
            return redirect("web:staff_grants")
    regions = selectors.grant_jurisdictions(user)
    filters = GrantFilterForm(
        request.GET or None, regions=regions, auto_id="filter_%s"
    )  # ids unlike the form's
    person = region = ""
    if filters.is_valid():
        person, region = filters.cleaned_data["person"], filters.cleaned_data["region"]
    page = Paginator(selectors.grants_for(user, person=person, region_code=region), PER_PAGE).get_page(
        request.GET.get("page")
    )
    rows = list(page)
    organisations = selectors.organisations_by_person(a.user_id for a in rows)
    for a in rows:
        a.organisations = organisations.get(a.user_id, "")
        a.jurisdiction_label = selectors.jurisdiction_name(a.jurisdiction)
        a.revocable = services.may_revoke(user, a)
    return render(
        request,
        "web/staff_grants.html",
        {"grant_form": grant_form, "filters": filters, "page": page, "rows": rows},
    )


@login_required
@require_POST
def staff_revoke(request, pk):
    _security_admin(request)
    try:
        assignment = services.revoke_duty(actor=request.user, assignment_id=pk, now=clock.now())
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("已撤销 %(person)s（%(username)s）%(jurisdiction)s · %(duty)s 职责。")
            % _duty_words(assignment),
        )
    return redirect("web:staff_grants")


@login_required
@require_GET
def person_suggestions(request):
    """``<option>``s for the grant form's person picker: at most 20 people matching ``q``."""
    _security_admin(request)
    query = request.GET.get("q", "")
    if len(query) > MAX_QUERY:
        return HttpResponseBadRequest(_("查询内容过长（不超过%(n)d个字）。") % {"n": MAX_QUERY})
    people = list(selectors.people_matching(query, exclude=request.user, limit=MAX_SUGGESTIONS))
    organisations = selectors.organisations_by_person(p.pk for p in people)
    return render(
        request,
        "web/partials/person_options.html",
        {"people": [(person_value(p), organisations.get(p.pk, "")) for p in people]},
    )


def person_value(user: User) -> str:
    """What the picker puts in the field: "张三（zhangsan）" (GrantForm.clean_person reads it back)."""
    return f"{user.display_name}（{user.username}）" if user.display_name else user.username
