"""Publishing, registration with approval, capacity and deadline, check-in, roadshow, interests,
the schedule, outcomes and the negotiation a meeting opens."""

from datetime import timedelta

import pytest
from django.urls import reverse

from tests.events.conftest import NOW, START, event_data, make_achievement, make_demand
from zhouqiao.community.events import services
from zhouqiao.community.events.models import Event, Interest, Meeting, Registration
from zhouqiao.core.errors import Conflict, InvalidTransition, PermissionDenied, ValidationFailed
from zhouqiao.core.models import AuditEvent
from zhouqiao.market.models import Negotiation
from zhouqiao.notifications.models import Notification

pytestmark = pytest.mark.django_db
AFTER = START + timedelta(hours=5)


def test_staff_publish_only_within_their_jurisdiction(city_staff, other_city_staff):
    services.publish_event(actor=city_staff, data=event_data(), region_code="220104", now=NOW)
    with pytest.raises(PermissionDenied):
        services.publish_event(actor=other_city_staff, data=event_data(), region_code="220104", now=NOW)


def test_a_verified_transfer_institution_publishes_under_its_name(broker, enterprise_user, enterprise):
    org_id = broker.memberships.get().organisation_id
    event = services.publish_event(
        actor=broker, data=event_data(kind="training"), organisation_id=org_id, now=NOW
    )
    assert event.organiser_name == "测试技术转移中心" and event.region_id == "220173"
    with pytest.raises(PermissionDenied):  # an enterprise is not a transfer institution
        services.publish_event(
            actor=enterprise_user, data=event_data(), organisation_id=enterprise.pk, now=NOW
        )


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"title": ""}, "title"),
        ({"capacity": 0}, "capacity"),
        ({"capacity": "十"}, "capacity"),
        ({"ends_at": START - timedelta(hours=1)}, "ends_at"),
        ({"registration_deadline": START + timedelta(hours=1)}, "registration_deadline"),
        ({"registration_deadline": NOW - timedelta(hours=1)}, "registration_deadline"),
        ({"kind": "party"}, "kind"),
        ({"tables": 0}, "tables"),
        ({"meeting_start": START + timedelta(hours=3, minutes=30)}, "meeting_start"),
    ],
)
def test_bad_event_input_is_refused_in_chinese_and_writes_nothing(city_staff, overrides, field):
    with pytest.raises(ValidationFailed) as exc:
        services.publish_event(actor=city_staff, data=event_data(**overrides), region_code="220100", now=NOW)
    assert field in exc.value.detail
    assert any("\u4e00" <= ch <= "\u9fff" for ch in str(exc.value.message))
    assert not Event.objects.exists()


def test_registration_waits_for_approval_and_the_organiser_is_told(fair, city_staff, enterprise_user):
    r = services.register(actor=enterprise_user, event_id=fair.pk, now=NOW)
    assert r.status == "pending"
    assert Notification.objects.filter(user=city_staff, kind="events.registration_submitted").exists()
    services.decide_registration(actor=city_staff, registration_id=r.pk, approve=True, now=NOW)
    assert Notification.objects.filter(user=enterprise_user, kind="events.registration_decided").exists()
    with pytest.raises(InvalidTransition):
        services.decide_registration(
            actor=city_staff, registration_id=r.pk, approve=False, reason="x", now=NOW
        )


def test_only_the_organiser_decides(fair, enterprise_user, university_user, other_city_staff):
    r = services.register(actor=enterprise_user, event_id=fair.pk, now=NOW)
    for outsider in (university_user, other_city_staff):
        with pytest.raises(PermissionDenied):
            services.decide_registration(actor=outsider, registration_id=r.pk, approve=True, now=NOW)


def test_capacity_exceeded_is_refused_and_writes_nothing(city_staff, enterprise_user, university_user):
    event = services.publish_event(
        actor=city_staff, data=event_data(capacity=1), region_code="220100", now=NOW
    )
    services.register(actor=enterprise_user, event_id=event.pk, now=NOW)
    with pytest.raises(ValidationFailed) as exc:
        services.register(actor=university_user, event_id=event.pk, now=NOW)
    assert exc.value.code == "capacity_exceeded" and "名额已满" in str(exc.value.message)
    assert Registration.objects.filter(event=event).count() == 1
    assert Event.objects.get(pk=event.pk).seats_taken == 1


def test_a_rejection_frees_the_seat(city_staff, enterprise_user, university_user):
    event = services.publish_event(
        actor=city_staff, data=event_data(capacity=1), region_code="220100", now=NOW
    )
    r = services.register(actor=enterprise_user, event_id=event.pk, now=NOW)
    with pytest.raises(ValidationFailed):  # no reason
        services.decide_registration(actor=city_staff, registration_id=r.pk, approve=False, now=NOW)
    services.decide_registration(
        actor=city_staff, registration_id=r.pk, approve=False, reason="不符合面向对象", now=NOW
    )
    services.register(actor=university_user, event_id=event.pk, now=NOW)
    assert Event.objects.get(pk=event.pk).seats_taken == 1


def test_a_registration_after_the_deadline_is_refused(fair, enterprise_user):
    with pytest.raises(ValidationFailed) as exc:
        services.register(
            actor=enterprise_user, event_id=fair.pk, now=fair.registration_deadline + timedelta(minutes=1)
        )
    assert exc.value.code == "deadline_passed" and "截止" in str(exc.value.message)
    assert not Registration.objects.exists()
    assert Event.objects.get(pk=fair.pk).seats_taken == 0


def test_registering_twice_is_refused(fair, enterprise_user):
    services.register(actor=enterprise_user, event_id=fair.pk, now=NOW)
    with pytest.raises(Conflict):
        services.register(actor=enterprise_user, event_id=fair.pk, now=NOW)
    assert Event.objects.get(pk=fair.pk).seats_taken == 1


def test_check_in_once_by_the_organiser_only(fair, city_staff, enterprise_user):
    r = services.register(actor=enterprise_user, event_id=fair.pk, now=NOW)
    with pytest.raises(InvalidTransition):  # not approved yet
        services.check_in(actor=city_staff, token=r.checkin_token, now=START)
    services.decide_registration(actor=city_staff, registration_id=r.pk, approve=True, now=NOW)
    with pytest.raises(PermissionDenied):
        services.check_in(actor=enterprise_user, token=r.checkin_token, now=START)
    services.check_in(actor=city_staff, token=r.checkin_token, now=START)
    with pytest.raises(Conflict) as exc:
        services.check_in(actor=city_staff, token=r.checkin_token, now=START + timedelta(minutes=5))
    assert "已于" in str(exc.value.message)
    r.refresh_from_db()
    assert r.checked_in_at == START
    assert AuditEvent.objects.filter(action="events.registration.check_in").count() == 1


def test_roadshow_slot_links_a_published_achievement(fair, city_staff, university):
    achievement = make_achievement(university)
    slot = services.add_roadshow_slot(
        actor=city_staff,
        event_id=fair.pk,
        achievement_id=achievement.pk,
        starts_at=START,
        minutes=15,
        now=NOW,
    )
    assert slot.presenter == university
    with pytest.raises(ValidationFailed):
        services.add_roadshow_slot(
            actor=city_staff,
            event_id=fair.pk,
            achievement_id=achievement.pk,
            starts_at=START - timedelta(days=1),
            now=NOW,
        )


def test_interests_only_on_other_participants(fair, participants, enterprise, university, county_org):
    regs, users = participants
    achievement = make_achievement(university)
    outsider = make_achievement(county_org, title="不参会单位的成果")
    services.set_interest(
        actor=users["ent"], event_id=fair.pk, target_key=f"a:{achievement.pk}", level=2, now=NOW
    )
    assert Interest.objects.get().target == university
    with pytest.raises(ValidationFailed):
        services.set_interest(
            actor=users["ent"], event_id=fair.pk, target_key=f"a:{outsider.pk}", level=1, now=NOW
        )
    with pytest.raises(ValidationFailed):
        services.set_interest(
            actor=users["ent"], event_id=fair.pk, target_key=f"o:{enterprise.pk}", level=1, now=NOW
        )
    with pytest.raises(ValidationFailed):
        services.set_interest(actor=users["ent"], event_id=fair.pk, target_key="x:1", level=1, now=NOW)
    services.set_interest(
        actor=users["ent"], event_id=fair.pk, target_key=f"a:{achievement.pk}", level=0, now=NOW
    )
    assert not Interest.objects.exists()


def _schedule(fair, city_staff, participants, enterprise, university):
    regs, users = participants
    achievement = make_achievement(university)
    inst = regs["inst"].organisation
    services.set_interest(
        actor=users["ent"], event_id=fair.pk, target_key=f"a:{achievement.pk}", level=2, now=NOW
    )
    services.set_interest(
        actor=users["uni"], event_id=fair.pk, target_key=f"o:{enterprise.pk}", level=1, now=NOW
    )
    services.set_interest(
        actor=users["inst"], event_id=fair.pk, target_key=f"o:{enterprise.pk}", level=1, now=NOW
    )
    services.set_interest(
        actor=users["inst"], event_id=fair.pk, target_key=f"o:{university.pk}", level=2, now=NOW
    )
    services.set_availability(actor=users["inst"], event_id=fair.pk, slots=["2"], now=NOW)
    written = services.generate_schedule(actor=city_staff, event_id=fair.pk, now=NOW)
    return written, achievement, inst


def test_the_schedule_holds_the_pairs_without_double_booking(
    fair, city_staff, participants, enterprise, university
):
    written, achievement, inst = _schedule(fair, city_staff, participants, enterprise, university)
    # three pairs proposed (ent–uni mutual 30+, inst–uni 22, inst–ent 12); the institute comes only
    # to slot 3, so it meets once: the university (higher score); ent–uni elsewhere.
    assert len(written) == 2
    mutual = [m for m in written if m.mutual]
    assert len(mutual) == 1 and mutual[0].achievement_id == achievement.pk
    by_slot = {}
    for m in Meeting.objects.filter(event=fair):
        for r in (m.first_id, m.second_id):
            assert (r, m.slot) not in by_slot
            by_slot[(r, m.slot)] = m
        if inst.pk in (m.first.organisation_id, m.second.organisation_id):
            assert m.slot == 2
            assert university.pk in (m.first.organisation_id, m.second.organisation_id)


def test_publishing_the_schedule_tells_each_participant(
    fair, city_staff, participants, enterprise, university
):
    _schedule(fair, city_staff, participants, enterprise, university)
    services.publish_schedule(actor=city_staff, event_id=fair.pk, now=NOW)
    _regs, users = participants
    for user in users.values():
        assert Notification.objects.filter(user=user, kind="events.schedule_published").exists()
    with pytest.raises(InvalidTransition):
        services.generate_schedule(actor=city_staff, event_id=fair.pk, now=NOW)


def test_outcome_after_the_event_then_a_negotiation_opens(
    fair, city_staff, participants, enterprise, university
):
    written, achievement, _inst = _schedule(fair, city_staff, participants, enterprise, university)
    services.publish_schedule(actor=city_staff, event_id=fair.pk, now=NOW)
    _regs, users = participants
    meeting = next(m for m in written if m.mutual)
    with pytest.raises(InvalidTransition):  # the event is not over yet
        services.record_outcome(actor=users["ent"], meeting_id=meeting.pk, outcome="agreement", now=NOW)
    with pytest.raises(PermissionDenied):
        services.record_outcome(actor=users["inst"], meeting_id=meeting.pk, outcome="agreement", now=AFTER)
    with pytest.raises(ValidationFailed):
        services.record_outcome(actor=users["ent"], meeting_id=meeting.pk, outcome="great", now=AFTER)
    services.record_outcome(
        actor=users["ent"], meeting_id=meeting.pk, outcome="agreement", note="约定实地考察", now=AFTER
    )
    with pytest.raises(PermissionDenied):  # the achievement's owner is the seller, not the opener
        services.open_negotiation(actor=users["uni"], meeting_id=meeting.pk, now=AFTER)
    negotiation = services.open_negotiation(actor=users["ent"], meeting_id=meeting.pk, now=AFTER)
    assert negotiation.achievement_id == achievement.pk
    assert negotiation.buyer == enterprise and negotiation.seller == university
    assert Meeting.objects.get(pk=meeting.pk).negotiation == negotiation
    # again: the same negotiation, not a second one
    assert services.open_negotiation(actor=users["ent"], meeting_id=meeting.pk, now=AFTER) == negotiation
    assert Negotiation.objects.count() == 1


def test_outcome_to_record_is_a_todo_once_the_event_is_over(
    fair, city_staff, participants, enterprise, university
):
    import time_machine

    from zhouqiao.community.events.todos import outcomes_to_record

    _schedule(fair, city_staff, participants, enterprise, university)
    services.publish_schedule(actor=city_staff, event_id=fair.pk, now=NOW)
    _regs, users = participants
    with time_machine.travel(NOW, tick=False):
        assert list(outcomes_to_record(users["ent"])) == []
    with time_machine.travel(AFTER, tick=False):
        assert len(list(outcomes_to_record(users["ent"]))) == 1  # the enterprise meets once


def test_pending_registrations_are_the_organisers_todo(fair, city_staff, enterprise_user, other_city_staff):
    from zhouqiao.community.events.todos import registrations_to_decide

    services.register(actor=enterprise_user, event_id=fair.pk, now=NOW)
    assert len(list(registrations_to_decide(city_staff))) == 1
    assert list(registrations_to_decide(other_city_staff)) == []
    assert list(registrations_to_decide(enterprise_user)) == []


def test_a_registration_waits_on_the_events_organisers_not_on_finance_or_the_province(
    client, fair, city_staff, province_staff, enterprise_user
):
    from tests.factories import staff_in
    from zhouqiao.accounts.models import Duty
    from zhouqiao.community.events.todos import registrations_to_decide

    finance = staff_in("220000", Duty.FINANCE, username="province_finance")
    city_finance = staff_in("220100", Duty.FINANCE, username="city_finance")
    registration = services.register(actor=enterprise_user, event_id=fair.pk, now=NOW)
    assert len(list(registrations_to_decide(city_staff))) == 1  # the bureau running it
    for user in (finance, city_finance, province_staff):  # finance; the supervising bureau
        assert list(registrations_to_decide(user)) == []
        assert not Notification.objects.filter(user=user, kind="events.registration_submitted").exists()
    # Finance staff may read the registrations but are offered no 通过/不通过, and cannot decide.
    client.force_login(finance)
    page = client.get(reverse("events:registrations", args=[fair.pk]))
    assert page.status_code == 200
    assert "不通过" not in page.content.decode() and "通过 " not in page.content.decode()
    with pytest.raises(PermissionDenied):
        services.decide_registration(actor=finance, registration_id=registration.pk, approve=True, now=NOW)
    client.force_login(city_staff)
    assert "不通过" in client.get(reverse("events:registrations", args=[fair.pk])).content.decode()


def test_demand_subject_lets_the_responder_open(fair, city_staff, participants, enterprise, university):
    regs, users = participants
    demand = make_demand(enterprise)
    services.set_interest(actor=users["uni"], event_id=fair.pk, target_key=f"d:{demand.pk}", level=2, now=NOW)
    services.generate_schedule(actor=city_staff, event_id=fair.pk, now=NOW)
    services.publish_schedule(actor=city_staff, event_id=fair.pk, now=NOW)
    meeting = Meeting.objects.get(event=fair)
    assert meeting.demand_id == demand.pk and not meeting.mutual
    services.record_outcome(actor=users["uni"], meeting_id=meeting.pk, outcome="follow_up", now=AFTER)
    negotiation = services.open_negotiation(actor=users["uni"], meeting_id=meeting.pk, now=AFTER)
    assert negotiation.demand_id == demand.pk and negotiation.seller == university


def test_cancelling_an_event_tells_the_registrants_and_closes_registration(
    fair, city_staff, enterprise_user, university_user
):
    services.register(actor=enterprise_user, event_id=fair.pk, now=NOW)
    with pytest.raises(PermissionDenied):
        services.cancel_event(actor=enterprise_user, event_id=fair.pk, reason="x", now=NOW)
    with pytest.raises(ValidationFailed):
        services.cancel_event(actor=city_staff, event_id=fair.pk, reason=" ", now=NOW)
    services.cancel_event(actor=city_staff, event_id=fair.pk, reason="场地调整", now=NOW)
    assert Notification.objects.filter(user=enterprise_user, kind="events.event_cancelled").exists()
    with pytest.raises(InvalidTransition):
        services.register(actor=university_user, event_id=fair.pk, now=NOW)


def test_a_schedule_solved_on_stale_interests_is_not_written(
    fair, city_staff, participants, university, monkeypatch
):
    from zhouqiao.community.events import meetings

    _regs, users = participants
    achievement = make_achievement(university)
    real_plan = meetings.plan

    def plan_then_someone_changes_interest(event):
        planned = real_plan(event)
        services.set_interest(
            actor=users["ent"], event_id=fair.pk, target_key=f"a:{achievement.pk}", level=2, now=NOW
        )
        return planned

    monkeypatch.setattr(meetings, "plan", plan_then_someone_changes_interest)
    with pytest.raises(Conflict):
        services.generate_schedule(actor=city_staff, event_id=fair.pk, now=NOW)
    assert not Meeting.objects.exists()
    assert Event.objects.get(pk=fair.pk).schedule_generated_at is None
