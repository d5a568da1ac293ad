"""No audit record is invisible to everybody (issue 17, item 4), and the CSV export is guarded
against formula injection like the xlsx exports (item 5)."""

import csv
import io

import pytest
from django.test import Client

from tests.factories import OrganisationFactory, UserFactory, member_of, staff_in
from zhouqiao.accounts.models import Duty
from zhouqiao.core import audit
from zhouqiao.core.audit_labels import ACTIONS
from zhouqiao.core.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def city_auditor(reference):
    return staff_in("220100", Duty.AUDIT_ADMIN, username="cc_audit_admin")


def _signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _api_ids(user) -> set[int]:
    ids, offset = set(), 0
    while True:
        page = _signed_in(user).get(f"/api/v1/audit?limit=500&offset={offset}").json()
        ids |= {row["id"] for row in page}
        if len(page) < 500:
            return ids
        offset += 500


def _export(user, **query) -> list[list[str]]:
    response = _signed_in(user).get("/office/audit/export/", query)
    assert response.status_code == 200
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_every_audited_action_without_a_region_is_read_by_the_province_audit_administrator(
    audit_admin, city_auditor
):
    """Walk the registry: a record of each action with nothing to file it under (no actor, no
    target) is in the province audit administrator's API, page and export, and in nobody else's."""
    events = [audit.record(code) for code in ACTIONS]
    assert all(e.region_code == "" for e in events)
    seen = _api_ids(audit_admin)
    assert {e.pk for e in events} <= seen
    assert not {e.pk for e in events} & _api_ids(city_auditor)
    exported = {row[3] for row in _export(audit_admin)[1:]}
    assert set(ACTIONS) <= exported
    page = _signed_in(audit_admin).get("/office/audit/", {"action": "auth.login_failed"}).content.decode()
    assert "登录失败" in page


def test_a_record_of_a_target_without_a_region_is_filed_under_its_actor(city_auditor, reference):
    org = OrganisationFactory(name="长春审计测试有限公司", region_id="220104")
    person = member_of(org, username="audited_member")
    token_like = UserFactory(username="no_home_user")  # a target with no region of its own
    record = audit.record("api_token.create", actor=person, target=token_like)
    assert record.region_code == "220104"
    assert record.pk in _api_ids(city_auditor)
    staff = staff_in("220100", Duty.FINANCE, username="cc_payer")
    paid = audit.record("entitlement.pay", actor=staff, target=token_like)
    assert paid.region_code == "220100" and paid.pk in _api_ids(city_auditor)


def test_a_failed_sign_in_under_an_unknown_name_reaches_the_province_audit_administrator(
    audit_admin, city_auditor, client
):
    client.post("/login/", {"username": "no-such-person", "password": "wrong-password-1"})
    failed = AuditEvent.objects.get(action="auth.login_failed", actor_name="no-such-person")
    assert failed.region_code == ""
    assert failed.pk in _api_ids(audit_admin)
    assert failed.pk not in _api_ids(city_auditor)


def test_the_csv_export_keeps_formulas_as_text(audit_admin):
    audit.record(
        "organisation.update", reason='=HYPERLINK("http://evil.example","点我")', region_code="220104"
    )
    audit.record("organisation.update", reason="+cmd|' /C calc'!A0", region_code="220104", actor_name="@x")
    rows = _export(audit_admin)[1:]
    reasons = [row[-1] for row in rows]
    assert '\'=HYPERLINK("http://evil.example","点我")' in reasons
    assert "'+cmd|' /C calc'!A0" in reasons
    cells = [cell for row in rows for cell in row]
    assert not any(cell.startswith(("=", "+", "-", "@")) for cell in cells)
