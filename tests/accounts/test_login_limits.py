"""An office behind one public address signs in (finding: ten logins locked a whole office out):
successful logins never count against the login limit; failures count per account name (five lock
that name at that address, with the time to try again) and per address with a far higher ceiling."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth import SESSION_KEY
from django.test import Client

import zhouqiao.settings as configured
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

OFFICE = "202.98.0.10"  # one public address for the whole office
START = datetime(2026, 5, 11, 9, 0, 30, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture
def real_limits(settings):
    """The shipped login limits (the suite's own settings lift them for every other test)."""
    settings.RATELIMITS = {**settings.RATELIMITS, "login": configured.RATELIMITS["login"]}
    with time_machine.travel(START, tick=False):
        yield settings


def _login(client, username, password=PASSWORD):
    return client.post("/login/", {"username": username, "password": password}, REMOTE_ADDR=OFFICE)


def test_the_limits_are_the_documented_ones():
    assert configured.RATELIMITS["login"] == {"ip": "100/10m", "account": "20/10m"}


def test_fifteen_colleagues_sign_in_from_one_address_twice_each(real_limits, reference):
    staff = [UserFactory(username=f"office{n:02d}") for n in range(15)]
    for _round in range(2):  # the morning, and again after the idle timeout
        for person in staff:
            browser = Client()
            response = _login(browser, person.username)
            assert response.status_code == 302, person.username
            assert browser.session[SESSION_KEY] == str(person.pk)


def test_six_wrong_passwords_lock_that_account_name_only(real_limits, reference):
    UserFactory(username="clumsy")
    UserFactory(username="colleague")
    browser = Client()
    answers = [_login(browser, "clumsy", "Wrong@Pass1") for _ in range(6)]
    assert [a.status_code for a in answers] == [200, 200, 200, 200, 429, 429]  # the fifth failure locks
    sixth = answers[-1]
    page = sixth.content.decode()
    assert "该账号已被锁定30分钟" in page and "请于09:31后再试" in page  # locked at 09:00:30
    assert sixth["Retry-After"] == "1800"
    # the right password does not get round the lock either
    assert _login(Client(), "clumsy").status_code == 429
    # a colleague at the same address signs in
    colleague = Client()
    assert _login(colleague, "colleague").status_code == 302
    assert SESSION_KEY in colleague.session
