"""Demo events, through the services (so audit rows and notifications are real): a past matchmaking
fair of the Changchun bureau (registrations approved and checked in, a published one-to-one
schedule, outcomes recorded — except 一汽's meeting with 吉林大学, left for the journey and the
to-do list) and an upcoming fair with a roadshow, approved and pending registrations and a
published schedule (the demo ``enterprise`` account is not registered: the journey registers it).
Safe to re-run: nothing is added once the sample events exist."""

from datetime import timedelta

from django.utils import timezone

from zhouqiao.accounts.models import Membership, User
from zhouqiao.catalog.models import Achievement, Demand
from zhouqiao.catalog.states import RecordStatus
from zhouqiao.community.events import services
from zhouqiao.community.events.models import Event, Meeting, Registration

PAST = "2026年长春市汽车及零部件产业技术供需对接会（示例）"
UPCOMING = "长春市新材料与光电子技术成果对接会（示例）"


def _users(*names):
    found = {u.username: u for u in User.objects.filter(username__in=names)}
    return found if len(found) == len(names) else None


def _org(user):
    m = Membership.objects.filter(user=user).select_related("organisation").order_by("pk").first()
    return m.organisation if m else None


def _at(now, days, hour, minute=0):
    local = timezone.localtime(now) + timedelta(days=days)
    return local.replace(hour=hour, minute=minute, second=0, microsecond=0)


def _fair(staff, *, title, starts, published, agenda, place, capacity, slots, tables):
    return services.publish_event(
        actor=staff,
        data={
            "title": title,
            "kind": "matchmaking",
            "agenda": agenda,
            "place": place,
            "starts_at": starts,
            "ends_at": starts + timedelta(hours=4),
            "registration_deadline": starts - timedelta(days=3),
            "capacity": capacity,
            "audience": "企业、高校院所、技术转移机构",
            "meeting_start": starts + timedelta(hours=1),
            "slot_count": slots,
            "slot_minutes": 20,
            "tables": tables,
            "organiser_name": "长春市科学技术局",
        },
        region_code="220100",
        now=published,
    )


def _approve(event, user, staff, at):
    r = services.register(actor=user, event_id=event.pk, note="示例报名", now=at)
    return services.decide_registration(
        actor=staff, registration_id=r.pk, approve=True, now=at + timedelta(hours=2)
    )


def _interest(event, user, key, level, at):
    if key:
        services.set_interest(actor=user, event_id=event.pk, target_key=key, level=level, now=at)


def _first(model, owner):
    if owner is None:
        return None
    row = model.objects.filter(owner=owner, status=RecordStatus.PUBLISHED).order_by("pk").first()
    return f"{'a' if model is Achievement else 'd'}:{row.pk}" if row else None


def create_demo_data(*, now) -> dict[str, int]:
    if Event.objects.filter(is_sample=True).exists():
        return {"events": Event.objects.filter(is_sample=True).count()}
    users = _users(
        "city_staff", "enterprise", "enterprise_jl", "enterprise_county", "university", "institute"
    )
    if users is None:
        return {"events": 0}
    staff = users["city_staff"]
    orgs = {name: _org(u) for name, u in users.items()}

    # --- the past fair ------------------------------------------------------------------------
    starts = _at(now, -30, 9)
    past = _fair(
        staff,
        title=PAST,
        starts=starts,
        published=starts - timedelta(days=20),
        agenda="09:00 开幕式及政策解读\n09:30 重点成果发布\n10:00–12:00 一对一洽谈（6场，每场20分钟）\n12:00 闭幕",
        place="长春科技大市场一楼对接大厅",
        capacity=60,
        slots=6,
        tables=4,
    )
    at = starts - timedelta(days=15)
    regs = {
        name: _approve(past, users[name], staff, at)
        for name in ("enterprise", "enterprise_jl", "enterprise_county", "university", "institute")
    }
    at = starts - timedelta(days=10)
    _interest(past, users["enterprise"], _first(Achievement, orgs["university"]), 2, at)
    _interest(past, users["university"], f"o:{orgs['enterprise'].pk}", 1, at)
    _interest(past, users["enterprise"], _first(Achievement, orgs["institute"]), 1, at)
    _interest(
        past, users["institute"], _first(Demand, orgs["enterprise"]) or f"o:{orgs['enterprise'].pk}", 2, at
    )
    _interest(past, users["enterprise_jl"], _first(Achievement, orgs["institute"]), 2, at)
    _interest(past, users["institute"], f"o:{orgs['enterprise_jl'].pk}", 1, at)
    _interest(past, users["enterprise_county"], f"o:{orgs['university'].pk}", 2, at)
    _interest(past, users["university"], f"o:{orgs['enterprise_county'].pk}", 1, at)
    _interest(past, users["enterprise_jl"], f"o:{orgs['university'].pk}", 1, at)
    services.set_availability(actor=users["enterprise_county"], event_id=past.pk, slots=[0, 1, 2], now=at)
    services.generate_schedule(actor=staff, event_id=past.pk, now=starts - timedelta(days=4))
    services.publish_schedule(actor=staff, event_id=past.pk, now=starts - timedelta(days=4))
    for r in regs.values():
        services.check_in(actor=staff, token=r.checkin_token, now=starts + timedelta(minutes=10))
    outcomes = ["agreement", "follow_up", "no_interest", "follow_up", "agreement"]
    notes = {  # each note tells the same story as its outcome
        "agreement": "示例：双方达成初步合作意向，约定会后交换技术资料",
        "follow_up": "示例：需进一步了解工艺参数和试验数据，约定两周内再次洽谈",
        "no_interest": "示例：技术路线与本单位现有产线不匹配，暂不合作",
    }
    held = 0
    for i, m in enumerate(
        Meeting.objects.filter(event=past).select_related("first", "second").order_by("slot", "table")
    ):
        sides = {m.first.organisation_id, m.second.organisation_id}
        if sides == {orgs["enterprise"].pk, orgs["university"].pk}:
            continue  # left open: the journey records it and opens the negotiation
        recorder = m.first.user
        services.record_outcome(
            actor=recorder,
            meeting_id=m.pk,
            outcome=outcomes[i % len(outcomes)],
            note=notes[outcomes[i % len(outcomes)]],
            now=starts + timedelta(days=1),
        )
        held += 1

    # --- the upcoming fair --------------------------------------------------------------------
    starts = _at(now, 10, 9)
    upcoming = _fair(
        staff,
        title=UPCOMING,
        starts=starts,
        published=now - timedelta(days=3),
        agenda="09:00 开幕\n09:15 成果路演\n10:00–11:40 一对一洽谈（5场，每场20分钟）\n11:40 自由交流",
        place="长春新区科技创新中心三楼报告厅",
        capacity=40,
        slots=5,
        tables=3,
    )
    at = now - timedelta(days=2)
    up = {
        name: _approve(upcoming, users[name], staff, at)
        for name in ("enterprise_jl", "university", "institute")
    }
    services.register(
        actor=users["enterprise_county"], event_id=upcoming.pk, note="希望对接农产品深加工技术", now=at
    )
    _interest(upcoming, users["enterprise_jl"], _first(Achievement, orgs["institute"]), 2, at)
    _interest(upcoming, users["institute"], f"o:{orgs['enterprise_jl'].pk}", 1, at)
    _interest(upcoming, users["enterprise_jl"], _first(Achievement, orgs["university"]), 1, at)
    achievement = (
        Achievement.objects.filter(owner=orgs["institute"], status=RecordStatus.PUBLISHED)
        .order_by("pk")
        .first()
    )
    if achievement is not None:
        services.add_roadshow_slot(
            actor=staff,
            event_id=upcoming.pk,
            achievement_id=achievement.pk,
            starts_at=starts + timedelta(minutes=15),
            minutes=15,
            speaker="陈光",
            now=at,
        )
    services.generate_schedule(actor=staff, event_id=upcoming.pk, now=now - timedelta(days=1))
    services.publish_schedule(actor=staff, event_id=upcoming.pk, now=now - timedelta(days=1))
    Event.objects.filter(pk__in=[past.pk, upcoming.pk]).update(is_sample=True)
    return {
        "events": 2,
        "event registrations": Registration.objects.filter(event__in=[past, upcoming]).count(),
        "one-to-one meetings": Meeting.objects.filter(event__in=[past, upcoming]).count(),
        "meeting outcomes": held,
        "upcoming participants": len(up),
    }
