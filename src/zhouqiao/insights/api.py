"""The dashboard's data as plain JSON. The same scope as the page: staff see their jurisdiction
(running year included), everyone else the published (completed) years of the province's regions.
Years are bounded (``core.bounds.Year``); a series spans at most 20 years."""

from decimal import Decimal

from django.utils import timezone
from ninja import Query, Router, Schema
from ninja.errors import HttpError

from zhouqiao.core.bounds import Page, Year
from zhouqiao.insights import access, dashboard
from zhouqiao.insights import indicators as ind

router = Router(tags=["指标监测"])

RegionCode = str
MAX_SPAN = 20


class IndicatorOut(Schema):
    code: str
    name: str
    unit: str
    source: str
    description: str
    breakdown: str


class YearFigure(Schema):
    year: int
    value: str


class RegionFigure(Schema):
    region: str
    name: str
    value: str


class FlowOut(Schema):
    seller_region: str
    buyer_region: str
    count: int
    contract_amount: str
    technology_amount: str


class QuarterOut(Schema):
    year: int
    quarter: int
    count: int
    contract_amount: str
    technology_amount: str


class TableOut(Schema):
    key: str
    title: str
    headers: list[str]
    rows: list[list]
    note: str


def _text(value) -> str:
    return f"{value:.2f}" if isinstance(value, Decimal) else str(value)


def _scope(request, region: str | None, year: int | None):
    try:
        return access.check(request.user, region, year, timezone.now())
    except access.UnknownRegion as exc:
        raise HttpError(404, str(exc)) from None
    except access.NotVisible as exc:
        raise HttpError(403, str(exc)) from None


def _indicator(code: str):
    if code not in ind.INDICATORS:
        raise HttpError(404, "没有这个指标。")
    return code


@router.get("/indicators", response=list[IndicatorOut])
def indicator_list(request, paging: Query[Page]):
    """The indicators: name, unit, the records they are computed from, and the definition."""
    rows = [
        {
            "code": d.code,
            "name": str(d.name),
            "unit": d.unit,
            "source": str(d.source),
            "description": str(d.description),
            "breakdown": str(d.breakdown),
        }
        for d in ind.INDICATORS.values()
    ]
    return paging.slice(rows)


RegionParam = Query(None, pattern=r"^[0-9]{6}$", description="六位区划代码；缺省为本人可见的最高一级")


@router.get("/series", response=list[YearFigure])
def series(
    request,
    paging: Query[Page],
    code: str = Query("contract_turnover", max_length=64, description="指标代码（见 /indicators）"),
    region: RegionCode | None = RegionParam,
    year_from: Year | None = None,
    year_to: Year | None = None,
):
    """One indicator for a region's subtree by calendar year (amounts in 元, two places)."""
    _indicator(code)
    place, last = _scope(request, region, year_to)
    first = year_from if year_from is not None else last - 4
    if first > last or last - first >= MAX_SPAN:
        raise HttpError(422, "年度范围无效：起始年度不能晚于截止年度，且最多20年。")
    figures = ind.series(code, region_code=place.code, years=range(first, last + 1))
    return paging.slice([{"year": y, "value": _text(v)} for y, v in figures.items()])


@router.get("/regions", response=list[RegionFigure])
def regions(
    request,
    paging: Query[Page],
    code: str = Query("contract_turnover", max_length=64, description="指标代码（见 /indicators）"),
    region: RegionCode | None = RegionParam,
    year: Year | None = None,
):
    """One indicator for every region one level down (a county: itself), zero where no records."""
    _indicator(code)
    place, year = _scope(request, region, year)
    if place.level == "county":
        figures = {place.code: ind.value(code, region_code=place.code, year=year)}
    else:
        figures = ind.by_region(code, parent_code=place.code, year=year)
    zero = ind._zero(code)
    rows = [
        {"region": r.code, "name": r.name, "value": _text(figures.get(r.code, zero))}
        for r in dashboard.children(place)
    ]
    return paging.slice(rows)


@router.get("/flows", response=list[FlowOut])
def flows(request, paging: Query[Page], region: RegionCode | None = RegionParam, year: Year | None = None):
    """Registered contracts by seller region → buyer region (one level below the region)."""
    place, year = _scope(request, region, year)
    rows = [
        {
            **{k: r[k] for k in ("seller_region", "buyer_region", "count")},
            "contract_amount": _text(r["contract_amount"]),
            "technology_amount": _text(r["technology_amount"]),
        }
        for r in ind.flows(region_code=place.code, year=year)
    ]
    return paging.slice(rows)


@router.get("/quarters", response=list[QuarterOut])
def quarters(
    request,
    paging: Query[Page],
    region: RegionCode | None = RegionParam,
    year_from: Year | None = None,
    year_to: Year | None = None,
):
    """Registered contracts of a region's subtree by year and quarter of the registration date
    (Asia/Shanghai): count, contract turnover and technology transaction amount (元, two places);
    every quarter of the years listed, zero where none."""
    place, last = _scope(request, region, year_to)
    first = year_from if year_from is not None else last - 1
    if first > last or last - first >= MAX_SPAN:
        raise HttpError(422, "年度范围无效：起始年度不能晚于截止年度，且最多20年。")
    rows = [
        {
            **{k: r[k] for k in ("year", "quarter", "count")},
            "contract_amount": _text(r["contract_amount"]),
            "technology_amount": _text(r["technology_amount"]),
        }
        for r in ind.quarters(region_code=place.code, years=range(first, last + 1))
    ]
    return paging.slice(rows)


@router.get("/tables/{key}", response=TableOut)
def table(request, key: str, region: RegionCode | None = RegionParam, year: Year | None = None):
    """One dashboard table as the page shows it (amounts in 万元, the unit in the header)."""
    builder = dashboard.BUILDERS.get(key)
    if builder is None:
        raise HttpError(404, "没有这张表。")
    place, year = _scope(request, region, year)
    data = builder(place, year).as_json()
    return {k: data[k] for k in ("key", "title", "headers", "rows", "note")}
