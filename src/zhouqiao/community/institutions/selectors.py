"""Reads: filed institutions, a broker's record (computed from contracts and deals), the ranking."""

import datetime as dt
from decimal import Decimal

from django.db.models import Count, Q, Sum

from zhouqiao.community.institutions import weights
from zhouqiao.community.institutions.models import Broker, InstitutionFiling, InstitutionScore
from zhouqiao.community.institutions.states import FilingStatus


def is_filed(organisation, *, bureau_code: str, on: dt.date) -> bool:
    """Was ``organisation`` filed (备案) with the bureau of ``bureau_code``'s city on or before ``on``?
    What 《长春市进一步加快科技创新发展的若干政策措施》第九条 asks of a transfer institution (policy.services reads it)."""
    if organisation is None or on is None:
        return False
    return InstitutionFiling.objects.filter(
        organisation=organisation,
        status=FilingStatus.APPROVED,
        bureau_region__code__startswith=bureau_code[:4],
        filed_on__lte=on,
    ).exists()


def filed_institutions():
    return InstitutionFiling.objects.filter(status=FilingStatus.APPROVED).select_related(
        "organisation", "organisation__region", "bureau_region"
    )


def broker_contracts(broker):
    """Registered contracts naming the broker (their institution and their name as written)."""
    from zhouqiao.contracts.models import Contract

    return (
        Contract.objects.registered()
        .filter(transfer_institution_id=broker.organisation_id, broker_name=broker.name)
        .select_related("industry", "seller", "buyer")
    )


def broker_deals(broker):
    """Market deals of the broker's institution whose contract names the broker."""
    from zhouqiao.market.models import Deal

    return Deal.objects.filter(
        broker_id=broker.organisation_id, contract_id__in=broker_contracts(broker).values("pk")
    )


def broker_record(broker) -> dict:
    contracts = broker_contracts(broker)
    totals = contracts.aggregate(n=Count("pk"), amount=Sum("contract_amount"), tech=Sum("technology_amount"))
    fields = (
        contracts.exclude(industry__isnull=True)
        .values("industry__name")
        .annotate(n=Count("pk"), amount=Sum("contract_amount"))
        .order_by("-n", "industry__name")
    )
    deals = broker_deals(broker).aggregate(n=Count("pk"), amount=Sum("amount"))
    ratings = broker.ratings.aggregate(n=Count("pk"), s=Sum("score"))
    average = (Decimal(ratings["s"]) / ratings["n"]).quantize(Decimal("0.1")) if ratings["n"] else None
    return {
        "contract_count": totals["n"] or 0,
        "contract_amount": totals["amount"] or Decimal(0),
        "technology_amount": totals["tech"] or Decimal(0),
        "fields": list(fields),
        "deal_count": deals["n"] or 0,
        "deal_amount": deals["amount"] or Decimal(0),
        "rating_count": ratings["n"] or 0,
        "rating_average": average,
    }


def training_by_year(broker) -> list[dict]:
    return list(broker.training.values("year").annotate(hours=Sum("hours")).order_by("-year"))


def rateable_contracts(user, broker) -> list:
    """The broker's contracts on which ``user`` is a party whose side has not rated yet."""
    from zhouqiao.accounts import scope

    own = scope.organisation_ids(user)
    if not own:
        return []
    rated = broker.ratings.values_list("contract_id", "organisation_id")
    done = set(rated)
    rows = broker_contracts(broker).filter(Q(seller_id__in=own) | Q(buyer_id__in=own))
    out = []
    for contract in rows:
        side = contract.seller_id if contract.seller_id in own else contract.buyer_id
        if (contract.pk, side) not in done:
            out.append(contract)
    return out


def brokers():
    return Broker.objects.select_related("organisation", "organisation__region")


def ranking(year: int, *, within=None):
    """Scores of filed institutions for ``year``, best first, with rank and grade."""
    rows = InstitutionScore.objects.filter(
        year=year, organisation__filing__status=FilingStatus.APPROVED
    ).select_related("organisation", "organisation__filing", "organisation__region")
    if within is not None:
        rows = rows.filter(within)
    out = []
    for n, score in enumerate(rows.order_by("-total", "organisation__name"), start=1):
        out.append({"rank": n, "score": score, "grade": weights.grade(score.total)})
    return out
