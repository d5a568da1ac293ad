"""Portal journeys: the menu takes a person straight to the working page of each function, the home
page shows what exists, and the portal's own pages pass axe-core (0 serious/critical)."""

import pytest
from playwright.sync_api import expect

from tests.browser.a11y import assert_accessible

pytestmark = pytest.mark.browser


def _menu(journey):
    return journey.page.locator("nav.functions")


def test_a_visitor_finds_an_achievement_from_the_menu_in_two_clicks(journey):
    page = journey.page
    assert_accessible(page)  # the home page: figures, listings, buttons
    expect(page.locator(".figures")).to_contain_text("已发布科技成果")
    expect(page.get_by_role("link", name="发布需求")).to_be_visible()
    journey.link("成果展示", within=_menu(journey), exact=True)  # the library itself, no page of links
    expect(page.get_by_role("heading", level=1)).to_contain_text("成果")
    strip = page.locator("nav.subnav")
    expect(strip.get_by_role("link", name="企业技术需求库")).to_be_visible()
    assert_accessible(page)
    journey.click(page.locator("main .results a, main table a, main .list a").first)
    assert "/catalog/achievements/" in page.url
    journey.within_budget(2)


def test_a_visitor_who_wants_to_post_a_demand_is_asked_to_sign_in_first(journey):
    journey.link("发布需求", within=journey.page.locator("main"), exact=True)
    expect(journey.page.locator("#id_username")).to_be_visible()
    assert_accessible(journey.page)  # the login page
    journey.page.fill("#id_username", "enterprise")
    journey.page.fill("#id_password", "Zhouqiao@2026")
    journey.button("登录", within=journey.page.locator("main"), exact=True)
    assert journey.page.url.endswith("/catalog/demands/new/")
    journey.within_budget(2)


def test_city_staff_open_the_indicators_from_the_menu(journey):
    journey.log_in("city_staff")
    journey.link("数据集中", within=_menu(journey), exact=True)
    assert "/insights/" in journey.page.url
    expect(journey.page.locator("select[name=region] option:checked")).to_have_text("吉林省长春市")
    expect(journey.page.locator("nav.subnav").get_by_role("link", name="开放数据与接口")).to_be_visible()
    assert_accessible(journey.page)
    journey.within_budget(3)


def test_the_audit_administrator_reads_the_log_in_words(journey):
    journey.log_in("audit_admin")
    journey.link("管理后台", within=journey.page.locator("header"), exact=True)
    assert_accessible(journey.page)  # the office: the duty's working pages
    journey.link("查询与导出审计记录", within=journey.page.locator("#duty-pages"))
    login = journey.page.locator(
        "main tbody td", has=journey.page.locator("small.ref", has_text="auth.login")
    )
    expect(login.first).to_contain_text("登录")  # the action in words, the code only as a small reference
    assert_accessible(journey.page)
    journey.within_budget(4)


def test_organisations_page_is_reachable_from_the_resources_strip(journey):
    journey.link("资源整合", within=_menu(journey), exact=True)
    assert "/facilities/" in journey.page.url
    assert_accessible(journey.page)
    journey.link("机构名录", within=journey.page.locator("nav.subnav"), exact=True)
    expect(journey.page.get_by_role("heading", name="机构名录")).to_be_visible()
    assert_accessible(journey.page)
    journey.within_budget(2)
