"""An enterprise's innovation profile, read from the platform's records (never typed in).

Every figure covers the profile window: the last ``ENTERPRISE_PROFILE_YEARS`` calendar years up to
and including the year of ``as_of`` (a setting, 3 by default); certifications count when valid on
``as_of``. :func:`figures` computes them for many enterprises in one query per source, which is
what the reserve's candidate proposal runs on.
"""

from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from zhouqiao.accounts.models import Organisation, OrganisationKind
from zhouqiao.accounts.states import VerificationStatus
from zhouqiao.core.models import Region
from zhouqiao.insights.enterprises.models import Certification, ReserveCriterion
from zhouqiao.insights.enterprises.states import MONEY_FIGURES, CertificationKind, Figure, page_label

ZERO = Decimal("0")
CENT = Decimal("0.01")


def window_years() -> int:
    return int(getattr(settings, "ENTERPRISE_PROFILE_YEARS", 3))


@dataclass(frozen=True)
class Window:
    first_year: int
    last_year: int

    @property
    def start(self) -> datetime:
        return timezone.make_aware(datetime.combine(date(self.first_year, 1, 1), time.min))

    @property
    def end(self) -> datetime:
        return timezone.make_aware(datetime.combine(date(self.last_year + 1, 1, 1), time.min))


def window(as_of: date) -> Window:
    return Window(as_of.year - window_years() + 1, as_of.year)


def enterprises_in(prefix: str) -> QuerySet:
    """Verified enterprises whose region lies in the subtree ``prefix``."""
    return Organisation.objects.filter(
        kind=OrganisationKind.ENTERPRISE, status=VerificationStatus.VERIFIED, region__code__startswith=prefix
    )


def _add(result: dict, key, figure: str, value) -> None:
    if key in result:
        value = Decimal(value or 0)
        result[key][figure] = value.quantize(CENT) if figure in MONEY_FIGURES else value


def figures(orgs: QuerySet, *, as_of: date) -> dict[int, dict[str, Decimal]]:
    """{organisation id: {figure: value}} for the organisations of ``orgs`` (a queryset)."""
    from zhouqiao.contracts.models import Contract
    from zhouqiao.contracts.states import ContractStatus
    from zhouqiao.facilities.models import Usage
    from zhouqiao.market.models import Deal
    from zhouqiao.policy.models import Entitlement
    from zhouqiao.policy.states import EntitlementStatus
    from zhouqiao.vouchers.models import Certification as VoucherCertification
    from zhouqiao.vouchers.models import Voucher

    ids = orgs.values("pk")
    result = {pk: dict.fromkeys(Figure.values, ZERO) for pk in orgs.values_list("pk", flat=True)}
    win = window(as_of)
    valid = Q(valid_from__lte=as_of, valid_until__gte=as_of, organisation__in=ids)
    held = list(VoucherCertification.objects.filter(valid).values_list("organisation_id", "kind").distinct())
    held += list(Certification.objects.filter(valid).values_list("organisation_id", "kind").distinct())
    for org_id, kind in held:
        if org_id in result and kind in Figure.values:
            result[org_id][kind] = Decimal(1)
    for row in result.values():
        row[Figure.CERTIFICATIONS] = sum(row[k] for k in CertificationKind.values)

    registered = Contract.objects.filter(
        status=ContractStatus.REGISTERED, registered_at__gte=win.start, registered_at__lt=win.end
    )
    for side, amount, count in (
        ("seller", Figure.SOLD_AMOUNT, Figure.SOLD_COUNT),
        ("buyer", Figure.BOUGHT_AMOUNT, Figure.BOUGHT_COUNT),
    ):
        rows = (
            registered.filter(**{f"{side}__in": ids})
            .values(f"{side}_id")
            .annotate(n=Count("pk"), s=Sum("contract_amount"))
            .order_by()
        )
        for row in rows:
            _add(result, row[f"{side}_id"], amount, row["s"])
            _add(result, row[f"{side}_id"], count, row["n"])

    deals = (
        Deal.objects.filter(
            buyer__in=ids, achievement__isnull=False, agreed_at__gte=win.start, agreed_at__lt=win.end
        )
        .values("buyer_id")
        .annotate(n=Count("achievement_id", distinct=True))
        .order_by()
    )
    for row in deals:
        _add(result, row["buyer_id"], Figure.TRANSFORMED, row["n"])

    vouchers = (
        Voucher.objects.filter(enterprise__in=ids, issued_at__gte=win.start, issued_at__lt=win.end)
        .values("enterprise_id")
        .annotate(s=Sum("amount"))
        .order_by()
    )
    for row in vouchers:
        _add(result, row["enterprise_id"], Figure.VOUCHER_AMOUNT, row["s"])

    subsidies = (
        Entitlement.objects.filter(
            organisation__in=ids,
            status__in=[EntitlementStatus.APPROVED, EntitlementStatus.PAID],
            year__gte=win.first_year,
            year__lte=win.last_year,
        )
        .values("organisation_id")
        .annotate(s=Sum("amount"))
        .order_by()
    )
    for row in subsidies:
        _add(result, row["organisation_id"], Figure.SUBSIDY_AMOUNT, row["s"])

    usage = (
        Usage.objects.filter(
            booking__organisation__in=ids, recorded_at__gte=win.start, recorded_at__lt=win.end
        )
        .values("booking__organisation_id")
        .annotate(s=Sum("hours"))
        .order_by()
    )
    for row in usage:
        _add(result, row["booking__organisation_id"], Figure.INSTRUMENT_HOURS, row["s"])
    return result


def profile(org: Organisation, *, as_of: date) -> dict:
    """One enterprise's profile: its figures and the records behind them."""
    from zhouqiao.contracts.models import Contract
    from zhouqiao.contracts.states import ContractStatus
    from zhouqiao.facilities.models import Usage
    from zhouqiao.market.models import Deal
    from zhouqiao.policy.models import Entitlement
    from zhouqiao.policy.states import EntitlementStatus
    from zhouqiao.vouchers.models import Certification as VoucherCertification
    from zhouqiao.vouchers.models import Voucher

    win = window(as_of)
    values = figures(Organisation.objects.filter(pk=org.pk), as_of=as_of)[org.pk]
    certs = [
        {
            "kind": c.get_kind_display(),
            "number": c.number,
            "valid_from": c.valid_from,
            "valid_until": c.valid_until,
            "valid": c.valid_from <= as_of <= c.valid_until,
        }
        for c in [
            *VoucherCertification.objects.filter(organisation=org),
            *Certification.objects.filter(organisation=org),
        ]
    ]
    certs.sort(key=lambda c: c["valid_until"], reverse=True)
    in_window = Q(registered_at__gte=win.start, registered_at__lt=win.end)
    registered = Contract.objects.filter(in_window, status=ContractStatus.REGISTERED).select_related(
        "seller", "buyer"
    )
    return {
        "organisation": org,
        "window": win,
        "as_of": as_of,
        "figures": [
            {"code": f, "label": page_label(f), "value": values[f], "money": f in MONEY_FIGURES}
            for f in Figure.values
        ],
        "values": values,
        "certifications": certs,
        "sold": registered.filter(seller=org).order_by("-registered_at")[:10],
        "bought": registered.filter(buyer=org).order_by("-registered_at")[:10],
        "deals": Deal.objects.filter(buyer=org, achievement__isnull=False, agreed_at__gte=win.start)
        .select_related("seller")
        .order_by("-agreed_at")[:10],
        "vouchers": Voucher.objects.filter(enterprise=org, issued_at__gte=win.start).order_by("-issued_at")[
            :10
        ],
        "entitlements": Entitlement.objects.filter(
            organisation=org,
            status__in=[EntitlementStatus.APPROVED, EntitlementStatus.PAID],
            year__gte=win.first_year,
        ).order_by("-created_at")[:10],
        "usage": Usage.objects.filter(booking__organisation=org, recorded_at__gte=win.start)
        .select_related("booking__instrument")
        .order_by("-recorded_at")[:10],
    }


def criteria_for(region: Region) -> tuple[Region | None, list[ReserveCriterion]]:
    """The criteria that apply in ``region``: its own, else its nearest enclosing jurisdiction's."""
    for candidate in reversed(region.ancestors()):  # the region itself first, the province last
        rows = list(ReserveCriterion.objects.filter(jurisdiction=candidate))
        if rows:
            return candidate, rows
    return None, []


def meets(values: dict[str, Decimal], criteria) -> bool:
    return all(values.get(c.figure, ZERO) >= c.minimum for c in criteria)


def candidates(region: Region, *, as_of: date, exclude_ids=(), limit: int = 200) -> list[dict]:
    """Enterprises of ``region``'s subtree that meet every criterion that applies there (none
    proposed while no criterion is written), largest seller first."""
    _, criteria = criteria_for(region)
    if not criteria:
        return []
    orgs = enterprises_in(region.scope_prefix).exclude(pk__in=list(exclude_ids))
    values = figures(orgs, as_of=as_of)
    chosen = [pk for pk, v in values.items() if meets(v, criteria)]
    names = dict(Organisation.objects.filter(pk__in=chosen).values_list("pk", "name"))
    rows = [{"pk": pk, "name": names.get(pk, ""), "values": values[pk]} for pk in chosen]
    rows.sort(key=lambda r: (-r["values"][Figure.SOLD_AMOUNT], r["name"]))
    return rows[:limit]
