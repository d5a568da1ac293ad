"""The report's two files: the PDF (WeasyPrint) and the Excel workbook (openpyxl)."""

import io

from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from zhouqiao.core.spreadsheets import text_cell


def html(context: dict) -> str:
    return render_to_string("annual_reports/report_pdf.html", context)


def pdf(markup: str) -> bytes:
    import weasyprint  # loads pango: only the report worker needs it

    return weasyprint.HTML(string=markup).write_pdf()


def _sheet(book, title, header, rows):
    sheet = book.create_sheet(title)
    sheet.append([text_cell(str(h)) for h in header])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([text_cell(v) if isinstance(v, str) else v for v in row])
    for column, width in zip("ABCDEFG", (28, 18, 18, 18, 18, 12, 36), strict=False):
        sheet.column_dimensions[column].width = width
    return sheet


def workbook(context: dict) -> bytes:
    book = Workbook()
    book.remove(book.active)
    year = context["year"]
    _sheet(
        book,
        _("主要指标"),
        [_("指标"), _("单位"), _("%(y)s年") % {"y": year}, _("上年"), _("增减"), _("数据来源"), _("口径")],
        [
            [
                r["name"],
                r["unit"],
                r["value"],
                r["previous"] if r.get("has_previous", True) else _("上年无数据"),
                r["change"],
                r["source"],
                r["description"],
            ]
            for r in context["indicators"]
        ],
    )
    years = context["trend_years"]
    if years:
        _sheet(
            book,
            _("近五年趋势"),
            [_("指标"), _("单位"), *[str(y) for y in years]],
            [
                [r["name"], r["unit"], *[v for _y, v in context["trends"].get(r["code"], [])]]
                for r in context["indicators"]
            ],
        )
    if context["regions"]:
        _sheet(
            book,
            _("分地区情况"),
            [_("区划代码"), _("地区"), _("登记技术合同（项）"), _("技术合同成交额（元）")],
            [[r["code"], r["name"], r["count"], r["turnover"]] for r in context["regions"]],
        )
    if context["targets"]:
        _sheet(
            book,
            _("发展目标与进展"),
            [
                _("目标"),
                _("地区"),
                _("目标年"),
                _("目标值"),
                _("实际"),
                _("实际值年度"),
                _("完成"),
                _("平台登记部分"),
                _("依据"),
            ],
            [
                [
                    t["what"],
                    t["region"],
                    t["due"],
                    t["target"],
                    t["actual"],
                    t.get("year", context["year"]),
                    t["percent"],
                    t.get("platform", "").removeprefix(_("平台登记部分：")),
                    t["citation"],
                ]
                for t in context["targets"]
            ],
        )
    if context["index"]:
        _sheet(
            book,
            _("县域创新发展指数"),
            [_("排名"), _("地区"), _("所属市（州）"), _("指数得分")],
            [[r["rank"], r["name"], r["city"], r["score"]] for r in context["index"]["rows"]],
        )
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
