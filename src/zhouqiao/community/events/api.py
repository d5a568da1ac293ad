"""/api/v1/community/events: published events, registration (spends a seat, so it takes an
``Idempotency-Key`` like the other capacity-spending endpoints) and one's own meeting schedule."""

from datetime import datetime

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema, Status

from zhouqiao.accounts.auth import signed_in_user
from zhouqiao.community.events import meetings, services
from zhouqiao.community.events.models import Event, Registration
from zhouqiao.community.events.states import RegistrationStatus
from zhouqiao.core import clock
from zhouqiao.core.bounds import Page, Year
from zhouqiao.vouchers import idempotency

router = Router(tags=["活动、路演与对接会"])


class EventOut(Schema):
    id: int
    title: str
    kind: str
    kind_label: str
    place: str
    starts_at: datetime
    ends_at: datetime
    registration_deadline: datetime
    capacity: int
    seats_left: int
    audience: str
    organiser: str
    region: str


def event_out(e: Event) -> dict:
    return {
        "id": e.pk,
        "title": e.title,
        "kind": e.kind,
        "kind_label": str(e.get_kind_display()),
        "place": e.place,
        "starts_at": e.starts_at,
        "ends_at": e.ends_at,
        "registration_deadline": e.registration_deadline,
        "capacity": e.capacity,
        "seats_left": e.seats_left,
        "audience": e.audience,
        "organiser": e.organiser_name,
        "region": e.region_id,
    }


class RegistrationIn(Schema):
    organisation_id: int | None = None
    note: str = ""


def registration_out(r: Registration) -> dict:
    return {
        "id": r.pk,
        "event_id": r.event_id,
        "status": r.status,
        "status_label": str(r.get_status_display()),
        "organisation": r.organisation.name if r.organisation_id else None,
    }


@router.get("/events", response=list[EventOut])
def list_events(request, paging: Query[Page], year: Year | None = None):
    qs = Event.objects.published().select_related("region")
    if year:
        qs = qs.filter(starts_at__year=year)
    return [event_out(e) for e in paging.slice(qs)]


@router.get("/events/{event_id}", response=EventOut)
def get_event(request, event_id: int):
    return event_out(get_object_or_404(Event.objects.published(), pk=event_id))


@router.post("/events/{event_id}/registrations", response={201: dict, 200: dict})
def register(request, response: HttpResponse, event_id: int, payload: RegistrationIn):
    user = signed_in_user(request)

    def action():
        registration = services.register(
            actor=user,
            event_id=event_id,
            organisation_id=payload.organisation_id,
            note=payload.note,
            now=clock.now(),
        )
        registration = Registration.objects.select_related("organisation").get(pk=registration.pk)
        return 201, registration_out(registration)

    code, body, replayed = idempotency.run_once(
        user=user,
        key=idempotency.key_from(request),
        endpoint=f"events.register.{event_id}",
        payload=payload.dict(),
        action=action,
        now=clock.now(),
    )
    if replayed:
        response["Idempotent-Replayed"] = "true"
    return Status(code, body)


@router.get("/events/{event_id}/my-schedule", response=list[dict])
def my_schedule(request, event_id: int):
    user = signed_in_user(request)
    event = get_object_or_404(Event.objects.all(), pk=event_id, schedule_published_at__isnull=False)
    mine = Registration.objects.filter(event=event, user=user, status=RegistrationStatus.APPROVED).first()
    if mine is None:
        return []
    return [
        {
            "slot": row["meeting"].slot + 1,
            "table": row["meeting"].table,
            "starts_at": row["start"],
            "ends_at": row["end"],
            "with": row["other"].participant_name,
            "mutual": row["meeting"].mutual,
            "outcome": row["meeting"].outcome,
        }
        for row in meetings.personal_schedule(event, mine)
    ]
