"""The indicator dashboard: thin views over ``dashboard`` (tables) and ``access`` (who sees what)."""

from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from zhouqiao.core.models import Region
from zhouqiao.core.spreadsheets import xlsx_response
from zhouqiao.insights import access, dashboard


def _year(raw):
    try:
        year = int(raw)
    except (TypeError, ValueError):
        return None
    return year if 1980 <= year <= 2100 else None


def _ask(request):
    """(region, year, error) from ?region=&year=, within what the person may see."""
    year = _year(request.GET.get("year"))
    code = (request.GET.get("region") or "").strip()[:6] or None
    try:
        region, year = access.check(request.user, code, year, timezone.now())
        return region, year, ""
    except access.NotVisible as exc:
        region, year = access.check(request.user, None, None, timezone.now())
        return region, year, str(exc)


def _trail(region: Region, year: int, visible: set[str]) -> list[dict]:
    """Province → city → county links down to the region (only the levels the person may see)."""
    return [
        {"name": r.name, "url": dashboard.dashboard_url(r.code, year)}
        for r in region.ancestors()
        if r.code in visible
    ]


def dashboard_view(request):
    region, year, error = _ask(request)
    tables = [build(region, year) for build in dashboard.BUILDERS.values()]
    regions = access.choices(request.user)
    trail = _trail(region, year, {r.code for r in regions})
    return render(
        request,
        "insights/dashboard.html",
        {
            "region": region,
            "year": year,
            "years": access.years(request.user, timezone.now()),
            "regions": regions,
            "error": error,
            "is_staff": access.is_staff(request.user),
            "headline": dashboard.headline(region, year),
            "tables": tables,
            "charts": {t.key: t.as_json() for t in tables},
            "county_map": dashboard.county_map(region, year),
            "trail": trail,
            "query": f"region={region.code}&year={year}",
        },
        status=200,
    )


def export(request, key: str):
    builder = dashboard.BUILDERS.get(key)
    if builder is None:
        raise Http404(_("没有这张表。"))
    region, year, error = _ask(request)
    if error:
        raise Http404(error)
    table = builder(region, year)
    book = dashboard.workbook(table, region=region, year=year)
    return xlsx_response(book, f"insights-{key}-{region.code}-{year}.xlsx")
