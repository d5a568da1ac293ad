"""/api/v1/community/institutions: filed institutions with their latest score, brokers with their
record (computed from registered contracts), and the ranking for staff."""

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Query, Router

from zhouqiao.community.institutions import access, selectors, services
from zhouqiao.core import clock
from zhouqiao.core.bounds import Page, Year

router = Router(tags=["技术转移机构与技术经纪人"])


@router.get("/institutions", response=list[dict])
def list_institutions(request, paging: Query[Page]):
    """Transfer institutions filed with a city bureau (备案), with their filing date and number."""
    rows = selectors.filed_institutions().order_by("organisation__name", "pk")
    return [
        {
            "id": f.organisation_id,
            "name": f.organisation.name,
            "region": f.organisation.region_id,
            "filing_number": f.number,
            "filed_on": f.filed_on.isoformat() if f.filed_on else None,
            "fields": f.fields,
            "services": f.services,
        }
        for f in paging.slice(rows)
    ]


@router.get("/ranking", response=list[dict])
def ranking(request, paging: Query[Page], year: Year | None = None):
    """The performance ranking of ``year`` (default: the year whose annual report is open) within the
    caller's jurisdictions (reviewers, statistics staff)."""
    if not access.sees_ranking(request.user):
        raise Http404
    if year is None:
        year = services.report_year(timezone.localdate(clock.now()))
    rows = selectors.ranking(year, within=access.ranking_q(request.user))
    return [
        {
            "rank": r["rank"],
            "organisation_id": r["score"].organisation_id,
            "name": r["score"].organisation.name,
            "total": str(r["score"].total),
            "grade": r["grade"],
            "pillars": r["score"].pillars,
            "items": r["score"].items,
        }
        for r in paging.slice(rows)
    ]


@router.get("/brokers", response=list[dict])
def list_brokers(request, paging: Query[Page]):
    """Certified brokers (their certificate checked by the bureau)."""
    rows = selectors.brokers().certified().order_by("name", "pk")
    return [
        {
            "id": b.pk,
            "name": b.name,
            "level": b.level,
            "level_name": b.get_level_display(),
            "organisation": b.organisation.name,
            "fields": b.fields,
        }
        for b in paging.slice(rows)
    ]


@router.get("/brokers/{broker_id}", response=dict)
def get_broker(request, broker_id: int):
    broker = get_object_or_404(selectors.brokers(), pk=broker_id)
    if not access.sees_broker(request.user, broker):
        raise Http404
    record = selectors.broker_record(broker)
    return {
        "id": broker.pk,
        "name": broker.name,
        "level": broker.level,
        "organisation": broker.organisation.name,
        "certificate": {
            "number": broker.certificate_number,
            "issuer": broker.certificate_issuer,
            "date": broker.certificate_date.isoformat(),
            "status": broker.certificate_status,
            "status_name": broker.get_certificate_status_display(),
        },
        "contracts": record["contract_count"],
        "contract_amount": str(record["contract_amount"]),
        "deals": record["deal_count"],
        "deal_amount": str(record["deal_amount"]),
        "fields": [
            {"name": f["industry__name"], "count": f["n"], "amount": str(f["amount"])}
            for f in record["fields"]
        ],
        "ratings": record["rating_count"],
        "rating_average": str(record["rating_average"]) if record["rating_average"] is not None else None,
        "training": [
            {"year": t["year"], "hours": str(t["hours"])} for t in selectors.training_by_year(broker)
        ],
    }
