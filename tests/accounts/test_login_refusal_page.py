"""One refusal page for the login form (tester's finding: after five failures a lock page said
"请于02:13后再试", after the 21st a bare "429" page said "请于01:51后再试" with no 忘记密码): the axes
lock and the failures limit of the account name show the same page, with one time — the later end."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

import zhouqiao.settings as configured
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

START = datetime(2026, 5, 11, 9, 0, 30, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture
def real_limits(settings):
    settings.RATELIMITS = {**settings.RATELIMITS, "login": configured.RATELIMITS["login"]}
    with time_machine.travel(START, tick=False) as clock:
        yield clock


def _login(client, password="Wrong@Pass1"):
    return client.post("/login/", {"username": "clumsy", "password": password}, REMOTE_ADDR="202.98.0.10")


def _assert_one_page(response, time):
    page = response.content.decode()
    assert response.status_code == 429
    assert f"请于{time}后再试" in page
    assert "<title>账号已锁定" in page and "<h1>账号已锁定</h1>" in page
    assert 'class="error-code"' not in page  # no bare "429"
    assert f'href="{reverse("web:password_reset")}">忘记密码' in page
    assert f'href="{reverse("web:login")}">返回登录页' in page


def test_the_lock_and_the_failures_limit_show_one_page_with_the_later_time(real_limits, reference):
    UserFactory(username="clumsy")
    browser = Client()
    answers = [_login(browser) for _ in range(5)]
    assert answers[-1].status_code == 429  # the fifth failure locks until 09:31 (30 minutes)
    _assert_one_page(answers[-1], "09:31")
    real_limits.shift(timedelta(minutes=5))
    for _ in range(15):  # the account name's limit (20 in ten minutes) fills up; its window ends 09:10
        _login(browser)
    twenty_first = _login(browser)
    _assert_one_page(twenty_first, "09:31")
    assert "该账号已被锁定30分钟" in twenty_first.content.decode()
    assert int(twenty_first["Retry-After"]) == 1800 - 5 * 60


def test_the_failures_limit_ending_after_the_lock_gives_its_own_time(real_limits, reference, settings):
    settings.AXES_COOLOFF_TIME = timedelta(minutes=2)  # a lock shorter than the limit's window
    UserFactory(username="clumsy")
    browser = Client()
    for _ in range(20):
        _login(browser)
    _assert_one_page(_login(browser), "09:10")  # the account name's 10-minute window ends 09:10
    real_limits.shift(timedelta(minutes=10))
    assert _login(browser, PASSWORD).status_code == 302
