"""Reads: what each person may see of vouchers, built on ``accounts.scope``."""

from datetime import date
from decimal import Decimal

from django.db.models import Q, Sum
from django.utils import timezone

from zhouqiao.accounts import scope
from zhouqiao.core import clock
from zhouqiao.vouchers.models import (
    Application,
    Certification,
    LedgerEntry,
    Pool,
    ProviderService,
    ServiceOrder,
    Voucher,
)
from zhouqiao.vouchers.states import ApplicationStatus, OrderStatus, ServiceStatus, VoucherStatus


def pools():
    """Budgets are public information."""
    return Pool.objects.select_related("jurisdiction")


def staff_pools(user):
    return pools().filter(scope.region_q(user, "jurisdiction"))


def applications_for(user):
    return Application.objects.filter(
        Q(enterprise_id__in=scope.organisation_ids(user)) | scope.region_q(user, "pool__jurisdiction")
    ).select_related("enterprise", "pool")


def review_queue(user):
    return (
        applications_for(user)
        .filter(scope.region_q(user, "pool__jurisdiction", "reviewer"), status=ApplicationStatus.SUBMITTED)
        .order_by("submitted_at")
    )


def vouchers_for(user):
    return Voucher.objects.filter(
        Q(enterprise_id__in=scope.organisation_ids(user)) | scope.region_q(user, "pool__jurisdiction")
    ).select_related("enterprise", "pool")


def certifications_for(user):
    return Certification.objects.filter(
        Q(organisation_id__in=scope.organisation_ids(user)) | scope.region_q(user, "organisation__region")
    ).select_related("organisation")


def directory(*, category: str = "", q: str = ""):
    """The provider directory: approved services of verified organisations."""
    qs = ProviderService.objects.filter(status=ServiceStatus.APPROVED, provider__status="verified")
    if category:
        qs = qs.filter(category=category)
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(provider__name__icontains=q))
    return qs.select_related("provider", "provider__region")


def services_for(user):
    return ProviderService.objects.filter(
        Q(status=ServiceStatus.APPROVED)
        | Q(provider_id__in=scope.organisation_ids(user))
        | scope.region_q(user, "provider__region")
    ).select_related("provider")


def service_queue(user):
    return ProviderService.objects.filter(
        scope.region_q(user, "provider__region", "reviewer"), status=ServiceStatus.SUBMITTED
    ).select_related("provider")


def orders_for(user):
    return ServiceOrder.objects.visible_to(user).select_related(
        "enterprise", "provider", "service", "voucher__pool"
    )


def settlement_queue(user):
    return orders_for(user).filter(
        scope.region_q(user, "voucher__pool__jurisdiction", "finance"), status=OrderStatus.CONFIRMED
    )


def entries_of(voucher):
    return (
        LedgerEntry.objects.filter(voucher=voucher).select_related("redemption__order").order_by("at", "pk")
    )


def pool_ledger(pool):
    """Every movement of a pool, oldest first, with what the export shows of each."""
    return (
        LedgerEntry.objects.filter(pool=pool)
        .select_related("voucher__enterprise", "redemption", "actor")
        .order_by("at", "pk")
    )


def can_see_voucher_entries(user, voucher) -> bool:
    return scope.is_member(user, voucher.enterprise) or scope.covers(user, voucher.pool.jurisdiction_id)


def voucher_balance(organisation, *, as_of: date | None = None) -> Decimal:
    """What an enterprise can still spend: the remaining amounts of its active vouchers that have
    not expired (``as_of``: today by default). ``Decimal("0.00")`` when it holds none."""
    as_of = as_of or timezone.localdate(clock.now())
    total = Voucher.objects.filter(
        enterprise=organisation, status=VoucherStatus.ACTIVE, expires_on__gte=as_of
    ).aggregate(s=Sum("remaining"))["s"]
    return (total or Decimal("0")).quantize(Decimal("0.01"))


def review_facts(app, *, as_of) -> dict:
    """What the reviewer of an application weighs: the enterprise's certificates valid on ``as_of``
    (高新技术企业 / 科技型中小企业) and its yearly cap in the pool's jurisdiction — issued so far,
    asked for in its other pending applications, left for this one."""
    from zhouqiao.vouchers.services import issued_to

    certificates = list(
        Certification.objects.filter(
            organisation_id=app.enterprise_id, valid_from__lte=as_of, valid_until__gte=as_of
        )
    )
    issued = issued_to(app.enterprise_id, app.pool)
    pending = issued_to(app.enterprise_id, app.pool, pending=True) - issued
    if app.status == ApplicationStatus.SUBMITTED:
        pending -= app.amount
    cap = app.pool.enterprise_ceiling
    return {
        "certificates": certificates,
        "cap": cap,
        "issued": issued,
        "pending": pending,
        "left": max(cap - issued - pending, Decimal("0")),
    }
