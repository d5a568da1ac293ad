"""账号安全 in a real browser: a token's key shown once on the page that made it, the list of signed-in
sessions, and enrolling an authenticator from its QR code."""

import pyotp
import pytest
from playwright.sync_api import expect

from tests.browser.a11y import assert_accessible
from tests.factories import PASSWORD
from zhouqiao.accounts.models import ApiToken, TotpDevice

pytestmark = pytest.mark.browser


def test_a_person_makes_a_token_sees_the_sessions_and_enrols_a_second_factor(page, enterprise_user):
    page.goto("/")
    page.locator("header").get_by_role("link", name="登录", exact=True).click()
    page.fill("#id_username", "ent_admin")
    page.fill("#id_password", PASSWORD)
    page.locator("main").get_by_role("button", name="登录", exact=True).click()
    expect(page.get_by_role("heading", name="个人工作台")).to_be_visible()

    page.get_by_role("link", name="API 访问令牌").click()
    page.get_by_label("令牌名称").fill("数据同步脚本")
    page.get_by_label("权限").select_option("write")
    page.get_by_role("button", name="创建令牌").click()
    key = page.locator("#new-token").inner_text()
    assert ApiToken.hash(key) == ApiToken.objects.get().key_hash
    expect(page.get_by_role("cell", name="读写")).to_be_visible()
    assert_accessible(page)
    assert all(key not in c["value"] for c in page.context.cookies())

    page.locator("header").get_by_role("link", name=str(enterprise_user)).click()  # the workspace
    page.get_by_role("link", name="登录会话").click()
    expect(page.get_by_text("（本会话）")).to_be_visible()
    assert_accessible(page)

    page.locator("header").get_by_role("link", name=str(enterprise_user)).click()
    page.get_by_role("link", name="动态口令").click()
    page.get_by_role("button", name="开始绑定").click()
    expect(page.locator("figure.qr svg")).to_be_visible()
    assert_accessible(page)
    secret = TotpDevice.objects.get().secret
    page.get_by_role("textbox", name="动态口令").fill(pyotp.TOTP(secret).now())
    page.get_by_role("button", name="完成绑定").click()
    expect(page.get_by_text("动态口令已绑定")).to_be_visible()
    assert TotpDevice.objects.get().confirmed
