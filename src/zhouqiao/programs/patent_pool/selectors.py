"""Reads of the patent pool: chainable filters for the pages and the API."""

from django.db.models import Q

from zhouqiao.accounts import scope
from zhouqiao.accounts.models import Duty
from zhouqiao.programs.patent_pool.models import AcquisitionCase, PooledPatent, TrackedPatent
from zhouqiao.programs.patent_pool.states import AVAILABLE, CaseStatus, Implementation


def available_patents(filters: dict | None = None):
    """The public list: pooled patents available for licence or transfer."""
    filters = filters or {}
    listed = PooledPatent.objects.select_related(
        "patent__industry", "patent__owner", "pool__holder", "listing", "auction"
    ).filter(status__in=AVAILABLE)
    q = (filters.get("q") or "").strip()
    if q:
        listed = listed.filter(
            Q(patent__title__icontains=q) | Q(patent__number__icontains=q) | Q(patent__key__icontains=q)
        )
    if filters.get("pool"):
        listed = listed.filter(pool_id=filters["pool"])
    if filters.get("field"):
        listed = listed.filter(patent__industry_id=filters["field"])
    if filters.get("status"):
        listed = listed.filter(status=filters["status"])
    return listed.order_by("-acquired_at", "-pk")


def pending_cases(user):
    return (
        AcquisitionCase.objects.filter(
            scope.region_q(user, "patent__region", Duty.PROGRAM_OFFICER), status=CaseStatus.PENDING
        )
        .select_related("patent__owner")
        .order_by("opened_at", "pk")
    )


def decided_cases(user):
    return (
        AcquisitionCase.objects.filter(scope.region_q(user, "patent__region", Duty.PROGRAM_OFFICER))
        .exclude(status=CaseStatus.PENDING)
        .select_related("patent__owner", "decided_by")
        .order_by("-decided_at", "-pk")
    )


def flagged_patents(user):
    return (
        TrackedPatent.objects.in_jurisdiction(user)
        .filter(implementation=Implementation.IDLE, pooled__isnull=True)
        .select_related("owner")
        .order_by("flagged_at", "pk")
    )


def pool_of(user):
    """Pooled patents of the pools the officer's jurisdiction covers, with their next open fee."""
    pooled = list(
        PooledPatent.objects.filter(scope.region_q(user, "pool__region", Duty.PROGRAM_OFFICER))
        .select_related("patent", "pool", "listing")
        .prefetch_related("fees")
        .order_by("pool__region_id", "-acquired_at")
    )
    for p in pooled:
        p.open_fee = next((f for f in p.fees.all() if f.paid_on is None), None)
    return pooled
