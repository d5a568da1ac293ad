"""Joining the expert registry as the people doing it: a researcher of 吉林大学 (the `university`
account) applies under 资源整合 → 专家库; the province's program officer finds the application in
the to-do list and approves it; a visitor then finds the new expert in the public list with the
phone number masked, and a published demand's page shows the experts who fit it, with reasons."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.a11y import assert_accessible

pytestmark = pytest.mark.browser


def _main(journey):
    return journey.page.locator("main")


def _header(journey):
    return journey.page.locator("header")


def _to_registry(journey):
    journey.link("资源整合", within=journey.page.locator("nav.functions"), exact=True)
    journey.link("专家库", within=journey.page.locator("nav.subnav"), exact=True)


def test_a_researcher_applies_is_approved_and_is_listed_and_matched(journey):
    page = journey.page

    journey.log_in("university")
    _to_registry(journey)
    journey.link("申请成为专家", within=_main(journey), exact=True)
    expect(page.get_by_role("heading", level=1)).to_have_text("申请成为专家")
    assert_accessible(page)  # the application form
    page.fill("#id_name", "李明")
    page.fill("#id_title", "研究员")
    # No discipline: a Chinese error, nothing saved.
    journey.button("提交申请", within=_main(journey), exact=True)
    journey.see("请至少选择一个学科领域")
    page.fill("#id_discipline_1", "46025")
    page.fill("#id_industry_1", "3670")
    page.fill("#id_keywords", "车身激光拼焊、轻量化铝镁合金压铸")
    page.fill("#id_profile", "从事汽车轻量化材料连接工艺研究。")
    page.fill("#id_phone", "13804319876")
    page.fill("#id_conflict_organisations", "中国第一汽车集团有限公司，近三年承担横向课题")
    journey.button("提交申请", within=_main(journey), exact=True)
    journey.see("申请已提交")
    expect(page.locator(".status")).to_have_text("待审核")
    journey.log_out()

    journey.log_in("program_officer")
    journey.link("待办", within=_header(journey))
    journey.link("审核专家入库申请：李明（吉林大学）", within=_main(journey))
    journey.see("13804319876")  # the officer of the jurisdiction sees the contacts
    journey.see("中国第一汽车集团有限公司")  # and the declared conflict
    assert_accessible(page)  # the application with the officer's decision form
    journey.button("通过，纳入专家库", within=_main(journey), exact=True)
    journey.see("已通过，李明已进入专家库")
    journey.log_out()

    _to_registry(journey)  # a visitor
    page.fill("#id_q", "激光拼焊")
    journey.button("筛选", within=_main(journey), exact=True)
    row = _main(journey).get_by_role("row").filter(has_text="李明")
    expect(row).to_contain_text("吉林大学")
    expect(row).to_contain_text("138****9876")
    expect(_main(journey)).not_to_contain_text("13804319876")
    assert_accessible(page)  # the public list with its filters

    journey.link("成果展示", within=page.locator("nav.functions"), exact=True)
    journey.link("企业技术需求库", within=page.locator("nav.subnav"), exact=True)
    journey.link(re.compile("铝|焊|车身|轻量化"), within=_main(journey).locator("table"))
    experts = page.locator("#demand-experts")
    expect(experts.get_by_role("heading", name="适合该需求的专家")).to_be_visible()
    expect(experts).to_contain_text("推荐理由", timeout=20_000)
    expect(experts).not_to_contain_text("****")  # no contact data, masked or not
    journey.within_budget(20)
