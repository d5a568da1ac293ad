"""Posting to the libraries as the people doing it: an enterprise posts a technology demand from
the home page's 发布需求 button and submits it for review; a university publishes an achievement,
the city's reviewer (Changchun) finds it in the to-do list and approves it, and a visitor then finds
it in the achievement library. No URL is typed after the home page."""

import pytest
from playwright.sync_api import expect

from tests.browser.a11y import assert_accessible
from zhouqiao.accounts.demo import DEMO_PASSWORD

pytestmark = pytest.mark.browser

DEMAND = "冷轧板表面缺陷在线检测（旅程测试）"
ACHIEVEMENT = "玉米秸秆低温糖化制乙醇工艺（旅程测试）"


def _main(journey):
    return journey.page.locator("main")


def _header(journey):
    return journey.page.locator("header")


def _sign_in_on_the_form(journey, username):
    """The login form a button led to (it returns to that button's page)."""
    journey.page.fill("#id_username", username)
    journey.page.fill("#id_password", DEMO_PASSWORD)
    journey.button("登录", within=_main(journey), exact=True)


def test_an_enterprise_posts_a_demand(journey):
    page = journey.page
    journey.link("发布需求", within=_main(journey), exact=True)
    _sign_in_on_the_form(journey, "enterprise")
    expect(page.get_by_role("heading", name="发布技术需求")).to_be_visible()
    assert_accessible(page)  # the demand form
    page.fill("#id_title", DEMAND)
    page.fill("#id_summary", "寻求冷轧板表面缺陷在线视觉检测方案。")
    page.fill("#id_problem", "人工抽检漏检率高，需在线检测划伤、辊印等缺陷。")
    page.get_by_label("合作开发").check()
    page.get_by_label("公开", exact=True).check()
    journey.button("保存", within=_main(journey), exact=True)
    expect(page.get_by_role("heading", name=DEMAND)).to_be_visible()
    journey.button("提交审核", within=_main(journey), exact=True)
    journey.see("待审核")
    expect(page.get_by_role("button", name="审核通过并发布")).to_have_count(0)
    journey.within_budget(4)


def test_an_achievement_is_submitted_approved_and_published(journey):
    page = journey.page

    # The university posts and submits it.
    journey.link("发布成果", within=_main(journey), exact=True)
    _sign_in_on_the_form(journey, "university")
    expect(page.get_by_role("heading", name="发布科技成果")).to_be_visible()
    page.fill("#id_title", ACHIEVEMENT)
    page.fill("#id_abstract", "以玉米秸秆为原料，低温酶解糖化后发酵制燃料乙醇，糖化率提高约20%。")
    page.select_option("#id_readiness", "6")
    page.get_by_label("转让", exact=True).check()
    page.get_by_label("第1项知识产权：类型").select_option(label="发明专利")
    page.get_by_label("第1项知识产权：申请号/登记号").fill("ZL202410000001.X")
    assert_accessible(page)  # the achievement form, its IP rows labelled
    journey.button("保存", within=_main(journey), exact=True)
    expect(page.get_by_role("heading", name=ACHIEVEMENT)).to_be_visible()
    journey.button("提交审核", within=_main(journey), exact=True)
    journey.see("待审核")
    journey.log_out()

    # Changchun's reviewer finds it among the to-dos and approves it.
    journey.log_in("city_staff")
    journey.link("待办", within=_header(journey))
    journey.link(ACHIEVEMENT, within=_main(journey))
    assert_accessible(page)  # the achievement under review
    journey.button("审核通过并发布", within=_main(journey), exact=True)
    journey.see("已发布")
    journey.link("成果展示", within=page.locator("nav.functions"), exact=True)
    journey.link("成果与需求审核", within=page.get_by_role("navigation", name="成果展示"), exact=True)
    expect(page.get_by_role("heading", name="成果需求审核")).to_be_visible()
    expect(_main(journey).get_by_role("link", name=ACHIEVEMENT)).to_have_count(0)
    assert_accessible(page)  # the review queue
    journey.log_out()

    # A visitor now finds it in the achievement library.
    journey.link("成果展示", within=page.locator("nav.functions"), exact=True)
    journey.link(ACHIEVEMENT, within=_main(journey))
    expect(page.get_by_role("heading", name=ACHIEVEMENT)).to_be_visible()
    journey.within_budget(15)
