"""/api/v1/facilities: the instrument registry, calendar, bookings, usage and the sharing evaluation.

Booking spends capacity, so ``POST /bookings`` takes an ``Idempotency-Key`` header like the
voucher endpoints; a replay returns the first response.
"""

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status

from zhouqiao.accounts import scope
from zhouqiao.accounts.auth import signed_in_user
from zhouqiao.core import clock
from zhouqiao.core.bounds import Amount, OptionalAmount, Page, Year
from zhouqiao.core.errors import PermissionDenied
from zhouqiao.core.spreadsheets import xlsx_response
from zhouqiao.facilities import export, selectors, services
from zhouqiao.facilities.models import Instrument
from zhouqiao.vouchers import idempotency

router = Router(tags=["facilities"])
NOT_ALLOWED = services.NOT_ALLOWED


Count = Annotated[int, Field(ge=0, le=100_000)]
Hours = Annotated[Decimal, Field(ge=0, le=10_000, decimal_places=2)]


class PriceIn(Schema):
    group: str
    unit: str
    unit_price: Amount
    step_after: Count | None = None
    step_price: OptionalAmount = None


class InstrumentIn(Schema):
    owner_id: int
    name: str
    category: str
    location: str
    value: Amount
    funding_source: str
    model_number: str = ""
    manufacturer: str = ""
    description: str = ""
    capabilities: str = ""
    guide_price_filing: str = ""
    open_from: int = 8
    open_until: int = 17
    open_weekdays: str = "12345"
    prices: list[PriceIn] = []


class MaintenanceIn(Schema):
    starts_at: datetime
    ends_at: datetime
    reason: str = ""


class BookingIn(Schema):
    instrument_id: int
    organisation_id: int
    starts_at: datetime
    hours: int
    purpose: str
    samples: Count = 0
    voucher_id: int | None = None


class ReasonIn(Schema):
    reason: str = ""


class UsageIn(Schema):
    hours: Hours
    samples: Count = 0


class RatingIn(Schema):
    score: int
    comment: str = ""


def price_out(p) -> dict:
    return {
        "group": p.group,
        "unit": p.unit,
        "unit_price": str(p.unit_price),
        "step_after": p.step_after,
        "step_price": str(p.step_price) if p.step_price is not None else None,
    }


def instrument_out(i: Instrument, *, detail: bool = False) -> dict:
    out = {
        "id": i.pk,
        "name": i.name,
        "model_number": i.model_number,
        "category": i.category,
        "owner_id": i.owner_id,
        "owner_name": i.owner.name,
        "location": i.location,
        "value": str(i.value),
        "funding_source": i.funding_source,
        "is_listed": i.is_listed,
        "opening": {"from": i.open_from, "until": i.open_until, "weekdays": i.open_weekdays},
    }
    if detail:
        out.update(
            {
                "description": i.description,
                "capabilities": i.capabilities,
                "guide_price_filing": i.guide_price_filing,
                "prices": [price_out(p) for p in i.prices.all()],
            }
        )
    return out


def booking_out(b) -> dict:
    usage = getattr(b, "usage", None) if b.status == "completed" else None
    return {
        "id": b.pk,
        "instrument_id": b.instrument_id,
        "organisation_id": b.organisation_id,
        "starts_at": b.starts_at.isoformat(),
        "ends_at": b.ends_at.isoformat(),
        "status": b.status,
        "status_reason": b.status_reason,
        "price_group": b.price_group,
        "voucher_id": b.voucher_id,
        "usage": {
            "hours": str(usage.hours),
            "samples": usage.samples,
            "fee": str(usage.fee),
            "order_id": usage.order_id,
            "trace": usage.fee_trace,
        }
        if usage
        else None,
    }


@router.get("/instruments", response=list[dict])
def list_instruments(request, paging: Query[Page], category: str = "", owner: str = "", q: str = ""):
    qs = selectors.registry(request.user, category=category, owner=owner, q=q)
    return [instrument_out(i) for i in paging.slice(qs)]


def _instrument(user, pk: int) -> Instrument:
    return get_object_or_404(Instrument.objects.visible_to(user).select_related("owner"), pk=pk)


@router.get("/instruments/{instrument_id}", response=dict)
def get_instrument(request, instrument_id: int):
    return instrument_out(_instrument(request.user, instrument_id), detail=True)


@router.post("/instruments", response={201: dict})
def register_instrument(request, payload: InstrumentIn):
    data = payload.dict(exclude={"owner_id", "prices"})
    instrument = services.register_instrument(
        actor=signed_in_user(request),
        owner_id=payload.owner_id,
        data=data,
        prices=[p.dict() for p in payload.prices],
        now=clock.now(),
    )
    return Status(201, instrument_out(instrument, detail=True))


@router.post("/instruments/{instrument_id}/prices", response=dict)
def set_price(request, instrument_id: int, payload: PriceIn):
    user = signed_in_user(request)
    rule = services.set_price(
        actor=user, instrument_id=_instrument(user, instrument_id).pk, now=clock.now(), **payload.dict()
    )
    return price_out(rule)


@router.post("/instruments/{instrument_id}/maintenance", response={201: dict})
def add_maintenance(request, instrument_id: int, payload: MaintenanceIn):
    user = signed_in_user(request)
    window = services.add_maintenance(
        actor=user,
        instrument_id=_instrument(user, instrument_id).pk,
        starts_at=payload.starts_at,
        ends_at=payload.ends_at,
        reason=payload.reason,
        now=clock.now(),
    )
    return Status(
        201,
        {
            "id": window.pk,
            "starts_at": window.starts_at.isoformat(),
            "ends_at": window.ends_at.isoformat(),
            "reason": window.reason,
        },
    )


@router.get("/instruments/{instrument_id}/calendar", response=dict)
def calendar(request, instrument_id: int, week: date | None = None):
    """Free and taken hours of the week containing ``week`` (default: this week)."""
    instrument = _instrument(request.user, instrument_id)
    monday = selectors.week_start(week or timezone.localdate(clock.now()))
    cal = selectors.calendar(instrument, monday=monday, now=clock.now())
    return {
        "week": monday.isoformat(),
        "slots": [
            {"start": c.start.isoformat(), "state": c.state} for _hour, cells in cal.rows for c in cells
        ],
    }


@router.get("/bookings", response=list[dict])
def list_bookings(request, paging: Query[Page], status: str = ""):
    qs = selectors.bookings_for(signed_in_user(request))
    if status:
        qs = qs.filter(status=status)
    return [booking_out(b) for b in paging.slice(qs)]


@router.post("/bookings", response={201: dict, 200: dict})
def book(request, response: HttpResponse, payload: BookingIn):
    user = signed_in_user(request)

    def action():
        booking = services.book(
            actor=user,
            instrument_id=_instrument(user, payload.instrument_id).pk,
            organisation_id=payload.organisation_id,
            starts_at=payload.starts_at,
            hours=payload.hours,
            purpose=payload.purpose,
            samples=payload.samples,
            voucher_id=payload.voucher_id,
            now=clock.now(),
        )
        return 201, booking_out(booking)

    code, body, replayed = idempotency.run_once(
        user=user,
        key=idempotency.key_from(request),
        endpoint="facilities.bookings",
        payload=payload.dict(),
        action=action,
        now=clock.now(),
    )
    if replayed:
        response["Idempotent-Replayed"] = "true"
    return Status(code, body)


def _booking_pk(user, booking_id: int) -> int:
    return get_object_or_404(selectors.bookings_for(user), pk=booking_id).pk


@router.post("/bookings/{booking_id}/usage", response=dict)
def record_usage(request, booking_id: int, payload: UsageIn):
    user = signed_in_user(request)
    usage = services.record_usage(
        actor=user,
        booking_id=_booking_pk(user, booking_id),
        hours=payload.hours,
        samples=payload.samples,
        now=clock.now(),
    )
    return booking_out(usage.booking)


@router.post("/bookings/{booking_id}/rating", response={201: dict})
def rate(request, booking_id: int, payload: RatingIn):
    user = signed_in_user(request)
    rating = services.rate(
        actor=user,
        booking_id=_booking_pk(user, booking_id),
        score=payload.score,
        comment=payload.comment,
        now=clock.now(),
    )
    return Status(201, {"booking_id": booking_id, "score": rating.score, "comment": rating.comment})


@router.post("/bookings/{booking_id}/{move}", response=dict)
def move_booking(request, booking_id: int, move: str, payload: ReasonIn):
    user = signed_in_user(request)
    target = {"approve": "approved", "refuse": "refused", "cancel": "cancelled"}.get(move)
    if target is None:
        raise PermissionDenied(NOT_ALLOWED, code="unknown_action", status=404)
    booking = services.transition_booking(
        actor=user,
        booking_id=_booking_pk(user, booking_id),
        to_status=target,
        reason=payload.reason,
        now=clock.now(),
    )
    return booking_out(booking)


def _evaluator(request):
    user = signed_in_user(request)
    if not scope.is_business_staff(user):
        raise PermissionDenied(NOT_ALLOWED)
    return user


@router.get("/evaluation", response=list[dict])
def evaluation(request, year: Year, by: str = "instrument"):
    """The yearly sharing evaluation and ranking (000 §2(4)3, 001#10), staff of the region only."""
    user = _evaluator(request)
    rows = (selectors.evaluation_by_owner if by == "owner" else selectors.evaluation_by_instrument)(
        user, year
    )
    return [
        {
            "rank": r.rank,
            "name": r.name,
            "owner": r.owner,
            "service_hours": str(r.service_hours),
            "external_hours": str(r.external_hours),
            "external_share": str(r.external_share),
            "external_users": r.external_users,
            "revenue": str(r.revenue),
            "rating": str(r.rating) if r.rating is not None else None,
            "ratings": r.ratings,
            "uses": r.uses,
            "score": str(r.score),
        }
        for r in rows
    ]


@router.get("/evaluation.xlsx")
def evaluation_xlsx(request, year: Year):
    user = _evaluator(request)
    content = export.evaluation_workbook(
        year, selectors.evaluation_by_instrument(user, year), selectors.evaluation_by_owner(user, year)
    )
    return xlsx_response(content, f"sharing-evaluation-{year}.xlsx")
