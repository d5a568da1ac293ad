"""Who may see and keep the profiles and the reserve (the one place these checks live; views
show only what these allow, services refuse the rest)."""

from zhouqiao.accounts import scope
from zhouqiao.accounts.models import Duty, StaffAssignment
from zhouqiao.core.models import Region


def can_view(user, region_code: str) -> bool:
    """Business staff and statistics staff whose jurisdiction covers the region."""
    return scope.covers(user, region_code) or scope.covers(user, region_code, Duty.STATISTICS)


def can_keep_reserve(user, region_code: str) -> bool:
    """Criteria and the reviewed list: statistics staff (统计监测) of the jurisdiction."""
    return scope.covers(user, region_code, Duty.STATISTICS)


def can_record_certification(user, region_code: str) -> bool:
    """Certificates are recorded by the reviewers of the enterprise's region, as in vouchers."""
    return scope.covers(user, region_code, Duty.REVIEWER)


def is_staff_viewer(user) -> bool:
    return scope.is_business_staff(user) or scope.has_duty(user, Duty.STATISTICS)


def jurisdictions(user) -> list[Region]:
    """The regions whose reserve the user may open: each jurisdiction and the regions under it."""
    if not getattr(user, "is_authenticated", False):
        return []
    duties = [*scope.BUSINESS_DUTIES, Duty.STATISTICS]
    own = (
        StaffAssignment.objects.filter(user=user, duty__in=duties)
        .values_list("jurisdiction_id", flat=True)
        .distinct()
    )
    regions = list(Region.objects.filter(code__in=list(own)).order_by("code"))
    result, seen = [], set()
    for region in regions:
        for r in [region, *Region.objects.filter(code__startswith=region.scope_prefix).exclude(pk=region.pk)]:
            if r.pk not in seen:
                seen.add(r.pk)
                result.append(r)
    return result
