"""Market parameters and the working-day calendar.

Defaults (each overridable in Django settings, and per sub-market in :class:`MarketRules`, which a
county inherits from its city and the city from the province):

* ``MARKET_NOTICE_WORKING_DAYS`` = 20: the public notice period of a listing (公示期). Seed 004 §6
  asks for listing trades without fixing a period; 20 working days is common practice of the
  provincial property-rights and technology exchanges.
* ``MARKET_EXTENSION_WINDOW_MINUTES`` = 5 and ``MARKET_EXTENSION_MINUTES`` = 5: a bid in the last
  5 minutes moves the end to 5 minutes after the bid (anti-sniping, 延时).
* ``MARKET_AUCTION_DELAY_WORKING_DAYS`` = 3 and ``MARKET_AUCTION_HOURS`` = (9, 11): an auction
  created from a listing starts at 09:00 on the third working day after the notice ends (time to
  pay the deposit) and runs two hours.
* ``MARKET_MAX_RELISTS`` = 2: how many times a listing without intent is relisted automatically.

Working days are Monday–Friday; public holidays and weekend days worked in lieu (调休) are the
:class:`CalendarDay` rows the market operator enters each year (the State Council publishes them
every December, so they are data, not code).
"""

from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.utils import timezone

from zhouqiao.core.models import Region


def setting(name: str, default):
    return getattr(settings, name, default)


def _rules_for(region_code: str) -> list:
    from zhouqiao.market.models import MarketRules

    region = Region.objects.filter(code=region_code).first()
    chain = [r.code for r in reversed(region.ancestors())] if region else []
    found = {r.region_id: r for r in MarketRules.objects.filter(region_id__in=chain)}
    return [found[code] for code in chain if code in found]


def _rule(region_code: str, field: str, setting_name: str, default: int) -> int:
    for rules in _rules_for(region_code):
        value = getattr(rules, field)
        if value is not None:
            return value
    return setting(setting_name, default)


def notice_working_days(region_code: str) -> int:
    return _rule(region_code, "notice_working_days", "MARKET_NOTICE_WORKING_DAYS", 20)


def extension(region_code: str) -> tuple[int, int]:
    """(window, extension) in minutes."""
    return (
        _rule(region_code, "extension_window_minutes", "MARKET_EXTENSION_WINDOW_MINUTES", 5),
        _rule(region_code, "extension_minutes", "MARKET_EXTENSION_MINUTES", 5),
    )


def max_relists() -> int:
    return setting("MARKET_MAX_RELISTS", 2)


def _exceptions(start: date, end: date) -> dict[date, bool]:
    from zhouqiao.market.models import CalendarDay

    return dict(CalendarDay.objects.filter(date__gte=start, date__lte=end).values_list("date", "is_workday"))


def is_workday(day: date, exceptions: dict[date, bool] | None = None) -> bool:
    exceptions = _exceptions(day, day) if exceptions is None else exceptions
    if day in exceptions:
        return exceptions[day]
    return day.weekday() < 5


def add_working_days(start: date, count: int) -> date:
    """The ``count``-th working day after ``start`` (``start`` itself not counted)."""
    exceptions = _exceptions(start, start + timedelta(days=count * 2 + 60))
    day, left = start, count
    while left > 0:
        day += timedelta(days=1)
        if is_workday(day, exceptions):
            left -= 1
    return day


def notice_end(starts_at: datetime, working_days: int) -> datetime:
    """A notice period counts ``working_days`` full working days from the day after the listing
    and ends at 24:00 of the last one (local time)."""
    last = add_working_days(timezone.localtime(starts_at).date(), working_days)
    return timezone.make_aware(datetime.combine(last + timedelta(days=1), time.min))


def auction_schedule(after: datetime) -> tuple[datetime, datetime]:
    delay = setting("MARKET_AUCTION_DELAY_WORKING_DAYS", 3)
    start_hour, end_hour = setting("MARKET_AUCTION_HOURS", (9, 11))
    day = add_working_days(timezone.localtime(after).date(), delay)
    return (
        timezone.make_aware(datetime.combine(day, time(start_hour))),
        timezone.make_aware(datetime.combine(day, time(end_hour))),
    )
