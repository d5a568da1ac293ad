"""The dashboard's tables: each is the accessible truth of one chart, the source of its Excel
export and of its API answer. Amounts are shown in 万元 (the unit written in the column header),
counts in 项/件, hours in 小时.
"""

import re
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.styles import Font

from zhouqiao.core.models import Region, RegionLevel
from zhouqiao.core.spreadsheets import text_cell
from zhouqiao.insights import indicators as ind

WAN = Decimal(10_000)
YI = Decimal(100_000_000)
TREND_YEARS = 5


def wan(amount) -> Decimal:
    return (Decimal(amount or 0) / WAN).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def figure_text(value, unit: str) -> str:
    """A headline figure with its unit: amounts ≥ 1亿元 in 亿元, else in 万元."""
    if unit == "元":
        amount = Decimal(value or 0)
        if abs(amount) >= YI:
            return _("%(n)s亿元") % {"n": f"{(amount / YI).quantize(Decimal('0.01')):,}"}
        return _("%(n)s万元") % {"n": f"{wan(amount):,}"}
    if isinstance(value, Decimal):
        return f"{value.normalize():,f}{unit}"
    return f"{value:,}{unit}"


def _display(value, unit: str):
    return wan(value) if unit == "元" else value


def _header(indicator) -> str:
    unit = _("万元") if indicator.unit == "元" else indicator.unit
    return f"{indicator.name}（{unit}）"


@dataclass
class Table:
    key: str
    title: str
    headers: list[str]
    rows: list[list]
    links: list[str] = field(default_factory=list)  # per row: the drill-down link, or ""
    chart: dict = field(default_factory=dict)  # what the chart script needs besides the rows
    note: str = ""

    def as_json(self) -> dict:
        return {
            "key": self.key,
            "title": self.title,
            "headers": self.headers,
            "rows": [[str(c) if isinstance(c, Decimal) else c for c in row] for row in self.rows],
            "chart": self.chart,
            "note": self.note,
        }

    def display_rows(self):
        links = self.links or [""] * len(self.rows)
        for row, link in zip(self.rows, links, strict=True):
            yield {"link": link, "label": row[0], "cells": row[1:]}


def dashboard_url(region_code: str, year: int) -> str:
    return reverse("insights:dashboard") + "?" + urlencode({"region": region_code, "year": year})


def children(region: Region) -> list[Region]:
    if region.level == RegionLevel.COUNTY:
        return [region]
    return list(Region.objects.filter(parent=region).order_by("code"))


def trend(region: Region, year: int) -> Table:
    years = range(year - TREND_YEARS + 1, year + 1)
    codes = ["contracts_registered", "contract_turnover", "technology_transaction_amount"]
    figures = {c: ind.series(c, region_code=region.code, years=years) for c in codes}
    defs = [ind.INDICATORS[c] for c in codes]
    rows = [
        [f"{y}", *[_display(figures[c][y], d.unit) for c, d in zip(codes, defs, strict=True)]] for y in years
    ]
    return Table(
        "trend",
        _("技术合同登记趋势"),
        [_("年度"), *[_header(d) for d in defs]],
        rows,
        chart={"type": "line", "series": [1, 2, 3], "axis": {1: "left", 2: "right", 3: "right"}},
        note=_("按登记年度统计已登记的技术合同；地区按登记地（卖方所在地）。"),
    )


QUARTER_NAMES = {
    1: gettext_lazy("一季度"),
    2: gettext_lazy("二季度"),
    3: gettext_lazy("三季度"),
    4: gettext_lazy("四季度"),
}
QUARTER_YEARS = 2


def quarter_label(year: int, quarter: int) -> str:
    return _("%(y)s年%(q)s") % {"y": year, "q": str(QUARTER_NAMES[quarter])}


def quarters(region: Region, year: int) -> Table:
    """The selected year's four quarters after the year before's (the same quarter a year earlier
    is four rows up): registered contracts by the quarter of their registration date."""
    rows_in = ind.quarters(region_code=region.code, years=range(year - QUARTER_YEARS + 1, year + 1))
    rows = [
        [
            quarter_label(r["year"], r["quarter"]),
            r["count"],
            wan(r["contract_amount"]),
            wan(r["technology_amount"]),
        ]
        for r in rows_in
    ]
    return Table(
        "quarters",
        _("按季度（技术合同成交额与技术交易额）"),
        [_("季度"), _("合同数（项）"), _("合同成交额（万元）"), _("技术交易额（万元）")],
        rows,
        chart={"type": "bar", "series": [2, 3]},
        note=_("按登记日期（北京时间）所在季度统计已登记的技术合同；列出所选年度及上一年度各季度。"),
    )


REGION_CODES = [
    "contracts_registered",
    "contract_turnover",
    "technology_transaction_amount",
    "technology_absorption",
    "achievements_published",
    "deals_by_mode",
    "vouchers_issued",
    "instrument_sharing_hours",
]


def regions(region: Region, year: int) -> Table:
    """One row per region one level down (a county: itself), every figure of REGION_CODES."""
    subs = children(region)
    parent = region.code
    if region.level == RegionLevel.COUNTY:
        figures = {c: {region.code: ind.value(c, region_code=region.code, year=year)} for c in REGION_CODES}
    else:
        figures = {c: ind.by_region(c, parent_code=parent, year=year) for c in REGION_CODES}
    defs = [ind.INDICATORS[c] for c in REGION_CODES]
    rows, links = [], []
    for sub in subs:
        rows.append(
            [
                sub.name,
                *[
                    _display(figures[c].get(sub.code, ind._zero(c)), d.unit)
                    for c, d in zip(REGION_CODES, defs, strict=True)
                ],
            ]
        )
        links.append(dashboard_url(sub.code, year) if sub.code != region.code else "")
    return Table(
        "regions",
        _("分地区指标") if region.level != RegionLevel.COUNTY else _("本县（区）指标"),
        [_("地区"), *[_header(d) for d in defs]],
        rows,
        links,
        chart={"type": "map", "value_column": 2},
        # A county is the lowest level: its row links nowhere, so no "click for the next level".
        note=_("地图按县（区）着色，开发区没有单独的地图范围，只在表中列出。")
        if region.level == RegionLevel.COUNTY
        else _("点击地区名称查看下一级。地图按县（区）着色，开发区没有单独的地图范围，只在表中列出。"),
    )


def county_map(region: Region, year: int) -> dict:
    """Contract turnover (万元) of every county-level division in the region's subtree, by code."""
    figures = ind._grouped("contract_turnover", region.scope_prefix, range(year, year + 1), 6)
    return {sub: str(wan(v)) for (_y, sub), v in figures.items() if sub}


def flows(region: Region, year: int) -> Table:
    rows_in = ind.flows(region_code=region.code, year=year)
    codes = {r["seller_region"] for r in rows_in} | {r["buyer_region"] for r in rows_in}
    # A municipality's city level is called 市辖区 in GB/T 2260: show the municipality's name.
    names = {
        r.code: r.parent.name if r.name == "市辖区" and r.parent else r.name
        for r in Region.objects.filter(code__in=codes).select_related("parent")
    }
    rows = [
        [
            names.get(r["seller_region"], _("其他地区")),
            names.get(r["buyer_region"], _("其他地区")),
            r["count"],
            wan(r["contract_amount"]),
        ]
        for r in sorted(rows_in, key=lambda r: -r["contract_amount"])
    ]
    return Table(
        "flows",
        _("技术流向（卖方所在地 → 买方所在地）"),
        [_("卖方所在地"), _("买方所在地"), _("合同数（项）"), _("合同成交额（万元）")],
        rows,
        chart={"type": "sankey", "value_column": 3},
        note=_("本地区作为卖方（技术输出）或买方（技术吸纳）的已登记合同，按下一级地区汇总。"),
    )


def contract_types(region: Region, year: int) -> Table:
    count = ind.breakdown("contracts_registered", region_code=region.code, year=year)
    turnover = ind.breakdown("contract_turnover", region_code=region.code, year=year)
    tech = ind.breakdown("technology_transaction_amount", region_code=region.code, year=year)
    rows = [[label, count[label], wan(turnover.get(label)), wan(tech.get(label))] for label in count]
    return Table(
        "types",
        _("按合同类型"),
        [_("合同类型"), _("合同数（项）"), _("合同成交额（万元）"), _("技术交易额（万元）")],
        rows,
        chart={"type": "bar", "series": [2, 3]},
    )


def industries(region: Region, year: int) -> Table:
    """Registered contracts by the buyer's industry as the contract records it (GB/T 4754)."""
    from zhouqiao.core.models import Industry

    rows_in = ind.contract_statistics(region.scope_prefix, by="industry", first=year, last=year)
    names = dict(
        Industry.objects.filter(code__in=[r["industry_code"] for r in rows_in]).values_list("code", "name")
    )
    rows = [
        [
            names.get(r["industry_code"], _("未填行业")),
            r["count"],
            wan(r["contract_amount"]),
            wan(r["technology_amount"]),
        ]
        for r in sorted(rows_in, key=lambda r: -Decimal(r["contract_amount"]))
    ]
    return Table(
        "industries",
        _("按行业（国民经济行业分类）"),
        [_("行业"), _("合同数（项）"), _("合同成交额（万元）"), _("技术交易额（万元）")],
        rows,
        chart={"type": "bar", "series": [2]},
    )


def deals_by_mode(region: Region, year: int) -> Table:
    count = ind.breakdown("deals_by_mode", region_code=region.code, year=year)
    amount = ind.breakdown("deal_amount", region_code=region.code, year=year)
    rows = [[label, count[label], wan(amount.get(label))] for label in count]
    return Table(
        "modes",
        _("技术市场成交（按交易方式）"),
        [_("交易方式"), _("成交笔数（件）"), _("成交金额（万元）")],
        rows,
        chart={"type": "pie", "value_column": 2},
    )


def entitlements(region: Region, year: int) -> Table:
    granted = ind.breakdown("entitlements_granted", region_code=region.code, year=year)
    paid = ind.breakdown("entitlements_paid", region_code=region.code, year=year)
    labels = sorted(set(granted) | set(paid))
    rows = [[label, wan(granted.get(label)), wan(paid.get(label))] for label in labels]
    return Table(
        "entitlements",
        _("政策奖补兑现（按政策条款）"),
        [_("政策条款"), _("核定额（万元）"), _("拨付额（万元）")],
        rows,
        chart={"type": "bar", "series": [1, 2]},
        note=_("核定额为当年核定减冲销，拨付额为当年拨付减追回（政策兑现台账）。"),
    )


# Indicators of a group table whose count is not self-evident: the table's note says what they count,
# in the words of their definitions (indicators.INDICATORS[...].description).
EXPLAINED = {"market": ["achievements_transformed", "demands_met"]}

GROUPS = {
    "market": (
        gettext_lazy("成果与需求"),
        [
            "achievements_published",
            "achievements_traded",
            "achievements_transformed",
            "demands_met",
            "deals_by_mode",
        ],
    ),
    "vouchers": (gettext_lazy("创新券"), ["vouchers_issued", "vouchers_redeemed", "vouchers_settled"]),
    "facilities": (gettext_lazy("大型仪器共享"), ["instrument_sharing_hours", "instrument_sharing_revenue"]),
    "output": (gettext_lazy("技术输出与吸纳"), ["technology_output", "technology_absorption"]),
}


def group_series(key: str, region: Region, year: int) -> Table:
    title, codes = GROUPS[key]
    years = list(range(year - TREND_YEARS + 1, year + 1))
    rows = []
    for code in codes:
        d = ind.INDICATORS[code]
        figures = ind.series(code, region_code=region.code, years=range(years[0], year + 1))
        rows.append([_header(d), *[_display(figures[y], d.unit) for y in years]])
    return Table(
        key,
        str(title),
        [_("指标"), *[_("%(y)s年") % {"y": y} for y in years]],
        rows,
        chart={"type": "bars_by_year"},
        note=" ".join(
            _("%(name)s：%(description)s")
            % {"name": ind.INDICATORS[c].name, "description": ind.INDICATORS[c].description}
            for c in EXPLAINED.get(key, [])
        ),
    )


BUILDERS = {
    "trend": trend,
    "quarters": quarters,
    "regions": regions,
    "flows": flows,
    "types": contract_types,
    "industries": industries,
    "output": lambda r, y: group_series("output", r, y),
    "market": lambda r, y: group_series("market", r, y),
    "modes": deals_by_mode,
    "vouchers": lambda r, y: group_series("vouchers", r, y),
    "entitlements": entitlements,
    "facilities": lambda r, y: group_series("facilities", r, y),
}


def headline(region: Region, year: int) -> list[dict]:
    out = []
    for code in ("contract_turnover", "technology_transaction_amount", "contracts_registered"):
        d = ind.INDICATORS[code]
        figures = ind.series(code, region_code=region.code, years=range(year - 1, year + 1))
        now, before = figures[year], figures[year - 1]
        change = None
        if before:
            change = ((Decimal(now) - Decimal(before)) / Decimal(before) * 100).quantize(Decimal("0.1"))
        out.append({"name": d.name, "text": figure_text(now, d.unit), "change": change, "previous": year - 1})
    return out


def workbook(table: Table, *, region: Region, year: int) -> Workbook:
    book = Workbook()
    sheet = book.active
    # Excel's sheet names: at most 31 characters, none of []:*?/\
    sheet.title = re.sub(r"[\[\]:*?/\\]", "", str(table.title))[:31] or table.key
    sheet.append([text_cell(table.title)])
    sheet["A1"].font = Font(bold=True)
    sheet.append([text_cell(_("地区：%(r)s　年度：%(y)s") % {"r": region.full_name, "y": year})])
    sheet.append([text_cell(h) for h in table.headers])
    for cell in sheet[3]:
        cell.font = Font(bold=True)
    for row in table.rows:
        sheet.append(
            [text_cell(c) if isinstance(c, str) else (float(c) if isinstance(c, Decimal) else c) for c in row]
        )
    if table.note:
        sheet.append([])
        sheet.append([text_cell(table.note)])
    return book
