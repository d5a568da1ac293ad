"""Reads: the registry, the calendar, bookings, and the yearly sharing evaluation."""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db.models import Avg, Count, F, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zhouqiao.accounts import scope
from zhouqiao.facilities.models import LARGE_INSTRUMENT_VALUE, BookedSlot, Booking, Instrument, Usage
from zhouqiao.facilities.states import BookingStatus


def registry(user, *, category: str = "", owner: str = "", q: str = ""):
    qs = Instrument.objects.visible_to(user).select_related("owner", "owner__region")
    if category:
        qs = qs.filter(category=category)
    if owner:
        qs = qs.filter(owner_id=owner) if str(owner).isdigit() else qs.none()
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(capabilities__icontains=q) | Q(owner__name__icontains=q))
    return qs


def bookings_for(user):
    return Booking.objects.visible_to(user).select_related(
        "instrument", "instrument__owner", "organisation", "voucher"
    )


def owner_queue(user):
    return (
        bookings_for(user)
        .filter(
            instrument__owner_id__in=scope.organisation_ids(user),
            status__in=[BookingStatus.REQUESTED, BookingStatus.APPROVED],
        )
        .order_by("starts_at")
    )


@dataclass
class Cell:
    start: datetime
    state: str  # free, taken, closed, maintenance, past


@dataclass
class Calendar:
    days: list[date]
    rows: list[tuple[int, list[Cell]]] = field(default_factory=list)


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def calendar(instrument: Instrument, *, monday: date, now) -> Calendar:
    """Free and taken hours of one week, by opening hour (rows) and day (columns)."""
    tz = timezone.get_current_timezone()
    days = [monday + timedelta(days=i) for i in range(7)]
    begin = datetime.combine(monday, time(0), tzinfo=tz)
    end = begin + timedelta(days=7)
    taken = set(
        BookedSlot.objects.filter(
            instrument=instrument, slot_start__gte=begin, slot_start__lt=end
        ).values_list("slot_start", flat=True)
    )
    windows = list(instrument.maintenance.filter(starts_at__lt=end, ends_at__gt=begin))
    cal = Calendar(days=days)
    for hour in range(instrument.open_from, instrument.open_until):
        cells = []
        for day in days:
            start = datetime.combine(day, time(hour), tzinfo=tz)
            if str(day.isoweekday()) not in instrument.open_weekdays:
                state = "closed"
            elif any(w.starts_at < start + timedelta(hours=1) and w.ends_at > start for w in windows):
                state = "maintenance"
            elif start in taken:
                state = "taken"
            elif start <= now:
                state = "past"
            else:
                state = "free"
            cells.append(Cell(start=start, state=state))
        cal.rows.append((hour, cells))
    return cal


# --- sharing evaluation (seeds 000 §2(4)3, 001#10) -----------------------------------------------------------

# 000 §2(4)3 rates sharing "以公共服务量、服务收入和科技支撑效果为重点": service volume, revenue,
# and the support given to others (external share and user ratings). Weights out of 100.
WEIGHTS = {
    "hours": Decimal("40"),
    "external_share": Decimal("30"),
    "revenue": Decimal("20"),
    "rating": Decimal("10"),
}


# What each weight measures, in the words of the evaluation table's columns.
WEIGHT_LABELS = {
    "hours": _("服务机时"),
    "external_share": _("外单位机时占比"),
    "revenue": _("服务收入"),
    "rating": _("用户评分"),
}


def weights_in_words() -> str:
    """ "服务机时40%，外单位机时占比30%，…" (the evaluation page and its export)."""
    return "，".join(f"{WEIGHT_LABELS[k]}{v.normalize():f}%" for k, v in WEIGHTS.items())


@dataclass
class Performance:
    key: int
    name: str
    owner: str
    owner_id: int = 0
    service_hours: Decimal = Decimal("0")
    external_hours: Decimal = Decimal("0")
    external_users: int = 0
    revenue: Decimal = Decimal("0")
    rating: Decimal | None = None
    ratings: int = 0
    uses: int = 0
    score: Decimal = Decimal("0")
    rank: int = 0

    @property
    def external_share(self) -> Decimal:
        if not self.service_hours:
            return Decimal("0")
        return (self.external_hours / self.service_hours).quantize(Decimal("0.0001"))


def _score(rows: list[Performance]) -> list[Performance]:
    top_hours = max((r.service_hours for r in rows), default=Decimal("0")) or Decimal("1")
    top_revenue = max((r.revenue for r in rows), default=Decimal("0")) or Decimal("1")
    for r in rows:
        r.score = (
            WEIGHTS["hours"] * r.service_hours / top_hours
            + WEIGHTS["external_share"] * r.external_share
            + WEIGHTS["revenue"] * r.revenue / top_revenue
            + WEIGHTS["rating"] * (r.rating or Decimal("0")) / 5
        ).quantize(Decimal("0.01"))
    rows.sort(key=lambda r: (-r.score, r.name))
    for i, r in enumerate(rows, 1):
        r.rank = i
    return rows


def _usages(user, year: int):
    """The year's recorded uses of large instruments (the 开放共享 subsidies are for those: 30万元
    or more) within the user's jurisdictions."""
    return Usage.objects.filter(
        scope.region_q(user, "booking__instrument__owner__region"),
        recorded_at__year=year,
        booking__instrument__value__gte=LARGE_INSTRUMENT_VALUE,
    )


def evaluation_by_instrument(user, year: int) -> list[Performance]:
    usages = _usages(user, year)
    rows: dict[int, Performance] = {}
    for u in usages.select_related("booking__instrument__owner", "booking__organisation"):
        inst = u.booking.instrument
        row = rows.setdefault(
            inst.pk, Performance(key=inst.pk, name=inst.name, owner=inst.owner.name, owner_id=inst.owner_id)
        )
        row.uses += 1
        row.service_hours += u.hours
        row.revenue += u.fee
        if u.booking.organisation_id != inst.owner_id:
            row.external_hours += u.hours
    externals = (
        usages.exclude(booking__organisation_id=F("booking__instrument__owner_id"))
        .values("booking__instrument_id")
        .annotate(n=Count("booking__organisation_id", distinct=True))
    )
    for row in externals:
        rows[row["booking__instrument_id"]].external_users = row["n"]
    ratings = (
        usages.filter(booking__rating__isnull=False)
        .values("booking__instrument_id")
        .annotate(avg=Avg("booking__rating__score"), n=Count("booking__rating"))
    )
    for row in ratings:
        rows[row["booking__instrument_id"]].rating = Decimal(str(row["avg"])).quantize(Decimal("0.01"))
        rows[row["booking__instrument_id"]].ratings = row["n"]
    return _score(list(rows.values()))


def evaluation_by_owner(user, year: int) -> list[Performance]:
    per_instrument = evaluation_by_instrument(user, year)
    usages = _usages(user, year)
    owners: dict[int, Performance] = {}  # by id: two owners may share a name
    for r in per_instrument:
        row = owners.setdefault(
            r.owner_id, Performance(key=r.owner_id, name=r.owner, owner=r.owner, owner_id=r.owner_id)
        )
        row.uses += r.uses
        row.service_hours += r.service_hours
        row.external_hours += r.external_hours
        row.revenue += r.revenue
    for row in (
        usages.exclude(booking__organisation_id=F("booking__instrument__owner_id"))
        .values("booking__instrument__owner_id")
        .annotate(n=Count("booking__organisation_id", distinct=True))
    ):
        owners[row["booking__instrument__owner_id"]].external_users = row["n"]
    for row in (
        usages.filter(booking__rating__isnull=False)
        .values("booking__instrument__owner_id")
        .annotate(avg=Avg("booking__rating__score"), n=Count("booking__rating"))
    ):
        owner = owners[row["booking__instrument__owner_id"]]
        owner.rating = Decimal(str(row["avg"])).quantize(Decimal("0.01"))
        owner.ratings = row["n"]
    return _score(list(owners.values()))


def revenue_total(user, year: int) -> Decimal:
    return _usages(user, year).aggregate(s=Sum("fee"))["s"] or Decimal("0")
