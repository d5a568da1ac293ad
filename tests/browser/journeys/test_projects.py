"""A funded project from its milestone to 后补助, as the people who run it: 吉林化纤 (enterprise_jl)
reports the due milestone from its to-do list; the province's program officer confirms it and
records the mid-term check; the undertaker submits its 科技报告; the officer forms a conflict-free
panel and records the acceptance; the undertaker applies for 后补助 (003 #16) with one click and
finds the application among the policy applications. Then a visitor finds a project in
立项信息公开 and reads its public report."""

import pytest
from playwright.sync_api import expect

from tests.browser.a11y import assert_accessible
from zhouqiao.programs.demo import REVIEWERS

pytestmark = pytest.mark.browser

PROJECT = "高强度碳纤维原丝连续化制备关键技术"
MILESTONE = "原丝中试线建成并连续运行30天"


def _main(journey):
    return journey.page.locator("main")


def _header(journey):
    return journey.page.locator("header")


def _todo(journey, text):
    journey.link("待办", within=_header(journey))
    journey.link(text, within=_main(journey))


def test_a_project_goes_from_milestone_to_acceptance_and_post_subsidy(journey):
    page = journey.page

    # The undertaker reports the milestone due this month.
    journey.log_in("enterprise_jl")
    _todo(journey, f"报告节点目标：{PROJECT} — {MILESTONE}")
    assert_accessible(page)  # the project's management page
    page.get_by_label(f"“{MILESTONE}”完成情况").fill("中试线已连续运行32天，原丝强度4.9GPa。")
    journey.button("报告节点完成情况", within=_main(journey), exact=True)
    journey.see("节点完成情况已报告")
    expect(page.get_by_role("button", name="记录中期检查结论")).to_have_count(0)
    journey.log_out()

    # The officer confirms it and records the mid-term check.
    journey.log_in("program_officer")
    _todo(journey, f"确认节点目标：{PROJECT} — {MILESTONE}")
    journey.button("确认节点完成", within=_main(journey), exact=True)
    journey.see("节点目标已确认")
    page.get_by_label("通过", exact=True).check()
    page.fill("#id_mid_term-reason", "进度与经费使用符合计划。")
    journey.button("记录中期检查结论", within=_main(journey), exact=True)
    journey.see("中期检查结论已记录")
    journey.log_out()

    # The undertaker submits the final report (科技报告).
    journey.log_in("enterprise_jl")
    journey.link("消息", within=_header(journey))
    journey.button(f"中期检查结论（通过）：{PROJECT}", within=_main(journey))
    page.fill("#id_final-title", "高强度碳纤维原丝连续化制备技术报告")
    page.fill("#id_final-abstract", "建成千吨级原丝中试线，T700级原丝性能稳定。")
    page.fill("#id_final-body", "一、研究内容……二、主要成果……三、结论：全部指标完成。")
    journey.button("提交科技报告", within=_main(journey), exact=True)
    journey.see("科技报告已提交")
    journey.log_out()

    # The officer forms the panel (conflict-free experts only are offered) and records acceptance.
    journey.log_in("program_officer")
    _todo(journey, f"组织验收：{PROJECT}")
    expect(_main(journey).get_by_text("王立新")).to_have_count(0)  # worked with 吉林化纤 (contract)
    # A meeting panel: experts without a platform account give their opinion at the meeting, so the
    # officer records the conclusion at once (the demo's reviewers with an account would each have to
    # submit an opinion first: projects.services.opinions_missing).
    labels = page.locator("label").filter(has=page.locator("input[name='panel-experts']"))
    offline = [
        i
        for i in range(labels.count())
        if not labels.nth(i).inner_text().strip().startswith(tuple(REVIEWERS))
    ]
    for i in offline[:3]:
        labels.nth(i).locator("input").check()
    page.fill("#id_panel-due_date", "2099-12-31")
    journey.button("组建专家组并通知专家", within=_main(journey), exact=True)
    journey.see("验收专家组已组建")
    page.get_by_label("通过验收", exact=True).check()
    page.fill("#id_conclude-reason", "专家组一致同意通过验收。")
    journey.button("记录验收结论", within=_main(journey), exact=True)
    journey.see("验收结论已记录")
    journey.log_out()

    # The undertaker applies for 后补助 and finds it among the policy applications.
    journey.log_in("enterprise_jl")
    _todo(journey, f"申请后补助：{PROJECT}")
    journey.button("申请后补助", within=_main(journey), exact=True)
    journey.see("后补助申请已提交")
    journey.see("财政科技计划项目验收后补助")
    journey.link("择优支持与事项申请", within=_main(journey), exact=True)
    expect(_main(journey).get_by_text("财政科技计划项目验收后补助").first).to_be_visible()
    journey.within_budget(32)  # 5 sign-ins (2 clicks each), 4 sign-outs, 18 steps


def test_a_visitor_finds_a_project_and_reads_its_report(journey):
    page = journey.page
    journey.link("项目管理", within=page.locator("nav.functions"), exact=True)
    journey.link("立项项目公开", within=page.get_by_role("navigation", name="项目管理"), exact=True)
    journey.see(PROJECT)
    journey.see("150万元")
    assert_accessible(page)  # 立项信息公开
    page.fill("#id_q", "车身连接")
    journey.button("检索", within=_main(journey), exact=True)
    journey.link("汽车轻量化车身异种材料连接工艺与可靠性评价技术报告", within=_main(journey))
    journey.see("自冲铆接工艺窗口")
    assert_accessible(page)  # the public report
    journey.within_budget(4)
