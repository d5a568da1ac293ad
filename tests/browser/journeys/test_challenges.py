"""揭榜挂帅 as the people taking it, in two journeys.

1. 一汽 turns one of its published demands into a challenge with verifiable indicators and submits
   it; the province's program officer finds it in the to-do list and publishes it; two teams (长春光机所
   and a testing company) answer it; the officer ends collection and invites the suggested expert.
2. From the demo's challenge 评审中: the expert scores both proposals from the to-do list; 一汽
   compares the scores and selects one, which drafts the 技术开发 contract; the team reports its
   deliverable; 一汽 accepts it, enters the measured values in the final acceptance, and sees the
   001#4 subsidy application it created.
"""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.a11y import assert_accessible

pytestmark = pytest.mark.browser

TITLE = "旅程：电驱动功率模块散热攻关"


def _menu(journey):
    return journey.page.locator("nav.functions")


def _main(journey):
    return journey.page.locator("main")


def _propose(journey, user: str, route: str, price: str):
    page = journey.page
    journey.log_in(user)
    journey.link("项目管理", within=_menu(journey), exact=True)
    journey.link(TITLE, within=page.locator("#board"), exact=True)
    journey.link("提交揭榜方案", within=_main(journey), exact=True)
    page.fill("#id_members", "张研究员（项目负责人）\n李工程师")
    page.fill("#id_technical_route", route)
    page.get_by_label(re.compile("^结温降低 承诺值")).fill("25")
    page.get_by_label(re.compile("^热阻 承诺值")).fill("0.12")
    page.fill("#id_price", price)
    page.fill("#id_schedule", "六个月样件，十二个月台架验证。")
    page.fill("#id_ms-0-title", "样件试制")
    page.fill("#id_ms-0-deliverable", "散热基板样件10套")
    page.fill("#id_ms-0-due_on", "2027-06-30")
    journey.button("提交揭榜方案", within=_main(journey), exact=True)
    expect(page.get_by_role("heading", level=1)).to_contain_text("已提交")
    journey.log_out()


def test_a_demand_becomes_a_published_challenge_that_two_teams_answer(journey):
    page = journey.page

    journey.log_in("enterprise")
    journey.link("项目管理", within=_menu(journey), exact=True)
    journey.link("发布榜单", within=_main(journey), exact=True)
    page.select_option("#id_demand_id", index=1)
    page.fill("#id_title", TITLE)
    page.fill("#id_summary", "电驱动总成功率模块结温过高，面向全国征集散热方案。")
    page.fill("#id_investment", "2000000")
    page.fill("#id_reward", "800000")
    page.fill("#id_deadline", "2027-01-31")
    page.fill("#id_completion_date", "2027-12-31")
    page.fill("#id_ind-0-name", "结温降低")
    page.fill("#id_ind-0-target", "20")
    page.fill("#id_ind-0-method", "台架试验，满载运行1小时")
    assert_accessible(page)  # the form with its indicator rows
    journey.button("保存榜单草稿", within=_main(journey))
    journey.see("请填写单位")  # an indicator without a unit is refused
    page.fill("#id_ind-0-unit", "℃")
    page.fill("#id_ind-1-name", "热阻")
    page.select_option("#id_ind-1-direction", label="不高于（≤）")
    page.fill("#id_ind-1-target", "0.15")
    page.fill("#id_ind-1-unit", "K/W")
    page.fill("#id_ind-1-method", "瞬态热阻测试")
    journey.button("保存榜单草稿", within=_main(journey))
    journey.button("提交科技管理部门审核")
    expect(page.locator("#challenge-status")).to_have_text("待审核")
    journey.log_out()

    journey.log_in("program_officer")
    journey.link("待办", within=page.locator("header"))
    journey.link(TITLE, within=_main(journey), exact=True)
    assert_accessible(page)  # the challenge with the officer's review form
    page.fill("#review-reason", "指标可验证，投入明确，同意发布。")
    journey.button("审核通过并发布")
    expect(page.locator("#challenge-status")).to_have_text("征集中")
    journey.log_out()

    _propose(journey, "institute", "采用双面银烧结与微通道液冷基板，优化封装热路径。", "1500000")
    _propose(journey, "provider", "以相变均温板和氮化铝陶瓷覆铜降低热阻，配合在线热成像检测。", "1200000")

    journey.log_in("program_officer")
    journey.link("项目管理", within=_menu(journey), exact=True)
    assert_accessible(page)  # the public 榜单 with the officer's queue above it
    journey.link(TITLE, within=page.locator("#queue-h").locator(".."), exact=True)
    expect(page.locator("#proposal-count")).to_have_text("2")
    # The deadline (2027-01-31) has not passed: ending collection early needs a reason and a tick.
    page.fill("#close-reason", "两份方案已齐备，发榜单位同意提前进入评审。")
    page.check("#close-confirm")
    journey.button("提前结束征集，进入专家评审")
    expect(page.locator("#challenge-status")).to_have_text("评审中")
    journey.button("邀请 王立新")
    expect(page.locator("section[aria-labelledby=panel-h]")).to_contain_text("王立新（吉林大学")
    assert_accessible(page)
    journey.within_budget(40)


def test_review_selection_contract_milestone_acceptance_and_subsidy(journey):
    page = journey.page

    journey.log_in("expert")
    journey.link("待办", within=page.locator("header"))
    group = page.locator(
        "section.todo-group", has=page.get_by_role("heading", name=re.compile("待评分的揭榜方案"))
    )
    title = group.get_by_role("link").first.inner_text()
    journey.click(group.get_by_role("link").first)
    for score, comment in (("90", "技术路线先进，团队基础扎实。"), ("72", "报价低，但检测手段不足。")):
        journey.click(page.locator("#proposals").get_by_role("link", name=re.compile("^评分")).first)
        page.fill("#id_score", score)
        page.fill("#id_comment", comment)
        journey.button("提交评分")
        journey.see("评分已保存")
        journey.link(f"返回榜单：{title}", within=_main(journey))
    journey.log_out()

    journey.log_in("enterprise")
    journey.link("待办", within=page.locator("header"))
    journey.link(title, within=_main(journey), exact=True)
    proposals = page.locator("#proposals")
    expect(proposals).to_contain_text("90 · 技术路线先进")
    assert_accessible(page)  # scores and comments beside each proposal
    journey.click(proposals.get_by_role("link", name=re.compile("中国科学院长春光学")))
    assert_accessible(page)  # the proposal with its scores, milestones and the selection form
    page.fill("#select-reason", "专家评分最高，技术路线与产线匹配。")
    journey.button("选定该方案并生成合同草稿")
    expect(page.locator("#challenge-status")).to_have_text("已揭榜")
    journey.link("查看技术开发合同草稿", within=_main(journey))
    expect(page.get_by_role("heading", level=1)).to_contain_text("草稿")
    journey.see("技术开发")
    journey.log_out()

    journey.log_in("institute")
    journey.link("待办", within=page.locator("header"))
    journey.link(re.compile(re.escape(f"（{title}）")), within=_main(journey))
    page.locator("#milestones textarea").first.fill("第三方测试报告已上传。")
    journey.click(page.locator("#milestones").get_by_role("button", name=re.compile("^报告交付")).first)
    journey.see("交付已报告")
    journey.log_out()

    journey.log_in("enterprise")
    journey.link("待办", within=page.locator("header"))
    journey.link(re.compile(re.escape(f"（{title}）")), within=_main(journey))
    journey.click(page.locator("#milestones").get_by_role("button", name=re.compile("^确认交付")).first)
    journey.link(f"返回榜单：{title}", within=_main(journey))
    journey.link("填写验收结果", within=_main(journey))
    for field in page.locator("input[id^=id_measured_]").all():
        label = page.locator(f"label[for={field.get_attribute('id')}]").inner_text()
        field.fill("999999" if "不低于" in label else "0")
    page.fill("#id_note", "经现场测试，各项指标均达到承诺值。")
    assert_accessible(page)  # the acceptance form
    journey.button("确认验收结果")
    expect(page.locator("#challenge-status")).to_have_text("已验收")
    expect(page.locator("#subsidy")).to_contain_text("最高100万元")
    journey.link("查看补助申请", within=_main(journey))
    journey.see("科技攻关“揭榜挂帅”补助")
    assert_accessible(page)
    journey.within_budget(36)
