"""The journey suite: a person starts at the home page of the demo portal, signs in through the form
and then only clicks what the screen shows. No URL is typed after the home page.

Each journey counts its clicks (link or button presses; typing and picking are not clicks) and fails
above the budget written in its test, so that a new detour in a journey is noticed.
"""

import pyotp
import pytest
from django.db import connection
from playwright.sync_api import expect

from tests.demo_snapshot import load_demo
from zhouqiao.accounts.demo import DEMO_PASSWORD, DEMO_TOTP_SECRET


@pytest.fixture
def demo(live_server, reference):
    """The live server with the demo data (`zhouqiao demo`) loaded.

    The journeys walk the demo portal, which `make demo` serves on SQLite, so they run in the SQLite
    pass of `make test` only, like every browser test (tests/browser/conftest.py); what differs
    between the databases (locks, concurrency, search backends) is tested on both.

    The first journey loads the demo (about 7 s) and keeps a copy of the whole database in memory;
    each later journey starts from that copy (SQLite's backup API), so every journey sees the same
    freshly loaded demo, as the first one did."""
    if connection.vendor != "sqlite":
        pytest.skip("the journeys walk the demo portal on SQLite (make demo); see the docstring")
    load_demo()  # one copy per test process, shared with tests/security/test_access_matrix.py
    return live_server


class Journey:
    """A person's way through the portal, counting clicks."""

    def __init__(self, page):
        self.page = page
        self.clicks = 0

    def start(self):
        self.page.goto("/")
        return self

    def click(self, target):
        """Click a link or button; ``target`` is a Playwright locator that must be visible."""
        expect(target).to_be_visible()
        target.click()
        self.clicks += 1
        self.page.wait_for_load_state("load")

    def link(self, name, *, within=None, exact=False):
        scope = within if within is not None else self.page
        self.click(scope.get_by_role("link", name=name, exact=exact).first)

    def button(self, name, *, within=None, exact=False):
        scope = within if within is not None else self.page
        self.click(scope.get_by_role("button", name=name, exact=exact).first)

    def log_in(self, username: str, password: str = DEMO_PASSWORD):
        """From wherever the person is: the header's 登录 link, then the form."""
        self.link("登录", within=self.page.locator("header"), exact=True)
        self.page.fill("#id_username", username)
        self.page.fill("#id_password", password)
        self.button("登录", within=self.page.locator("main"), exact=True)
        if "/login/verify/" in self.page.url:  # the demo's administrators use a second factor (README)
            self.page.fill("#id_code", pyotp.TOTP(DEMO_TOTP_SECRET).now())
            self.page.get_by_role("button", name="验证并登录").click()  # part of signing in: not counted
            self.page.wait_for_load_state("load")

    def log_out(self):
        self.button("退出", within=self.page.locator("header"), exact=True)

    def see(self, text, exact=False):
        expect(self.page.get_by_text(text, exact=exact).first).to_be_visible()

    def within_budget(self, budget: int):
        assert self.clicks <= budget, f"{self.clicks} clicks, budget {budget}"


@pytest.fixture
def journey(page, demo):
    return Journey(page).start()
