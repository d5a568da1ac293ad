"""Personal information (issue 17, PIPL): consent to the notice's version at registration, a copy
of one's data, erasure that keeps what the law requires and pseudonymises it."""

import json

import pytest
from django.test import Client

from tests.factories import OrganisationFactory, member_of, staff_in
from tests.web.test_register_page import PASSWORD, _form
from zhouqiao.accounts.models import ApiToken, Duty, Membership, User
from zhouqiao.core import audit
from zhouqiao.core.models import AuditEvent, PrivacyConsent

pytestmark = pytest.mark.django_db


def test_registration_records_consent_to_the_notice_version(client, reference, settings):
    settings.PRIVACY_NOTICE_VERSION = "2026-12-07"
    refused = client.post("/register/", _form(privacy_consent=""))
    assert "注册须阅读并同意个人信息保护政策" in refused.content.decode()
    assert not User.objects.filter(username="dehui_farmer").exists()
    assert "个人信息保护政策" in client.get("/register/").content.decode()

    assert client.post("/register/", _form()).status_code == 302
    consent = PrivacyConsent.objects.get(user__username="dehui_farmer")
    assert consent.notice_version == "2026-12-07" and consent.ip == "127.0.0.1"
    assert AuditEvent.objects.filter(action="privacy.consent", actor_name="dehui_farmer").exists()
    assert "2026-12-07" in client.get("/privacy/").content.decode()
    assert "版本 2026-12-07" in client.get("/account/privacy/").content.decode()


@pytest.fixture
def person(reference):
    org = OrganisationFactory(name="长春个人信息测试有限公司", region_id="220104")
    user = member_of(org, username="pipl_person", display_name="李个人", phone="13900000001")
    user.email, user.id_number = "li@example.cn", "220104199001011234"
    user.set_password(PASSWORD)
    user.save()
    PrivacyConsent.objects.create(user=user, notice_version="2026-12-07", given_at=user.date_joined)
    ApiToken.objects.create(
        user=user, name="脚本", prefix="zq_abcd", key_hash="f" * 64, created_at=user.date_joined
    )
    audit.record("organisation.update", actor=user, target=org, reason="改电话")
    return user


def test_a_person_downloads_their_data_as_json(person):
    client = Client()
    client.force_login(person)
    response = client.get("/account/privacy/export.json")
    assert response["Content-Type"].startswith("application/json")
    assert "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)
    assert data["account"]["display_name"] == "李个人"
    assert data["account"]["id_number"] == "220104199001011234"
    assert data["memberships"][0]["organisation"] == "长春个人信息测试有限公司"
    assert data["consents"][0]["notice_version"] == "2026-12-07"
    assert data["api_tokens"][0]["name"] == "脚本" and "f" * 64 not in response.content.decode()
    assert any(a["action"] == "organisation.update" for a in data["activity"])
    assert AuditEvent.objects.filter(action="privacy.export", actor=person).exists()
    assert Client().get("/account/privacy/export.json").status_code == 302  # signed out: to the login


def _erase(client, password):
    return client.post("/account/privacy/erase/", {"password": password, "confirm": "yes"}, follow=True)


def test_erasure_removes_personal_data_and_keeps_the_records_pseudonymised(person):
    client = Client()
    client.force_login(person)
    kept = set(AuditEvent.objects.values_list("pk", flat=True))
    wrong = _erase(client, "not-my-password")
    assert "密码不正确" in wrong.content.decode()
    person.refresh_from_db()
    assert person.display_name == "李个人" and person.is_active

    _erase(client, PASSWORD)
    person.refresh_from_db()
    assert person.username == f"已注销-{person.pk}"
    assert (person.display_name, person.phone, person.email, person.id_number) == ("", "", "", "")
    assert not person.is_active and not person.has_usable_password()
    assert not ApiToken.objects.filter(user=person).exists()
    assert not Membership.objects.filter(user=person).exists()
    # The audit trail is kept (nothing deleted) and the erasure itself is in it.
    assert kept <= set(AuditEvent.objects.values_list("pk", flat=True))
    erased = AuditEvent.objects.get(action="privacy.erase")
    assert erased.before == {"username": "pipl_person"} and erased.region_code == "220104"
    assert PrivacyConsent.objects.filter(user=person).exists()
    signed_in = Client().post("/login/", {"username": "pipl_person", "password": PASSWORD})
    assert signed_in.status_code == 200  # the form again, no redirect to the workspace
    assert client.get("/account/privacy/").status_code == 302  # signed out


def test_staff_cannot_erase_their_own_account_here(reference):
    staff = staff_in("220100", Duty.REVIEWER, username="erasing_staff")
    staff.set_password(PASSWORD)
    staff.save()
    client = Client()
    client.force_login(staff)
    assert "安全管理员" in _erase(client, PASSWORD).content.decode()
    staff.refresh_from_db()
    assert staff.username == "erasing_staff" and staff.is_active
