"""A subsidy (免申即享) as the people taking it: a visitor reads the policy clauses and tries the
calculator; the enterprise finds the subsidy its registered contract earned in its to-do list and
confirms it; the city's finance officer approves it first (from the to-do list); the province's
finance officer, a different person as the rules require, approves it second from the finance desk
with a batch approval; the enterprise is told and sees it approved, waiting for payment."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.a11y import assert_accessible

pytestmark = pytest.mark.browser

# The demo's 车用轻量化镁合金成形技术专利权转让 (280万元, 吉林大学 → 一汽) earns 一汽 001#16:
# 15% of the contract amount = 42万元, paid by Changchun (220100): city and province finance.
SUBSIDY = "企业转化高校院所科技成果补助：中国第一汽车集团有限公司，42万元"


def _menu(journey):
    return journey.page.locator("nav.functions")


def _policy_nav(journey):
    return journey.page.locator("main nav.chips")


def test_a_subsidy_is_confirmed_and_approved_twice(journey):
    page = journey.page

    # A visitor: the policy clauses in plain words, then the calculator.
    journey.link("信息发布", within=_menu(journey), exact=True)  # the notices first
    journey.link("政策条款与奖补规则", within=journey.page.locator("nav.subnav"), exact=True)
    expect(page.get_by_role("heading", level=1)).to_have_text("政策条款与奖补规则")
    journey.see("《长春市进一步加快科技创新发展的若干政策措施》第十六条")
    expect(page.locator("td li", has_text="技术合同金额超过50万元").first).to_be_visible()
    way = page.locator("td.way", has_text="免申即享").first
    lines = way.evaluate(
        "e => { const r = document.createRange(); r.selectNodeContents(e); return r.getClientRects().length; }"
    )
    assert lines == 1  # 免申即享 on one line, not one character a line
    assert_accessible(page)
    journey.link("政策计算器", within=_policy_nav(journey), exact=True)
    journey.button("计算", within=page.locator("main"), exact=True)
    journey.see("买方（成果承接企业）")
    assert_accessible(page)

    # The enterprise confirms its subsidy from its to-do list.
    journey.log_in("enterprise")
    journey.link("待办", within=page.locator("header"))
    journey.link(SUBSIDY, within=page.locator("main"), exact=True)
    expect(page.get_by_role("heading", level=1)).to_contain_text("待确认")
    expect(page.get_by_role("button", name="财务初审通过")).to_have_count(0)
    assert_accessible(page)  # the entitlement, with only the enterprise's button
    journey.button("确认兑现")
    expect(page.get_by_role("heading", level=1)).to_contain_text("待财务初审")
    expect(page.locator("main button")).to_have_count(0)  # nothing left for the enterprise to press
    journey.log_out()

    # The city's finance officer: first approval, from the to-do list.
    journey.log_in("city_staff")
    journey.link("待办", within=page.locator("header"))
    journey.link(SUBSIDY, within=page.locator("main"), exact=True)
    journey.button("财务初审通过")
    expect(page.get_by_role("heading", level=1)).to_contain_text("待财务复审")
    expect(page.get_by_role("button", name="财务复审通过")).to_have_count(0)  # not twice by one person
    journey.log_out()

    # The province's finance officer: second approval on the finance desk, filtered, as a batch.
    journey.log_in("province_staff")
    journey.link("待办", within=page.locator("header"))
    journey.link(SUBSIDY, within=page.locator("main"), exact=True)
    journey.link("财务办理", within=_policy_nav(journey), exact=True)
    page.select_option("#id_status", "first_approved")
    page.fill("#id_organisation", "第一汽车")
    journey.button("筛选", within=page.locator("main"), exact=True)
    assert_accessible(page)  # the finance desk with its filters and checkboxes
    row = page.locator("table.finance tbody tr", has_text="企业转化高校院所科技成果补助")
    expect(row).to_have_count(1)
    journey.click(row.get_by_role("checkbox"))
    journey.button("所选事项复审通过")
    journey.see("已财务复审通过1项")
    journey.log_out()

    # The enterprise is told, and sees it approved.
    journey.log_in("enterprise")
    journey.link(re.compile("^消息"), within=page.locator("header"))
    journey.button(re.compile("已通过财务审核"), within=page.locator("main"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("待拨付")
    journey.see("已财务复审")
    journey.within_budget(29)
