"""The spreadsheet layout of the two libraries: columns with Chinese headers, the downloadable
template (with drop-down validation), and export of a filtered list in the same layout, so that an
exported file can be edited and imported again."""

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from zhouqiao.catalog.models import Confidentiality, IPKind, IPStatus, PriceKind, TransferMode
from zhouqiao.core.models import Industry, KeyIndustry
from zhouqiao.core.spreadsheets import text_cell
from zhouqiao.core.taxonomies import ReadinessLevel

# (field, header, required, note). Headers are matched by text when importing (a trailing * and
# spaces are ignored), so columns may come in any order.
ACHIEVEMENT_COLUMNS = [
    ("title", "成果名称", True, "不超过200字"),
    ("abstract", "成果简介", True, ""),
    ("problem", "解决的问题", False, ""),
    ("advantages", "技术优势", False, "与现有方案相比的优势"),
    ("scenarios", "应用场景", False, ""),
    ("economics", "经济性比较", False, "与主流替代方案的成本、效益比较"),
    ("readiness", "技术就绪水平", True, "1–9 的整数（GB/T 22900）"),
    ("industry", "行业代码", False, "GB/T 4754-2017，见“代码表”"),
    ("patent_class", "IPC分类号", False, "如 B60L 58/12"),
    ("discipline", "学科代码", False, "GB/T 13745"),
    ("key_industries", "重点产业", False, "多个用顿号分隔，见“代码表”"),
    ("keywords", "关键词", False, "多个用顿号分隔"),
    ("transfer_modes", "转化方式", True, "转让、许可、作价入股、合作开发、其他，可多选，用顿号分隔"),
    ("price_kind", "价格方式", False, "固定价格、价格区间、面议；不填按金额推断"),
    ("price_min", "价格下限（元）", False, "固定价格填此列；可写“50万”"),
    ("price_max", "价格上限（元）", False, "价格区间的上限"),
    (
        "ip_kind",
        "知识产权类型",
        False,
        "发明专利、实用新型专利、外观设计专利、软件著作权、植物新品种权、技术秘密",
    ),
    ("ip_number", "知识产权号", False, "专利申请号或登记号"),
    ("ip_status", "知识产权状态", False, "已申请、已授权、已失效"),
    ("ip_filed_on", "申请日", False, "如 2024-03-15"),
    ("ip_granted_on", "授权日", False, ""),
    ("team", "团队与发明人", False, ""),
    ("contact_name", "联系人", False, ""),
    ("contact_phone", "联系电话", False, "对公众脱敏显示"),
    ("contact_email", "联系邮箱", False, ""),
]
DEMAND_COLUMNS = [
    ("title", "需求名称", True, "不超过200字"),
    ("summary", "需求摘要", True, "对所有人公开，不要写入保密内容"),
    ("problem", "需要解决的问题", True, ""),
    ("indicators", "技术指标", False, "需达到的技术指标"),
    ("current_approach", "目前的做法", False, ""),
    ("budget_min", "预算下限（元）", False, "可写“50万”"),
    ("budget_max", "预算上限（元）", False, ""),
    ("deadline", "截止日期", False, "如 2026-12-31"),
    ("cooperation_modes", "合作方式", False, "转让、许可、作价入股、合作开发、其他，可多选"),
    ("confidentiality", "保密级别", False, "公开、公开摘要、仅受邀机构可见；不填为公开"),
    ("industry", "行业代码", False, "GB/T 4754-2017，见“代码表”"),
    ("key_industries", "重点产业", False, "多个用顿号分隔，见“代码表”"),
    ("keywords", "关键词", False, "多个用顿号分隔"),
    ("contact_name", "联系人", False, ""),
    ("contact_phone", "联系电话", False, ""),
    ("contact_email", "联系邮箱", False, ""),
]
COLUMNS = {"achievement": ACHIEVEMENT_COLUMNS, "demand": DEMAND_COLUMNS}
SHEET_TITLES = {"achievement": "科技成果", "demand": "技术需求"}
TEMPLATE_ROWS = 2000  # rows that carry the drop-down validation


def header_map(kind: str) -> dict[str, str]:
    """Header text → field, for reading a file."""
    return {header: field for field, header, _req, _note in COLUMNS[kind]}


def normalise_header(value) -> str:
    return str(value or "").replace("*", "").replace("＊", "").replace(" ", "").replace("\u3000", "").strip()


def _labels(enum) -> str:
    return ",".join(str(label) for label in enum.labels)


def _header_row(ws, kind: str) -> None:
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="FFF2CC")
    for index, (_field, header, required, _note) in enumerate(COLUMNS[kind], start=1):
        cell = ws.cell(row=1, column=index, value=f"{header}*" if required else header)
        cell.font = bold
        if required:
            cell.fill = fill
        ws.column_dimensions[get_column_letter(index)].width = max(12, min(40, len(header) * 3))
    ws.freeze_panes = "A2"


def _column_letter(kind: str, field: str) -> str:
    fields = [c[0] for c in COLUMNS[kind]]
    return get_column_letter(fields.index(field) + 1)


def _validate(ws, kind, field, validation: DataValidation) -> None:
    letter = _column_letter(kind, field)
    validation.add(f"{letter}2:{letter}{TEMPLATE_ROWS + 1}")
    ws.add_data_validation(validation)


def build_template(kind: str) -> Workbook:
    """A workbook with the header row, drop-downs and a code sheet; the first sheet is the data."""
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET_TITLES[kind]
    _header_row(ws, kind)

    codes = wb.create_sheet("代码表")
    codes.append(["行业代码（GB/T 4754-2017）", "重点产业", "转化方式"])
    industries = [
        f"{code} {name}" for code, name in Industry.objects.filter(level="class").values_list("code", "name")
    ]
    keys = list(KeyIndustry.objects.values_list("name", flat=True))
    modes = [str(label) for label in TransferMode.labels]
    for row in range(max(len(industries), len(keys), len(modes))):
        codes.append(
            [
                industries[row] if row < len(industries) else None,
                keys[row] if row < len(keys) else None,
                modes[row] if row < len(modes) else None,
            ]
        )
    codes.column_dimensions["A"].width = 40

    # Several values may go in one cell (separated by 、), so multi-value lists only warn.
    def listed(formula, *, strict=True, title=""):
        return DataValidation(
            type="list",
            formula1=formula,
            allow_blank=True,
            showErrorMessage=True,
            errorStyle="stop" if strict else "warning",
            errorTitle=title,
            error=_("请从下拉列表中选择；多个值用顿号分隔。") if not strict else _("请从下拉列表中选择。"),
        )

    _validate(ws, kind, "industry", listed(f"=代码表!$A$2:$A${len(industries) + 1}", strict=False))
    _validate(ws, kind, "key_industries", listed(f"=代码表!$B$2:$B${len(keys) + 1}", strict=False))
    modes_field = "transfer_modes" if kind == "achievement" else "cooperation_modes"
    _validate(ws, kind, modes_field, listed(f'"{_labels(TransferMode)}"', strict=False))
    if kind == "achievement":
        trl = DataValidation(
            type="whole",
            operator="between",
            formula1="1",
            formula2=str(max(ReadinessLevel.values)),
            showErrorMessage=True,
            error=_("技术就绪水平应为1至9的整数。"),
        )
        _validate(ws, kind, "readiness", trl)
        _validate(ws, kind, "price_kind", listed(f'"{_labels(PriceKind)}"'))
        _validate(ws, kind, "ip_kind", listed(f'"{_labels(IPKind)}"'))
        _validate(ws, kind, "ip_status", listed(f'"{_labels(IPStatus)}"'))
    else:
        _validate(ws, kind, "confidentiality", listed('"公开,公开摘要,仅受邀机构可见"'))

    notes = wb.create_sheet("填写说明")
    notes.append(["列", "是否必填", "说明"])
    for _field, header, required, note in COLUMNS[kind]:
        notes.append([header, "必填" if required else "", note])
    notes.append([])
    notes.append(
        ["", "", "第一行为表头，请勿修改；从第二行起每行一条。导入前系统会逐行校验，全部无误才写入。"]
    )
    notes.column_dimensions["A"].width = 18
    notes.column_dimensions["C"].width = 80
    return wb


def _money(value) -> str:
    return "" if value is None else format(value, "f")


def achievement_row(data: dict) -> list:
    """One exported row from ``access.achievement_fields`` (already filtered for the viewer)."""
    ip = data["ip_items"][0] if data["ip_items"] else {}
    values = {
        **{
            k: data.get(k, "")
            for k in (
                "title",
                "abstract",
                "problem",
                "advantages",
                "scenarios",
                "economics",
                "readiness",
                "patent_class",
                "discipline",
                "team",
                "contact_name",
                "contact_phone",
                "contact_email",
            )
        },
        "industry": data["industry_code"],
        "key_industries": "、".join(data["key_industries"]),
        "keywords": "、".join(data["keywords"]),
        "transfer_modes": "、".join(data["transfer_mode_labels"]),
        "price_kind": data["price_kind_display"],
        "price_min": _money(data["price_min"]),
        "price_max": _money(data["price_max"]) if data["price_kind"] == PriceKind.RANGE else "",
        "ip_kind": ip.get("kind_display", ""),
        "ip_number": ip.get("number", ""),
        "ip_status": ip.get("status_display", ""),
        "ip_filed_on": ip.get("filed_on") or "",
        "ip_granted_on": ip.get("granted_on") or "",
    }
    return [text_cell(values.get(field, "")) for field, *_rest in ACHIEVEMENT_COLUMNS]


CONFIDENTIALITY_SHORT = {
    Confidentiality.PUBLIC: "公开",
    Confidentiality.SUMMARY: "公开摘要",
    Confidentiality.INVITED: "仅受邀机构可见",
}


def demand_row(data: dict) -> list:
    """One exported row from ``access.demand_fields``: detail fields the viewer may not see are
    simply absent from ``data`` and come out empty."""
    values = {
        **{
            k: data.get(k, "")
            for k in (
                "title",
                "summary",
                "problem",
                "indicators",
                "current_approach",
                "contact_name",
                "contact_phone",
                "contact_email",
            )
        },
        "budget_min": _money(data["budget_min"]),
        "budget_max": _money(data["budget_max"]),
        "deadline": data["deadline"] or "",
        "cooperation_modes": "、".join(data["cooperation_mode_labels"]),
        "confidentiality": CONFIDENTIALITY_SHORT.get(data["confidentiality"], ""),
        "industry": data["industry_code"],
        "key_industries": "、".join(data["key_industries"]),
        "keywords": "、".join(data["keywords"]),
    }
    return [text_cell(values.get(field, "")) for field, *_rest in DEMAND_COLUMNS]


def export_workbook(kind: str, rows) -> Workbook:
    """A write-only workbook of the given rows (lists), with the import layout's header row."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(SHEET_TITLES[kind])
    ws.append([header for _field, header, _req, _note in COLUMNS[kind]])
    for row in rows:
        ws.append(row)
    return wb
