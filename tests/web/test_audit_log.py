"""The audit administrator's search and CSV export, scoped to their jurisdiction."""

import csv
import io
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from tests.factories import staff_in
from zhouqiao.accounts.models import Duty
from zhouqiao.core import audit

pytestmark = pytest.mark.django_db

AT = datetime(2026, 4, 2, 10, 15, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture
def city_audit_admin(reference):
    return staff_in("220100", Duty.AUDIT_ADMIN, username="cc_audit")


@pytest.fixture
def events(reference):
    for code in ("220104", "220183", "220204", "210102"):
        audit.record(
            "test.event",
            actor_name=f"actor-{code}",
            region_code=code,
            before={"status": "submitted"},
            after={"status": "verified"},
            now=AT,
        )


def _rows(response):
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def test_the_export_contains_the_rows_in_scope_with_local_times(client, city_audit_admin, events):
    client.force_login(city_audit_admin)
    header, *rows = _rows(client.get("/office/audit/export/?action=test."))
    assert header[:3] == ["时间", "操作人", "动作"]
    assert sorted(r[1] for r in rows) == ["actor-220104", "actor-220183"]
    assert {r[0] for r in rows} == {"2026-04-02T10:15:00+08:00"}
    assert "verified" in rows[0][8]


def test_the_province_export_has_every_jilin_row_and_no_liaoning_row(client, audit_admin, events):
    client.force_login(audit_admin)
    _, *rows = _rows(client.get("/office/audit/export/?action=test."))
    assert sorted(r[1] for r in rows) == ["actor-220104", "actor-220183", "actor-220204"]


def test_the_export_follows_the_search(client, audit_admin, events):
    client.force_login(audit_admin)
    _, *rows = _rows(client.get("/office/audit/export/?actor=actor-220204"))
    assert [r[1] for r in rows] == ["actor-220204"]
    _, *none = _rows(client.get("/office/audit/export/?action=test.&since=2026-04-03"))
    assert none == []
    _, *day = _rows(client.get("/office/audit/export/?action=test.&since=2026-04-02&until=2026-04-02"))
    assert len(day) == 3


def test_the_log_page_shows_the_time_with_its_offset(client, audit_admin, events):
    client.force_login(audit_admin)
    page = client.get("/office/audit/?actor=actor-220104").content.decode()
    assert "2026-04-02 10:15:00 +0800" in page
    assert "actor-220183" not in page


def test_the_workspace_offers_the_audit_log_to_audit_admins_only(client, audit_admin, security_admin):
    client.force_login(audit_admin)
    assert "/office/audit/" in client.get("/office/").content.decode()
    client.force_login(security_admin)
    assert "/office/audit/" not in client.get("/office/").content.decode()
