"""Journeys through the technology market on the demo portal: open a negotiation and reach a deal;
register for an auction, have the deposit confirmed and bid. Each starts at the home page, signs in
through the form and clicks only what the screen shows; the other side learns what waits for it
from its messages (消息) or its to-do list (待办)."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.a11y import assert_accessible

pytestmark = pytest.mark.browser

# A published achievement of 吉林大学 in the demo catalog (only it has this title), offered for
# transfer, with no listing or auction of its own.
ACHIEVEMENT = "生物制剂新型佐剂疫苗递送技术"
# The demo auction of 吉林大学 that is live now (长春市朝阳区; deposit 3万元, current price 33万元).
AUCTION = "乙烯装置重油加氢催化剂再生技术"


def _open_market(journey) -> None:
    """The 技术交易 menu item, then (while it still opens a page of links) the market itself."""
    journey.link("技术交易", within=journey.page.locator("nav.functions"), exact=True)
    if not journey.page.url.rstrip("/").endswith("/market"):
        journey.link("科技大市场：挂牌与拍卖", within=journey.page.locator("main"))
    expect(journey.page.get_by_role("heading", level=1)).to_contain_text("科技大市场")


def test_an_enterprise_opens_a_negotiation_and_the_university_accepts_its_offer(journey):
    page = journey.page
    journey.log_in("enterprise")

    # Find the technology by keyword and ask its owner.
    page.fill("#site-q", "疫苗递送")
    journey.button("搜索", within=page.locator("header"), exact=True)
    journey.link(ACHIEVEMENT, within=page.locator("main"), exact=True)
    journey.link("发起洽谈", within=page.locator("main"), exact=True)
    page.fill("#id_message", "我司拟将该技术用于新型疫苗产线，希望了解转让条件。")
    journey.button("发起洽谈", within=page.locator("main"), exact=True)
    expect(page.get_by_role("heading", level=1)).to_contain_text(ACHIEVEMENT)
    assert_accessible(page)

    # An offer: 50万元 for a transfer.
    page.fill("#id_amount", "500000")
    page.select_option("#id_mode", label="转让")
    page.fill("#id_terms", "一次性支付，三个月内完成技术交底。")
    journey.button("发出报价", within=page.locator("main"))
    journey.see("报价已发出")
    expect(page.locator("#latest-offer")).to_contain_text("50万元")
    journey.see("正在等待对方答复")
    expect(page.get_by_role("button", name=re.compile("接受对方报价"))).to_have_count(0)
    journey.log_out()

    # The university is told: a negotiation was opened and an offer waits for its answer.
    journey.log_in("university")
    journey.link("消息", within=page.locator("header"))
    journey.see("发起洽谈")
    journey.button(re.compile(r"报价50万元.*请答复"), within=page.locator("main"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(ACHIEVEMENT)
    expect(page.locator("#latest-offer")).to_contain_text("中国第一汽车集团有限公司")
    journey.button("接受对方报价50万元", within=page.locator("main"))
    journey.see("已接受报价，交易达成")
    journey.see("双方已达成交易")
    journey.link("查看交易", within=page.locator("main"))
    expect(page.locator("#deal-facts")).to_contain_text("50万元")
    expect(page.locator("#deal-facts")).to_contain_text("中国第一汽车集团有限公司")
    expect(page.locator("#deal-contract")).to_contain_text("等待本单位完善并提交认定登记")
    assert_accessible(page)
    journey.within_budget(16)


def test_an_enterprise_registers_for_an_auction_pays_the_deposit_and_bids(journey):
    page = journey.page
    journey.log_in("enterprise_county")

    _open_market(journey)
    assert_accessible(page)
    journey.link(AUCTION, within=page.locator("main"), exact=True)
    assert_accessible(page)
    journey.button("报名竞买", within=page.locator("main"))
    journey.see("报名成功")
    journey.see("请缴纳保证金3万元")
    expect(page.get_by_role("button", name="出价")).to_have_count(0)
    journey.log_out()

    # The city bureau's finance officer finds the deposit in the to-do list and records it.
    journey.log_in("city_staff")
    journey.link("待办", within=page.locator("header"))
    journey.see("待确认到账的竞买保证金")
    row = page.locator("tr", has_text="德惠市禾丰农产品深加工有限公司")
    journey.link(AUCTION, within=row)
    row = page.locator("tr", has_text="德惠市禾丰农产品深加工有限公司")
    row.get_by_placeholder("缴款凭证号").fill("DH-2026-0001")
    journey.button("登记到账", within=row)
    journey.see("已发放竞买号")
    journey.log_out()

    # The enterprise is told its deposit arrived and bids the prefilled minimum (34万元).
    journey.log_in("enterprise_county")
    journey.link("消息", within=page.locator("header"))
    journey.button(re.compile("保证金3万元已到账"), within=page.locator("main"))
    expect(page.locator("#minimum-bid")).to_have_text("34万元")
    journey.button("出价", within=page.locator("main"), exact=True)
    journey.see("出价成功：34万元")
    expect(page.locator("#current-price")).to_have_text("34万元")
    expect(page.locator("#my-lead")).to_have_text("您当前领先")
    journey.within_budget(20)
