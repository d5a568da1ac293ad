"""Rate limits per address and per account (issue 17, finding 10): registration, password reset,
search (page and API), novelty checks and bids answer 429 with Retry-After and a Chinese message
once over their limit; logins count failures only (a successful login never counts) and say at what
time to try again; a login lockout counts per account AND address."""

import json
import os
import subprocess
import sys
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth import SESSION_KEY

from tests.factories import PASSWORD
from zhouqiao.ops.models import RateCounter
from zhouqiao.ops.ratelimit import parse_rate

pytestmark = pytest.mark.django_db

START = datetime(2026, 5, 11, 9, 0, 30, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture
def frozen_clock():
    # Windows are fixed: a test whose requests straddle a window's end would see its count restart.
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


@pytest.fixture
def small_limits(settings, frozen_clock):
    settings.RATELIMITS = {
        scope: {"ip": "3/1m", "account": "5/1m"}
        for scope in ("login", "register", "password_reset", "search", "novelty", "bid")
    }
    return settings


def _login(client, username, password, ip):
    return client.post("/login/", {"username": username, "password": password}, REMOTE_ADDR=ip)


def _assert_throttled_page(response):
    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 60
    page = response.content.decode()
    assert "操作过于频繁" in page and "秒后再试" in page


def _assert_login_refused(response, who="本网络地址"):
    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 60
    page = response.content.decode()
    assert f"{who}登录失败次数过多" in page and "后再试" in page


def _assert_throttled_api(response):
    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 60
    body = response.json()
    assert body["code"] == "rate_limited"
    assert "操作过于频繁" in body["message"]
    assert body["detail"]["retry_after"] == int(response["Retry-After"])


def test_parse_rate():
    assert parse_rate("20/10m") == (20, 600)
    assert parse_rate("60/m") == (60, 60)
    assert parse_rate("5/1h") == (5, 3600)


def test_failed_logins_from_one_address_are_limited_but_the_owner_elsewhere_gets_in(
    client, enterprise_user, small_limits
):
    for n in range(3):
        assert _login(client, f"someone{n}", "Wrong@Pass1", "10.0.0.1").status_code == 200
    _assert_login_refused(_login(client, "ent_admin", PASSWORD, "10.0.0.1"))
    assert SESSION_KEY not in client.session
    # The account has no failure of its own: its owner, elsewhere, still signs in.
    assert _login(client, "ent_admin", PASSWORD, "10.0.0.2").status_code == 302


def test_failed_logins_naming_one_account_are_limited_across_addresses(client, enterprise_user, small_limits):
    for n in range(5):
        _login(client, "ent_admin", "Wrong@Pass1", f"10.0.1.{n}")
    _assert_login_refused(_login(client, "ent_admin", PASSWORD, "10.0.1.99"), who="该账号")


def test_successful_logins_are_not_counted(client, enterprise_user, small_limits):
    for _ in range(6):  # over both limits (3 per address, 5 per account), had they counted
        assert _login(client, "ent_admin", PASSWORD, "10.0.0.1").status_code == 302
        client.logout()


def test_the_limit_lifts_when_the_window_has_passed(client, enterprise_user, small_limits, frozen_clock):
    for _ in range(3):
        _login(client, "nobody", "Wrong@Pass1", "10.0.0.1")
    response = _login(client, "ent_admin", PASSWORD, "10.0.0.1")
    assert response.status_code == 429 and response["Retry-After"] == "30"
    assert "请于09:01后再试" in response.content.decode()  # the window ends 09:01 Beijing time
    frozen_clock.shift(timedelta(seconds=31))
    assert _login(client, "ent_admin", PASSWORD, "10.0.0.1").status_code == 302
    _login(client, "nobody", "Wrong@Pass1", "10.0.0.9")  # the first count of a new window
    # Counters of windows that have passed are dropped.
    assert RateCounter.objects.filter(expires_at__lt=START + timedelta(seconds=31)).count() == 0


def test_showing_the_login_form_is_not_counted(client, reference, small_limits):
    for _ in range(10):
        assert client.get("/login/", REMOTE_ADDR="10.0.0.1").status_code == 200


def test_registrations_are_limited(client, reference, small_limits):
    for n in range(3):
        response = client.post("/register/", {"username": f"new{n}"}, REMOTE_ADDR="10.0.0.1")
        assert response.status_code == 200  # the form with its errors
    _assert_throttled_page(client.post("/register/", {"username": "new9"}, REMOTE_ADDR="10.0.0.1"))


def test_password_reset_requests_are_limited(client, reference, small_limits):
    for _ in range(3):
        response = client.post("/account/password/reset/", {"email": "a@example.cn"}, REMOTE_ADDR="10.0.0.1")
        assert response.status_code == 302
    _assert_throttled_page(
        client.post("/account/password/reset/", {"email": "b@example.cn"}, REMOTE_ADDR="10.0.0.1")
    )


def test_search_page_and_api_are_limited_per_address(client, reference, small_limits):
    assert client.get("/search/", {"q": "汽车"}, REMOTE_ADDR="10.0.0.1").status_code == 200
    assert client.get("/api/v1/search", {"q": "汽车"}, REMOTE_ADDR="10.0.0.1").status_code == 200
    assert client.get("/search/", {"q": "汽车"}, REMOTE_ADDR="10.0.0.1").status_code == 200
    _assert_throttled_page(client.get("/search/", {"q": "汽车"}, REMOTE_ADDR="10.0.0.1"))
    _assert_throttled_api(client.get("/api/v1/search", {"q": "汽车"}, REMOTE_ADDR="10.0.0.1"))
    assert client.get("/api/v1/search", {"q": "汽车"}, REMOTE_ADDR="10.0.0.2").status_code == 200


def test_search_is_limited_per_account_across_addresses(client, enterprise_user, small_limits):
    client.force_login(enterprise_user)
    for n in range(5):
        assert client.get("/api/v1/search", {"q": "汽车"}, REMOTE_ADDR=f"10.0.2.{n}").status_code == 200
    _assert_throttled_api(client.get("/api/v1/search", {"q": "汽车"}, REMOTE_ADDR="10.0.2.99"))


def test_novelty_checks_are_limited(client, enterprise_user, small_limits):
    client.force_login(enterprise_user)
    payload = json.dumps({"title": "车用高强钢", "text": "一种车用高强钢的热成形工艺", "keywords": "高强钢"})
    for _ in range(3):
        response = client.post(
            "/api/v1/search/novelty", payload, content_type="application/json", REMOTE_ADDR="10.0.0.1"
        )
        assert response.status_code == 200
    _assert_throttled_api(
        client.post(
            "/api/v1/search/novelty", payload, content_type="application/json", REMOTE_ADDR="10.0.0.1"
        )
    )
    _assert_throttled_page(client.get("/search/novelty/", REMOTE_ADDR="10.0.0.1"))


def test_bids_are_limited_on_the_page_and_the_api(client, enterprise_user, small_limits):
    client.force_login(enterprise_user)
    for _ in range(3):  # no such auction: counted before anything else is looked at
        assert (
            client.post("/market/auctions/999999/bid/", {"amount": "1"}, REMOTE_ADDR="10.0.0.1").status_code
            == 404
        )
    _assert_throttled_page(
        client.post("/market/auctions/999999/bid/", {"amount": "1"}, REMOTE_ADDR="10.0.0.1")
    )
    # The account's allowance (5) is shared by the page and the API, whatever the address.
    assert (
        client.post(
            "/api/v1/market/auctions/999999/bids",
            {"amount": "1"},
            content_type="application/json",
            REMOTE_ADDR="10.0.0.2",
        ).status_code
        == 404
    )
    _assert_throttled_api(
        client.post(
            "/api/v1/market/auctions/999999/bids",
            {"amount": "1"},
            content_type="application/json",
            REMOTE_ADDR="10.0.0.3",
        )
    )


def test_limits_can_be_turned_off(client, reference, small_limits):
    small_limits.RATELIMIT_ENABLED = False
    for _ in range(6):
        assert client.get("/api/v1/search", {"q": "x"}, REMOTE_ADDR="10.0.0.1").status_code == 200


# --- login lockout: per account AND address -----------------------------------------------------


def test_a_stranger_cannot_lock_the_owner_out_from_his_own_address(client, enterprise_user):
    for _ in range(5):
        _login(client, "ent_admin", "Wrong@Pass1", "10.66.0.1")
    locked = _login(client, "ent_admin", PASSWORD, "10.66.0.1")
    assert locked.status_code == 429  # the stranger's address is locked for this account
    assert locked["Retry-After"] == "1800" and "该账号已被锁定30分钟" in locked.content.decode()
    assert SESSION_KEY not in client.session
    assert _login(client, "ent_admin", PASSWORD, "10.22.1.7").status_code == 302  # the owner is not


# --- X-Forwarded-Proto is trusted only behind a declared proxy ---------------------------------------


def _proxy_ssl_header(**env):
    code = "import zhouqiao.settings as s; print(getattr(s, 'SECURE_PROXY_SSL_HEADER', None))"
    environ = {k: v for k, v in os.environ.items() if k != "TRUSTED_PROXY_HEADER"}
    result = subprocess.run(
        [sys.executable, "-c", code],
        env={**environ, "DEBUG": "0", **env},
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.strip()


def test_forwarded_proto_is_ignored_without_a_trusted_proxy():
    assert _proxy_ssl_header() == "None"


def test_forwarded_proto_is_trusted_behind_a_declared_proxy():
    assert _proxy_ssl_header(TRUSTED_PROXY_HEADER="HTTP_X_REAL_IP") == "('HTTP_X_FORWARDED_PROTO', 'https')"


def test_a_malformed_rate_fails_the_system_check(settings):
    from zhouqiao.ops.checks import rate_limits

    assert rate_limits(None) == []
    settings.RATELIMITS = {"search": {"ip": "sixty a minute", "account": "5/0m"}}
    assert [e.id for e in rate_limits(None)] == ["zhouqiao.ops.E001", "zhouqiao.ops.E001"]


def test_wrong_second_step_codes_count_as_failed_logins(client, audit_admin, small_limits):
    """Six-digit codes cannot be guessed at speed: a wrong code counts as a failed login."""
    from django.utils import timezone

    from zhouqiao.accounts.models import TotpDevice

    now = timezone.now()
    TotpDevice.objects.create(
        user=audit_admin, secret="JBSWY3DPEHPK3PXPJBSWY3DP", created_at=now, confirmed_at=now
    )
    assert _login(client, "audit_admin", PASSWORD, "10.9.9.9")["Location"] == "/login/verify/"
    answers = [
        client.post("/login/verify/", {"code": "123456"}, REMOTE_ADDR="10.9.9.9").status_code
        for _ in range(3)
    ]
    assert answers == [200, 200, 200]  # the code form again, with its error
    _assert_login_refused(client.post("/login/verify/", {"code": "123456"}, REMOTE_ADDR="10.9.9.9"))
