"""Granting staff duties: only a security administrator, only within their jurisdiction, never to
themselves, and never so that one person holds two of the three administrator duties (三员分立)."""

import pytest
from django.utils import timezone

from tests.factories import OrganisationFactory, UserFactory, staff_in
from zhouqiao.accounts import scope, services
from zhouqiao.accounts.models import Duty, StaffAssignment
from zhouqiao.core import audit
from zhouqiao.core.errors import PermissionDenied, ValidationFailed
from zhouqiao.core.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def city_security_admin(reference):
    return staff_in("220100", Duty.SECURITY_ADMIN, username="cc_security")


@pytest.fixture
def newcomer(reference):
    return UserFactory(username="newcomer")


def _grant(actor, username, jurisdiction, duty):
    return services.grant_duty(
        actor=actor, username=username, jurisdiction_code=jurisdiction, duty=duty, now=timezone.now()
    )


@pytest.mark.parametrize(
    ("admin", "jurisdiction"),
    [
        ("security_admin", "220000"),
        ("security_admin", "220204"),
        ("city_security_admin", "220100"),
        ("city_security_admin", "220183"),
    ],
)
def test_a_security_admin_grants_a_duty_within_their_jurisdiction(request, newcomer, admin, jurisdiction):
    actor = request.getfixturevalue(admin)
    assignment = _grant(actor, "newcomer", jurisdiction, Duty.REVIEWER)
    assert (assignment.user, assignment.jurisdiction_id, assignment.granted_by) == (
        newcomer,
        jurisdiction,
        actor,
    )
    assert scope.covers(newcomer, jurisdiction, Duty.REVIEWER)
    event = AuditEvent.objects.get(action="staff.grant")
    assert (event.actor_id, event.target_id, event.region_code) == (actor.pk, str(newcomer.pk), jurisdiction)
    assert event.after == {"duty": "reviewer", "jurisdiction": jurisdiction}


@pytest.mark.parametrize(
    ("admin", "jurisdiction"),
    [
        ("city_security_admin", "220200"),
        ("city_security_admin", "220204"),
        ("city_security_admin", "220000"),
        ("security_admin", "210000"),
        ("security_admin", "210102"),
    ],
)
def test_it_rejects_a_grant_outside_the_admins_jurisdiction(request, newcomer, admin, jurisdiction):
    with pytest.raises(PermissionDenied, match="不在您的管辖范围内"):
        _grant(request.getfixturevalue(admin), "newcomer", jurisdiction, Duty.REVIEWER)
    assert not StaffAssignment.objects.filter(user=newcomer).exists()
    assert not AuditEvent.objects.filter(action="staff.grant").exists()


def test_it_rejects_a_self_grant(security_admin):
    with pytest.raises(PermissionDenied, match="不能给自己授权"):
        _grant(security_admin, "security_admin", "220000", Duty.REVIEWER)
    assert list(StaffAssignment.objects.filter(user=security_admin).values_list("duty", flat=True)) == [
        "security_admin"
    ]


@pytest.mark.parametrize("actor", ["province_staff", "audit_admin", "stranger"])
def test_it_rejects_a_grant_by_someone_who_is_not_a_security_admin(request, newcomer, actor):
    with pytest.raises(PermissionDenied):
        _grant(request.getfixturevalue(actor), "newcomer", "220104", Duty.REVIEWER)
    assert not StaffAssignment.objects.filter(user=newcomer).exists()


@pytest.mark.parametrize(
    ("held", "wanted"),
    [
        (a, b)
        for a in (Duty.SYSTEM_ADMIN, Duty.AUDIT_ADMIN, Duty.SECURITY_ADMIN)
        for b in (Duty.SYSTEM_ADMIN, Duty.AUDIT_ADMIN, Duty.SECURITY_ADMIN)
        if a != b
    ],
)
def test_it_rejects_a_second_administrator_duty_for_the_same_person(security_admin, held, wanted):
    person = staff_in("220100", held, username="holder")
    with pytest.raises(ValidationFailed, match="三员分立"):
        _grant(security_admin, "holder", "220000", wanted)
    assert list(StaffAssignment.objects.filter(user=person).values_list("duty", flat=True)) == [held]


@pytest.mark.parametrize("duty", [Duty.SYSTEM_ADMIN, Duty.AUDIT_ADMIN, Duty.SECURITY_ADMIN])
def test_the_security_admin_appoints_none_of_the_three_administrators(security_admin, newcomer, duty):
    """三员分立: the security administrator cannot replace the auditor (nor add another system or
    security administrator); the refusal says how the three are appointed instead."""
    staff_in("220100", Duty.REVIEWER, username="holder")
    for username in ("newcomer", "holder"):
        with pytest.raises(ValidationFailed, match="三员由系统部署单位在安装系统时任命"):
            _grant(security_admin, username, "220000", duty)
    assert not StaffAssignment.objects.filter(duty=duty).exclude(user=security_admin).exists()
    assert not AuditEvent.objects.filter(action="staff.grant").exists()


@pytest.mark.parametrize(
    ("held", "jurisdiction"),
    [(Duty.AUDIT_ADMIN, "220000"), (Duty.SYSTEM_ADMIN, "220000"), (Duty.SECURITY_ADMIN, "220100")],
)
def test_the_security_admin_removes_none_of_the_three_administrators(security_admin, held, jurisdiction):
    person = staff_in(jurisdiction, held, username="other_admin")
    assignment = StaffAssignment.objects.get(user=person)
    with pytest.raises(PermissionDenied, match="不能在人员授权中授予或撤销"):
        services.revoke_duty(actor=security_admin, assignment_id=assignment.pk, now=timezone.now())
    assert StaffAssignment.objects.filter(pk=assignment.pk).exists()
    assert not services.may_revoke(security_admin, assignment)
    assert not AuditEvent.objects.filter(action="staff.revoke").exists()


def test_it_rejects_an_unknown_duty_region_or_person(security_admin, newcomer):
    with pytest.raises(ValidationFailed, match="职责不正确"):
        _grant(security_admin, "newcomer", "220100", "king")
    with pytest.raises(ValidationFailed, match="不存在"):
        _grant(security_admin, "newcomer", "229999", Duty.REVIEWER)
    with pytest.raises(Exception, match="不存在"):
        _grant(security_admin, "nobody", "220100", Duty.REVIEWER)
    assert not StaffAssignment.objects.filter(user=newcomer).exists()


def test_it_rejects_granting_the_same_duty_twice(security_admin, newcomer):
    _grant(security_admin, "newcomer", "220100", Duty.REVIEWER)
    with pytest.raises(ValidationFailed, match="已拥有此职责"):
        _grant(security_admin, "newcomer", "220100", Duty.REVIEWER)
    assert AuditEvent.objects.filter(action="staff.grant").count() == 1


# --- the back office and the API ------------------------------------------------------------------


def test_the_grant_page_grants_and_shows_the_chinese_refusal(client, city_security_admin, newcomer):
    client.force_login(city_security_admin)
    ok = client.post("/office/grants/", {"person": "newcomer", "jurisdiction": "220183", "duty": "reviewer"})
    assert ok.status_code == 302
    refused = client.post(
        "/office/grants/", {"person": "newcomer", "jurisdiction": "220204", "duty": "reviewer"}
    )
    assert refused.status_code == 200
    assert "不在您的管辖范围内" in refused.content.decode()
    assert list(StaffAssignment.objects.filter(user=newcomer).values_list("jurisdiction_id", flat=True)) == [
        "220183"
    ]


def test_it_rejects_a_grant_through_the_back_office_by_a_reviewer(client, province_staff, newcomer):
    client.force_login(province_staff)
    page = client.get("/office/").content.decode()
    assert "人员授权" not in page
    response = client.post(
        "/office/grants/", {"person": "newcomer", "jurisdiction": "220104", "duty": "reviewer"}
    )
    assert response.status_code == 403
    assert client.post("/office/", {"username": "newcomer"}).status_code == 405
    assert not StaffAssignment.objects.filter(user=newcomer).exists()


def test_it_rejects_the_back_office_for_people_who_are_not_staff(client, stranger):
    client.force_login(stranger)
    assert client.get("/office/").status_code == 403


def test_api_grant_and_its_refusals(client, city_security_admin, newcomer):
    client.force_login(city_security_admin)
    url = "/api/v1/staff/assignments"
    ok = client.post(
        url,
        {"username": "newcomer", "jurisdiction": "220104", "duty": "reviewer"},
        content_type="application/json",
    )
    assert ok.status_code == 201
    assert ok.json() == {"duty": "reviewer", "jurisdiction_code": "220104", "jurisdiction_name": "朝阳区"}
    outside = client.post(
        url,
        {"username": "newcomer", "jurisdiction": "220204", "duty": "reviewer"},
        content_type="application/json",
    )
    assert outside.status_code == 403
    assert "不在您的管辖范围内" in outside.json()["message"]


# --- who reads the audit log ----------------------------------------------------------------------


@pytest.fixture
def city_audit_admin(reference):
    return staff_in("220100", Duty.AUDIT_ADMIN, username="cc_audit")


@pytest.fixture
def events(reference):
    now = timezone.now()
    return {
        code: audit.record("test.event", actor_name=f"someone-in-{code}", region_code=code, now=now)
        for code in ("220104", "220183", "220204", "210102")
    }


@pytest.mark.parametrize("url", ["/office/audit/", "/office/audit/export/", "/api/v1/audit"])
@pytest.mark.parametrize("who", ["security_admin", "province_staff", "stranger"])
def test_it_rejects_the_audit_log_for_anyone_but_audit_admins(client, request, url, who, events):
    client.force_login(request.getfixturevalue(who))
    response = client.get(url)
    assert response.status_code == 403
    assert b"someone-in" not in response.content


def test_it_rejects_the_audit_api_for_anonymous_visitors(client, events):
    assert client.get("/api/v1/audit").status_code == 401


def test_a_city_audit_admin_sees_only_the_citys_events(client, city_audit_admin, events):
    client.force_login(city_audit_admin)
    api = {e["actor"] for e in client.get("/api/v1/audit?action=test.").json()}
    assert api == {"someone-in-220104", "someone-in-220183"}
    page = client.get("/office/audit/?action=test.").content.decode()
    assert "someone-in-220104" in page and "someone-in-220183" in page
    assert "someone-in-220204" not in page and "someone-in-210102" not in page


def test_the_province_audit_admin_sees_the_province_but_not_liaoning(client, audit_admin, events):
    client.force_login(audit_admin)
    api = {e["actor"] for e in client.get("/api/v1/audit?action=test.").json()}
    assert api == {"someone-in-220104", "someone-in-220183", "someone-in-220204"}


BUSINESS_PAGES = (
    "/contracts/statistics/",
    "/api/v1/contracts/statistics",
    "/vouchers/office/",
    "/facilities/evaluation/",
    "/market/oversight/",
    "/office/verification/",
)


@pytest.mark.parametrize("duty", [Duty.SYSTEM_ADMIN, Duty.AUDIT_ADMIN, Duty.SECURITY_ADMIN])
def test_the_three_administrators_do_not_see_business_records(client, province_staff, duty):
    admin = staff_in("220000", duty, username="an_admin")
    pending = OrganisationFactory(submitted=True, region_id="220104")
    client.force_login(province_staff)
    for url in BUSINESS_PAGES:
        assert client.get(url).status_code == 200, url
    assert client.get(f"/organisations/{pending.pk}/").status_code == 200
    client.force_login(admin)
    for url in BUSINESS_PAGES:
        assert client.get(url).status_code == 403, url
    assert client.get(f"/organisations/{pending.pk}/").status_code == 404
    back_office = client.get("/office/")  # their own back office still opens, without the queue
    assert back_office.status_code == 200 and "/office/verification/" not in back_office.content.decode()


def test_the_system_administrator_keeps_the_patent_corpus_but_not_the_audit_admin(client):
    client.force_login(staff_in("220000", Duty.SYSTEM_ADMIN, username="sysadmin"))
    assert client.get("/search/patents/import/").status_code == 200
    client.force_login(staff_in("220000", Duty.AUDIT_ADMIN, username="auditor"))
    assert client.get("/search/patents/import/").status_code == 403


# --- the person is told; 三员分立 towards the other two administrators; revoking -------------------


def _told(user):
    from zhouqiao.notifications.models import Notification

    return list(Notification.objects.filter(user=user).values_list("kind", "title", "url"))


def test_a_grant_tells_the_person_once_what_and_where(security_admin, newcomer):
    _grant(security_admin, "newcomer", "220100", Duty.STATISTICS)
    assert _told(newcomer) == [("accounts.duty_granted", "您已获授长春市 · 统计监测职责", "/workspace/")]
    _grant(security_admin, "newcomer", "220104", Duty.REVIEWER)
    assert len(_told(newcomer)) == 2
    assert _told(newcomer)[0][1] == "您已获授长春市朝阳区 · 审核员职责"


@pytest.mark.parametrize("held", [Duty.SYSTEM_ADMIN, Duty.AUDIT_ADMIN])
def test_it_grants_nothing_to_the_system_or_audit_administrator(security_admin, held):
    person = staff_in("220100", held, username="other_admin")
    with pytest.raises(ValidationFailed, match="三员分立"):
        _grant(security_admin, "other_admin", "220100", Duty.REVIEWER)
    assert list(StaffAssignment.objects.filter(user=person).values_list("duty", flat=True)) == [held]
    assert _told(person) == []


def test_a_revoke_removes_the_duty_audits_it_and_tells_the_person(security_admin, newcomer):
    assignment = _grant(security_admin, "newcomer", "220100", Duty.STATISTICS)
    services.revoke_duty(actor=security_admin, assignment_id=assignment.pk, now=timezone.now())
    assert not scope.covers(newcomer, "220100", Duty.STATISTICS)
    assert not StaffAssignment.objects.filter(user=newcomer).exists()
    event = AuditEvent.objects.get(action="staff.revoke")
    assert (event.target_id, event.before) == (
        str(newcomer.pk),
        {"duty": "statistics", "jurisdiction": "220100"},
    )
    assert _told(newcomer)[0][:2] == ("accounts.duty_revoked", "您的长春市 · 统计监测职责已被撤销")


def test_it_rejects_a_revoke_of_ones_own_duty_or_outside_the_jurisdiction(
    security_admin, city_security_admin
):
    own = StaffAssignment.objects.get(user=security_admin)
    with pytest.raises(PermissionDenied):
        services.revoke_duty(actor=security_admin, assignment_id=own.pk, now=timezone.now())
    jilin = staff_in("220200", Duty.REVIEWER, username="jilin_reviewer").assignments.get()
    with pytest.raises(PermissionDenied):
        services.revoke_duty(actor=city_security_admin, assignment_id=jilin.pk, now=timezone.now())
    assert StaffAssignment.objects.filter(pk__in=[own.pk, jilin.pk]).count() == 2
    assert not AuditEvent.objects.filter(action="staff.revoke").exists()
