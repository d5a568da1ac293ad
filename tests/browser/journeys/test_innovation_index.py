"""The county innovation development index as the people doing it: the provincial statistics
officer (province_staff) opens 数据集中 → 县域创新发展指数 → 指数数据管理, downloads the open year's
template, imports it, publishes the year; then a visitor who is not signed in finds the new ranking
under 数据集中, the methodology beside it, and the seed targets against their actuals."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.a11y import assert_accessible

pytestmark = pytest.mark.browser


def test_statistics_staff_import_and_publish_and_the_public_sees_the_ranking(journey, tmp_path):
    page = journey.page
    main = page.locator("main")
    year = timezone.localdate().year - 1  # the demo's open year (the year before is published)

    journey.log_in("province_staff")
    journey.link("数据集中", within=page.locator("nav.functions"), exact=True)
    journey.link("县域创新发展指数", within=page.locator("nav.subnav"), exact=True)
    journey.link("指数数据管理", within=main, exact=True)
    expect(page.get_by_role("heading", level=1)).to_have_text("指数数据管理")
    assert_accessible(page)  # the management page: open, import, method, publish

    with page.expect_download() as download:
        journey.link(f"下载{year}年度输入数据模板", within=main, exact=True)
    template = tmp_path / "template.xlsx"
    download.value.save_as(template)
    page.set_input_files(f"#id_file_{year}", str(template))
    journey.button("导入", within=main, exact=True)
    journey.see("已导入69个地区的输入数据")
    journey.see("试算排名（未发布）")

    journey.button(f"发布{year}年度指数", within=main, exact=True)
    journey.see(f"{year}年度县域创新发展指数已发布")
    journey.log_out()

    journey.link("数据集中", within=page.locator("nav.functions"), exact=True)
    journey.link("县域创新发展指数", within=page.locator("nav.subnav"), exact=True)
    expect(page.get_by_role("heading", level=2).first).to_have_text(f"{year}年度排名")
    table = main.locator("table")
    expect(table.locator("tbody tr")).to_have_count(69)
    expect(table.locator("tbody tr").first.locator("td").first).to_have_text("1")
    expect(main.get_by_text("较上年")).to_be_visible()
    expect(page.get_by_role("button", name="导入")).to_have_count(0)
    assert_accessible(page)  # the public ranking
    journey.link("编制方法", within=main, exact=True)
    journey.see("最小—最大值标准化")
    journey.within_budget(
        12
    )  # 2 to sign in, 3 to the management page, template, import, publish, sign out, 3 as the public
