"""The yearly sharing evaluation as an Excel workbook (one sheet per instrument, one per owner)."""

from io import BytesIO

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from zhouqiao.core.spreadsheets import text_cell
from zhouqiao.facilities.selectors import weights_in_words


def evaluation_workbook(year: int, by_instrument, by_owner) -> bytes:
    book = Workbook()
    sheets = [
        (book.active, _("按仪器"), by_instrument, True),
        (book.create_sheet(), _("按单位"), by_owner, False),
    ]
    for sheet, title, rows, with_owner in sheets:
        sheet.title = title
        header = (
            [_("排名"), _("仪器") if with_owner else _("单位")]
            + ([_("所属单位")] if with_owner else [])
            + [
                _("服务机时"),
                _("外单位机时"),
                _("外单位机时占比"),
                _("外单位用户数"),
                _("服务收入（元）"),
                _("用户评分"),
                _("评价数"),
                _("服务次数"),
                _("综合得分"),
            ]
        )
        sheet.append([_("%(year)s年度大型仪器开放共享评价") % {"year": year}])
        sheet.append(header)
        sheet["A1"].font = Font(bold=True, size=13)
        for cell in sheet[2]:
            cell.font = Font(bold=True)
        for r in rows:
            sheet.append(
                [r.rank, text_cell(r.name)]
                + ([text_cell(r.owner)] if with_owner else [])
                + [
                    r.service_hours,
                    r.external_hours,
                    r.external_share,
                    r.external_users,
                    r.revenue,
                    r.rating if r.rating is not None else "",
                    r.ratings,
                    r.uses,
                    r.score,
                ]
            )
        sheet.append([])
        sheet.append(
            [
                _("综合得分权重：")
                + weights_in_words()
                + _(
                    "（依据《在长春市建立产学研协同创新机制试点工作实施方案》二（四）3：以公共服务量、"
                    "服务收入和科技支撑效果为重点；《长春市进一步加快科技创新发展的若干政策措施》第十条）"
                )
            ]
        )
        for column in "BC":
            sheet.column_dimensions[column].width = 36
    out = BytesIO()
    book.save(out)
    return out.getvalue()
