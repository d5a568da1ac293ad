"""Every write of the events app: publish, register, decide, check in, roadshow slots, interests,
availability, the one-to-one schedule, outcomes and the negotiation a meeting opens."""

import secrets
from datetime import datetime, time, timedelta

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.timezone import localtime
from django.utils.translation import gettext as _

from zhouqiao.accounts import scope
from zhouqiao.accounts.models import Organisation
from zhouqiao.catalog import access
from zhouqiao.catalog.models import Achievement, Demand
from zhouqiao.catalog.states import RecordStatus
from zhouqiao.community.events import meetings
from zhouqiao.community.events import todos as notices
from zhouqiao.community.events.models import Event, Interest, Meeting, Registration, RoadshowSlot
from zhouqiao.community.events.permissions import may_manage, publishing_organisations, side_of
from zhouqiao.community.events.states import (
    HOLDS_SEAT,
    TRANSITIONS,
    EventKind,
    EventStatus,
    InterestLevel,
    Outcome,
    RegistrationStatus,
)
from zhouqiao.core import audit
from zhouqiao.core.errors import Conflict, InvalidTransition, NotFound, PermissionDenied, ValidationFailed
from zhouqiao.core.locking import lock
from zhouqiao.core.models import Region

NOT_ORGANISER = _("只有活动主办方可以办理此事项。")
MAX_CAPACITY = 100_000
MAX_SLOTS = 48
MAX_TABLES = 500


def fail(field: str, message, code: str = "validation_failed") -> ValidationFailed:
    return ValidationFailed(message, code=code, detail={field: [str(message)]})


def _event(event_id) -> Event:
    event = Event.objects.select_related("region", "organiser_org").filter(pk=event_id).first()
    if event is None:
        raise NotFound(_("活动不存在。"))
    return event


def _managed(actor, event_id, *, locked=False) -> Event:
    event = lock(Event.objects.all(), event_id) if locked else _event(event_id)
    if not may_manage(actor, event):
        raise PermissionDenied(NOT_ORGANISER, code="not_organiser")
    return event


def _int(value, field, label, *, low, high) -> int:
    if value is None or str(value).strip() == "":
        raise fail(field, _("请填写%(label)s。") % {"label": label})
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        raise fail(field, _("%(label)s须为整数。") % {"label": label}) from None
    if not low <= number <= high:
        raise fail(
            field, _("%(label)s须在%(low)s至%(high)s之间。") % {"label": label, "low": low, "high": high}
        )
    return number


# --- publishing ---------------------------------------------------------------------------------


def event_errors(data: dict, now) -> tuple[dict, dict]:
    """Every problem of an event's data at once (the form shows them all beside their fields):
    (clean values of the fields that passed, {field: [messages]}). A check across two fields runs
    only when both passed their own; the form calls this with what it has parsed."""
    clean, errors = {}, {}

    def problem(field, message):
        errors.setdefault(field, []).append(str(message))

    def number(field, label, *, low, high, default=None):
        try:
            clean[field] = _int(
                data.get(field) if default is None else data.get(field) or default,
                field,
                label,
                low=low,
                high=high,
            )
        except ValidationFailed as exc:
            problem(field, exc.message)

    for field, label, limit in (
        ("title", _("活动名称"), 200),
        ("agenda", _("活动议程"), 20_000),
        ("place", _("活动地点"), 200),
        ("audience", _("面向对象"), 200),
    ):
        value = (data.get(field) or "").strip()
        if not value:
            problem(field, _("请填写%(label)s。") % {"label": label})
        elif len(value) > limit:
            problem(field, _("%(label)s过长。") % {"label": label})
        else:
            clean[field] = value
    kind = data.get("kind")
    if kind in EventKind.values:
        clean["kind"] = kind
    else:
        problem("kind", _("请选择活动类型。"))
    for field, label in (
        ("starts_at", _("开始时间")),
        ("ends_at", _("结束时间")),
        ("registration_deadline", _("报名截止时间")),
    ):
        value = data.get(field)
        if isinstance(value, datetime) and value.tzinfo is not None:
            clean[field] = value
        else:
            problem(field, _("请填写%(label)s。") % {"label": label})
    starts, ends, deadline = (clean.get(f) for f in ("starts_at", "ends_at", "registration_deadline"))
    if starts and ends and ends <= starts:
        problem("ends_at", _("结束时间须晚于开始时间。"))
    if deadline and starts and deadline > starts:
        problem("registration_deadline", _("报名截止时间不能晚于活动开始时间。"))
    if deadline and deadline <= now:
        problem("registration_deadline", _("报名截止时间须晚于当前时间。"))
    number("capacity", _("名额"), low=1, high=MAX_CAPACITY)
    if kind == EventKind.MATCHMAKING and data.get("slot_count") not in (None, "", 0, "0"):
        number("slot_count", _("洽谈场次"), low=1, high=MAX_SLOTS)
        number("tables", _("洽谈桌数"), low=1, high=MAX_TABLES)
        number("slot_minutes", _("每场洽谈时长"), low=5, high=240, default=20)
        start = data.get("meeting_start") or starts
        if not isinstance(start, datetime) or start.tzinfo is None:
            if starts:
                problem("meeting_start", _("请填写一对一洽谈开始时间。"))
        else:
            clean["meeting_start"] = start
            # against the event's times whenever those parsed, in the same round as their own
            # errors: while the end is not after the start, against the days the two times name
            # (a meeting on another day stays wrong however the times are put in order)
            if "slot_count" in clean and "slot_minutes" in clean and starts and ends:
                end = start + clean["slot_count"] * timedelta(minutes=clean["slot_minutes"])
                low, high = starts, ends
                if ends <= starts:
                    first, last = timezone.localdate(ends), timezone.localdate(starts)
                    low = timezone.make_aware(datetime.combine(first, time.min))
                    high = timezone.make_aware(datetime.combine(last + timedelta(days=1), time.min))
                if start < low or end > high:
                    problem("meeting_start", _("一对一洽谈须安排在活动时间之内。"))
    return clean, errors


def _validate_event(data: dict, now) -> dict:
    clean, errors = event_errors(data, now)
    if errors:
        messages = [m for field_messages in errors.values() for m in field_messages]
        raise ValidationFailed("；".join(messages), detail=errors)
    return clean


@transaction.atomic(durable=True)
def publish_event(*, actor, data: dict, organisation_id=None, region_code: str = "", now) -> Event:
    """Staff publish for a region of their jurisdiction; a verified transfer institution publishes
    under its own name, in its own region."""
    if not getattr(actor, "is_authenticated", False):
        raise PermissionDenied(_("请先登录。"), code="unauthenticated", status=401)
    clean = _validate_event(data, now)
    organiser = None
    if organisation_id not in (None, ""):
        organiser = next(
            (o for o in publishing_organisations(actor) if str(o.pk) == str(organisation_id)), None
        )
        if organiser is None:
            raise PermissionDenied(
                _("只有已认证的技术转移机构成员或科技主管部门工作人员可以发布活动。"), code="may_not_publish"
            )
        region_id, organiser_name = organiser.region_id, organiser.name
    else:
        if not scope.is_business_staff(actor):
            raise PermissionDenied(
                _("只有已认证的技术转移机构成员或科技主管部门工作人员可以发布活动。"), code="may_not_publish"
            )
        region_code = (region_code or "").strip()
        if not Region.objects.filter(code=region_code).exists():
            raise fail("region", _("请选择活动所在地区。"))
        if not scope.covers(actor, region_code):
            raise PermissionDenied(_("只能在本人管辖范围内发布活动。"), code="outside_jurisdiction")
        region_id = region_code
        organiser_name = (data.get("organiser_name") or "").strip()[:128] or _("科技主管部门")
    event = Event.objects.create(
        **clean,
        region_id=region_id,
        organiser_org=organiser,
        organiser_name=organiser_name,
        created_by=actor,
        created_at=now,
    )
    audit.record("events.event.publish", actor=actor, target=event, after={"title": event.title}, now=now)
    return event


@transaction.atomic(durable=True)
def cancel_event(*, actor, event_id: int, reason: str, now) -> Event:
    event = _managed(actor, event_id, locked=True)
    if event.status != EventStatus.PUBLISHED:
        raise InvalidTransition(_("活动已取消。"), code="already_cancelled")
    if not (reason or "").strip():
        raise fail("reason", _("请说明取消原因。"))
    event.status = EventStatus.CANCELLED
    event.save(update_fields=["status"])
    audit.record("events.event.cancel", actor=actor, target=event, reason=reason.strip(), now=now)
    notices.event_cancelled(event, actor=actor, reason=reason.strip(), now=now)
    return event


# --- registration -------------------------------------------------------------------------------


def _registering_org(actor, organisation_id, event: Event) -> Organisation | None:
    own = scope.organisation_ids(actor)
    if organisation_id not in (None, ""):
        try:
            wanted = int(organisation_id)
        except (TypeError, ValueError):
            raise fail("organisation_id", _("请选择以哪个单位的名义报名。")) from None
        if wanted not in own:
            raise PermissionDenied(_("您不是该单位的成员。"), code="not_member")
        return Organisation.objects.get(pk=wanted)
    if len(own) == 1:
        return Organisation.objects.get(pk=own[0])
    if len(own) > 1:
        raise fail("organisation_id", _("您同时属于多个单位，请选择以哪个单位的名义报名。"))
    if event.kind == EventKind.MATCHMAKING:
        raise fail("organisation_id", _("对接会须以单位名义报名，请先加入或登记您的单位。"))
    return None


def take_seat(event_id) -> bool:
    """One conditional update: the row changes only while a seat is left (both databases)."""
    return bool(
        Event.objects.filter(pk=event_id, seats_taken__lt=F("capacity")).update(
            seats_taken=F("seats_taken") + 1
        )
    )


@transaction.atomic(durable=True)
def register(*, actor, event_id: int, organisation_id=None, note: str = "", now) -> Registration:
    """Take a seat (conditional update: two last-seat registrations never both get it) and wait
    for the organiser's approval."""
    if not getattr(actor, "is_authenticated", False):
        raise PermissionDenied(_("请先登录后报名。"), code="unauthenticated", status=401)
    event = _event(event_id)
    if event.status != EventStatus.PUBLISHED:
        raise InvalidTransition(_("活动已取消，不能报名。"), code="event_cancelled")
    if now > event.registration_deadline:
        raise fail(
            "event",
            _("报名已于%(deadline)s截止。")
            % {"deadline": localtime(event.registration_deadline).strftime("%Y-%m-%d %H:%M")},
            "deadline_passed",
        )
    org = _registering_org(actor, organisation_id, event)
    note = (note or "").strip()
    if len(note) > 500:
        raise fail("note", _("报名说明不能超过500字。"))
    previous = Registration.objects.filter(event=event, user=actor).first()
    if previous is not None and previous.status in HOLDS_SEAT:
        raise Conflict(_("您已报名该活动。"), code="already_registered")
    if not take_seat(event.pk):
        raise fail("event", _("活动名额已满，不能再报名。"), "capacity_exceeded")
    if previous is not None:
        previous.status, previous.organisation, previous.note = RegistrationStatus.PENDING, org, note
        previous.reason, previous.decided_by, previous.decided_at = "", None, None
        previous.created_at = now
        previous.save()
        registration = previous
    else:
        try:
            with transaction.atomic():
                registration = Registration.objects.create(
                    event=event,
                    user=actor,
                    organisation=org,
                    note=note,
                    checkin_token=secrets.token_urlsafe(16)[:22],
                    created_at=now,
                )
        except IntegrityError:
            raise Conflict(_("您已报名该活动。"), code="already_registered") from None
    audit.record(
        "events.registration.submit",
        actor=actor,
        target=registration,
        region_code=event.region_id,
        after={"event": event.pk, "organisation": org.pk if org else None},
        now=now,
    )
    notices.registration_submitted(registration, actor=actor, now=now)
    return registration


def _free_seat(event_id) -> None:
    Event.objects.filter(pk=event_id, seats_taken__gt=0).update(seats_taken=F("seats_taken") - 1)


@transaction.atomic(durable=True)
def decide_registration(*, actor, registration_id: int, approve: bool, reason: str = "", now) -> Registration:
    registration = lock(Registration.objects.select_related("event"), registration_id)
    event = registration.event
    if not may_manage(actor, event):
        raise PermissionDenied(NOT_ORGANISER, code="not_organiser")
    target = RegistrationStatus.APPROVED if approve else RegistrationStatus.REJECTED
    if target not in TRANSITIONS[registration.status]:
        raise InvalidTransition(_("该报名已处理，不能重复审核。"), code="already_decided")
    reason = (reason or "").strip()
    if not approve and not reason:
        raise fail("reason", _("不通过时请说明原因。"))
    before = registration.status
    registration.status, registration.reason = target, reason[:500]
    registration.decided_by, registration.decided_at = actor, now
    registration.save(update_fields=["status", "reason", "decided_by", "decided_at"])
    if not approve:
        _free_seat(event.pk)
    audit.record(
        f"events.registration.{target}",
        actor=actor,
        target=registration,
        region_code=event.region_id,
        before={"status": before},
        after={"status": target},
        reason=reason,
        now=now,
    )
    notices.registration_decided(registration, actor=actor, now=now)
    return registration


@transaction.atomic(durable=True)
def cancel_registration(*, actor, registration_id: int, now) -> Registration:
    registration = lock(Registration.objects.select_related("event"), registration_id)
    if registration.user_id != getattr(actor, "pk", None):
        raise PermissionDenied(_("只能取消本人的报名。"), code="not_registrant")
    if RegistrationStatus.CANCELLED not in TRANSITIONS[registration.status]:
        raise InvalidTransition(_("该报名不能取消。"), code="not_cancellable")
    if now >= registration.event.starts_at:
        raise InvalidTransition(_("活动已开始，不能取消报名。"), code="event_started")
    before = registration.status
    registration.status = RegistrationStatus.CANCELLED
    registration.save(update_fields=["status"])
    _free_seat(registration.event_id)
    audit.record(
        "events.registration.cancelled",
        actor=actor,
        target=registration,
        region_code=registration.event.region_id,
        before={"status": before},
        now=now,
    )
    return registration


def registration_by_token(token: str) -> Registration:
    registration = (
        Registration.objects.select_related("event", "organisation", "user")
        .filter(checkin_token=str(token)[:32])
        .first()
        if token
        else None
    )
    if registration is None:
        raise NotFound(_("签到码无效，请核对后重试。"))
    return registration


@transaction.atomic(durable=True)
def check_in(*, actor, token: str, now) -> Registration:
    """The organiser scans the code: an approved registration is checked in, once."""
    found = registration_by_token(token)
    # No outer join under FOR UPDATE (PostgreSQL refuses it on the nullable organisation).
    registration = lock(Registration.objects.select_related("event"), found.pk)
    if not may_manage(actor, registration.event):
        raise PermissionDenied(_("只有活动主办方可以办理签到。"), code="not_organiser")
    if registration.status != RegistrationStatus.APPROVED:
        raise InvalidTransition(_("该报名未通过审核，不能签到。"), code="not_approved")
    if registration.checked_in_at is not None:
        raise Conflict(
            _("已于%(time)s签到，无需重复签到。")
            % {"time": localtime(registration.checked_in_at).strftime("%Y-%m-%d %H:%M")},
            code="already_checked_in",
        )
    registration.checked_in_at, registration.checked_in_by = now, actor
    registration.save(update_fields=["checked_in_at", "checked_in_by"])
    audit.record(
        "events.registration.check_in",
        actor=actor,
        target=registration,
        region_code=registration.event.region_id,
        now=now,
    )
    return registration


# --- roadshow -----------------------------------------------------------------------------------


@transaction.atomic(durable=True)
def add_roadshow_slot(
    *, actor, event_id: int, achievement_id, starts_at, minutes=15, speaker: str = "", now
) -> RoadshowSlot:
    event = _managed(actor, event_id, locked=True)
    achievement = Achievement.objects.select_related("owner").filter(pk=achievement_id or 0).first()
    if achievement is None or achievement.status != RecordStatus.PUBLISHED:
        raise fail("achievement", _("请选择已发布的科技成果。"))
    if not isinstance(starts_at, datetime) or starts_at.tzinfo is None:
        raise fail("starts_at", _("请填写路演时间。"))
    minutes = _int(minutes, "minutes", _("路演时长"), low=5, high=240)
    if starts_at < event.starts_at or starts_at >= event.ends_at:
        raise fail("starts_at", _("路演时间须在活动时间之内。"))
    try:
        with transaction.atomic():
            slot = RoadshowSlot.objects.create(
                event=event,
                starts_at=starts_at,
                minutes=minutes,
                achievement=achievement,
                presenter=achievement.owner,
                speaker=(speaker or "").strip()[:64],
            )
    except IntegrityError:
        raise Conflict(_("该成果已安排路演。"), code="roadshow_duplicate") from None
    audit.record(
        "events.roadshow.add",
        actor=actor,
        target=slot,
        region_code=event.region_id,
        after={"achievement": achievement.pk},
        now=now,
    )
    return slot


# --- one-to-one meetings ------------------------------------------------------------------------


def _own_registration(actor, event: Event) -> Registration:
    registration = (
        Registration.objects.select_related("organisation")
        .filter(event=event, user_id=getattr(actor, "pk", None), status=RegistrationStatus.APPROVED)
        .first()
    )
    if registration is None or registration.organisation_id is None:
        raise PermissionDenied(_("只有报名已通过的参会单位可以登记洽谈意向。"), code="not_participant")
    return registration


def _matchmaking(event: Event) -> None:
    if not event.has_meetings:
        raise InvalidTransition(_("本活动不安排一对一洽谈。"), code="no_meetings")


@transaction.atomic(durable=True)
def set_interest(*, actor, event_id: int, target_key: str, level, now) -> Interest | None:
    """Mark (level 1–2) or clear (level 0) interest in another participant's achievement, demand
    or organisation. Closed once the schedule is published."""
    event = lock(Event.objects.all(), event_id)
    _matchmaking(event)
    if event.schedule_published_at is not None:
        raise InvalidTransition(_("洽谈排程已发布，不能再修改意向。"), code="schedule_published")
    mine = _own_registration(actor, event)
    level = _int(level, "level", _("意向程度"), low=0, high=2)
    kind, _sep, raw = str(target_key or "").partition(":")
    if kind not in {"a", "d", "o"} or not raw.isdigit():
        raise fail("target", _("请选择洽谈对象。"))
    participants = meetings.participant_orgs(event)
    achievement = demand = None
    if kind == "a":
        achievement = Achievement.objects.filter(pk=int(raw), status=RecordStatus.PUBLISHED).first()
        target_org = achievement.owner_id if achievement else None
    elif kind == "d":
        demand = Demand.objects.filter(pk=int(raw), status=RecordStatus.PUBLISHED).first()
        if demand is not None and access.demand_access(actor, demand) != access.FULL:
            demand = None
        target_org = demand.owner_id if demand else None
    else:
        target_org = int(raw)
    if target_org is None or target_org not in participants:
        raise fail("target", _("只能对本活动其他参会单位的成果、需求或单位登记意向。"))
    if target_org == mine.organisation_id:
        raise fail("target", _("不能对本单位登记洽谈意向。"))
    key = f"{kind}:{int(raw)}"
    existing = Interest.objects.filter(registration=mine, target_key=key).first()
    if level == 0:
        if existing is not None:
            existing.delete()
            audit.record(
                "events.interest.clear",
                actor=actor,
                target=mine,
                region_code=event.region_id,
                before={"target": key},
                now=now,
            )
        return None
    if existing is None:
        existing = Interest(registration=mine, target_key=key, created_at=now)
    existing.target_id, existing.achievement, existing.demand, existing.level = (
        target_org,
        achievement,
        demand,
        level,
    )
    existing.save()
    audit.record(
        "events.interest.set",
        actor=actor,
        target=mine,
        region_code=event.region_id,
        after={"target": key, "level": int(InterestLevel(level))},
        now=now,
    )
    return existing


@transaction.atomic(durable=True)
def set_availability(*, actor, event_id: int, slots, now) -> Registration:
    event = lock(Event.objects.all(), event_id)
    _matchmaking(event)
    if event.schedule_published_at is not None:
        raise InvalidTransition(_("洽谈排程已发布，不能再修改可参加场次。"), code="schedule_published")
    mine = _own_registration(actor, event)
    chosen = sorted({_int(s, "slots", _("洽谈场次"), low=0, high=event.slot_count - 1) for s in slots or []})
    if not chosen:
        raise fail("slots", _("请至少选择一个可参加的洽谈场次。"))
    mine.availability = [] if len(chosen) == event.slot_count else chosen
    mine.save(update_fields=["availability"])
    audit.record(
        "events.availability.set",
        actor=actor,
        target=mine,
        region_code=event.region_id,
        after={"slots": chosen},
        now=now,
    )
    return mine


def _may_generate(event: Event, now) -> None:
    _matchmaking(event)
    if event.schedule_published_at is not None:
        raise InvalidTransition(_("洽谈排程已发布，不能重新生成。"), code="schedule_published")
    if now >= event.starts_at:
        raise InvalidTransition(_("活动已开始，不能重新生成排程。"), code="event_started")


def generate_schedule(*, actor, event_id: int, now) -> list[Meeting]:
    """Propose pairs from two-way interest and assign them to slots and tables (HiGHS MILP).

    The solve runs before the transaction (it may take seconds on a large fair, and no write lock
    should wait on it); the write then locks the event, re-reads the proposals and refuses if
    anything the solve used changed meanwhile."""
    event = _managed(actor, event_id)
    _may_generate(event, now)
    found, result = meetings.plan(event)
    with transaction.atomic(durable=True):
        event = _managed(actor, event_id, locked=True)
        _may_generate(event, now)
        if meetings.fingerprint(event, meetings.proposals(event)) != meetings.fingerprint(event, found):
            raise Conflict(_("生成排程期间洽谈意向有变化，请重新生成。"), code="interests_changed")
        written = meetings.write_schedule(event, found, result)
        event.schedule_generated_at = now
        event.save(update_fields=["schedule_generated_at"])
        audit.record(
            "events.schedule.generate",
            actor=actor,
            target=event,
            after={
                "meetings": len(written),
                "score": sum(m.score for m in written),
                "optimal": result.optimal,
            },
            now=now,
        )
    return written


@transaction.atomic(durable=True)
def publish_schedule(*, actor, event_id: int, now) -> Event:
    event = _managed(actor, event_id, locked=True)
    _matchmaking(event)
    if event.schedule_generated_at is None:
        raise InvalidTransition(_("请先生成洽谈排程。"), code="schedule_missing")
    if event.schedule_published_at is not None:
        raise InvalidTransition(_("洽谈排程已发布。"), code="schedule_published")
    event.schedule_published_at = now
    event.save(update_fields=["schedule_published_at"])
    audit.record("events.schedule.publish", actor=actor, target=event, now=now)
    notices.schedule_published(event, actor=actor, now=now)
    return event


def _meeting_side(actor, meeting_id) -> tuple[Meeting, Registration]:
    # Lock the meeting row alone (the organisation is nullable: no outer join under FOR UPDATE).
    meeting = lock(Meeting.objects.select_related("event", "first", "second"), meeting_id)
    for registration in (meeting.first, meeting.second):
        if side_of(actor, registration):
            return meeting, registration
    raise PermissionDenied(_("只有洽谈双方可以办理此事项。"), code="not_party")


@transaction.atomic(durable=True)
def record_outcome(*, actor, meeting_id: int, outcome: str, note: str = "", now) -> Meeting:
    meeting, _side = _meeting_side(actor, meeting_id)
    if meeting.event.schedule_published_at is None:
        raise InvalidTransition(_("洽谈排程尚未发布。"), code="schedule_missing")
    if now < meeting.event.ends_at:
        raise InvalidTransition(_("活动结束后才能登记洽谈结果。"), code="event_not_over")
    if outcome not in Outcome.values:
        raise fail("outcome", _("请选择洽谈结果。"))
    note = (note or "").strip()
    if len(note) > 500:
        raise fail("note", _("结果说明不能超过500字。"))
    before = meeting.outcome
    meeting.outcome, meeting.outcome_note, meeting.outcome_by, meeting.outcome_at = outcome, note, actor, now
    meeting.save(update_fields=["outcome", "outcome_note", "outcome_by", "outcome_at"])
    audit.record(
        "events.meeting.outcome",
        actor=actor,
        target=meeting.event,
        before={"meeting": meeting.pk, "outcome": before},
        after={"meeting": meeting.pk, "outcome": outcome},
        now=now,
    )
    return meeting


def negotiation_opener(meeting: Meeting) -> Registration | None:
    """The side that may open a negotiation on the meeting's subject: for an achievement the side
    that does not own it (the would-be buyer), for a demand the side that does not own it (the
    responder). None when the meeting has no catalog subject."""
    lot = meeting.achievement or meeting.demand
    if lot is None:
        return None
    for registration in (meeting.first, meeting.second):
        if registration.organisation_id != lot.owner_id:
            return registration
    return None


def open_negotiation(*, actor, meeting_id: int, now):
    """Open (or find) the market negotiation on the meeting's achievement or demand, through the
    market's own service, and link it to the meeting."""
    from zhouqiao.market.models import Negotiation
    from zhouqiao.market.services import negotiations

    meeting = (
        Meeting.objects.select_related(
            "event", "first__organisation", "second__organisation", "achievement", "demand"
        )
        .filter(pk=meeting_id)
        .first()
    )
    if meeting is None:
        raise NotFound(_("洽谈记录不存在。"))
    if not (side_of(actor, meeting.first) or side_of(actor, meeting.second)):
        raise PermissionDenied(_("只有洽谈双方可以办理此事项。"), code="not_party")
    if not meeting.outcome:
        raise InvalidTransition(_("请先登记洽谈结果。"), code="outcome_missing")
    if meeting.negotiation_id:
        return meeting.negotiation
    opener = negotiation_opener(meeting)
    if opener is None:
        raise InvalidTransition(_("本次洽谈未涉及具体成果或需求，不能转入在线洽谈。"), code="no_subject")
    if not side_of(actor, opener):
        raise PermissionDenied(_("应由成果受让方或需求响应方发起洽谈。"), code="not_opener")
    message = _("源自“%(event)s”一对一洽谈（第%(slot)s场，%(table)s号桌）。%(note)s") % {
        "event": meeting.event.title,
        "slot": meeting.slot + 1,
        "table": meeting.table,
        "note": meeting.outcome_note,
    }
    try:
        negotiation = negotiations.open_negotiation(
            actor=actor,
            achievement_id=meeting.achievement_id,
            demand_id=None if meeting.achievement_id else meeting.demand_id,
            organisation_id=opener.organisation_id,
            message=message,
            now=now,
        )
    except Conflict as exc:
        if exc.code != "already_open":
            raise
        negotiation = (
            Negotiation.objects.filter(
                initiator_id=opener.organisation_id,
                achievement_id=meeting.achievement_id,
                demand_id=None if meeting.achievement_id else meeting.demand_id,
            )
            .order_by("-pk")
            .first()
        )
        if negotiation is None:
            raise
    with transaction.atomic(durable=True):
        Meeting.objects.filter(pk=meeting.pk, negotiation__isnull=True).update(negotiation=negotiation)
        audit.record(
            "events.meeting.negotiation",
            actor=actor,
            target=meeting.event,
            after={"meeting": meeting.pk, "negotiation": negotiation.pk},
            now=now,
        )
    return negotiation
