"""The indicators (指标监测): figures computed from the platform's own records, never typed in.

Every indicator is a calendar-year figure for a region's subtree (``220000`` the province,
``220100`` Changchun with its counties, ``220183`` one county — the prefix rule of
``Region.scope_prefix``). Three calls read them::

    value("contract_turnover", region_code="220100", year=2025)          -> Decimal
    series("contracts_registered", region_code="220000", years=range(2021, 2026))  -> {year: int}
    by_region("vouchers_issued", parent_code="220000", year=2025)        -> {"220100": Decimal, …}

Amounts are ``Decimal`` yuan (two places), counts ``int``, hours ``Decimal``. ``by_region`` groups
one level down (province → cities, city → counties; a county returns itself) and lists only the
regions that have records; callers fill the rest with zero.

The contract figures (turnover, technology transaction amount, registrations, technology output)
are read through ``contracts.selectors.statistics`` — the one aggregation of the registration
rule (registered contracts, by registration year, by the region they were registered in, which is
the seller's region). Absorption and flows use its ``flow`` grouping on the buyer's region.

Every call of that aggregation goes through :func:`contract_statistics`, which keeps the result of
completed years in Django's cache: a registration is dated when it is made and a registered contract
cannot be edited, so a completed year's figures change only when a registration is reversed
(撤销登记) — the key carries the id of the latest reversal, so a reversal starts afresh. The running
year is always aggregated anew. The cache stores the aggregation's rows; nothing else computes them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.core.cache import cache
from django.db.models import Case, Count, DecimalField, F, Q, Sum, Value, When
from django.db.models.functions import ExtractYear, Substr
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zhouqiao.core.models import Region, RegionLevel

ZERO = Decimal("0.00")

# Child prefix length one level down from a region of this level.
_CHILD_LENGTH = {RegionLevel.PROVINCE: 4, RegionLevel.CITY: 6, RegionLevel.COUNTY: 6}
_LEVEL_NAME = {2: "province", 4: "city", 6: "county"}


@dataclass(frozen=True)
class Indicator:
    code: str
    name: str
    unit: str
    source: str
    description: str
    kind: str = "count"  # "count" (int), "amount" (Decimal yuan) or "quantity" (Decimal, e.g. hours)
    group: str = ""  # the dashboard section it is shown in
    breakdown: str = ""  # the name of its breakdown (e.g. 交易方式), see ``breakdown()``


@dataclass(frozen=True)
class _Measure:
    """How one indicator is computed: rows of a model, the date that places a row in a year, the
    region code field that places it in a subtree, and the aggregate."""

    queryset: Callable
    date: str
    region: str
    aggregate: Callable  # () -> aggregate expression
    dimension: str = ""  # field to break the figure down by
    labels: Callable | None = None  # () -> {dimension value: label}


def _bounds(first: int, last: int) -> tuple[datetime, datetime]:
    tz = timezone.get_current_timezone()
    return datetime(first, 1, 1, tzinfo=tz), datetime(last + 1, 1, 1, tzinfo=tz)


def _region(code: str) -> Region:
    return Region.objects.get(pk=code)


def _prefix(code: str) -> str:
    return _region(code).scope_prefix


# --- contracts: through the statistics selector -------------------------------------------------


def _contracts(prefix: str, *, buyer: bool = False):
    from zhouqiao.contracts.models import Contract

    field_name = "buyer__region" if buyer else "region"
    return Contract.objects.filter(**{f"{field_name}__code__startswith": prefix})


CACHE_SECONDS = 24 * 3600  # a safety net only: reversals already change the key


def _reversals() -> int:
    """The id of the latest reversal of a registration (0 if none): part of every cache key, so
    that a reversal — the only change a completed year's contract figures can see — is never
    answered from the cache. One indexed look-up, the same in every process."""
    from django.db.models import Max

    from zhouqiao.core.models import AuditEvent

    return AuditEvent.objects.filter(action="contract.reversed").aggregate(m=Max("pk"))["m"] or 0


def contract_statistics(
    prefix: str, *, by: str, first: int, last: int, side: str = "seller", level: str = "city"
) -> list[dict]:
    """``contracts.selectors.statistics`` of the contracts registered in the years ``first``–``last``
    whose seller (``side="seller"``), buyer (``"buyer"``) or either (``"either"``) lies in the
    subtree ``prefix``. Rows of completed years come from the cache when they were computed before
    (``by`` year or quarter: the completed years of the span, the running year anew; other
    groupings: only a span of completed years is kept)."""
    this = timezone.localdate().year
    if by in ("year", "quarter") and first <= this - 1 < last:
        return contract_statistics(
            prefix, by=by, first=first, last=this - 1, side=side, level=level
        ) + contract_statistics(prefix, by=by, first=this, last=last, side=side, level=level)

    def compute() -> list[dict]:
        from zhouqiao.contracts import selectors

        start, end = _bounds(first, last)
        qs = _side(prefix, side).filter(registered_at__gte=start, registered_at__lt=end)
        return selectors.statistics(queryset=qs, by=by, level=level)

    if last >= this:
        return compute()
    key = "insights:contracts:" + ":".join(map(str, (prefix, side, by, level, first, last, _reversals())))
    rows = cache.get(key)
    if rows is None:
        rows = compute()
        cache.set(key, rows, CACHE_SECONDS)
    return rows


def _side(prefix: str, side: str):
    from zhouqiao.contracts.models import Contract

    if side == "either":
        return Contract.objects.filter(
            Q(region__code__startswith=prefix) | Q(buyer__region__code__startswith=prefix)
        )
    return _contracts(prefix, buyer=side == "buyer")


_CONTRACT_FIGURE = {
    "contract_turnover": "contract_amount",
    "technology_transaction_amount": "technology_amount",
    "contracts_registered": "count",
    "technology_output": "contract_amount",
}


def _figure(row: dict, key: str):
    return int(row[key]) if key == "count" else Decimal(row[key])


def _contract_stats(code: str, prefix: str, years: range, length: int | None) -> dict:
    """{(year, region prefix or None): figure} for the contract indicators."""
    buyer = code == "technology_absorption"
    side = "buyer" if buyer else "seller"
    key = _CONTRACT_FIGURE.get(code, "contract_amount")
    out: dict = {}
    if length is None:
        for row in contract_statistics(prefix, by="year", first=years.start, last=years.stop - 1, side=side):
            if row["year"] in years:
                out[(row["year"], None)] = _figure(row, key)
        return out
    level = _LEVEL_NAME[length]
    for year in years:
        if buyer:  # the buyer side is grouped only in the flows: sum them per buyer region
            for row in contract_statistics(prefix, by="flow", first=year, last=year, side=side, level=level):
                sub = (year, row["buyer_region"][:length])
                out[sub] = out.get(sub, 0) + _figure(row, key)
        else:
            for row in contract_statistics(prefix, by="region", first=year, last=year, level=level):
                out[(year, row["region"][:length])] = _figure(row, key)
    return out


# --- the other records: one generic grouped aggregate --------------------------------------------


def _q_achievements():
    from zhouqiao.catalog.models import Achievement

    return Achievement.objects.filter(published_at__isnull=False)


def _q_deals():
    from zhouqiao.market.models import Deal

    return Deal.objects.all()


def _q_deals_with_achievement():
    return _q_deals().filter(achievement__isnull=False)


def _q_demands_met():
    """Demands with ``met_at``: the earlier of their first market deal and their close as solved
    (one of ``DEMAND_SOLVED``); None while neither happened."""
    from django.db.models import DateTimeField, OuterRef, Subquery

    from zhouqiao.catalog.models import Demand
    from zhouqiao.catalog.states import DEMAND_SOLVED, RecordStatus
    from zhouqiao.market.models import Deal

    moment = DateTimeField()
    first_deal = Deal.objects.filter(demand=OuterRef("pk")).order_by("agreed_at").values("agreed_at")[:1]
    solved = When(status=RecordStatus.CLOSED, close_reason__in=DEMAND_SOLVED, then=F("closed_at"))
    return Demand.objects.annotate(
        first_deal_at=Subquery(first_deal, output_field=moment),
        solved_at=Case(solved, default=None, output_field=moment),
    ).annotate(
        met_at=Case(
            When(first_deal_at__isnull=True, then=F("solved_at")),
            When(solved_at__isnull=True, then=F("first_deal_at")),
            When(first_deal_at__lte=F("solved_at"), then=F("first_deal_at")),
            default=F("solved_at"),
            output_field=moment,
        )
    )


def _q_vouchers():
    from zhouqiao.vouchers.models import Voucher

    return Voucher.objects.all()


def _q_redemptions_confirmed():
    from zhouqiao.vouchers.models import Redemption

    return Redemption.objects.filter(confirmed_at__isnull=False)


def _q_redemptions_settled():
    from zhouqiao.vouchers.models import Redemption

    return Redemption.objects.filter(settled_at__isnull=False)


def _q_entitlement_ledger():
    from zhouqiao.policy.models import LedgerEntry

    return LedgerEntry.objects.all()


def _q_usage():
    from zhouqiao.facilities.models import Usage

    return Usage.objects.all()


def _signed(plus: str, minus: str):
    def aggregate():
        return Sum(
            Case(
                When(kind=plus, then=F("amount")),
                When(kind=minus, then=-F("amount")),
                default=Value(ZERO),
                output_field=DecimalField(max_digits=18, decimal_places=2),
            )
        )

    return aggregate


def _deal_source_labels():
    from zhouqiao.market.states import DealSource

    return dict(DealSource.choices)


def _clause_labels():
    from zhouqiao.policy.models import Entitlement

    return dict(Entitlement.objects.values_list("clause", "title").order_by("clause"))


_MEASURES: dict[str, _Measure] = {
    "achievements_published": _Measure(_q_achievements, "published_at", "region", lambda: Count("pk")),
    "achievements_traded": _Measure(
        _q_deals_with_achievement, "agreed_at", "region", lambda: Count("achievement_id", distinct=True)
    ),
    "demands_met": _Measure(_q_demands_met, "met_at", "region", lambda: Count("pk")),
    "deals_by_mode": _Measure(
        _q_deals,
        "agreed_at",
        "region",
        lambda: Count("pk"),
        dimension="source",
        labels=_deal_source_labels,
    ),
    "deal_amount": _Measure(
        _q_deals,
        "agreed_at",
        "region",
        lambda: Sum("amount"),
        dimension="source",
        labels=_deal_source_labels,
    ),
    "vouchers_issued": _Measure(_q_vouchers, "issued_at", "enterprise__region", lambda: Sum("amount")),
    "vouchers_redeemed": _Measure(
        _q_redemptions_confirmed, "confirmed_at", "voucher__enterprise__region", lambda: Sum("amount")
    ),
    "vouchers_settled": _Measure(
        _q_redemptions_settled, "settled_at", "voucher__enterprise__region", lambda: Sum("amount")
    ),
    "entitlements_granted": _Measure(
        _q_entitlement_ledger,
        "at",
        "entitlement__payer_region",
        _signed("grant", "release"),
        dimension="entitlement__clause",
        labels=_clause_labels,
    ),
    "entitlements_paid": _Measure(
        _q_entitlement_ledger,
        "at",
        "entitlement__payer_region",
        _signed("payment", "recovery"),
        dimension="entitlement__clause",
        labels=_clause_labels,
    ),
    "instrument_sharing_hours": _Measure(
        _q_usage, "recorded_at", "booking__instrument__owner__region", lambda: Sum("hours")
    ),
    "instrument_sharing_revenue": _Measure(
        _q_usage, "recorded_at", "booking__instrument__owner__region", lambda: Sum("fee")
    ),
}


# Contract types that put an achievement to use (the 促进科技成果转化法 §16 ways: transfer,
# licence, investment as equity, joint implementation/development); consulting and service do not.
TRANSFORMING_CONTRACT_TYPES = ("transfer", "licence", "development", "equity")


def _transformed(prefix: str, years: range, length: int | None) -> dict:
    """{(year, region prefix or None): achievements transformed}: distinct (achievement, year)
    pairs from market deals closed in the year and from transforming contracts registered in the
    year that were drawn up from a deal on the achievement (``Contract.source_deal_id``), placed by
    the achievement's region."""
    from django.db.models import OuterRef, Subquery

    from zhouqiao.contracts.models import Contract
    from zhouqiao.market.models import Deal

    start, end = _bounds(years.start, years.stop - 1)
    deals = Deal.objects.filter(
        achievement__published_at__isnull=False, achievement__region__code__startswith=prefix
    )

    def sub(path):
        return Substr(path, 1, length) if length else Value("")

    traded = (
        deals.filter(agreed_at__gte=start, agreed_at__lt=end)
        .annotate(y=ExtractYear("agreed_at"), s=sub("achievement__region_id"))
        .values_list("achievement_id", "y", "s")
        .order_by()
        .distinct()
    )
    deal = Deal.objects.filter(pk=OuterRef("source_deal_id"))
    registered = (
        Contract.objects.registered()
        .filter(
            contract_type__in=TRANSFORMING_CONTRACT_TYPES,
            registered_at__gte=start,
            registered_at__lt=end,
            source_deal_id__in=deals.values("pk"),
        )
        .annotate(
            a=Subquery(deal.values("achievement_id")[:1]),
            y=ExtractYear("registered_at"),
            s=sub(Subquery(deal.values("achievement__region_id")[:1])),
        )
        .values_list("a", "y", "s")
        .order_by()
        .distinct()
    )
    out: dict = {}
    for _achievement, year, region in {*traded, *registered}:
        key = (year, region or None)
        out[key] = out.get(key, 0) + 1
    return out


def _measure_rows(code: str, prefix: str, years: range, length: int | None, dimension: bool = False):
    measure = _MEASURES[code]
    start, end = _bounds(years.start, years.stop - 1)
    qs = measure.queryset().filter(
        **{
            f"{measure.region}__code__startswith": prefix,
            f"{measure.date}__gte": start,
            f"{measure.date}__lt": end,
        }
    )
    keys = {"year": ExtractYear(measure.date)}
    if length:
        keys["sub"] = Substr(f"{measure.region}_id", 1, length)
    if dimension and measure.dimension:
        keys["dim"] = F(measure.dimension)
    rows = qs.annotate(**keys).values(*keys).annotate(figure=measure.aggregate()).order_by()
    return rows


def _zero(code: str):
    return 0 if INDICATORS[code].kind == "count" else ZERO


def _cast(code: str, figure):
    if INDICATORS[code].kind == "count":
        return int(figure or 0)
    return Decimal(figure or 0).quantize(ZERO)


def _grouped(code: str, prefix: str, years: range, length: int | None) -> dict:
    if code not in INDICATORS:
        raise KeyError(code)
    if code in _CONTRACT_FIGURE or code == "technology_absorption":
        return {k: _cast(code, v) for k, v in _contract_stats(code, prefix, years, length).items()}
    if code == "achievements_transformed":
        return _transformed(prefix, years, length)
    out: dict = {}
    for row in _measure_rows(code, prefix, years, length):
        key = (row["year"], row.get("sub"))
        out[key] = out.get(key, _zero(code)) + _cast(code, row["figure"])
    return out


# --- the public interface -------------------------------------------------------------------------


def value(code: str, *, region_code: str, year: int) -> Decimal | int:
    figures = _grouped(code, _prefix(region_code), range(year, year + 1), None)
    return figures.get((year, None), _zero(code))


def series(code: str, *, region_code: str, years: range) -> dict[int, Decimal | int]:
    figures = _grouped(code, _prefix(region_code), years, None)
    return {year: figures.get((year, None), _zero(code)) for year in years}


def child_length(region: Region) -> int:
    return _CHILD_LENGTH[region.level]


def by_region(code: str, *, parent_code: str, year: int) -> dict[str, Decimal | int]:
    """Figures of the regions one level down, keyed by their six-digit code (only those with records)."""
    parent = _region(parent_code)
    length = child_length(parent)
    figures = _grouped(code, parent.scope_prefix, range(year, year + 1), length)
    return {sub.ljust(6, "0"): figure for (_y, sub), figure in figures.items() if sub}


def breakdown(code: str, *, region_code: str, year: int) -> dict[str, Decimal | int]:
    """An indicator split by its dimension (deals by 交易方式, entitlements by 政策条款, contracts by type):
    {label: figure}."""
    if code in ("contract_turnover", "technology_transaction_amount", "contracts_registered"):
        from zhouqiao.contracts.states import ContractType

        key = _CONTRACT_FIGURE[code]
        labels = dict(ContractType.choices)
        rows = contract_statistics(_prefix(region_code), by="type", first=year, last=year)
        return {str(labels.get(r["contract_type"], r["contract_type"])): _figure(r, key) for r in rows}
    measure = _MEASURES[code]
    if not measure.dimension:
        return {}
    labels = measure.labels() if measure.labels else {}
    out: dict = {}
    for row in _measure_rows(code, _prefix(region_code), range(year, year + 1), None, dimension=True):
        label = str(labels.get(row["dim"], row["dim"]))
        out[label] = out.get(label, _zero(code)) + _cast(code, row["figure"])
    return out


def quarters(*, region_code: str, years: range) -> list[dict]:
    """Registered contracts of the region's subtree by year and quarter (the quarter of the
    registration date in Asia/Shanghai: registered 2025-03-31 23:30 there is 2025 Q1), every
    quarter of ``years`` listed, zero where none. Rows: year, quarter (1–4), count,
    contract_amount (Decimal), technology_amount (Decimal)."""
    rows = contract_statistics(_prefix(region_code), by="quarter", first=years.start, last=years.stop - 1)
    found = {(r["year"], r["quarter"]): r for r in rows}
    out = []
    for year in years:
        for quarter in (1, 2, 3, 4):
            row = found.get((year, quarter), {})
            out.append(
                {
                    "year": year,
                    "quarter": quarter,
                    "count": int(row.get("count", 0)),
                    "contract_amount": Decimal(row.get("contract_amount", "0.00")),
                    "technology_amount": Decimal(row.get("technology_amount", "0.00")),
                }
            )
    return out


def flows(*, region_code: str, year: int) -> list[dict]:
    """Who sells to whom: registered contracts whose seller or buyer is in the region's subtree,
    grouped one level below the region on both sides (outside the subtree: the whole other
    province or region as GB/T 2260 codes it). Rows: seller_region, buyer_region, count,
    contract_amount (Decimal), technology_amount (Decimal)."""
    region = _region(region_code)
    length = child_length(region)
    rows = contract_statistics(
        region.scope_prefix, by="flow", first=year, last=year, side="either", level=_LEVEL_NAME[length]
    )
    return [
        {
            **row,
            "contract_amount": Decimal(row["contract_amount"]),
            "technology_amount": Decimal(row["technology_amount"]),
        }
        for row in rows
    ]


def _i(code, name, unit, source, description, kind="count", group="", breakdown=""):
    return code, Indicator(code, name, unit, source, description, kind, group, breakdown)


INDICATORS: dict[str, Indicator] = dict(
    [
        _i(
            "contract_turnover",
            _("技术合同成交额"),
            "元",
            _("已登记的技术合同"),
            _("当年登记的技术合同的合同成交额之和，按登记地区（卖方所在地）统计。"),
            "amount",
            "contracts",
            _("合同类型"),
        ),
        _i(
            "technology_transaction_amount",
            _("技术交易额"),
            "元",
            _("已登记的技术合同"),
            _("当年登记的技术合同的技术交易额之和：合同成交额扣除非技术性款项（设备、原材料等）后的金额。"),
            "amount",
            "contracts",
            _("合同类型"),
        ),
        _i(
            "contracts_registered",
            _("登记技术合同数"),
            "项",
            _("已登记的技术合同"),
            _("当年认定登记的技术合同项数。"),
            "count",
            "contracts",
            _("合同类型"),
        ),
        _i(
            "technology_output",
            _("技术输出额"),
            "元",
            _("已登记的技术合同（卖方所在地）"),
            _("本地区卖方当年登记的技术合同成交额，即向本地区内外输出的技术。"),
            "amount",
            "flows",
        ),
        _i(
            "technology_absorption",
            _("技术吸纳额"),
            "元",
            _("已登记的技术合同（买方所在地）"),
            _("买方在本地区的已登记技术合同的成交额（按登记年度），即本地区从区内外吸纳的技术。"),
            "amount",
            "flows",
        ),
        _i(
            "achievements_published",
            _("发布科技成果数"),
            "项",
            _("科技成果库"),
            _("当年审核发布的科技成果项数（按发布时间，含其后关闭或过期的）。"),
            "count",
            "market",
        ),
        _i(
            "achievements_traded",
            _("成交科技成果数"),
            "项",
            _("技术交易市场的成交记录"),
            _("当年在技术交易市场成交的不同科技成果项数（按成交时间、交易所在地区）。"),
            "count",
            "market",
        ),
        _i(
            "achievements_transformed",
            _("成果转化数"),
            "项",
            _("技术交易市场的成交记录、已登记的技术合同"),
            _(
                "当年实现转化的已发布科技成果项数。一项成果在某年计为转化：该年在技术交易市场成交"
                "（转让、许可、作价入股、合作开发等），或该年认定登记了由该成果的成交订立的技术转让、"
                "技术许可、技术开发或技术入股合同。同一成果在同一年度只计一次；成交与合同登记分属两个"
                "年度的，分别计入各自年度。按成果所在地区统计。未经平台成交、与成果没有关联的合同无法"
                "归属到成果，不计入。"
            ),
            "count",
            "market",
        ),
        _i(
            "demands_met",
            _("对接成功技术需求数"),
            "项",
            _("技术交易市场的成交记录、企业关闭需求时填写的关闭原因"),
            _(
                "当年得到满足的技术需求项数。需求在技术交易市场首次成交，或企业关闭需求时选择"
                "“已通过平台成交解决”“已通过技术合同解决”“已自行或线下解决”，以两者中较早的时间"
                "计入年度；每项需求只计一次（以“不再需要”关闭的不计）。按需求所在地区统计。"
            ),
            "count",
            "market",
        ),
        _i(
            "deals_by_mode",
            _("成交笔数"),
            "件",
            _("技术交易市场的成交记录"),
            _("当年成交的交易笔数，可按交易方式（撮合、挂牌、拍卖）分列。"),
            "count",
            "market",
            _("交易方式"),
        ),
        _i(
            "deal_amount",
            _("成交金额"),
            "元",
            _("技术交易市场的成交记录"),
            _("当年成交的交易金额之和，可按交易方式分列。"),
            "amount",
            "market",
            _("交易方式"),
        ),
        _i(
            "vouchers_issued",
            _("创新券发放额"),
            "元",
            _("创新券发放记录"),
            _("当年发放的创新券面额之和，按持券企业所在地区统计。"),
            "amount",
            "vouchers",
        ),
        _i(
            "vouchers_redeemed",
            _("创新券兑付额"),
            "元",
            _("创新券核销记录（企业已确认）"),
            _("当年经持券企业确认的核销金额之和，按持券企业所在地区统计。"),
            "amount",
            "vouchers",
        ),
        _i(
            "vouchers_settled",
            _("创新券结算额"),
            "元",
            _("创新券结算拨付记录"),
            _("当年已向服务机构结算拨付的核销金额之和，按持券企业所在地区统计。"),
            "amount",
            "vouchers",
        ),
        _i(
            "entitlements_granted",
            _("政策奖补核定额"),
            "元",
            _("政策兑现台账（核定、冲销）"),
            _("当年核定的奖补金额减去当年冲销的金额，按兑现部门所在地区统计，可按政策条款分列。"),
            "amount",
            "policy",
            _("政策条款"),
        ),
        _i(
            "entitlements_paid",
            _("政策奖补拨付额"),
            "元",
            _("政策兑现台账（拨付、追回）"),
            _("当年拨付的奖补金额减去当年追回的金额，按兑现部门所在地区统计，可按政策条款分列。"),
            "amount",
            "policy",
            _("政策条款"),
        ),
        _i(
            "instrument_sharing_hours",
            _("仪器共享机时"),
            "小时",
            _("大型仪器使用记录"),
            _("当年登记的共享使用实际机时之和，按仪器所属单位所在地区统计。"),
            "quantity",
            "facilities",
        ),
        _i(
            "instrument_sharing_revenue",
            _("仪器共享服务收入"),
            "元",
            _("大型仪器使用记录"),
            _("当年登记的共享使用服务费之和，按仪器所属单位所在地区统计。"),
            "amount",
            "facilities",
        ),
    ]
)

__all__ = [
    "INDICATORS",
    "Indicator",
    "breakdown",
    "by_region",
    "contract_statistics",
    "flows",
    "quarters",
    "series",
    "value",
]
