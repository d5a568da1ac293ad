"""The workspace and the back office show what waits on the person, with the header's counts."""

import re

import pyotp
import pytest

from zhouqiao.accounts.demo import DEMO_PASSWORD, DEMO_TOTP_SECRET
from zhouqiao.accounts.models import Organisation
from zhouqiao.core import clock
from zhouqiao.core.money import format_yuan
from zhouqiao.notifications.selectors import todos_for
from zhouqiao.vouchers.selectors import voucher_balance

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(demo_data, db):
    """The demo data, loaded once for the module (tests/conftest.py)."""


def _sign_in(client, username):
    response = client.post("/login/", {"username": username, "password": DEMO_PASSWORD})
    if response.url == "/login/verify/":  # the demo administrators' second factor (README)
        response = client.post("/login/verify/", {"code": pyotp.TOTP(DEMO_TOTP_SECRET).now()})
    assert response.status_code == 302 and response.url != "/login/verify/"


def _header_count(html: str, css_class: str) -> int:
    found = re.search(rf'class="{css_class}">[^<]*(?:<span class="badge">(\d+))?', html)
    return int(found.group(1) or 0)


def test_the_enterprise_workspace_shows_its_voucher_balance_and_what_waits_on_it(client, demo):
    _sign_in(client, "enterprise")
    from zhouqiao.accounts.models import User

    user = User.objects.get(username="enterprise")
    groups = todos_for(user, now=clock.now())
    assert groups, "the demo enterprise has subsidies to confirm"
    html = client.get("/workspace/").content.decode()
    org = Organisation.objects.get(memberships__user=user)
    assert "科技创新券余额" in html and format_yuan(voucher_balance(org)) in html
    for group in groups:
        assert group.label in html
        assert group.items[0].todo.url in html
    assert _header_count(html, "todo") == sum(len(g.items) for g in groups)
    assert "发布需求" in html and "发布成果" in html


def test_the_back_office_lists_the_reviewers_queue_with_overdue_flags(client, demo):
    _sign_in(client, "city_staff")
    html = client.get("/office/").content.decode()
    assert "待审核的科技成果" in html and "已超期" in html
    assert "个机构待审核" not in html


def test_administrators_without_business_duties_have_nothing_waiting(client, demo):
    _sign_in(client, "audit_admin")
    html = client.get("/workspace/").content.decode()
    assert _header_count(html, "todo") == 0
    assert "目前没有等待您办理的事项" in html


def test_the_header_count_follows_new_work_within_a_minute_and_at_once_after_ones_own_write(
    client, demo, monkeypatch
):
    import time

    from tests.factories import OrganisationFactory, credit_code_in, member_of
    from zhouqiao.accounts import services as accounts
    from zhouqiao.notifications import selectors

    _sign_in(client, "city_staff")
    before = _header_count(client.get("/market/").content.decode(), "todo")

    applicant = member_of(
        OrganisationFactory(name="长春某已认证企业", region_id="220104"), username="applicant"
    )

    def newcomer(name):
        accounts.register_organisation(
            actor=applicant,
            data={
                "name": name,
                "kind": "enterprise",
                "credit_code": credit_code_in("220104"),
                "region": "220104",
            },
            document=(b"%PDF-1.4 licence scan", "营业执照.pdf"),
            now=clock.now(),
        )

    newcomer("长春新来科技有限公司")
    assert _header_count(client.get("/market/").content.decode(), "todo") == before  # kept for a minute
    later = time.time() + selectors.HEADER_COUNT_SECONDS + 1
    monkeypatch.setattr(selectors.time, "time", lambda: later)
    assert _header_count(client.get("/market/").content.decode(), "todo") == before + 1

    newcomer("长春又来科技有限公司")
    client.post("/inbox/read/")  # the person's own write
    assert _header_count(client.get("/market/").content.decode(), "todo") == before + 2
