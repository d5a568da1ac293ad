"""Saved searches and demand subscriptions ("我的订阅") of the signed-in user; each person sees and
changes only their own (another's is "not found"). Their messages are in the one inbox."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhouqiao.core import clock
from zhouqiao.core.errors import DomainError, NotFound
from zhouqiao.search import selectors, services


def _back(request, fallback: str):
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return redirect(target)
    return redirect(fallback)


@login_required
@require_POST
def save_search(request):
    try:
        services.save_search(
            actor=request.user,
            name=request.POST.get("name", ""),
            query=request.POST.get("q", ""),
            kind=request.POST.get("kind", ""),
            now=clock.now(),
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("检索已保存。有新发布的匹配记录时，会在“消息”中通知您。"))
    return _back(request, "search:subscriptions")


@login_required
@require_POST
def subscribe_demand(request, demand_id: int):
    try:
        services.subscribe_demand(actor=request.user, demand_id=demand_id, now=clock.now())
    except NotFound:
        raise Http404 from None
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已订阅。有新发布的成果与该需求匹配时，会在“消息”中通知您。"))
    return redirect("catalog:demand_detail", demand_id)


@login_required
def subscriptions(request):
    return render(request, "search/subscriptions.html", {"rows": selectors.saved_searches_of(request.user)})


@login_required
@require_POST
def delete_saved_search(request, pk: int):
    try:
        services.delete_saved_search(actor=request.user, saved_search_id=pk, now=clock.now())
    except NotFound:
        raise Http404 from None
    messages.success(request, _("已删除。"))
    return redirect("search:subscriptions")
