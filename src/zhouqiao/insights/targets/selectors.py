"""Targets against their actuals, by year, as the person asking may see them.

Computed actuals come from ``zhouqiao.insights.indicators`` (the platform's registrations): the
public sees completed (published) years; staff whose jurisdiction covers the target's region also
see the running year. Staff-entered actuals are public once entered.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from zhouqiao.accounts import scope
from zhouqiao.accounts.models import Duty
from zhouqiao.core.models import Region
from zhouqiao.insights import indicators
from zhouqiao.insights.targets import catalogue
from zhouqiao.insights.targets.models import TargetActual

FIRST_YEAR = 2014
ABOUT_TOLERANCE = Decimal("0.95")  # “左右”: within 5 % below the target counts as reached


@dataclass
class Progress:
    target: catalogue.Target
    region_name: str
    year: int
    actual: Decimal | None
    missing: str  # why there is no actual (Chinese), when there is none
    source: str  # 平台登记数据 / the source document
    entered: TargetActual | None = None

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


def staff_sees_running_year(user, target) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and (
        scope.covers(user, target.region_code) or scope.covers(user, target.region_code, Duty.STATISTICS)
    )


def year_choices(now) -> list[int]:
    return list(range(timezone.localdate(now).year, FIRST_YEAR - 1, -1))


def default_year(now) -> int:
    return timezone.localdate(now).year - 1


def computed_actual(target: catalogue.Target, year: int) -> Decimal:
    first = target.cumulative_from or year
    if first > year:
        return Decimal(0)
    figures = indicators.series(
        target.indicator, region_code=target.region_code, years=range(first, year + 1)
    )
    total = sum((Decimal(v) for v in figures.values()), Decimal(0))
    return (total / target.scale).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)


def progress(user, *, year: int, now, targets=None) -> list[Progress]:
    targets = list(targets if targets is not None else catalogue.targets())
    names = dict(Region.objects.filter(code__in={t.region_code for t in targets}).values_list("code", "name"))
    entered = {
        (a.target_code, a.year): a
        for a in TargetActual.objects.filter(year=year, target_code__in=[t.code for t in targets])
    }
    running = timezone.localdate(now).year
    rows = []
    for t in targets:
        actual, missing, source, row = None, "", "", None
        if t.computed:
            source = _("平台技术合同登记数据")
            if year > running:
                missing = _("尚未到该年度")
            elif year == running and not staff_sees_running_year(user, t):
                missing = _("年度未结束，尚未发布")
            else:
                actual = computed_actual(t, year)
        else:
            row = entered.get((t.code, year))
            if row is None:
                missing = _("尚未录入")
            else:
                actual, source = row.value, row.source_document
        rows.append(Progress(t, names.get(t.region_code, t.region_code), year, actual, missing, source, row))
    return rows


def series(user, target: catalogue.Target, *, now) -> list[Progress]:
    """The target's actual in every year from its document's baseline to its due year (or now)."""
    last = min(max(target.due, default_year(now)), timezone.localdate(now).year)
    first = max(FIRST_YEAR, target.due - 5)
    return [progress(user, year=y, now=now, targets=[target])[0] for y in range(first, last + 1)]


def number(value: Decimal | None) -> str:
    """A figure as people write it: no trailing zeros, thousands separated."""
    if value is None:
        return "—"
    text = f"{value.normalize():,f}"
    return text
