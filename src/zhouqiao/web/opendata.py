"""Open data (数据集中): the platform's published records and aggregate statistics as documented
downloads (CSV, JSON) and through the API (``/api/v1/open-data/…``, paginated, ``updated_since``).

What each dataset holds is written once here — the fields, their meaning, what is left out and
why — and the page, the downloads, the API and the data dictionary all read it.

Licence: CC BY 4.0 (知识共享署名 4.0 国际). This is our decision, not a rule of the seeds: the
records are already public on the portal, and an attribution licence lets governments, researchers
and companies reuse them while naming the source. Change ``LICENCE`` if the operator decides
otherwise.

Left out everywhere: contact people, phone numbers and e-mail addresses (personal information);
demands marked 仅对受邀机构可见 entirely, and the problem statement, technical indicators, current
approach and budget of demands that publish only a summary; the terms and contract link of deals,
and every deal reached in a private negotiation (only listing and auction deals are announced);
inventors and team members; project progress, reviews and reports.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime

from django.utils.translation import gettext_lazy as _

LICENCE = {
    "name": "CC BY 4.0",
    "title": _("知识共享署名 4.0 国际许可协议"),
    "url": "https://creativecommons.org/licenses/by/4.0/legalcode.zh-hans",
    "attribution": _("数据来源：舟桥科技成果转化平台"),
}
MAX_DOWNLOAD_ROWS = 100_000


@dataclass(frozen=True)
class Field:
    name: str
    label: str
    type: str  # string / integer / decimal / date / datetime
    description: str = ""


@dataclass(frozen=True)
class Dataset:
    code: str
    title: str
    description: str
    updated_field: str  # what updated_since compares against
    updated_label: str
    fields: list[Field]
    queryset: Callable  # () -> QuerySet of the public rows
    row: Callable  # (record) -> dict
    excluded: str = ""
    extra: dict = field(default_factory=dict)

    def rows(
        self, *, updated_since: datetime | None = None, offset: int = 0, limit: int | None = None
    ) -> Iterable[dict]:
        rows = self.queryset()
        if updated_since is not None and self.updated_field:
            rows = rows.filter(**{f"{self.updated_field}__gte": updated_since})
        rows = rows.order_by(self.updated_field, "pk") if self.updated_field else rows
        end = None if limit is None else offset + limit
        return (self.row(r) for r in rows[offset:end])


def _iso(value):
    return value.isoformat() if value else None


def _money(value):
    return None if value is None else str(value)


# --- the datasets ----------------------------------------------------------------------------------


def _achievements():
    from zhouqiao.catalog.models import Achievement
    from zhouqiao.catalog.states import RecordStatus

    return Achievement.objects.filter(status=RecordStatus.PUBLISHED).select_related(
        "owner", "region", "industry"
    )


def _achievement_row(a) -> dict:
    return {
        "id": a.pk,
        "title": a.title,
        "owner": a.owner.name,
        "region_code": a.region_id,
        "region_name": a.region.name,
        "industry_code": a.industry_id or "",
        "industry_name": a.industry.name if a.industry_id else "",
        "readiness": a.readiness,
        "transfer_modes": "、".join(a.mode_labels),
        "price_kind": str(a.get_price_kind_display()),
        "price_min": _money(a.price_min),
        "price_max": _money(a.price_max),
        "abstract": a.abstract,
        "keywords": a.keywords,
        "published_at": _iso(a.published_at),
        "updated_at": _iso(a.updated_at),
    }


def _demands():
    from zhouqiao.catalog.models import Confidentiality, Demand
    from zhouqiao.catalog.states import RecordStatus

    return (
        Demand.objects.filter(status=RecordStatus.PUBLISHED)
        .exclude(confidentiality=Confidentiality.INVITED)
        .select_related("owner", "region", "industry")
    )


def _demand_row(d) -> dict:
    public = d.confidentiality == "public"
    return {
        "id": d.pk,
        "title": d.title,
        "owner": d.owner.name,
        "region_code": d.region_id,
        "region_name": d.region.name,
        "industry_code": d.industry_id or "",
        "industry_name": d.industry.name if d.industry_id else "",
        "summary": d.summary,
        "cooperation_modes": "、".join(d.mode_labels),
        "budget_min": _money(d.budget_min) if public else None,
        "budget_max": _money(d.budget_max) if public else None,
        "deadline": _iso(d.deadline),
        "confidentiality": str(d.get_confidentiality_display()),
        "published_at": _iso(d.published_at),
        "updated_at": _iso(d.updated_at),
    }


def _deals():
    from zhouqiao.market.models import Deal

    return Deal.objects.announced().select_related("seller", "buyer", "region")


def _deal_row(d) -> dict:
    return {
        "id": d.pk,
        "title": d.title,
        "source": str(d.get_source_display()),
        "mode": str(d.get_mode_display()),
        "amount": _money(d.amount),
        "seller": d.seller.name,
        "buyer": d.buyer.name,
        "region_code": d.region_id,
        "region_name": d.region.name,
        "agreed_at": _iso(d.agreed_at),
    }


def _projects():
    from zhouqiao.programs.projects.models import Project

    return Project.objects.public().select_related("undertaker", "region")


def _project_row(p) -> dict:
    return {
        "id": p.pk,
        "title": p.title,
        "undertaker": p.undertaker.name,
        "region_code": p.region_id,
        "region_name": p.region.name,
        "call_title": p.call_title,
        "approved_amount": _money(p.approved_amount),
        "start_date": _iso(p.start_date),
        "end_date": _iso(p.end_date),
        "status": str(p.get_status_display()),
        "approved_at": _iso(p.created_at),
    }


REGION = [
    Field("region_code", _("所在地区代码"), "string", _("GB/T 2260 六位行政区划代码")),
    Field("region_name", _("所在地区"), "string"),
]
INDUSTRY = [
    Field("industry_code", _("行业代码"), "string", _("GB/T 4754-2017 国民经济行业分类代码，可为空")),
    Field("industry_name", _("行业"), "string"),
]

DATASETS: dict[str, Dataset] = {
    d.code: d
    for d in [
        Dataset(
            "achievements",
            _("科技成果"),
            _("平台上已发布的科技成果（经属地审核）。"),
            "updated_at",
            _("更新时间"),
            [
                Field("id", _("编号"), "integer", _("平台内的成果编号")),
                Field("title", _("成果名称"), "string"),
                Field("owner", _("所属机构"), "string"),
                *REGION,
                *INDUSTRY,
                Field("readiness", _("技术就绪水平"), "integer", _("GB/T 22900，1–9 级")),
                Field("transfer_modes", _("转化方式"), "string", _("以顿号分隔")),
                Field("price_kind", _("价格方式"), "string", _("固定价格、价格区间或面议")),
                Field("price_min", _("价格下限（元）"), "decimal", _("面议时为空")),
                Field("price_max", _("价格上限（元）"), "decimal", _("面议时为空")),
                Field("abstract", _("成果简介"), "string"),
                Field("keywords", _("关键词"), "string"),
                Field("published_at", _("发布时间"), "datetime", _("ISO 8601，北京时间")),
                Field("updated_at", _("更新时间"), "datetime", _("ISO 8601，北京时间")),
            ],
            _achievements,
            _achievement_row,
            _("联系人、联系电话、联系邮箱，团队与发明人。"),
        ),
        Dataset(
            "demands",
            _("技术需求"),
            _(
                "平台上已发布的技术需求。仅对受邀机构可见的需求不公开；只公开摘要的需求不含问题描述、技术指标与预算。"
            ),
            "updated_at",
            _("更新时间"),
            [
                Field("id", _("编号"), "integer"),
                Field("title", _("需求名称"), "string"),
                Field("owner", _("发布机构"), "string"),
                *REGION,
                *INDUSTRY,
                Field("summary", _("需求摘要"), "string"),
                Field("cooperation_modes", _("合作方式"), "string", _("以顿号分隔")),
                Field("budget_min", _("预算下限（元）"), "decimal", _("仅完全公开的需求填写")),
                Field("budget_max", _("预算上限（元）"), "decimal", _("仅完全公开的需求填写")),
                Field("deadline", _("截止日期"), "date"),
                Field("confidentiality", _("保密级别"), "string"),
                Field("published_at", _("发布时间"), "datetime"),
                Field("updated_at", _("更新时间"), "datetime"),
            ],
            _demands,
            _demand_row,
            _(
                "联系人、联系电话、联系邮箱；需要解决的问题、技术指标、目前的做法（均属需求方可能保密的内容）。"
            ),
        ),
        Dataset(
            "deals",
            _("成交公告"),
            _("通过挂牌、拍卖公开达成的交易（成交公告）。私下洽谈达成的交易不公开。"),
            "agreed_at",
            _("成交时间"),
            [
                Field("id", _("编号"), "integer"),
                Field("title", _("交易项目"), "string"),
                Field("source", _("交易方式"), "string", _("挂牌或拍卖")),
                Field("mode", _("转化方式"), "string"),
                Field("amount", _("成交金额（元）"), "decimal"),
                Field("seller", _("卖方"), "string"),
                Field("buyer", _("买方"), "string"),
                *REGION,
                Field("agreed_at", _("成交时间"), "datetime"),
            ],
            _deals,
            _deal_row,
            _("主要条款、合同草稿、中介方与经纪人；洽谈成交的全部交易。"),
        ),
        Dataset(
            "projects",
            _("立项项目"),
            _("科技计划立项项目（立项信息向全社会公开）。"),
            "created_at",
            _("立项时间"),
            [
                Field("id", _("编号"), "integer"),
                Field("title", _("项目名称"), "string"),
                Field("undertaker", _("承担单位"), "string"),
                *REGION,
                Field("call_title", _("所属计划"), "string"),
                Field("approved_amount", _("立项资助金额（元）"), "decimal"),
                Field("start_date", _("实施期开始"), "date"),
                Field("end_date", _("实施期结束"), "date"),
                Field("status", _("项目状态"), "string"),
                Field("approved_at", _("立项时间"), "datetime"),
            ],
            _projects,
            _project_row,
            _("项目监理、中期检查与验收意见、经费拨付、进度报告；科技报告在公开日前不含。"),
        ),
    ]
}

STATISTICS_FIELDS = [
    Field("year", _("年度"), "integer"),
    Field("region_code", _("地区代码"), "string", _("吉林省及各市（州）")),
    Field("region_name", _("地区"), "string"),
    Field("indicator", _("指标代码"), "string"),
    Field("indicator_name", _("指标"), "string"),
    Field("unit", _("单位"), "string"),
    Field("value", _("数值"), "decimal"),
]
STATISTICS_YEARS = 5


def statistics_rows(*, year: int) -> list[dict]:
    """The published aggregate statistics: every indicator for the province and each city of the
    last ``STATISTICS_YEARS`` completed years up to ``year``."""
    from zhouqiao.core.models import Region
    from zhouqiao.insights import indicators

    regions = [Region.objects.get(pk="220000"), *Region.objects.filter(parent_id="220000").order_by("code")]
    names = {r.code: r.name for r in regions}
    rows = []
    for code, ind in indicators.INDICATORS.items():
        years = range(year - STATISTICS_YEARS + 1, year + 1)
        province = indicators.series(code, region_code="220000", years=years)
        for y in years:
            rows.append(_stat(y, "220000", names["220000"], code, ind, province.get(y, 0)))
            cities = indicators.by_region(code, parent_code="220000", year=y)
            for r in regions[1:]:
                rows.append(_stat(y, r.code, names[r.code], code, ind, cities.get(r.code, 0)))
    return rows


def _stat(year, region_code, region_name, code, ind, value) -> dict:
    return {
        "year": year,
        "region_code": region_code,
        "region_name": region_name,
        "indicator": code,
        "indicator_name": str(ind.name),
        "unit": ind.unit,
        "value": str(value),
    }
