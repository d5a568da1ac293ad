"""The inputs workbook: the template staff fill in, the frozen file a published year offers for
download, and the one reader both the import and the ``innovation-index`` command use.

Sheet 「指标输入」: a header row, then one row per region and year — 年度, 区划代码, 地区名称 and one
column per input (``framework.INPUTS``, unit in the header). Sheet 「计算参数」 (published files
only): the normalisation method and the weights the year was published with.
"""

import io
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font

from zhouqiao.core.spreadsheets import text_cell
from zhouqiao.insights.innovation_index import framework as fw

FILE_LANGUAGE = "zh-hans"
SHEET = "指标输入"
PARAMS_SHEET = "计算参数"
MAX_VALUE = Decimal("1000000000000")  # no input of a county reaches 10^12 in its unit
MAX_ROWS = 2000


def header(inp: fw.Input) -> str:
    """A column's name, always in Chinese (see :func:`headers`)."""
    with translation.override(FILE_LANGUAGE):
        return f"{inp.label}（{inp.unit}）"


def headers() -> list[str]:
    """The columns, always in Chinese: a workbook is data, read back whatever the reader's language."""
    with translation.override(FILE_LANGUAGE):
        return [str(_("年度")), str(_("区划代码")), str(_("地区名称")), *[header(i) for i in fw.INPUTS]]


def _cell(value):
    if value is None or value == "":
        return None
    number = Decimal(str(value))
    return int(number) if number == number.to_integral_value() else float(number)


def build(rows: list[tuple[int, str, str, dict]], *, params: dict | None = None, note: str = "") -> bytes:
    """rows: (year, region code, region name, {input code: value or None})."""
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    ws.append(headers())
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for year, code, name, values in rows:
        ws.append([year, code, text_cell(name), *[_cell(values.get(i.code)) for i in fw.INPUTS]])
    ws.column_dimensions["C"].width = 24
    if params is not None:
        ps = wb.create_sheet(PARAMS_SHEET)
        ps.append([_("参数"), _("代码"), _("取值")])
        ps.append([_("标准化方法"), "normalisation", params["normalisation"]])
        for code in fw.PILLAR_CODES:
            ps.append([_("分项权重"), f"pillar.{code}", float(params["weights"]["pillars"].get(code, 1.0))])
        for code in fw.INDICATOR_CODES:
            ps.append(
                [_("指标权重"), f"indicator.{code}", float(params["weights"]["indicators"].get(code, 1.0))]
            )
        if note:
            ps.append([_("说明"), "note", text_cell(note)])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


@dataclass
class Row:
    number: int  # the sheet row, as Excel shows it
    year: int | None
    region_code: str
    values: dict[str, Decimal | None]


@dataclass
class Parsed:
    rows: list[Row] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    params: dict | None = None


def _row_error(number: int, text: str) -> str:
    return _("工作表“%(sheet)s”第%(row)s行：%(text)s") % {"sheet": SHEET, "row": number, "text": text}


def _decimal(value) -> Decimal | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise InvalidOperation
    text = str(value).strip().replace(",", "")
    number = Decimal(text)
    if not number.is_finite():
        raise InvalidOperation
    return number


def read(source) -> Parsed:
    """Parse the workbook; never raises for bad content (errors are collected in ``Parsed.errors``)."""
    parsed = Parsed()
    try:
        wb = load_workbook(source, read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 — any unreadable upload is the same answer to the user
        parsed.errors.append(_("无法读取该文件，请上传由平台模板填写的 Excel（.xlsx）文件。"))
        return parsed
    try:
        if SHEET not in wb.sheetnames:
            parsed.errors.append(
                _("文件中没有名为“%(sheet)s”的工作表，请使用平台提供的模板。") % {"sheet": SHEET}
            )
            return parsed
        rows = wb[SHEET].iter_rows(values_only=True)
        head = [str(v).strip() if v is not None else "" for v in next(rows, ())]
        wanted = headers()
        positions = {}
        for name in wanted:
            if name not in head:
                parsed.errors.append(
                    _("工作表“%(sheet)s”第1行缺少列“%(col)s”，请使用平台提供的模板。")
                    % {"sheet": SHEET, "col": name}
                )
            else:
                positions[name] = head.index(name)
        if parsed.errors:
            return parsed
        for number, raw in enumerate(rows, start=2):
            if number > MAX_ROWS + 1:
                parsed.errors.append(_("工作表“%(sheet)s”超过%(n)s行。") % {"sheet": SHEET, "n": MAX_ROWS})
                break
            raw = tuple(raw) + (None,) * (len(head) - len(raw))
            if all(v is None or (isinstance(v, str) and not v.strip()) for v in raw):
                continue
            _parse_row(parsed, number, raw, positions, wanted)
        if PARAMS_SHEET in wb.sheetnames:
            parsed.params = _params(wb[PARAMS_SHEET], parsed.errors)
    finally:
        wb.close()
    return parsed


def _parse_row(parsed: Parsed, number: int, raw, positions, wanted) -> None:
    year_raw = raw[positions[wanted[0]]]
    try:
        year = int(_decimal(year_raw)) if year_raw is not None else None
        if year is not None and Decimal(str(year_raw).strip()) != year:
            raise InvalidOperation
    except (InvalidOperation, ValueError):
        parsed.errors.append(_row_error(number, _("年度“%(v)s”不是有效的年份。") % {"v": year_raw}))
        year = None
    else:
        if year is None:
            parsed.errors.append(_row_error(number, _("未填写年度。")))
    code_raw = raw[positions[wanted[1]]]
    code = (
        str(int(code_raw))
        if isinstance(code_raw, int | float) and not isinstance(code_raw, bool)
        else str(code_raw or "").strip()
    )
    if not code:
        parsed.errors.append(_row_error(number, _("未填写区划代码。")))
    values: dict[str, Decimal | None] = {}
    for inp in fw.INPUTS:
        label = header(inp)
        cell = raw[positions[label]]
        try:
            value = _decimal(cell)
        except (InvalidOperation, ValueError):
            parsed.errors.append(
                _row_error(number, _("“%(col)s”的值“%(v)s”不是数字。") % {"col": label, "v": cell})
            )
            continue
        if value is None:
            if inp.required:
                parsed.errors.append(_row_error(number, _("未填写“%(col)s”（必填）。") % {"col": label}))
            values[inp.code] = None
            continue
        if value < 0:
            parsed.errors.append(_row_error(number, _("“%(col)s”不能为负数。") % {"col": label}))
        elif inp.required and value == 0:
            parsed.errors.append(_row_error(number, _("“%(col)s”必须大于0。") % {"col": label}))
        elif value >= MAX_VALUE:
            parsed.errors.append(_row_error(number, _("“%(col)s”的值超出合理范围。") % {"col": label}))
        elif value.as_tuple().exponent < -6:
            value = value.quantize(Decimal("0.000001"))
        values[inp.code] = value
    parsed.rows.append(Row(number=number, year=year, region_code=code, values=values))


def _params(ws, errors: list[str]) -> dict:
    weights = fw.default_weights()
    normalisation = fw.DEFAULT_NORMALISATION
    for number, row in enumerate(ws.iter_rows(min_row=2, values_only=True), start=2):
        if not row or len(row) < 3 or row[1] is None:
            continue
        code, value = str(row[1]).strip(), row[2]
        try:
            if code == "normalisation":
                if value not in fw.NORMALISATIONS:
                    raise ValueError
                normalisation = value
            elif code.startswith("pillar.") and code[7:] in fw.PILLAR_CODES:
                weights["pillars"][code[7:]] = _weight(value)
            elif code.startswith("indicator.") and code[10:] in fw.INDICATOR_CODES:
                weights["indicators"][code[10:]] = _weight(value)
        except (ValueError, TypeError, InvalidOperation):
            errors.append(
                _("工作表“%(sheet)s”第%(row)s行：参数取值无效。") % {"sheet": PARAMS_SHEET, "row": number}
            )
    return {"normalisation": normalisation, "weights": weights}


def _weight(value) -> float:
    number = float(Decimal(str(value)))
    if not 0 <= number <= 100:
        raise ValueError
    return number


def as_inputs(rows: list[Row], year: int) -> dict[str, dict]:
    """{region code: {input code: Decimal or None}} of one year's rows."""
    return {r.region_code: r.values for r in rows if r.year == year}
