"""The indicator dashboard as a provincial registrar uses it: from the home page to the
province's figures, down to Changchun and on to one county (德惠市) by the table's links, then an
export of the county's table."""

import pytest
from playwright.sync_api import expect

from tests.browser.a11y import assert_accessible

pytestmark = pytest.mark.browser


def test_a_registrar_drills_down_from_the_province_to_a_county_and_exports_a_table(journey):
    page = journey.page
    journey.log_in("province_staff")
    journey.link("数据集中", within=page.locator("nav.functions"), exact=True)
    journey.link("指标监测", within=page.locator("nav.subnav"), exact=True)
    expect(page.get_by_role("heading", level=1)).to_have_text("科技成果转化指标监测")
    regions = page.locator("#insights-regions")
    expect(regions.locator("table")).to_contain_text("长春市")
    expect(page.locator("#insights-trend table tbody tr")).to_have_count(5)  # five years of demo contracts
    expect(page.locator("#insights-quarters table tbody tr")).to_have_count(8)  # two years by quarter
    expect(page.locator("#insights-regions [data-chart] canvas").first).to_be_visible()  # the map drew
    assert_accessible(page)

    journey.link("长春市", within=regions.locator("table"), exact=True)
    expect(page.locator(".insights-trail")).to_contain_text("长春市")
    expect(page.locator("#insights-regions table")).to_contain_text("德惠市")

    journey.link("德惠市", within=page.locator("#insights-regions table"), exact=True)
    expect(page.locator("[aria-current=page]").filter(has_text="德惠市")).to_be_visible()
    expect(page.locator("#insights-trend table tbody tr")).to_have_count(5)
    assert_accessible(page)

    with page.expect_download() as download:
        journey.link("导出 Excel：本县（区）指标", within=page.locator("#insights-regions"))
    assert download.value.suggested_filename.endswith(".xlsx")
    journey.within_budget(7)  # log in (2), 数据集中, 指标监测, 长春市, 德惠市, export
