"""The reserve list as an Excel workbook (text cells guarded against formula injection)."""

from django.utils.translation import gettext as _
from openpyxl import Workbook

from zhouqiao.core import clock
from zhouqiao.core.spreadsheets import text_cell
from zhouqiao.insights.enterprises.states import YES_NO_FIGURES, Figure


def _cell(figure, value):
    if figure in YES_NO_FIGURES:
        return _("是") if value and value >= 1 else _("否")
    return value


def reserve_workbook(region, entries, values: dict, window) -> Workbook:
    book = Workbook()
    sheet = book.active
    sheet.title = _("上市后备企业")
    sheet.append([text_cell(_("%(region)s科技型企业上市后备资源库") % {"region": region.full_name})])
    sheet.append([_("统计期：%(a)s—%(b)s年") % {"a": window.first_year, "b": window.last_year}])
    sheet.append(
        [_("企业"), _("统一社会信用代码"), _("所在地区"), _("入库时间"), _("入库理由")]
        + [str(label) for label in Figure.labels]
    )
    for entry in entries:
        org = entry.organisation
        row = values.get(org.pk, {})
        sheet.append(
            [
                text_cell(org.name),
                text_cell(org.credit_code),
                text_cell(org.region.full_name),
                clock.local_date(entry.added_at),
                text_cell(entry.added_reason),
            ]
            + [_cell(f, row.get(f, 0)) for f in Figure.values]
        )
    sheet.column_dimensions["A"].width = 36
    sheet.column_dimensions["E"].width = 40
    return book
