"""The statistics selectors (selectors.statistics) as readable tables — names instead of codes —
for the staff page and its .xlsx export. The caller passes a queryset already limited to the
staff member's jurisdiction."""

import io
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from zhouqiao.contracts import selectors
from zhouqiao.contracts.states import ContractType
from zhouqiao.core.models import Industry, Region


@dataclass
class Table:
    key: str
    title: str
    headers: list[str]
    rows: list[list]


def _names(model, codes) -> dict:
    return dict(model.objects.filter(pk__in=[c for c in codes if c]).values_list("pk", "name"))


def _figures(row) -> list:
    return [row["count"], row["contract_amount"], row["technology_amount"]]


def tables(*, queryset, level: str = "city", year: int | None = None) -> list[Table]:
    figures = [_("项数"), _("合同成交额（元）"), _("技术交易额（元）")]

    def stats(by):
        return selectors.statistics(queryset=queryset, by=by, level=level, year=year)

    by_region = stats("region")
    flows = stats("flow")
    regions = _names(
        Region,
        {r["region"] for r in by_region}
        | {r["seller_region"] for r in flows}
        | {r["buyer_region"] for r in flows},
    )
    by_industry = stats("industry")
    industries = _names(Industry, {r["industry_code"] for r in by_industry})
    types = dict(ContractType.choices)

    def region(code):
        return f"{regions.get(code, '')}（{code}）"

    return [
        Table(
            "year", _("按登记年度"), [_("年度"), *figures], [[r["year"], *_figures(r)] for r in stats("year")]
        ),
        Table(
            "region",
            _("按登记地区（汇总）"),
            [_("地区"), *figures],
            [[region(r["region"]), *_figures(r)] for r in by_region],
        ),
        Table(
            "type",
            _("按合同类型"),
            [_("合同类型"), *figures],
            [[str(types.get(r["contract_type"], r["contract_type"])), *_figures(r)] for r in stats("type")],
        ),
        Table(
            "industry",
            _("按所属行业"),
            [_("行业"), *figures],
            [
                [
                    f"{industries.get(r['industry_code'], '')}（{r['industry_code']}）"
                    if r["industry_code"]
                    else _("未填写"),
                    *_figures(r),
                ]
                for r in by_industry
            ],
        ),
        Table(
            "flow",
            _("技术流向（卖方地区 → 买方地区）"),
            [_("卖方地区"), _("买方地区"), *figures],
            [[region(r["seller_region"]), region(r["buyer_region"]), *_figures(r)] for r in flows],
        ),
    ]


def workbook(tables_: list[Table]) -> bytes:
    """One sheet per table; amounts as numbers with two decimals (Decimal, never float)."""
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    for table in tables_:
        sheet = book.create_sheet(table.title[:31].replace("/", "-"))
        sheet.append(table.headers)
        for row in table.rows:
            cells = [Decimal(c) if isinstance(c, str) and c.replace(".", "", 1).isdigit() else c for c in row]
            sheet.append(cells)
            for cell in sheet[sheet.max_row]:
                if isinstance(cell.value, Decimal):
                    cell.number_format = "#,##0.00"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
