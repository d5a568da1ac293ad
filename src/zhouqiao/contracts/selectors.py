"""Statistics of registered contracts: counts, contract amounts and technology amounts by year,
quarter (year and quarter of the registration date in Asia/Shanghai), region (rolled up county → city → province), type, industry, and seller → buyer region flows
(the seller side is the region the contract was registered in, as the list filters it); and the
contract list's filters."""

from django.db.models import Count, F, Q, Sum
from django.db.models.functions import ExtractQuarter, ExtractYear, Substr

from zhouqiao.contracts.models import Contract
from zhouqiao.core.models import Region
from zhouqiao.policy.engine import money_str

LEVEL_LENGTH = {"province": 2, "city": 4, "county": 6}


def _pad(prefix: str) -> str:
    return prefix.ljust(6, "0")


def _rows(qs):
    return [
        {
            **row,
            "contract_amount": money_str(row["contract_amount"] or 0),
            "technology_amount": money_str(row["technology_amount"] or 0),
        }
        for row in qs.annotate(
            count=Count("pk"),
            contract_amount=Sum("contract_amount"),
            technology_amount=Sum("technology_amount"),
        )
    ]


def statistics(
    *, queryset=None, by: str = "year", level: str = "city", year: int | None = None
) -> list[dict]:
    qs = (queryset if queryset is not None else Contract.objects.all()).registered()
    if year:
        qs = qs.filter(registered_at__year=year)
    if by == "year":
        return _rows(qs.annotate(year=ExtractYear("registered_at")).values("year").order_by("year"))
    if by == "quarter":
        return _rows(
            qs.annotate(year=ExtractYear("registered_at"), quarter=ExtractQuarter("registered_at"))
            .values("year", "quarter")
            .order_by("year", "quarter")
        )
    if by == "type":
        return _rows(qs.values("contract_type").order_by("contract_type"))
    if by == "industry":
        return _rows(
            qs.annotate(industry_code=F("industry_id")).values("industry_code").order_by("industry_code")
        )
    length = LEVEL_LENGTH[level]
    if by == "region":
        rows = _rows(qs.annotate(prefix=Substr("region_id", 1, length)).values("prefix").order_by("prefix"))
        return [{"region": _pad(r.pop("prefix")), **r} for r in rows]
    if by == "flow":
        rows = _rows(
            qs.annotate(src=Substr("region_id", 1, length), dst=Substr("buyer__region_id", 1, length))
            .values("src", "dst")
            .order_by("src", "dst")
        )
        return [{"seller_region": _pad(r.pop("src")), "buyer_region": _pad(r.pop("dst")), **r} for r in rows]
    raise ValueError(by)


def filter_contracts(queryset, filters: dict):
    """The contract list's filters (see ContractFilterForm.filters) on an already visible queryset.
    Regions filter by subtree, as the statistics roll them up; amounts are in yuan."""
    qs = queryset
    if text := filters.get("q"):
        qs = qs.filter(
            Q(title__icontains=text)
            | Q(registration_number__icontains=text)
            | Q(seller__name__icontains=text)
            | Q(buyer__name__icontains=text)
        )
    if status := filters.get("status"):
        qs = qs.filter(status=status)
    if kind := filters.get("contract_type"):
        qs = qs.filter(contract_type=kind)
    if start := filters.get("registered_from"):
        qs = qs.filter(registered_at__date__gte=start)
    if end := filters.get("registered_to"):
        qs = qs.filter(registered_at__date__lte=end)
    for key, field in (("region", "region"), ("buyer_region", "buyer__region")):
        if code := filters.get(key):
            region = Region.objects.filter(code=code).first()
            if region is not None:
                qs = qs.filter(**{f"{field}__code__startswith": region.scope_prefix})
    if industry := filters.get("industry"):
        qs = qs.filter(industry__isnull=True) if industry == "none" else qs.filter(industry_id=industry)
    if (low := filters.get("amount_min")) is not None:
        qs = qs.filter(contract_amount__gte=low)
    if (high := filters.get("amount_max")) is not None:
        qs = qs.filter(contract_amount__lte=high)
    return qs.order_by(F("registered_at").desc(nulls_last=True), "-created_at", "-pk")
