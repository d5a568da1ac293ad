"""The statistics selectors (selectors.statistics) as readable tables — names instead of codes —
for the staff page and its .xlsx export. The caller passes a queryset already limited to the
staff member's jurisdiction."""

import io
from dataclasses import dataclass, field
from decimal import Decimal
from urllib.parse import urlencode

from django.utils.translation import gettext as _

from zhouqiao.contracts import selectors
from zhouqiao.contracts.states import ContractStatus, ContractType
from zhouqiao.core.models import Industry, Region


@dataclass
class Table:
    key: str
    title: str
    headers: list[str]
    rows: list[list]
    labels: int = 1  # leading label columns; then count, contract amount, technology amount
    links: list[str] = field(default_factory=list)  # per row: the contract list's query string

    def display_rows(self):
        """For the page: (link, labels, count, contract amount, technology amount) per row."""
        for row, link in zip(self.rows, self.links or [""] * len(self.rows), strict=True):
            labels, figures = row[: self.labels], row[self.labels :]
            yield {"link": link, "labels": labels, "count": figures[0], "amounts": figures[1:]}


def _full_names(codes) -> dict:
    regions = Region.objects.filter(pk__in=[c for c in codes if c]).select_related("parent__parent")
    return {r.pk: r.full_name for r in regions}


def _names(model, codes) -> dict:
    return dict(model.objects.filter(pk__in=[c for c in codes if c]).values_list("pk", "name"))


def _figures(row) -> list:
    return [row["count"], row["contract_amount"], row["technology_amount"]]


def _year_range(year) -> dict:
    return {"registered_from": f"{year}-01-01", "registered_to": f"{year}-12-31"} if year else {}


def tables(*, queryset, level: str = "city", year: int | None = None) -> list[Table]:
    """Each row carries the query of the contract list that shows the contracts it counts."""
    figures = [_("项数"), _("合同成交额"), _("技术交易额")]
    base = {"status": ContractStatus.REGISTERED, **_year_range(year)}

    def link(**filters) -> str:
        return urlencode({**base, **filters})

    def stats(by):
        return selectors.statistics(queryset=queryset, by=by, level=level, year=year)

    by_region = stats("region")
    flows = stats("flow")
    regions = _full_names(
        {r["region"] for r in by_region}
        | {r["seller_region"] for r in flows}
        | {r["buyer_region"] for r in flows},
    )
    by_industry = stats("industry")
    industries = _names(Industry, {r["industry_code"] for r in by_industry})
    types = dict(ContractType.choices)
    by_year = stats("year")
    by_type = stats("type")

    def region(code):
        return regions.get(code) or _("未知地区")

    return [
        Table(
            "year",
            _("按登记年度"),
            [_("年度"), *figures],
            [[r["year"], *_figures(r)] for r in by_year],
            links=[urlencode({**base, **_year_range(r["year"])}) if r["year"] else link() for r in by_year],
        ),
        Table(
            "region",
            _("按登记地区（汇总）"),
            [_("地区"), *figures],
            [[region(r["region"]), *_figures(r)] for r in by_region],
            links=[link(region=r["region"]) for r in by_region],
        ),
        Table(
            "type",
            _("按合同类型"),
            [_("合同类型"), *figures],
            [[str(types.get(r["contract_type"], _("其他"))), *_figures(r)] for r in by_type],
            links=[link(contract_type=r["contract_type"]) for r in by_type],
        ),
        Table(
            "industry",
            _("按所属行业"),
            [_("行业"), *figures],
            [
                [
                    industries.get(r["industry_code"], _("未填写")) if r["industry_code"] else _("未填写"),
                    *_figures(r),
                ]
                for r in by_industry
            ],
            links=[link(industry=r["industry_code"] or "none") for r in by_industry],
        ),
        Table(
            "flow",
            _("技术流向（卖方地区 → 买方地区）"),
            [_("卖方地区"), _("买方地区"), *figures],
            [[region(r["seller_region"]), region(r["buyer_region"]), *_figures(r)] for r in flows],
            labels=2,
            links=[link(region=r["seller_region"], buyer_region=r["buyer_region"]) for r in flows],
        ),
    ]


def workbook(tables_: list[Table]) -> bytes:
    """One sheet per table; amounts as numbers with two decimals (Decimal, never float)."""
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    for table in tables_:
        sheet = book.create_sheet(table.title[:31].replace("/", "-"))
        amount_columns = range(table.labels + 1, len(table.headers))
        sheet.append([h + _("（元）") if i in amount_columns else h for i, h in enumerate(table.headers)])
        for row in table.rows:
            cells = [Decimal(c) if isinstance(c, str) and c.replace(".", "", 1).isdigit() else c for c in row]
            sheet.append(cells)
            for cell in sheet[sheet.max_row]:
                if isinstance(cell.value, Decimal):
                    cell.number_format = "#,##0.00"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
