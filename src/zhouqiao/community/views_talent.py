"""人才资源库 pages: the search enterprises use, the staff's counts, a person's 双融 marks."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhouqiao.community import talent
from zhouqiao.community.forms import TalentFilterForm, TalentForm
from zhouqiao.community.models import Expert
from zhouqiao.community.views import _fields_of, _region_choices
from zhouqiao.core import clock
from zhouqiao.core.errors import DomainError

PAGE_SIZE = 20


def talent_list(request):
    form = TalentFilterForm(request.GET or None, regions=_region_choices())
    filters = form.cleaned_data if form.is_valid() else {}
    rows = talent.search(
        post=filters.get("post", ""),
        availability=filters.get("availability", ""),
        category=filters.get("category", ""),
        discipline=filters.get("discipline", ""),
        industry=filters.get("industry", ""),
        region=filters.get("region", ""),
        q=filters.get("q", ""),
    ).order_by("name", "pk")
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    from zhouqiao.community.exchange.views import may_talk

    people = [{"expert": e, "can_talk": may_talk(request.user, e), **_fields_of(e)} for e in page.object_list]
    return render(
        request,
        "community/talent_list.html",
        {"form": form, "page": page, "people": people, "may_see_stats": talent.may_see_stats(request.user)},
    )


@login_required
def talent_stats(request):
    if not talent.may_see_stats(request.user):
        raise Http404
    return render(request, "community/talent_stats.html", talent.counts(request.user))


@login_required
@require_POST
def talent_edit(request, pk):
    expert = get_object_or_404(Expert, pk=pk)
    form = TalentForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择人才类别和对接意愿。"))
        return redirect("community:expert_detail", pk=pk)
    from zhouqiao.community.exchange import services

    try:
        services.update_talent(actor=request.user, expert_id=expert.pk, now=clock.now(), **form.cleaned_data)
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("人才资源库信息已保存。"))
    return redirect("community:expert_detail", pk=pk)
