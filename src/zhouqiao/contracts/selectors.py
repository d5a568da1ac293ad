"""Statistics of registered contracts: counts, contract amounts and technology amounts by year,
region (rolled up county → city → province), type, industry, and seller → buyer region flows."""

from django.db.models import Count, F, Sum
from django.db.models.functions import ExtractYear, Substr

from zhouqiao.contracts.models import Contract
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
            qs.annotate(src=Substr("seller__region_id", 1, length), dst=Substr("buyer__region_id", 1, length))
            .values("src", "dst")
            .order_by("src", "dst")
        )
        return [{"seller_region": _pad(r.pop("src")), "buyer_region": _pad(r.pop("dst")), **r} for r in rows]
    raise ValueError(by)
