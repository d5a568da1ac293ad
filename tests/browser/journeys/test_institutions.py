"""A transfer institution files with the bureau and is scored, as the people doing it: 孙立 (the
`broker` account, admin of 长春科技大市场技术转移服务中心, not yet filed in the demo) applies under
资源整合 → 技术转移机构; Changchun's reviewer finds the filing in the to-do list and approves it; the
institution opens its annual report, finds it pre-filled from the platform, completes and submits
it; the reviewer opens the ranking and finds the institution already scored and ranked (scores are
computed when the report is submitted and when the ranking lacks them: no compute button to press)
and exports the ranking."""

import pytest
from playwright.sync_api import expect

from tests.browser.a11y import assert_accessible

pytestmark = pytest.mark.browser

INSTITUTION = "长春科技大市场技术转移服务中心"


def _main(journey):
    return journey.page.locator("main")


def _header(journey):
    return journey.page.locator("header")


def _to_institutions(journey):
    journey.link("资源整合", within=journey.page.locator("nav.functions"), exact=True)
    journey.link("技术转移机构", within=journey.page.locator("nav.subnav"), exact=True)


def test_an_institution_files_is_approved_reports_and_is_ranked(journey):
    page = journey.page

    journey.log_in("broker")  # 3 clicks
    _to_institutions(journey)
    journey.link(INSTITUTION, within=_main(journey), exact=True)
    journey.link("申请备案", within=_main(journey), exact=True)
    assert_accessible(page)  # the filing form
    page.fill("#id_staff_count", "8")
    page.fill("#id_fields", "先进制造、新材料")
    journey.button("提交备案申请", within=_main(journey), exact=True)
    journey.see("请至少选择一项服务类型")  # a Chinese error, nothing filed
    page.fill("#id_part_time_experts", "4")
    page.get_by_label("技术转让服务").check()
    page.get_by_label("技术咨询服务").check()
    journey.button("提交备案申请", within=_main(journey), exact=True)
    journey.see("备案申请已提交")
    expect(page.locator(".status")).to_have_text("待审核")
    journey.log_out()

    journey.log_in("city_staff")
    journey.link("待办", within=_header(journey))
    journey.link(f"审核技术转移机构备案：{INSTITUTION}", within=_main(journey))
    assert_accessible(page)  # the filing with the reviewer's decision
    journey.button("准予备案", within=_main(journey), exact=True)
    journey.see("已准予备案，备案编号2201-")
    journey.log_out()

    journey.log_in("broker")
    journey.link("待办", within=_header(journey))
    journey.link(f"技术转移机构年度报告：{INSTITUTION}", within=_main(journey))
    journey.button("开始填报", within=_main(journey), exact=True)
    journey.see("已按平台数据预填年度报告")
    facts = _main(journey).locator("dl.facts").first
    expect(facts).to_contain_text("技术经纪（理）人")
    expect(facts).to_contain_text("1人")  # 孙立, from the broker registry
    expect(facts).to_contain_text("项")  # the contracts brokered, counted from the registry
    assert_accessible(page)  # the pre-filled report form
    page.fill("#id_total_income", "2600000")
    page.fill("#id_technical_income", "1500000")
    page.fill("#id_summary", "全年为高校院所和企业提供成果对接、评价和交易撮合服务。")
    journey.button("提交年度报告", within=_main(journey), exact=True)
    journey.see("年度报告已提交")
    expect(page.locator(".status")).to_have_text("已提交")
    journey.log_out()

    journey.log_in("city_staff")
    _to_institutions(journey)
    journey.link("绩效排名", within=_main(journey), exact=True)
    ranking = _main(journey).locator("table")
    expect(ranking).to_contain_text(INSTITUTION)
    expect(ranking).to_contain_text("长春汽车产业技术转移服务中心")
    assert_accessible(page)  # the ranking
    with page.expect_download() as download:
        journey.click(page.get_by_role("link", name="导出排名（Excel）"))
    assert download.value.suggested_filename.startswith("institution-ranking-")
    journey.within_budget(28)
