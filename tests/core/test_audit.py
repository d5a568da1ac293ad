"""The audit trail is append-only: in the model, in the QuerySet, and in the database itself."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from zhouqiao.core import audit
from zhouqiao.core.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def event(enterprise_user, enterprise):
    return audit.record(
        "organisation.update",
        actor=enterprise_user,
        target=enterprise,
        before={"name": "旧名"},
        after={"name": "新名"},
        reason="更名",
        now=datetime(2026, 3, 1, 9, 30, tzinfo=ZoneInfo("Asia/Shanghai")),
    )


def _unchanged(event):
    fresh = AuditEvent.objects.get(pk=event.pk)
    return (fresh.action, fresh.reason, fresh.before, fresh.after) == (
        "organisation.update",
        "更名",
        {"name": "旧名"},
        {"name": "新名"},
    )


def test_a_record_says_who_what_when_and_where(event, enterprise_user, enterprise):
    fresh = AuditEvent.objects.get(pk=event.pk)
    assert fresh.actor_id == enterprise_user.pk and fresh.actor_name == "ent_admin"
    assert (fresh.target_type, fresh.target_id, fresh.target_repr) == (
        "accounts.organisation",
        str(enterprise.pk),
        enterprise.name,
    )
    assert fresh.region_code == "220104"
    assert fresh.success is True


def test_the_time_is_stored_with_its_offset(event):
    fresh = AuditEvent.objects.get(pk=event.pk)
    assert timezone.is_aware(fresh.at)
    assert fresh.at == datetime(2026, 3, 1, 1, 30, tzinfo=ZoneInfo("UTC"))
    assert timezone.localtime(fresh.at).isoformat() == "2026-03-01T09:30:00+08:00"


def test_it_rejects_saving_an_existing_record(event):
    event.reason = "改写"
    with pytest.raises(TypeError, match="append-only"):
        event.save()
    assert _unchanged(event)


def test_it_rejects_deleting_a_record(event):
    with pytest.raises(TypeError, match="append-only"):
        event.delete()
    assert _unchanged(event)


@pytest.mark.parametrize(
    "change",
    [
        lambda: AuditEvent.objects.filter(action="organisation.update").update(reason="改写"),
        lambda: AuditEvent.objects.all().delete(),
        lambda: AuditEvent.objects.bulk_update(
            [AuditEvent(pk=AuditEvent.objects.get().pk, reason="改写")], ["reason"]
        ),
    ],
    ids=["update", "delete", "bulk_update"],
)
def test_it_rejects_queryset_changes(event, change):
    with pytest.raises(TypeError, match="append-only"), transaction.atomic():
        change()
    assert _unchanged(event)


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE core_auditevent SET reason = 'rewritten' WHERE id = %s",
        "UPDATE core_auditevent SET at = at WHERE id = %s",
        "DELETE FROM core_auditevent WHERE id = %s",
    ],
    ids=["update-reason", "update-noop", "delete"],
)
def test_the_database_refuses_raw_sql_changes(event, sql):
    with pytest.raises(DatabaseError, match="append-only"):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [event.pk])
    assert _unchanged(event)


def test_the_database_refuses_a_raw_delete_that_bypasses_the_model(event):
    with pytest.raises(DatabaseError, match="append-only"):
        with transaction.atomic():
            AuditEvent.objects.filter(pk=event.pk)._raw_delete(connection.alias)
    assert _unchanged(event)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="TRUNCATE exists on PostgreSQL only")
def test_postgresql_refuses_truncate(event):
    with pytest.raises(DatabaseError, match="append-only"):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("TRUNCATE core_auditevent")
    assert _unchanged(event)


def test_new_records_can_still_be_appended_after_a_refusal(event):
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM core_auditevent")
    audit.record("test.after", actor_name="someone")
    assert AuditEvent.objects.count() == 2


def test_snapshot_turns_values_into_json(enterprise):
    snap = audit.snapshot(enterprise, ["name", "region", "created_at"])
    assert snap["name"] == enterprise.name
    assert snap["region"] == "220104"
    assert snap["created_at"] == enterprise.created_at.isoformat()
