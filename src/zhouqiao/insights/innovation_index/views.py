from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhouqiao.core import clock
from zhouqiao.core.errors import DomainError
from zhouqiao.core.spreadsheets import xlsx_response
from zhouqiao.insights.innovation_index import framework as fw
from zhouqiao.insights.innovation_index import selectors, services, workbook
from zhouqiao.insights.innovation_index.forms import ImportForm, InputForm, MethodForm, OpenYearForm
from zhouqiao.insights.innovation_index.models import IndexInput, IndexStatus, IndexYear


def ranking(request):
    years = list(selectors.published_years())
    chosen = None
    if years:
        wanted = request.GET.get("year", "")
        chosen = next((y for y in years if str(y.year) == wanted), years[0])
    return render(
        request,
        "innovation_index/ranking.html",
        {
            "years": years,
            "index_year": chosen,
            "lines": selectors.published_lines(chosen) if chosen else [],
            "weights": selectors.weight_table(chosen) if chosen else [],
            "pillars": fw.PILLARS,
            "can_enter": services.can_enter(request.user),
        },
    )


def methodology(request):
    weights = fw.default_weights()
    return render(
        request,
        "innovation_index/methodology.html",
        {
            "inputs": fw.INPUTS,
            "pillars": [(p, fw.indicators_of(p.code)) for p in fw.PILLARS],
            "weights": weights,
            "years": selectors.published_years(),
            "fw": fw,
            "spread": int(fw.SENSITIVITY_SPREAD * 100),
        },
    )


def inputs_download(request, year):
    index_year = get_object_or_404(IndexYear, year=year, status=IndexStatus.PUBLISHED)
    return xlsx_response(bytes(index_year.inputs_file), f"innovation-index-{year}-inputs.xlsx")


def _staff(request):
    if not services.can_enter(request.user):
        raise DjangoPermissionDenied
    return request.user


@login_required
def manage(request):
    user = _staff(request)
    mine = services.regions_of(user)
    years = []
    for index_year in IndexYear.objects.all():
        entry = {"year": index_year, "entered": 0, "lines": [], "method": None}
        if not index_year.is_published:
            have = set(
                IndexInput.objects.filter(
                    index_year=index_year, region__in=[r.code for r in mine]
                ).values_list("region_id", flat=True)
            )
            entry["entered"] = len(have)
            if have:
                result = services.compute_year(index_year, sensitivity=False)
                entry["lines"] = [
                    line
                    for line in selectors.preview_lines(result)
                    if line.region_code in {r.code for r in mine}
                ]
            if services.can_manage(user):
                entry["method"] = MethodForm(
                    initial={"normalisation": index_year.normalisation},
                    weights=index_year.weights,
                    prefix=f"m{index_year.year}",
                )
        years.append(entry)
    return render(
        request,
        "innovation_index/manage.html",
        {
            "years": years,
            "mine": len(mine),
            "can_manage": services.can_manage(user),
            "open_form": OpenYearForm(),
            "import_form": ImportForm(),
            "pillars": fw.PILLARS,
            "regions": mine,
        },
    )


@login_required
def template_download(request, year):
    user = _staff(request)
    index_year = get_object_or_404(IndexYear, year=year)
    if index_year.is_published:
        raise Http404
    have = {row.region_id: row.values for row in index_year.inputs.all()}
    regions = services.regions_of(user)
    platform = services.platform_figures([r.code for r in regions if r.code not in have], year)
    rows = [(year, r.code, r.name, have.get(r.code) or platform.get(r.code, {})) for r in regions]
    return xlsx_response(workbook.build(rows), f"innovation-index-{year}-template.xlsx")


def _run(request, action, done: str):
    try:
        action()
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, done)
    return redirect("innovation_index:manage")


@login_required
@require_POST
def open_year(request):
    user = _staff(request)
    form = OpenYearForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写有效的年度。"))
        return redirect("innovation_index:manage")
    year = form.cleaned_data["year"]
    return _run(
        request,
        lambda: services.open_year(year=year, actor=user, now=clock.now()),
        _("已开放%(y)s年度数据录入。") % {"y": year},
    )


@login_required
@require_POST
def import_inputs(request):
    user = _staff(request)
    form = ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("innovation_index:manage")
    try:
        count = services.import_inputs(source=form.cleaned_data["file"], actor=user, now=clock.now())
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已导入%(n)s个地区的输入数据。") % {"n": count})
    return redirect("innovation_index:manage")


@login_required
@require_POST
def set_method(request, year):
    user = _staff(request)
    index_year = get_object_or_404(IndexYear, year=year)
    form = MethodForm(request.POST, weights=index_year.weights, prefix=f"m{year}")
    if not form.is_valid():
        messages.error(request, _("权重须为0到100之间的数字。"))
        return redirect("innovation_index:manage")
    return _run(
        request,
        lambda: services.set_method(
            year=year,
            normalisation=form.cleaned_data["normalisation"],
            weights=form.weights(),
            actor=user,
            now=clock.now(),
        ),
        _("已保存%(y)s年度的计算方法。") % {"y": year},
    )


@login_required
@require_POST
def publish(request, year):
    user = _staff(request)
    response = _run(
        request,
        lambda: services.publish_year(year=year, actor=user, now=clock.now()),
        _("%(y)s年度县域创新发展指数已发布，输入数据和结果已冻结。") % {"y": year},
    )
    if IndexYear.objects.filter(year=year, status=IndexStatus.PUBLISHED).exists():
        return redirect(f"{reverse('innovation_index:ranking')}?year={year}")
    return response


@login_required
def edit_input(request, year):
    user = _staff(request)
    index_year = get_object_or_404(IndexYear, year=year, status=IndexStatus.OPEN)
    mine = {r.code: r for r in services.regions_of(user)}
    code = request.POST.get("region") or request.GET.get("region", "")
    if code not in mine:
        messages.error(request, _("请选择您辖区内的地区。"))
        return redirect("innovation_index:manage")
    row = IndexInput.objects.filter(index_year=index_year, region_id=code).first()
    form = InputForm(request.POST if request.method == "POST" else None, initial=row.values if row else {})
    if request.method == "POST" and form.is_valid():
        try:
            services.update_input(
                year=year, region_code=code, values=form.cleaned_data, actor=user, now=clock.now()
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(
                request, _("已保存%(r)s%(y)s年度的输入数据。") % {"r": mine[code].name, "y": year}
            )
            return redirect("innovation_index:manage")
    return render(
        request,
        "innovation_index/edit_input.html",
        {"index_year": index_year, "region": mine[code], "form": form},
    )
