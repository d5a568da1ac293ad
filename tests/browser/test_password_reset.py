"""忘记密码 in a real browser: from the login page's link to signing in with the new password."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from tests.browser.a11y import assert_accessible
from tests.factories import PASSWORD

pytestmark = pytest.mark.browser

NEW = "Changbai@2027"


def test_a_person_who_forgot_the_password_sets_a_new_one_by_email(page, enterprise_user):
    page.goto("/")
    page.locator("header").get_by_role("link", name="登录", exact=True).click()
    page.get_by_role("link", name="忘记密码？").click()
    expect(page.get_by_role("heading", name="找回密码")).to_be_visible()
    assert_accessible(page)

    page.get_by_label("注册时填写的电子邮箱").fill("ent_admin@example.cn")
    page.get_by_role("button", name="发送重设链接").click()
    expect(page.get_by_role("heading", name="请查收邮件")).to_be_visible()
    assert_accessible(page)

    [message] = mail.outbox
    link = re.search(r"https?://\S+/account/password/reset/\S+/\S+/", message.body).group(0)
    page.goto(link)  # the person opens the link in the e-mail
    expect(page.get_by_role("heading", name="设置新密码")).to_be_visible()
    assert_accessible(page)
    page.fill("#id_new_password1", NEW)
    page.fill("#id_new_password2", NEW)
    page.get_by_role("button", name="保存新密码").click()
    expect(page.get_by_role("heading", name="密码已重设")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="去登录").click()
    page.fill("#id_username", "ent_admin")
    page.fill("#id_password", PASSWORD)
    page.locator("main").get_by_role("button", name="登录").click()
    expect(page.get_by_text("请输入一个正确的")).to_be_visible()  # the old password no longer works
    page.fill("#id_password", NEW)
    page.locator("main").get_by_role("button", name="登录").click()
    expect(page.get_by_role("heading", name="个人工作台")).to_be_visible()


def test_a_spent_link_says_so_in_the_site_frame(page, enterprise_user):
    page.goto("/account/password/reset/MQ/bad-token/")
    expect(page.get_by_role("heading", name="链接无效")).to_be_visible()
    expect(page.get_by_role("link", name="重新获取链接")).to_be_visible()
    assert_accessible(page)
