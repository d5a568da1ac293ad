"""What an annual report says: the indicators of the jurisdiction and year (with the year before
and a five-year trend), its regions one level down, the targets and the county innovation index
where those exist, and the listing reserve. Each section is read defensively: a section whose
source is missing or fails is left out with a note, so the report works with what is there."""

import logging
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

from zhouqiao.core.models import Region
from zhouqiao.core.money import format_yuan
from zhouqiao.insights.reports import charts

log = logging.getLogger(__name__)
TREND_YEARS = 5
WAN = Decimal("10000")


def _number(value) -> str:
    value = Decimal(value or 0)
    if value == value.to_integral_value():
        return f"{value:,.0f}"
    return f"{value:,.2f}"


# Every amount of the report in one unit (万元, two decimals): 16,810.91万元 beside 15,431.95万元,
# never beside 154,319,540.00元.
UNIT = "万"


def show(indicator, value) -> str:
    """A figure with its unit written, amounts through the one money format (in 万元)."""
    if indicator.kind == "amount":
        return format_yuan(Decimal(value or 0), UNIT)
    return f"{_number(value)}{indicator.unit}"


def _previous_shown(indicator, value) -> str:
    """The year before: 上年无数据 where the platform holds nothing for it (a 0 there would read as
    a year with nothing done, and the change as a jump from nothing)."""
    return show(indicator, value) if Decimal(value or 0) else _("上年无数据")


def _change(now, before) -> str:
    now, before = Decimal(now or 0), Decimal(before or 0)
    if before == 0:
        return "—"
    pct = ((now - before) / before * 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return f"{'+' if pct > 0 else ''}{pct}%"


def _section(name: str, notes: list, build):
    try:
        return build()
    except Exception:  # a missing or failing source leaves its section out, with a note
        log.exception("annual report section %s failed", name)
        notes.append(name)
        return None


def indicator_rows(region: Region, year: int) -> tuple[list[dict], dict]:
    from zhouqiao.insights import indicators

    rows, trends = [], {}
    years = range(year - TREND_YEARS + 1, year + 1)
    for code, ind in indicators.INDICATORS.items():
        figures = indicators.series(code, region_code=region.code, years=range(year - TREND_YEARS, year + 1))
        trends[code] = [(y, figures.get(y, 0)) for y in years]
        rows.append(
            {
                "code": code,
                "name": str(ind.name),
                "unit": ind.unit,
                "kind": ind.kind,
                "value": figures.get(year, 0),
                "previous": figures.get(year - 1, 0),
                "shown": show(ind, figures.get(year, 0)),
                "previous_shown": _previous_shown(ind, figures.get(year - 1, 0)),
                "has_previous": bool(Decimal(figures.get(year - 1, 0) or 0)),
                "change": _change(figures.get(year, 0), figures.get(year - 1, 0)),
                "source": str(ind.source),
                "description": str(ind.description),
            }
        )
    return rows, trends


def region_rows(region: Region, year: int) -> list[dict]:
    from zhouqiao.insights import indicators

    children = list(Region.objects.filter(parent=region).order_by("code"))
    if not children:
        return []
    turnover = indicators.by_region("contract_turnover", parent_code=region.code, year=year)
    count = indicators.by_region("contracts_registered", parent_code=region.code, year=year)
    output = indicators.by_region("technology_output", parent_code=region.code, year=year)
    absorption = indicators.by_region("technology_absorption", parent_code=region.code, year=year)
    rows = [
        {
            "code": r.code,
            "name": r.name,
            "turnover": Decimal(turnover.get(r.code, 0)),
            "turnover_shown": format_yuan(Decimal(turnover.get(r.code, 0)), UNIT),
            "count": int(count.get(r.code, 0)),
            "output_shown": format_yuan(Decimal(output.get(r.code, 0)), UNIT),
            "absorption_shown": format_yuan(Decimal(absorption.get(r.code, 0)), UNIT),
        }
        for r in children
    ]
    rows.sort(key=lambda r: (-r["turnover"], r["code"]))
    return rows


def target_rows(region: Region, year: int, now) -> list[dict]:
    """The targets of the jurisdiction as of the report's year, by the one rule of the targets page
    (``targets.selectors.progress``): each measured in the report's year, or in its due year when
    that has passed; progress on the official figure only, the platform's part beside it."""
    from django.contrib.auth.models import AnonymousUser

    from zhouqiao.insights.targets import catalogue, selectors

    prefix = region.scope_prefix
    chosen = [t for t in catalogue.targets() if t.region_code.startswith(prefix)]
    return [
        {
            "code": p.target.code,
            "what": p.target.what,
            "region": p.region_name,
            "due": p.target.due,
            "year": p.year,
            "target": p.target_shown,
            "actual": p.actual_shown,
            "platform": p.platform_shown,
            "percent": p.percent_shown,
            "citation": p.target.citation,
        }
        for p in selectors.progress(AnonymousUser(), year=year, now=now, targets=chosen)
    ]


def index_rows(region: Region, year: int) -> dict | None:
    from zhouqiao.insights.innovation_index import selectors

    index_year = selectors.published_years().filter(year__lte=year).first()
    if index_year is None:
        return None
    prefix = region.scope_prefix
    lines = [line for line in selectors.published_lines(index_year) if line.region_code.startswith(prefix)]
    return {
        "year": index_year.year,
        "rows": [
            {
                "rank": line.rank,
                "name": line.region_name,
                "city": line.city_name,
                "score": f"{line.score:.2f}" if line.score is not None else "—",
                "change": line.change,
            }
            for line in lines[:30]
        ],
        "total": len(lines),
    }


def reserve_count(region: Region) -> int:
    from zhouqiao.insights.enterprises.models import ReserveEntry
    from zhouqiao.insights.enterprises.states import EntryStatus

    return ReserveEntry.objects.filter(
        jurisdiction__code__startswith=region.scope_prefix, status=EntryStatus.LISTED
    ).count()


def collect(region: Region, year: int, *, now, step=lambda stage, percent: None) -> dict:
    """Everything the PDF and the workbook show. ``step(stage, percent)`` reports progress."""
    notes: list[str] = []
    step(_("计算指标"), 10)
    indicators_part = _section(_("指标监测"), notes, lambda: indicator_rows(region, year))
    rows, trends = indicators_part or ([], {})
    step(_("汇总分地区数据"), 35)
    regions = _section(_("分地区情况"), notes, lambda: region_rows(region, year)) or []
    step(_("对照发展目标"), 50)
    targets = _section(_("发展目标与进展"), notes, lambda: target_rows(region, year, now)) or []
    step(_("读取县域创新发展指数"), 60)
    index = _section(_("县域创新发展指数"), notes, lambda: index_rows(region, year))
    reserve = _section(_("上市后备资源库"), notes, lambda: reserve_count(region))
    step(_("绘制图表"), 65)
    chart_trend = chart_regions = ""
    if trends.get("contract_turnover"):
        chart_trend = charts.columns(
            [(f"{y}", Decimal(v) / WAN) for y, v in trends["contract_turnover"]],
            unit=_("万元"),
            title=_("技术合同成交额（近五年）"),
        )
    if regions:
        chart_regions = charts.bars(
            [(r["name"], r["turnover"] / WAN) for r in regions[:15]],
            unit=_("万元"),
            title=_("%(year)s年各地区技术合同成交额") % {"year": year},
        )
    by_code = {r["code"]: r for r in rows}
    return {
        "region": region,
        "year": year,
        "now": now,
        "indicators": rows,
        "by_code": by_code,
        "trends": trends,
        "trend_years": [y for y, _v in trends.get("contract_turnover", [])],
        "regions": regions,
        "targets": targets,
        "index": index,
        "reserve": reserve,
        "chart_trend": chart_trend,
        "chart_regions": chart_regions,
        "missing": notes,
    }
