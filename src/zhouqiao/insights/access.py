"""Who sees which indicator figures.

* Staff with any business duty (``scope.is_business_staff``) or the statistics duty (统计监测) see their jurisdiction only — the
  regions whose code falls in one of their subtrees — for every year up to the current one (the
  running year included, so they can follow it).
* Everyone else (the public, enterprises, universities) sees the **published** figures: the
  completed calendar years (before the current year) of every region of the province. A year's
  figures are by registration or booking date, so once the year has ended they no longer change;
  that is why "published" means "completed" here and needs no extra step.
"""

from django.utils import timezone
from django.utils.translation import gettext as _

from zhouqiao.accounts import scope
from zhouqiao.accounts.models import Duty
from zhouqiao.core.models import Region

PROVINCE = "220000"
PROVINCE_PREFIX = "22"
HISTORY = 10  # years offered in the year chooser


class NotVisible(Exception):
    """A region or year the person may not see; the message is the Chinese sentence to show."""


class UnknownRegion(NotVisible):
    """No such region code."""


def _staff_prefixes(user) -> list[str]:
    """Jurisdictions of any business duty (``scope.is_business_staff``) or of the statistics duty."""
    if not getattr(user, "is_authenticated", False):
        return []
    return sorted({*scope.prefixes(user), *scope.prefixes(user, Duty.STATISTICS)})


def is_staff(user) -> bool:
    return bool(_staff_prefixes(user))


def prefixes(user) -> list[str]:
    return _staff_prefixes(user) or [PROVINCE_PREFIX]


def last_year(user, now=None) -> int:
    year = (now or timezone.now()).astimezone(timezone.get_current_timezone()).year
    return year if is_staff(user) else year - 1


def years(user, now=None) -> list[int]:
    last = last_year(user, now)
    return list(range(last, last - HISTORY, -1))


def default_region(user) -> Region:
    """The top of the person's jurisdiction (the widest one), or the province."""
    own = prefixes(user)
    regions = [r for r in Region.objects.filter(code__startswith=PROVINCE_PREFIX) if r.scope_prefix in own]
    regions.sort(key=lambda r: (len(r.scope_prefix), r.code))
    return regions[0] if regions else Region.objects.get(pk=PROVINCE)


def can_see(user, region: Region) -> bool:
    return any(region.code.startswith(p) for p in prefixes(user)) and region.code.startswith(PROVINCE_PREFIX)


def check(user, region_code: str | None, year: int | None, now=None) -> tuple[Region, int]:
    """The region and year asked for, or the defaults; NotVisible when out of reach."""
    region = default_region(user) if not region_code else Region.objects.filter(pk=region_code).first()
    if region is None:
        raise UnknownRegion(_("没有这个地区。"))
    if not can_see(user, region):
        raise NotVisible(_("您只能查看本辖区的指标。"))
    last = last_year(user, now)
    if year is None:
        year = last
    if year > last:
        raise NotVisible(
            _("%(year)s年的数据尚未发布：公众可查看已结束年度的数据。") % {"year": year}
            if not is_staff(user)
            else _("%(year)s年尚未开始。") % {"year": year}
        )
    return region, year


def choices(user) -> list[Region]:
    """Regions for the chooser: the person's subtrees within the province, cities before counties."""
    own = prefixes(user)
    regions = Region.objects.filter(code__startswith=PROVINCE_PREFIX).select_related("parent")
    return [r for r in regions if any(r.code.startswith(p) for p in own)]
