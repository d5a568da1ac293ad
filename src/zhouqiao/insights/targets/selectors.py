"""Targets against their actuals: the one rule the targets pages, the API and the annual report use.

* A target is measured in the year asked for, or in its own due year when that has passed
  (``measured_year``): in 2025 a 2020 target shows what was reached in 2020, not a 2025 figure.
* The actual is the official figure, entered by statistics staff with its source document (public
  once entered). Progress, gap and 已达到 are computed on it alone.
* Where the platform's registrations hold part of the figure (技术合同成交额), that part is shown
  beside the official figure as 平台登记部分 and never stands in for it: the province's figure also
  counts contracts registered outside the platform. The public sees the platform part of completed
  years; staff whose jurisdiction covers the target's region also see the running year.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from zhouqiao.accounts import scope
from zhouqiao.accounts.models import Duty
from zhouqiao.core.models import Region
from zhouqiao.core.money import YI, format_yuan
from zhouqiao.insights import indicators
from zhouqiao.insights.targets import catalogue
from zhouqiao.insights.targets.models import TargetActual

FIRST_YEAR = 2014
ABOUT_TOLERANCE = Decimal("0.95")  # “左右”: within 5 % below the target counts as reached
SHOWN_PLACES = Decimal("0.01")  # figures are shown with two decimals at most (1.29亿元, not 1.2933亿元)


def number(value: Decimal | None) -> str:
    """A figure as people write it: two decimals at most, no trailing zeros, thousands separated."""
    if value is None:
        return "—"
    rounded = Decimal(value).quantize(SHOWN_PLACES, rounding=ROUND_HALF_UP)
    return f"{rounded.normalize():,f}"


def shown(value: Decimal, unit: str) -> str:
    """A figure with its unit; an amount in 亿元 too small to show in it reads in 万元."""
    if unit == "亿元" and 0 < value < SHOWN_PLACES / 2:
        return format_yuan(value * YI, "万")
    return f"{number(value)}{unit}"


@dataclass
class Progress:
    target: catalogue.Target
    region_name: str
    year: int  # the year measured: the year asked for, or the due year when that has passed
    actual: Decimal | None  # the official figure
    missing: str  # why there is no official figure (Chinese), when there is none
    source: str  # the source document of the official figure
    entered: TargetActual | None = None
    platform: Decimal | None = None  # 平台登记部分, in the target's unit (targets that have one)
    platform_missing: str = ""  # why the platform part is not shown

    @property
    def percent(self) -> Decimal | None:
        if self.actual is None or not self.target.value:
            return None
        return (self.actual / self.target.value * 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)

    @property
    def bar(self) -> int:
        return min(100, int(self.percent or 0))

    @property
    def reached(self) -> bool:
        if self.actual is None:
            return False
        if self.target.comparison == "more_than":
            return self.actual > self.target.value
        if self.target.comparison == "about":
            return self.actual >= self.target.value * ABOUT_TOLERANCE
        return self.actual >= self.target.value

    @property
    def gap(self) -> Decimal | None:
        if self.actual is None:
            return None
        return max(Decimal(0), self.target.value - self.actual)

    # What the page and the report print, written once.
    @property
    def target_shown(self) -> str:
        return f"{number(self.target.value)}{self.target.unit}"

    @property
    def actual_shown(self) -> str:
        return shown(self.actual, self.target.unit) if self.actual is not None else str(self.missing)

    @property
    def percent_shown(self) -> str:
        return f"{self.percent}%" if self.percent is not None else "—"

    @property
    def gap_shown(self) -> str:
        if self.gap is None:
            return "—"
        return shown(self.gap, self.target.unit) if self.gap else _("无")

    @property
    def platform_figure(self) -> str:
        return shown(self.platform, self.target.unit) if self.platform is not None else ""

    @property
    def platform_shown(self) -> str:
        """平台登记部分 as one labelled line ("" for a target the platform holds no part of)."""
        if not self.target.has_platform_part:
            return ""
        if self.platform is None:
            return _("平台登记部分：%(why)s") % {"why": self.platform_missing}
        if not self.platform:
            if self.target.cumulative_from:
                return _("平台登记部分：平台无登记数据")
            return _("平台登记部分：平台无该年度登记数据")
        return _("平台登记部分：%(v)s（非官方统计数，不计入进度）") % {"v": self.platform_figure}


def staff_sees_running_year(user, target) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and (
        scope.covers(user, target.region_code) or scope.covers(user, target.region_code, Duty.STATISTICS)
    )


def year_choices(now) -> list[int]:
    return list(range(timezone.localdate(now).year, FIRST_YEAR - 1, -1))


def default_year(now) -> int:
    return timezone.localdate(now).year - 1


def measured_year(target: catalogue.Target, year: int) -> int:
    """The year a target is measured in when asked about ``year``: that year, or its due year once
    that has passed (a target due in Y is measured with year Y's figure)."""
    return min(year, target.due)


def platform_part(target: catalogue.Target, year: int) -> Decimal:
    """The platform's registrations of the target's figure for ``year`` (summed from the target's
    first year when it is cumulative), in the target's unit."""
    first = target.cumulative_from or year
    if first > year:
        return Decimal(0)
    figures = indicators.series(
        target.indicator, region_code=target.region_code, years=range(first, year + 1)
    )
    total = sum((Decimal(v) for v in figures.values()), Decimal(0))
    return (total / target.scale).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)


def _measure(user, pairs: list[tuple[catalogue.Target, int]], *, now) -> list[Progress]:
    """Each target measured in exactly the year paired with it."""
    if not pairs:
        return []
    names = dict(
        Region.objects.filter(code__in={t.region_code for t, _y in pairs}).values_list("code", "name")
    )
    entered = {
        (a.target_code, a.year): a
        for a in TargetActual.objects.filter(
            target_code__in={t.code for t, _y in pairs}, year__in={y for _t, y in pairs}
        )
    }
    running = timezone.localdate(now).year
    rows = []
    for t, year in pairs:
        row = entered.get((t.code, year))
        actual, source, missing = (row.value, row.source_document, "") if row else (None, "", "")
        if row is None:
            missing = _("尚未到该年度") if year > running else _("尚未录入")
        platform, platform_missing = None, ""
        if t.has_platform_part:
            if year > running:
                platform_missing = _("尚未到该年度")
            elif year == running and not staff_sees_running_year(user, t):
                platform_missing = _("年度未结束，尚未发布")
            else:
                platform = platform_part(t, year)
        rows.append(
            Progress(
                t,
                names.get(t.region_code, t.region_code),
                year,
                actual,
                missing,
                source,
                row,
                platform,
                platform_missing,
            )
        )
    return rows


def progress(user, *, year: int, now, targets=None) -> list[Progress]:
    """Every target as of ``year``: each measured in ``measured_year`` (the targets page, the API
    and the annual report all read this)."""
    targets = list(targets if targets is not None else catalogue.targets())
    return _measure(user, [(t, measured_year(t, year)) for t in targets], now=now)


def series(user, target: catalogue.Target, *, now) -> list[Progress]:
    """The target's actual in every year from its document's baseline to its due year (or now)."""
    last = min(max(target.due, default_year(now)), timezone.localdate(now).year)
    first = max(FIRST_YEAR, target.due - 5)
    return _measure(user, [(target, y) for y in range(first, last + 1)], now=now)
