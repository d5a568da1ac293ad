from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from zhouqiao.core import clock
from zhouqiao.core.errors import DomainError
from zhouqiao.insights.targets import catalogue, selectors, services
from zhouqiao.insights.targets.forms import ActualForm


def _year(request, now) -> int:
    choices = selectors.year_choices(now)
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        return selectors.default_year(now)
    return year if year in choices else selectors.default_year(now)


def target_list(request):
    now = clock.now()
    year = _year(request, now)
    rows = selectors.progress(request.user, year=year, now=now)
    groups = []
    for document in catalogue.documents():
        groups.append((document, [r for r in rows if r.target.document == document]))
    return render(
        request,
        "targets/target_list.html",
        {
            "year": year,
            "years": selectors.year_choices(now),
            "groups": groups,
            "reached": sum(1 for r in rows if r.reached),
            "without_actual": sum(1 for r in rows if r.actual is None),
            "total": len(rows),
        },
    )


def target_detail(request, code):
    target = catalogue.get(code)
    if target is None:
        raise Http404
    now = clock.now()
    can_enter = services.can_enter(request.user, target)
    form = ActualForm(request.POST or None, initial={"year": min(target.due, selectors.default_year(now))})
    if request.method == "POST":
        if not can_enter:
            messages.error(request, _("只有该地区的统计监测人员可以录入目标实际值。"))
            return redirect("targets:target_detail", code=code)
        if form.is_valid():
            try:
                services.enter_actual(target_code=code, **form.cleaned_data, actor=request.user, now=now)
            except DomainError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("已录入%(y)s年度实际值。") % {"y": form.cleaned_data["year"]})
                return redirect("targets:target_detail", code=code)
    return render(
        request,
        "targets/target_detail.html",
        {
            "target": target,
            "rows": selectors.series(request.user, target, now=now),
            "can_enter": can_enter,
            "form": form,
        },
    )
