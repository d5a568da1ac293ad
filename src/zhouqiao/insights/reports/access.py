from zhouqiao.accounts import scope
from zhouqiao.accounts.models import Duty, StaffAssignment
from zhouqiao.core.models import Region


def can_generate(user, region_code: str) -> bool:
    """Statistics staff (统计监测) generate and publish their jurisdiction's reports."""
    return scope.covers(user, region_code, Duty.STATISTICS)


def can_see_drafts(user, region_code: str) -> bool:
    """Every version, published or not: business or statistics staff of the jurisdiction."""
    return scope.covers(user, region_code) or scope.covers(user, region_code, Duty.STATISTICS)


def generating_regions(user) -> list[Region]:
    """The regions a statistics officer may report on: each jurisdiction and the regions under it
    down to the cities (a province officer: the province and its cities; a city officer: the city
    and its counties; a county officer: the county)."""
    if not scope.has_duty(user, Duty.STATISTICS):
        return []
    own = StaffAssignment.objects.filter(user=user, duty=Duty.STATISTICS).values_list(
        "jurisdiction_id", flat=True
    )
    result, seen = [], set()
    for region in Region.objects.filter(code__in=list(own)).order_by("code"):
        for r in [region, *Region.objects.filter(parent=region).order_by("code")]:
            if r.pk not in seen:
                seen.add(r.pk)
                result.append(r)
    return result
