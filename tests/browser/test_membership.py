"""Membership by consent in a real browser: an organisation's admin invites a person, who signs in,
finds the invitation among their to-dos and accepts it. Nobody is a member before that."""

import pytest
from playwright.sync_api import expect

from tests.browser.a11y import assert_accessible
from tests.factories import PASSWORD
from zhouqiao.accounts.models import Membership

pytestmark = pytest.mark.browser


def _sign_in(page, username):
    page.goto("/")
    page.locator("header").get_by_role("link", name="登录", exact=True).click()
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.locator("main").get_by_role("button", name="登录", exact=True).click()
    expect(page.get_by_role("heading", name="个人工作台")).to_be_visible()


def test_an_invited_person_accepts_and_only_then_is_a_member(
    page, enterprise, enterprise_user, university_user
):
    _sign_in(page, "ent_admin")
    page.get_by_role("link", name="机构邀请与成员管理").click()
    page.get_by_role("link", name="成员管理").click()
    expect(page.get_by_role("heading", name="邀请成员")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("被邀请人的用户名").fill("uni_admin")
    page.get_by_role("button", name="发出邀请").click()
    expect(page.get_by_text("对方接受后即成为本机构成员")).to_be_visible()
    expect(page.get_by_role("heading", name="等待答复的邀请")).to_be_visible()
    assert not Membership.objects.filter(user=university_user, organisation=enterprise).exists()
    page.locator("header").get_by_role("button", name="退出").click()

    _sign_in(page, "uni_admin")
    todo = page.locator("section.todo-group", has_text="邀请您加入的机构")
    todo.get_by_role("link", name=enterprise.name).click()
    expect(page.get_by_role("heading", name="邀请您加入的机构")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="接受邀请").click()
    expect(page.get_by_text("已同意，成员关系已生效。")).to_be_visible()
    joined = page.locator("section", has=page.get_by_role("heading", name="已加入的机构"))
    expect(joined.get_by_role("link", name=enterprise.name)).to_be_visible()
    assert Membership.objects.filter(user=university_user, organisation=enterprise).exists()
