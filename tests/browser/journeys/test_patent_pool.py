"""专利收储与运营 as the people taking it: 吉林大学 offers an invention patent it would abandon; the
province's program officer finds the offer in the to-do list and acquires it into the province's
patent pool, and files the pool's catalog record; the province reviewer publishes it from their
to-do list; the officer lists it on the technology market; the public pool page shows it 挂牌中."""

import pytest
from playwright.sync_api import expect

from tests.browser.a11y import assert_accessible

pytestmark = pytest.mark.browser

TITLE = "一种车用镁合金板材的温轧成形方法"  # patent of 吉林大学 in the demo (patent_pool/demo.py)


def _pool_page(journey):
    page = journey.page
    journey.link("项目管理", within=page.locator("nav.functions"), exact=True)
    journey.link("专利收储与运营", within=page.locator("nav.subnav"), exact=True)


def test_an_offered_patent_is_acquired_listed_and_shown_in_the_pool(journey):
    page = journey.page
    main = page.locator("main")

    # The owner offers the patent.
    journey.log_in("university")
    _pool_page(journey)
    journey.link("本单位的发明专利（登记实施、申请收储）", within=main)
    assert_accessible(page)  # the owner's patents
    journey.link("申请收储", within=main.locator("tr", has_text=TITLE))
    page.fill("#id_reason", "课题组转向新方向，拟不再维持该专利")
    page.fill("#id_asking_price", "-100")
    journey.button("提交收储申请", within=main)
    journey.see("金额不能为负数")  # nothing written: the form is shown again
    page.fill("#id_asking_price", "20000")
    assert_accessible(page)  # the offer form with its error
    journey.button("提交收储申请", within=main)
    journey.see("收储申请已提交")
    journey.log_out()

    # The province's program officer decides from the to-do list.
    journey.log_in("program_officer")
    journey.link("待办", within=page.locator("header"))
    journey.link(TITLE, within=main, exact=True)
    assert_accessible(page)  # the case with the decision forms
    page.fill("#id_price", "18000")
    page.fill("#id_reason", "轻量化方向产业化前景好，收储后面向汽车零部件企业许可")
    journey.button("决定收储", within=main)
    journey.see("已收储入吉林省专利池")
    expect(page.locator("#acquisition-price")).to_have_text("1.8万元")
    assert_accessible(page)  # the pooled patent with the fee, record and proceeds forms
    page.fill("#id_licence_terms", "普通许可，许可费按年收取")
    journey.button("建立成果档案", within=main)
    journey.see("成果档案已建立并提交审核")
    journey.log_out()

    # The reviewer of the bureau it waits on (the pool is held in Changchun: the city's, as the
    # officer was told) publishes the pool's catalog record.
    journey.log_in("city_staff")
    journey.link("待办", within=page.locator("header"))
    journey.link(TITLE, within=main, exact=True)
    journey.button("审核通过并发布", within=main, exact=True)
    journey.see("已发布")
    journey.log_out()

    # The officer lists it on the market.
    journey.log_in("program_officer")
    _pool_page(journey)
    journey.link("收储工作台", within=page.locator("#pool-nav"))
    assert_accessible(page)  # the officer's desk
    journey.link(TITLE, within=page.locator("#pool"), exact=True)
    page.fill("#id_price", "50000")
    page.select_option("#id_mode", label="许可")
    journey.button("在科技大市场挂牌", within=main)
    journey.see("已在科技大市场挂牌")

    # The public pool page shows it available, with the way to license it.
    journey.link("专利池", within=page.locator("#pool-nav"), exact=True)
    row = page.locator("#pool-table tr", has_text=TITLE)
    expect(row).to_contain_text("挂牌中")
    expect(row).to_contain_text("5万元")
    assert_accessible(page)  # the public pool
    journey.within_budget(30)
