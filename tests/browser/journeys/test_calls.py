"""A project call from application to 立项, as the people doing it, on the demo's open call of the
provincial bureau (2027年度吉林省科技发展计划重点研发项目):

1. 陈光 of 长春光机所 (`institute`) fills in an application; a budget that does not add up is
   refused in Chinese; then it is saved and submitted.
2. The program officer (`program_officer`) finds it in 待办 and accepts it at the formal check.
3. After the deadline (the clock moves on) the officer closes the call, runs the reviewer
   assignment (a background task; the page shows its progress and result) and sees each
   reviewer with the reason they were chosen.
   Only experts with a platform account are picked (they are the ones who can submit), and the
   decision is not offered while reviews are outstanding.
4. The demo expert (`expert`, 王立新) finds the review in 待办: the page never names the applicant
   (blind call); a score above the maximum is refused, then the review is submitted. The other
   two reviewers (demo experts with accounts, programs.demo.REVIEWERS) submit theirs.
5. The officer finds the call in 待办 (评审已完成，待确定拟立项), sees the score in the ranking,
   approves an amount within the budget and publishes the notice (公示); anyone sees the project
   and its undertaker.
6. After the notice period, with no objection, the officer finds it in 待办 (公示期满，待正式立项) and
   establishes the project (立项).
"""

import datetime as dt

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.a11y import assert_accessible
from tests.search.conftest import IMMEDIATE_TASKS
from zhouqiao.programs.demo import OPEN_TITLE
from zhouqiao.programs.models import Call, ReviewAssignment

pytestmark = pytest.mark.browser

TITLE = "车规级碳化硅功率器件电驱动系统在线光学检测技术"


def _main(journey):
    return journey.page.locator("main")


def _todo_group(journey, label):
    return _main(journey).locator("section.todo-group").filter(has_text=label)


def _to_calls(journey):
    journey.link("项目管理", within=journey.page.locator("nav.functions"), exact=True)
    journey.link("科技计划项目申报", within=journey.page.locator("nav.subnav"), exact=True)


def _fill_application(page, budget_total: str):
    page.fill("#id_title", TITLE)
    page.select_option("#id_category", "汽车电子")
    page.fill("#id_keywords", "碳化硅、功率器件、电驱动")
    page.fill("#id_summary", "面向新能源汽车电驱动系统，研究碳化硅功率器件封装缺陷的在线光学检测方法。")
    page.fill("#id_plan", "第一年完成碳化硅功率器件光学检测原型；第二年在电驱动总成产线验证。")
    page.fill("#id_requested_amount", "600000")
    page.fill("#id_team", "陈光|研究员|项目负责人\n刘洋|副研究员|光学设计")
    page.fill("#id_milestones", "2027-12-31|完成检测原型\n2028-10-31|完成产线验证")
    page.fill("#id_budget_lines", f"设备费|300000\n材料费|{budget_total}")


def test_a_call_from_application_to_establishment(journey, settings):
    settings.TASKS = IMMEDIATE_TASKS
    page = journey.page
    call = Call.objects.get(title=OPEN_TITLE)

    # 1. The applicant.
    journey.log_in("institute")
    _to_calls(journey)
    journey.link(OPEN_TITLE, within=_main(journey))
    journey.see("申报条件")
    assert_accessible(page)  # the guide
    journey.link("填写申报书", within=_main(journey), exact=True)
    _fill_application(page, "200000")  # 300,000 + 200,000 ≠ 600,000
    journey.button("保存申报书", within=_main(journey), exact=True)
    journey.see("与申请资助金额600,000.00元不一致")
    assert_accessible(page)  # the form with its error
    page.fill("#id_budget_lines", "设备费|300000\n材料费|300000")
    journey.button("保存申报书", within=_main(journey), exact=True)
    journey.see("申报书已保存")
    journey.button("提交申报书", within=_main(journey), exact=True)
    journey.see("申报书已提交，等待形式审查")
    expect(page.locator("h1 .status")).to_have_text("待形式审查")
    journey.log_out()

    # 2. The formal check.
    journey.log_in("program_officer")
    journey.link("待办", within=page.locator("header"))
    journey.link(TITLE, within=_main(journey))
    page.get_by_label("受理").check()
    journey.button("保存审查结论", within=_main(journey), exact=True)
    journey.see("形式审查结论已保存")
    expect(page.locator("h1 .status")).to_have_text("已受理")
    journey.log_out()

    # 3. After the deadline: review, reviewer assignment.
    with time_machine.travel(call.closes_at + dt.timedelta(hours=1), tick=True) as traveller:
        journey.log_in("program_officer")
        _to_calls(journey)
        journey.link(OPEN_TITLE, within=_main(journey))
        journey.button("截止申报，进入评审", within=_main(journey), exact=True)
        journey.see("进入评审阶段")
        journey.button("分配评审专家", within=_main(journey), exact=True)
        expect(page.locator("#assignment-progress")).to_contain_text("已完成")
        expect(page.locator("#assignment-progress")).to_contain_text("已为1份申报书分配评审专家，共3人次")
        expect(page.locator("#decision-blocker")).to_contain_text("还有3份评审意见未提交")
        expect(page.get_by_role("button", name="确定拟立项项目")).to_have_count(0)
        assert_accessible(page)  # the call page in review
        journey.link(TITLE, within=_main(journey))
        reviewers = page.locator("main table").filter(has_text="推荐理由")
        expect(reviewers).to_contain_text("王立新")  # the registry's 碳化硅 / 功率器件 expert
        expect(reviewers).to_contain_text("关键词")  # why each one was chosen
        journey.log_out()

        # 4. The blind review.
        journey.log_in("expert")
        journey.link("待办", within=page.locator("header"))
        journey.link(TITLE, within=_main(journey))
        journey.see("匿名评审")
        expect(_main(journey)).not_to_contain_text("长春光学精密机械")
        expect(_main(journey)).not_to_contain_text("陈光")
        for i, score in enumerate(["11", "8", "8", "7", "9"]):
            page.fill(f"#id_score_{i}", score)
        page.fill("#id_comment", "检测方法新颖，产线验证方案可行。")
        journey.button("提交评审意见", within=_main(journey), exact=True)
        journey.see("须在0到10分之间")
        page.fill("#id_score_0", "9")
        journey.button("提交评审意见", within=_main(journey), exact=True)
        journey.see("评审意见已提交")
        journey.log_out()
        others = ReviewAssignment.objects.filter(application__title=TITLE).exclude(
            expert__user__username="expert"
        )
        for username in others.values_list("expert__user__username", flat=True):  # they can sign in
            journey.log_in(username)
            journey.link("待办", within=page.locator("header"))
            journey.link(TITLE, within=_main(journey))
            for i, score in enumerate(["7", "8", "7", "7", "8"]):
                page.fill(f"#id_score_{i}", score)
            page.fill("#id_comment", "方案可行，建议补充产线验证指标。")
            journey.button("提交评审意见", within=_main(journey), exact=True)
            journey.see("评审意见已提交")
            journey.log_out()

        # 5. The officer's 待办 says the reviews are in; ranking, approval within the budget, notice.
        journey.log_in("program_officer")
        journey.link("待办", within=page.locator("header"))
        journey.link(OPEN_TITLE, within=_todo_group(journey, "评审已完成，待确定拟立项"))
        ranking = page.locator("main table").filter(has_text="评审得分")
        # 王立新: 9×3 + 8×2.5 + 8×2 + 7×1.5 + 9×1 = 82.50; the two others 7×3 + 8×2.5 + 7×2 + 7×1.5
        # + 8×1 = 73.50 each; three reviews: the plain mean, 76.50
        expect(ranking).to_contain_text("76.50")
        page.get_by_label(f"{TITLE}的拟资助金额").fill("500000")
        journey.button("确定拟立项项目", within=_main(journey), exact=True)
        journey.see("拟立项项目及资助金额已确定")
        journey.button("发布立项公示", within=_main(journey), exact=True)
        journey.see("拟立项项目已公示")
        notice = page.locator("main section").filter(has_text="拟立项项目公示")
        expect(notice).to_contain_text("中国科学院长春光学精密机械与物理研究所")
        expect(notice).to_contain_text("50万元")
        assert_accessible(page)  # the notice
        journey.log_out()

        # 6. After the notice period: 立项.
        traveller.shift(dt.timedelta(days=6))
        journey.log_in("program_officer")
        journey.link("待办", within=page.locator("header"))
        journey.link(OPEN_TITLE, within=_todo_group(journey, "公示期满，待正式立项"))
        journey.button("公示期满，正式立项", within=_main(journey), exact=True)
        journey.see("已立项")
        expect(page.locator("h1 .status")).to_have_text("已立项")
    journey.within_budget(56)


__all__ = ["timezone"]
