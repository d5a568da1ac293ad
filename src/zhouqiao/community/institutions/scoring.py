"""The performance score of a transfer institution, computed from platform records.

``facts`` reads the records (one year, one institution); ``compute`` is a pure function of those
facts, the staff assessment and the weights (``weights.PILLARS``), returning every sub-indicator's
value and points, so that a page (and a test) can show how each point was earned.
"""

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Sum
from django.utils import timezone

from zhouqiao.community.institutions import weights
from zhouqiao.community.institutions.states import FilingStatus, ReportStatus

CENT = Decimal("0.01")
ZERO = Decimal(0)


def year_bounds(year: int) -> tuple[dt.datetime, dt.datetime]:
    tz = timezone.get_current_timezone()
    return dt.datetime(year, 1, 1, tzinfo=tz), dt.datetime(year + 1, 1, 1, tzinfo=tz)


def events_held(organisation, year: int) -> int:
    """Events the institution organised that started in ``year`` and were not cancelled."""
    from zhouqiao.community.events.models import Event
    from zhouqiao.community.events.states import EventStatus

    start, end = year_bounds(year)
    return (
        Event.objects.filter(organiser_org=organisation, starts_at__gte=start, starts_at__lt=end)
        .exclude(status=EventStatus.CANCELLED)
        .count()
    )


@dataclass
class Facts:
    year: int
    staff: int = 0
    experts: int = 0
    brokers: int = 0
    contract_ids: list[int] = field(default_factory=list)
    deal_ids: list[int] = field(default_factory=list)
    deal_count: int = 0
    deal_amount: Decimal = ZERO
    enterprises_served: int = 0
    events: int = 0
    training_hours: Decimal = ZERO
    report_on_time: bool = False
    rating_count: int = 0
    rating_sum: int = 0

    def as_dict(self) -> dict:
        return {
            "year": self.year,
            "staff": self.staff,
            "experts": self.experts,
            "brokers": self.brokers,
            "contract_ids": self.contract_ids,
            "deal_ids": self.deal_ids,
            "deal_count": self.deal_count,
            "deal_amount": str(self.deal_amount),
            "enterprises_served": self.enterprises_served,
            "events": self.events,
            "training_hours": str(self.training_hours),
            "report_on_time": self.report_on_time,
            "rating_count": self.rating_count,
            "rating_sum": self.rating_sum,
        }


def brokered_records(organisation, year: int):
    """(registered contracts, market deals without a registered contract) the institution
    brokered in ``year``: contracts by registration time, deals by agreement time."""
    from zhouqiao.contracts.models import Contract
    from zhouqiao.market.models import Deal

    start, end = year_bounds(year)
    contracts = Contract.objects.registered().filter(
        transfer_institution=organisation, registered_at__gte=start, registered_at__lt=end
    )
    deals = Deal.objects.filter(broker=organisation, agreed_at__gte=start, agreed_at__lt=end).exclude(
        contract_id__in=Contract.objects.registered().values("pk")
    )
    return contracts, deals


def facts(organisation, year: int) -> Facts:
    from zhouqiao.community.institutions.models import (
        AnnualReport,
        Broker,
        BrokerRating,
        InstitutionFiling,
        TrainingRecord,
    )

    out = Facts(year=year)
    filing = InstitutionFiling.objects.filter(organisation=organisation, status=FilingStatus.APPROVED).first()
    if filing is not None:
        out.staff, out.experts = filing.staff_count, filing.part_time_experts
    # Brokers whose certificate the bureau has checked, issued by the end of the year.
    brokers = Broker.objects.certified().filter(
        organisation=organisation, certificate_date__lte=dt.date(year, 12, 31)
    )
    out.brokers = brokers.count()
    contracts, deals = brokered_records(organisation, year)
    rows = list(contracts.values_list("pk", "contract_amount", "buyer_id"))
    deal_rows = list(deals.values_list("pk", "amount", "buyer_id"))
    out.contract_ids = sorted(r[0] for r in rows)
    out.deal_ids = sorted(r[0] for r in deal_rows)
    out.deal_count = len(rows) + len(deal_rows)
    out.deal_amount = sum((r[1] for r in rows + deal_rows), start=ZERO)
    out.enterprises_served = len({r[2] for r in rows + deal_rows})
    out.events = events_held(organisation, year)
    out.training_hours = (
        TrainingRecord.objects.filter(broker__in=brokers, year=year).aggregate(s=Sum("hours"))["s"] or ZERO
    )
    report = AnnualReport.objects.filter(organisation=organisation, year=year).first()
    out.report_on_time = bool(
        report
        and report.status == ReportStatus.SUBMITTED
        and report.submitted_at
        and timezone.localdate(report.submitted_at) <= report.due_on
    )
    ratings = list(
        BrokerRating.objects.filter(
            broker__organisation=organisation, contract_id__in=out.contract_ids
        ).values_list("score", flat=True)
    )
    out.rating_count, out.rating_sum = len(ratings), sum(ratings)
    return out


def _value(code: str, f: Facts) -> Decimal | bool | None:
    if code == "deals_per_100_staff":
        return (Decimal(f.deal_count) * 100 / f.staff) if f.staff else ZERO
    if code == "training":
        return (f.training_hours / f.brokers) if f.brokers else ZERO
    if code == "ratings":
        return (Decimal(f.rating_sum) / f.rating_count) if f.rating_count else ZERO
    if code == "report_on_time":
        return f.report_on_time
    plain = {
        "staff": f.staff,
        "experts": f.experts,
        "brokers": f.brokers,
        "deal_count": f.deal_count,
        "deal_amount": f.deal_amount,
        "enterprises_served": f.enterprises_served,
        "events": f.events,
    }
    return Decimal(plain[code]) if code in plain else None


def points_of(item: weights.Item, value) -> Decimal:
    if item.kind == "flag":
        return item.points if value else ZERO
    if item.kind == "staff":
        return Decimal(value or 0).quantize(CENT, rounding=ROUND_HALF_UP)
    ratio = min(Decimal(value) / item.target, Decimal(1)) if value and item.target else ZERO
    return (item.points * ratio).quantize(CENT, rounding=ROUND_HALF_UP)


def compute(f: Facts, assessment: dict | None = None) -> dict:
    """{"total", "pillars": {code: points}, "items": [{code, pillar, value, points}]}."""
    assessment = assessment or {}
    items, pillars = [], {}
    for pillar in weights.PILLARS:
        subtotal = ZERO
        for item in pillar.items:
            value = (
                Decimal(str(assessment.get(item.code, 0))) if item.kind == "staff" else _value(item.code, f)
            )
            points = points_of(item, value)
            subtotal += points
            shown = (
                value if isinstance(value, bool) else Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)
            )
            items.append(
                {
                    "code": item.code,
                    "pillar": pillar.code,
                    "value": str(shown) if not isinstance(shown, bool) else shown,
                    "points": str(points),
                }
            )
        pillars[pillar.code] = str(subtotal)
    total = sum((Decimal(v) for v in pillars.values()), start=ZERO)
    return {"total": total, "pillars": pillars, "items": items}


def describe(items: list[dict]) -> list[dict]:
    """The stored items with their labels, sources and formulas, grouped by pillar, for pages."""
    by_code = {row["code"]: row for row in items}
    out = []
    for pillar in weights.PILLARS:
        rows = []
        subtotal = ZERO
        for item in pillar.items:
            row = by_code.get(item.code, {"value": "0", "points": "0"})
            subtotal += Decimal(row["points"])
            rows.append({"item": item, "value": row["value"], "points": Decimal(row["points"])})
        out.append({"pillar": pillar, "rows": rows, "points": subtotal})
    return out
