"""Pickers in a real browser: the province → city → county cascade on the registration page, and
the industry input's suggestions."""

import pytest
from playwright.sync_api import expect

from tests.browser.a11y import assert_accessible
from tests.factories import PASSWORD, credit_code_in
from zhouqiao.accounts.models import Organisation

pytestmark = pytest.mark.browser


def log_in_through_the_form(page, username):
    page.goto("/")
    page.locator("header").get_by_role("link", name="登录", exact=True).click()
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.locator("main").get_by_role("button", name="登录", exact=True).click()
    expect(page.get_by_role("heading", name="个人工作台")).to_be_visible()


def test_registration_picks_the_region_from_the_cascade(page, reference):
    page.goto("/")
    page.locator("header").get_by_role("link", name="注册").click()
    cascade = page.get_by_role("group", name="所在地区")
    expect(cascade).to_be_visible()
    expect(page.locator("#id_org_region")).to_be_hidden()  # the no-JS select, kept for the form
    assert_accessible(page)

    page.fill("#id_username", "picker_user")
    page.fill("#id_display_name", "张三")
    page.fill("#id_password", "Abcdef12!")
    page.fill("#id_password_again", "Abcdef12!")
    page.fill("#id_org_name", "德惠新农科技有限公司")
    page.select_option("#id_org_kind", "enterprise")
    page.fill("#id_org_credit_code", credit_code_in("220183"))
    cascade.get_by_label("省").select_option(label="吉林省")
    cascade.get_by_label("市").select_option(label="长春市")
    cascade.get_by_label("县（区）").select_option(label="德惠市")
    expect(page.locator("#id_org_region")).to_have_value("220183")
    page.set_input_files(
        "#id_org_document",
        files=[
            {"name": "营业执照.png", "mimeType": "image/png", "buffer": b"\x89PNG\r\n\x1a\n" + b"\0" * 32}
        ],
    )
    page.get_by_label("我已阅读并同意《个人信息保护政策》").check()
    page.get_by_role("button", name="注册").click()
    page.wait_for_url("**/workspace/")
    assert Organisation.objects.get(name="德惠新农科技有限公司").region_id == "220183"


def test_a_province_alone_is_refused_and_the_cascade_reopens_where_it_was(page, reference):
    page.goto("/")
    page.locator("header").get_by_role("link", name="注册").click()
    cascade = page.get_by_role("group", name="所在地区")
    cascade.get_by_label("省").select_option(label="北京市")
    expect(cascade.get_by_label("市")).to_be_enabled()
    cascade.get_by_label("市").select_option(label="北京市（市辖区）")
    cascade.get_by_label("县（区）").select_option(label="东城区")
    page.get_by_role("button", name="注册").click()
    expect(page.get_by_text("请填写用户名").or_(page.get_by_text("这个字段是必填项")).first).to_be_visible()
    cascade = page.get_by_role("group", name="所在地区")
    expect(cascade.get_by_label("县（区）")).to_have_value("110101")
    expect(page.locator("#id_org_region")).to_have_value("110101")


def test_the_industry_input_suggests_as_one_types_and_keeps_the_code(page, university_user):
    log_in_through_the_form(page, university_user.username)
    page.get_by_role("link", name="发布成果").first.click()
    industry = page.get_by_label("所属行业（GB/T 4754）")
    industry.fill("汽车")
    suggestions = page.locator("#id_industry_suggestions option")
    # The suggestions follow the typing after a short pause and a request; two test processes and
    # their browsers share the CI machine, so allow more than the default 5 s.
    expect(suggestions.first).to_have_attribute("value", "36 汽车制造业", timeout=15_000)
    expect(page.locator('#id_industry_suggestions option[value="3670 汽车零部件及配件制造"]')).to_have_count(
        1
    )
    assert suggestions.count() <= 20
    industry.fill("3670 汽车零部件及配件制造")  # what choosing the suggestion puts in the input
    page.get_by_label("IPC 分类号").fill("B60L15")
    expect(page.locator('#id_patent_class_suggestions option[value^="B60L 15/00 "]')).to_have_count(1)
    # (axe on this page is the catalog's: its IP table rows are not labelled yet)


def test_what_was_typed_before_the_script_arrived_still_gets_suggestions(page, university_user):
    """On a slow connection a person may type before pickers.js has run: the suggestions follow."""
    log_in_through_the_form(page, university_user.username)
    held = []
    page.route("**/pickers.js*", lambda route: held.append(route))
    page.get_by_role("link", name="发布成果").first.click()
    industry = page.get_by_label("所属行业（GB/T 4754）")
    industry.fill("汽车")
    assert held, "the script was requested"
    held[0].continue_()
    expect(page.locator("#id_industry_suggestions option").first).to_have_attribute(
        "value", "36 汽车制造业", timeout=15_000
    )
