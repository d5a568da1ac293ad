"""The indicator framework of the county innovation development index (seed 003 #38: Jilin City's
opinion asks Jilin City for an index of its own counties and districts; the platform applies the
same method province-wide as a reference comparison — stated in ``_basis.html``).

Everything the index is made of is written here as data: the raw inputs staff enter or import
(one row per region and year), the indicators derived from them (definition, unit, direction,
source) and the three pillars with their default weights. The maths is in :mod:`.compute`.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Input:
    code: str
    label: str  # the template's column header (Chinese)
    unit: str
    required: bool  # a denominator: must be present and > 0
    source: str


@dataclass(frozen=True)
class Indicator:
    code: str
    pillar: str
    label: str
    unit: str
    definition: str
    numerator: str
    denominator: str
    factor: float  # indicator = numerator / denominator × factor
    direction: int  # +1: more is better; -1: less is better
    source: str


@dataclass(frozen=True)
class Pillar:
    code: str
    label: str


INPUTS: tuple[Input, ...] = (
    Input("population", _("常住人口"), _("万人"), True, _("统计部门年度统计公报")),
    Input("gdp", _("地区生产总值"), _("亿元"), True, _("统计部门年度统计公报")),
    Input("firms", _("企业法人单位数"), _("户"), True, _("市场监管部门企业登记")),
    Input("fiscal_spending", _("一般公共预算支出"), _("万元"), True, _("财政部门决算")),
    Input("rd_expenditure", _("R&D经费支出"), _("万元"), False, _("统计部门研究与试验发展统计")),
    Input("fiscal_st_spending", _("财政科学技术支出"), _("万元"), False, _("财政部门决算")),
    Input("high_tech_enterprises", _("有效期内高新技术企业数"), _("家"), False, _("科技部门高企认定名单")),
    Input("contract_turnover", _("技术合同成交额"), _("万元"), False, _("本平台技术合同认定登记")),
    Input("invention_patents", _("有效发明专利数"), _("件"), False, _("知识产权部门统计")),
    Input("vouchers_redeemed", _("创新券兑付额"), _("万元"), False, _("本平台科技创新券兑付记录")),
    Input("instrument_hours", _("大型仪器共享服务机时"), _("小时"), False, _("本平台大型仪器共享使用记录")),
)
INPUT_CODES = tuple(i.code for i in INPUTS)
INPUTS_BY_CODE = {i.code: i for i in INPUTS}

PILLARS: tuple[Pillar, ...] = (
    Pillar("input", _("创新投入")),
    Pillar("output", _("创新产出")),
    Pillar("environment", _("创新环境")),
)
PILLAR_CODES = tuple(p.code for p in PILLARS)

INDICATORS: tuple[Indicator, ...] = (
    Indicator(
        "rd_intensity",
        "input",
        _("R&D经费投入强度"),
        "%",
        _("R&D经费支出占地区生产总值的比重：R&D经费支出（万元）÷（地区生产总值（亿元）× 10000）× 100"),
        "rd_expenditure",
        "gdp",
        100 / 10000,
        +1,
        _("统计部门"),
    ),
    Indicator(
        "fiscal_st_share",
        "input",
        _("财政科技支出占比"),
        "%",
        _("财政科学技术支出占一般公共预算支出的比重：财政科学技术支出 ÷ 一般公共预算支出 × 100"),
        "fiscal_st_spending",
        "fiscal_spending",
        100,
        +1,
        _("财政部门"),
    ),
    Indicator(
        "high_tech_density",
        "output",
        _("万户企业高新技术企业数"),
        _("家/万户"),
        _("有效期内高新技术企业数 ÷ 企业法人单位数 × 10000"),
        "high_tech_enterprises",
        "firms",
        10000,
        +1,
        _("科技部门、市场监管部门"),
    ),
    Indicator(
        "contract_turnover_per_capita",
        "output",
        _("人均技术合同成交额"),
        _("元/人"),
        _("技术合同成交额（万元）÷ 常住人口（万人），即每人多少元"),
        "contract_turnover",
        "population",
        1,
        +1,
        _("本平台技术合同认定登记"),
    ),
    Indicator(
        "patents_per_10k",
        "output",
        _("万人有效发明专利拥有量"),
        _("件/万人"),
        _("有效发明专利数 ÷ 常住人口（万人）"),
        "invention_patents",
        "population",
        1,
        +1,
        _("知识产权部门"),
    ),
    Indicator(
        "vouchers_per_10k",
        "environment",
        _("万人创新券兑付额"),
        _("万元/万人"),
        _("创新券兑付额（万元）÷ 常住人口（万人）"),
        "vouchers_redeemed",
        "population",
        1,
        +1,
        _("本平台科技创新券"),
    ),
    Indicator(
        "instrument_hours_per_10k",
        "environment",
        _("万人大型仪器共享机时"),
        _("小时/万人"),
        _("大型仪器共享服务机时 ÷ 常住人口（万人）"),
        "instrument_hours",
        "population",
        1,
        +1,
        _("本平台大型仪器共享"),
    ),
)
INDICATOR_CODES = tuple(i.code for i in INDICATORS)
INDICATORS_BY_CODE = {i.code: i for i in INDICATORS}

NORMALISATIONS = {"minmax": _("最小—最大值标准化"), "zscore": _("Z分数标准化")}
DEFAULT_NORMALISATION = "minmax"

# A region missing more than this share of the indicators is listed but not ranked.
MAX_MISSING_SHARE = 1 / 3
# Sensitivity check: each weight is multiplied by a factor drawn uniformly from [1 − s, 1 + s],
# the normalisation is drawn from both methods, SENSITIVITY_DRAWS times, from a fixed seed.
SENSITIVITY_SPREAD = 0.2
SENSITIVITY_DRAWS = 200
SENSITIVITY_SEED = 38


def default_weights() -> dict:
    """Equal weights: each pillar one third, each indicator an equal share of its pillar."""
    return {
        "pillars": dict.fromkeys(PILLAR_CODES, 1.0),
        "indicators": dict.fromkeys(INDICATOR_CODES, 1.0),
    }


def indicators_of(pillar: str) -> list[Indicator]:
    return [i for i in INDICATORS if i.pillar == pillar]
