"""The performance-score weights of transfer institutions, as data.

Source of the five pillars and their points (verified): the provincial 《省级技术转移示范机构绩效评价考核
指标》 table — 基础条件 10, 服务绩效 30, 服务能力 30, 规范管理 20, 社会信誉 10
(https://360docs.net/doc/5016173051.html; /work/shared/research/institutions-index-events.md §1.2).

Unverified (no source gives them; the bureau may change them here): the points of each
sub-indicator inside its pillar, the target values at which a ratio indicator earns full points,
the grade thresholds, and the annual report's opening and due dates (Hubei and Anhui report by
calendar year; Anhui submits in July). Each item says whether its value comes from the platform
("platform") or is entered by staff ("staff", audited and bounded by ``points``).
"""

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

SOURCE_URL = "https://360docs.net/doc/5016173051.html"
SOURCE_TITLE = _("省级技术转移示范机构绩效评价考核指标（五项一级指标及分值）")


@dataclass(frozen=True)
class Item:
    code: str
    label: object
    points: Decimal
    kind: str  # "ratio": points × min(value ÷ target, 1); "staff": entered 0..points; "flag": all or nothing
    source: object
    formula: object
    target: Decimal | None = None
    unit: object = ""


@dataclass(frozen=True)
class Pillar:
    code: str
    label: object
    points: Decimal
    items: tuple[Item, ...]


D = Decimal
DEAL_SOURCE = _(
    "平台登记的技术合同（中介方为本机构，年度内登记）及平台成交记录（中介方为本机构、未形成登记合同）"
)

PILLARS: tuple[Pillar, ...] = (
    Pillar(
        "base",
        _("基础条件"),
        D(10),
        (
            Item(
                "staff",
                _("专职从业人员"),
                D(4),
                "ratio",
                _("备案信息（审核通过的专职从业人员数）"),
                _("4 × min(人数 ÷ 20, 1)"),
                D(20),
                _("人"),
            ),
            Item(
                "experts",
                _("兼职专家"),
                D(3),
                "ratio",
                _("备案信息（兼职专家人数）"),
                _("3 × min(人数 ÷ 10, 1)"),
                D(10),
                _("人"),
            ),
            Item(
                "brokers",
                _("持证技术经纪（理）人"),
                D(3),
                "ratio",
                _("平台技术经纪人登记（本机构、发证日期不晚于年度末）"),
                _("3 × min(人数 ÷ 5, 1)"),
                D(5),
                _("人"),
            ),
        ),
    ),
    Pillar(
        "results",
        _("服务绩效"),
        D(30),
        (
            Item(
                "deal_count",
                _("促成技术交易数"),
                D(15),
                "ratio",
                DEAL_SOURCE,
                _("15 × min(项数 ÷ 20, 1)"),
                D(20),
                _("项"),
            ),
            Item(
                "deal_amount",
                _("促成技术交易额"),
                D(15),
                "ratio",
                DEAL_SOURCE,
                _("15 × min(成交额 ÷ 5000万元, 1)"),
                D("50000000"),
                _("元"),
            ),
        ),
    ),
    Pillar(
        "capacity",
        _("服务能力"),
        D(30),
        (
            Item(
                "deals_per_100_staff",
                _("每百名专职人员促成交易数"),
                D(10),
                "ratio",
                _("促成技术交易数 ÷ 专职从业人员 × 100"),
                _("10 × min(每百人项数 ÷ 100, 1)"),
                D(100),
                _("项"),
            ),
            Item(
                "enterprises_served",
                _("服务企业数"),
                D(10),
                "ratio",
                _("上述合同和成交的买方（去重）"),
                _("10 × min(家数 ÷ 15, 1)"),
                D(15),
                _("家"),
            ),
            Item(
                "events",
                _("举办对接、路演、培训等活动"),
                D(5),
                "ratio",
                _("平台活动记录（本机构主办、年度内举办）"),
                _("5 × min(场次 ÷ 4, 1)"),
                D(4),
                _("场"),
            ),
            Item(
                "training",
                _("经纪（理）人人均培训学时"),
                D(5),
                "ratio",
                _("平台培训记录（本机构经纪人、年度内）"),
                _("5 × min(人均学时 ÷ 40, 1)"),
                D(40),
                _("学时"),
            ),
        ),
    ),
    Pillar(
        "management",
        _("规范管理"),
        D(20),
        (
            Item(
                "rules",
                _("章程、内部管理和客户管理制度"),
                D(6),
                "staff",
                _("主管部门评分（留痕）"),
                _("0–6 分"),
            ),
            Item(
                "it_tools", _("信息化工具和专业数据库"), D(4), "staff", _("主管部门评分（留痕）"), _("0–4 分")
            ),
            Item(
                "demonstration",
                _("区域或行业示范作用"),
                D(4),
                "staff",
                _("主管部门评分（留痕）"),
                _("0–4 分"),
            ),
            Item("activities", _("参与行业活动"), D(3), "staff", _("主管部门评分（留痕）"), _("0–3 分")),
            Item(
                "report_on_time",
                _("年度报告按期报送"),
                D(3),
                "flag",
                _("平台年度报告（提交时间与截止日期）"),
                _("截止日期前提交得 3 分，否则 0 分"),
            ),
        ),
    ),
    Pillar(
        "reputation",
        _("社会信誉"),
        D(10),
        (
            Item("integrity", _("诚信状况"), D(5), "staff", _("主管部门评分（留痕）"), _("0–5 分")),
            Item(
                "ratings",
                _("委托方评价"),
                D(5),
                "ratio",
                _("平台委托方评价（本机构经纪人经办的登记合同）"),
                _("5 × 平均评分 ÷ 5（无评价为 0 分）"),
                D(5),
                _("分"),
            ),
        ),
    ),
)

STAFF_ITEMS: dict[str, Item] = {i.code: i for p in PILLARS for i in p.items if i.kind == "staff"}

# Grades (unverified thresholds; the 2015 national round used 优秀/良好/合格/整改).
GRADES: tuple[tuple[Decimal, object], ...] = (
    (D(85), _("优秀")),
    (D(75), _("良好")),
    (D(60), _("合格")),
    (D(0), _("不合格")),
)

# The annual report for year Y opens on REPORT_OPENS of Y and is due on REPORT_DUE of Y + 1 (unverified).
REPORT_OPENS = (12, 1)
REPORT_DUE = (3, 31)


def grade(total: Decimal) -> str:
    for threshold, label in GRADES:
        if total >= threshold:
            return str(label)
    return str(GRADES[-1][1])


assert all(sum(i.points for i in p.items) == p.points for p in PILLARS)  # checks the constants  # nosec B101
assert sum(p.points for p in PILLARS) == 100  # checks the constants  # nosec B101
