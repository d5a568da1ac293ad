"""Excel where bureau staff keep their lists: certification lists in, the voucher ledger out.

The import columns are a file format, so their headers are fixed Chinese whatever the page
language (as the achievement import's are)."""

import datetime as dt
import re
from collections import defaultdict
from decimal import Decimal

from django.utils import timezone, translation
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.worksheet.datavalidation import DataValidation

from zhouqiao.catalog import files
from zhouqiao.catalog.importing import read_rows
from zhouqiao.core.errors import ValidationFailed
from zhouqiao.core.spreadsheets import text_cell
from zhouqiao.vouchers.states import CertificationKind, EntryKind

CERTIFICATION_COLUMNS = {
    "统一社会信用代码": "credit_code",
    "认定类型": "kind",
    "证书编号": "number",
    "有效期起": "valid_from",
    "有效期至": "valid_until",
}
# A province's yearly high-tech and tech-SME lists run to a few thousand rows.
MAX_CERTIFICATION_ROWS = 20_000
MONEY_FORMAT = "#,##0.00"
TEXT_FORMAT = "@"
# 2026-01-01, 2026/1/1 (what Excel on a Chinese Windows writes into a CSV), 2026年1月1日
DAY = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?")


def _kind_labels() -> dict[str, str]:
    """Chinese label → kind, whatever the page language: the file format does not change with it."""
    with translation.override("zh-hans"):
        return {str(label): kind for kind, label in CertificationKind.choices}


def certification_template() -> Workbook:
    book = Workbook()
    sheet = book.active
    sheet.title = "资质认定"
    sheet.append(list(CERTIFICATION_COLUMNS))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    kinds = DataValidation(type="list", formula1='"' + ",".join(_kind_labels()) + '"')
    sheet.add_data_validation(kinds)
    kinds.add(f"B2:B{MAX_CERTIFICATION_ROWS + 1}")
    for column, width in zip("ABCDE", (24, 18, 22, 14, 14), strict=True):
        sheet.column_dimensions[column].width = width
    # Codes and certificate numbers are text: as numbers Excel would keep only 15 digits.
    for column in "AC":
        sheet.column_dimensions[column].number_format = TEXT_FORMAT
    notes = book.create_sheet("说明")
    for line in (
        "每行一张证书；第一行为列名，请勿修改。",
        "认定类型：高新技术企业 或 科技型中小企业。",
        "有效期：日期格式单元格，或文本 YYYY-MM-DD。",
        "企业须已在平台注册；整个文件全部导入或全部不导入，出错时提示所在行号。",
    ):
        notes.append([line])
    return book


def _text(value) -> str:
    """A cell as text; a whole number (a code someone let Excel turn numeric) without ".0"."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value if value is not None else "").strip()


def _day(value) -> str:
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    text = _text(value)
    match = DAY.fullmatch(text)
    if match:
        year, month, day = (int(part) for part in match.groups())
        return f"{year:04d}-{month:02d}-{day:02d}"
    return text


def read_certifications(upload) -> list[dict]:
    """The rows of an uploaded .xlsx/.csv certification list, as the import service takes them,
    each with ``line``: its row number in the sheet, for the error message."""
    file_format = files.check_import(upload)
    try:
        return _certification_rows(read_rows(upload, file_format))
    except ValidationFailed:
        raise
    except Exception as exc:  # openpyxl and csv raise many kinds of error on a damaged file
        raise files.refused(_("文件已损坏或格式不正确，无法读取。"), "unreadable") from exc


def _certification_rows(rows) -> list[dict]:
    next(rows)  # the approximate row count
    header = [_text(cell) for cell in next(rows, ())]
    missing = [name for name in CERTIFICATION_COLUMNS if name not in header]
    if missing:
        raise files.refused(_("缺少列：%(columns)s。请使用下载的模板。") % {"columns": "、".join(missing)})
    where = {field: header.index(name) for name, field in CERTIFICATION_COLUMNS.items()}
    kinds = _kind_labels()
    result = []
    for line, cells in enumerate(rows, start=2):
        if not any(cell not in (None, "") for cell in cells):
            continue
        if len(result) == MAX_CERTIFICATION_ROWS:
            raise files.refused(
                _("一次最多导入 %(n)s 行，请分批导入。") % {"n": MAX_CERTIFICATION_ROWS}, "too_many_rows"
            )
        cell = {field: cells[i] if i < len(cells) else None for field, i in where.items()}
        if isinstance(cell["credit_code"], int | float):
            raise files.refused(
                _(
                    "第%(line)s行：统一社会信用代码被存成了数字（Excel 只保留15位有效数字），请把该列设为文本后重新填写。"
                )
                % {"line": line},
                "numeric_code",
            )
        kind = _text(cell["kind"])
        result.append(
            {
                "line": line,
                "credit_code": _text(cell["credit_code"]),
                "kind": kinds.get(kind, kind),
                "number": _text(cell["number"]),
                "valid_from": _day(cell["valid_from"]),
                "valid_until": _day(cell["valid_until"]),
            }
        )
    if not result:
        raise ValidationFailed(
            _("文件中没有数据行。"), code="empty", detail={"file": [_("文件中没有数据行。")]}
        )
    return result


def ledger_workbook(pool, entries) -> Workbook:
    """Every movement of one pool, then the totals per kind next to the pool's balance."""
    book = Workbook()
    sheet = book.active
    sheet.title = _("台账明细")
    sheet.append([_("%(pool)s 创新券台账") % {"pool": pool.name}])
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append(
        [_("时间"), _("类型"), _("金额（元）"), _("券号"), _("企业"), _("服务订单"), _("经办人"), _("说明")]
    )
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    totals: dict[str, Decimal] = defaultdict(Decimal)
    for entry in entries:
        totals[entry.kind] += entry.amount
        order = entry.redemption.order_id if entry.redemption_id else ""
        sheet.append(
            [
                timezone.localtime(entry.at).strftime("%Y-%m-%d %H:%M:%S"),
                entry.get_kind_display(),
                entry.amount,
                entry.voucher.code if entry.voucher_id else "",
                text_cell(entry.voucher.enterprise.name) if entry.voucher_id else "",
                order,
                text_cell(entry.actor.get_username()) if entry.actor_id else "",
                text_cell(entry.note),
            ]
        )
        sheet.cell(row=sheet.max_row, column=3).number_format = MONEY_FORMAT
    for column, width in zip("ABCDEFGH", (20, 16, 16, 22, 30, 10, 16, 30), strict=True):
        sheet.column_dimensions[column].width = width
    summary = book.create_sheet(_("汇总"))
    summary.append([_("类型"), _("合计（元）")])
    for kind, label in EntryKind.choices:
        summary.append([str(label), totals[kind]])
        summary.cell(row=summary.max_row, column=2).number_format = MONEY_FORMAT
    summary.append([_("资金池可发放余额"), pool.available])
    summary.cell(row=summary.max_row, column=2).number_format = MONEY_FORMAT
    summary.column_dimensions["A"].width = 24
    summary.column_dimensions["B"].width = 18
    return book
