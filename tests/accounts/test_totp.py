"""The second factor (等保 level 3): required of the three administrators and finance after a grace
period, optional for others; a code is checked at sign-in and never accepted twice."""

from datetime import timedelta

import pyotp
import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from tests.factories import PASSWORD, staff_in
from zhouqiao.accounts import totp
from zhouqiao.accounts.models import Duty, TotpDevice
from zhouqiao.core.models import AuditEvent

SECRET = "JBSWY3DPEHPK3PXPJBSWY3DP"


def _enrolled(user, secret=SECRET):
    now = timezone.now()
    return TotpDevice.objects.create(user=user, secret=secret, created_at=now, confirmed_at=now)


def _password(client, username):
    return client.post("/login/", {"username": username, "password": PASSWORD})


def _signed_in(client) -> bool:
    return client.get("/workspace/").status_code == 200


def test_an_enrolled_administrator_needs_the_code(audit_admin):
    _enrolled(audit_admin)
    browser = Client()
    response = _password(browser, "audit_admin")
    assert response.status_code == 302 and response["Location"] == "/login/verify/"
    assert not _signed_in(browser)  # the password alone does not sign in
    wrong = browser.post("/login/verify/", {"code": "000000"})
    assert "动态口令不正确" in wrong.content.decode() and not _signed_in(browser)
    browser.post("/login/verify/", {"code": pyotp.TOTP(SECRET).now()})
    assert _signed_in(browser)


def test_the_secret_is_stored_encrypted(audit_admin):
    from django.db import connection

    device = _enrolled(audit_admin)
    with connection.cursor() as cursor:
        cursor.execute("SELECT secret FROM accounts_totpdevice WHERE id = %s", [device.pk])
        stored = cursor.fetchone()[0]
    assert SECRET not in stored and stored.startswith("fernet:")
    assert TotpDevice.objects.get(pk=device.pk).secret == SECRET


def test_a_code_is_not_accepted_twice(audit_admin):
    _enrolled(audit_admin)
    moment = timezone.now()
    with time_machine.travel(moment, tick=False):
        code = pyotp.TOTP(SECRET).at(moment)
        first, second = Client(), Client()
        _password(first, "audit_admin")
        first.post("/login/verify/", {"code": code})
        _password(second, "audit_admin")
        second.post("/login/verify/", {"code": code})
        assert _signed_in(first) and not _signed_in(second)


def test_five_wrong_codes_start_again_from_the_password(audit_admin):
    _enrolled(audit_admin)
    browser = Client()
    _password(browser, "audit_admin")
    for _ in range(5):
        response = browser.post("/login/verify/", {"code": "123456"})
    # the fifth wrong code locks the account (django-axes), as five wrong passwords would
    assert response.status_code == 429
    browser.post("/login/verify/", {"code": pyotp.TOTP(SECRET).now()})
    assert not _signed_in(browser)
    assert _password(Client(), "audit_admin").status_code == 429
    assert AuditEvent.objects.filter(action="auth.login_failed", success=False).count() >= 5


def test_finance_staff_sign_in_during_the_grace_period_and_must_enrol_after_it(reference):
    finance = staff_in("220100", Duty.FINANCE, username="finance_user")
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        browser = Client()
        response = _password(browser, "finance_user")
        assert response.status_code == 302 and response["Location"] != "/login/verify/"
        assert _signed_in(browser)
        finance.refresh_from_db()
        assert finance.totp_required_since == start
        todo = browser.get("/todo/").content.decode()
        assert "绑定动态口令" in todo
    later = start + totp.grace() + timedelta(minutes=1)
    with time_machine.travel(later, tick=False):
        browser = Client()
        assert _password(browser, "finance_user")["Location"] == "/login/verify/"
        page = browser.get("/login/verify/").content.decode()
        assert "<svg" in page and "宽限期已过" in page
        device = TotpDevice.objects.get(user=finance)
        assert not device.confirmed and device.secret in page
        browser.post("/login/verify/", {"code": pyotp.TOTP(device.secret).at(later)})
        assert _signed_in(browser)
    device.refresh_from_db()
    assert device.confirmed and AuditEvent.objects.filter(action="auth.second_factor_enrol").exists()


def test_others_sign_in_with_the_password_and_may_enrol(client, enterprise_user):
    assert totp.login_state(enterprise_user, now=timezone.now()) == totp.LOGIN_OK
    client.force_login(enterprise_user)
    client.post("/account/security/", {"action": "start"})
    device = TotpDevice.objects.get(user=enterprise_user)
    page = client.get("/account/security/").content.decode()
    assert "<svg" in page and device.secret in page
    client.post("/account/security/", {"action": "confirm", "code": pyotp.TOTP(device.secret).now()})
    device.refresh_from_db()
    assert device.confirmed
    assert totp.login_state(enterprise_user, now=timezone.now()) == totp.LOGIN_VERIFY
    client.post("/account/security/", {"action": "remove", "password": PASSWORD})
    assert not TotpDevice.objects.exists()


def test_an_administrator_cannot_remove_the_second_factor(client, security_admin):
    _enrolled(security_admin)
    client.force_login(security_admin)
    page = client.get("/account/security/").content.decode()
    assert "解除绑定" not in page
    client.post("/account/security/", {"action": "remove", "password": PASSWORD})
    assert TotpDevice.objects.filter(user=security_admin).exists()


@pytest.mark.parametrize("username", ["security_admin", "audit_admin", "system_admin"])
def test_the_demo_administrators_are_enrolled_with_the_readme_secret(reference, username):
    from zhouqiao.accounts.demo import DEMO_TOTP_SECRET, create_demo_accounts

    create_demo_accounts(now=timezone.now())
    assert TotpDevice.objects.get(user__username=username).secret == DEMO_TOTP_SECRET
    assert not TotpDevice.objects.filter(user__username="enterprise").exists()


def test_the_django_admin_login_goes_through_the_portal_sign_in(client, reference):
    response = client.post("/django-admin/login/", {"username": "x", "password": "y"})
    assert response.status_code == 302 and response["Location"].startswith("/login/?next=")
