"""Contract registration as the people taking it: the university submits a technology contract
through the form; the city registrar finds it in the to-do list, registers it, opens the
certificate and, from it, the public verification page; then opens the statistics and clicks
through to the registered contracts they count."""

import pytest
from playwright.sync_api import expect

from tests.browser.a11y import assert_accessible

pytestmark = pytest.mark.browser

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
TITLE = "车用电池热管理技术专利权转让（旅程）"


def _menu(journey):
    return journey.page.locator("nav.functions")


def test_a_contract_is_submitted_registered_certified_verified_and_counted(journey):
    page = journey.page

    # The university (the seller) applies for registration.
    journey.log_in("university")
    journey.link("技术交易", within=_menu(journey), exact=True)
    journey.link("技术合同认定登记", within=page.locator("nav.subnav"), exact=True)
    assert_accessible(page)  # the university's own list
    journey.link("申请合同登记", within=page.locator("main"), exact=True)
    page.fill("#id_title", TITLE)
    page.select_option("#id_contract_type", label="技术转让")
    page.select_option("#id_subtype", label="专利权转让")
    page.select_option("#id_buyer", label="中国第一汽车集团有限公司")
    page.fill("#id_contract_amount", "1200000")
    page.fill("#id_signed_on", "2026-11-20")
    page.set_input_files(
        "#id_attachment", files=[{"name": "合同.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    assert_accessible(page)  # the form, its repeating rows included
    journey.button("保存草稿", within=page.locator("main"))
    journey.button("提交登记机构审查")
    expect(page.get_by_role("heading", level=1)).to_contain_text("待登记审查")
    journey.log_out()

    # The city registrar finds it waiting and registers it.
    journey.log_in("city_staff")
    journey.link("待办", within=page.locator("header"))
    journey.link(TITLE, within=page.locator("main"), exact=True)
    assert_accessible(page)  # the contract, with the registrar's buttons
    journey.button("准予登记")
    expect(page.get_by_role("heading", level=1)).to_contain_text("已登记")
    number = page.locator("#registration-number").inner_text()
    journey.link("查看登记证明", within=page.locator("main"))
    journey.see("壹佰贰拾万元整")
    expect(page.locator("#registry-name")).to_have_text("长春市科学技术局技术合同认定登记机构")
    assert_accessible(page)  # the certificate with its QR code

    # From the certificate, the public verification page.
    journey.click(page.locator("#verify-qr"))
    expect(page.get_by_role("heading", level=1)).to_have_text("技术合同登记证明核验")
    expect(page.locator("#verify-number")).to_have_text(number)
    expect(page.locator("#verify-registry")).to_have_text("长春市科学技术局技术合同认定登记机构")
    journey.see("120万元（壹佰贰拾万元整）")
    expect(page.locator("main")).not_to_contain_text("吉林大学")  # no parties on the public page
    assert_accessible(page)

    # The statistics, and through a figure to the registered contracts it counts.
    journey.link("数据集中", within=_menu(journey), exact=True)  # the indicators first
    journey.link("技术合同登记统计", within=page.locator("nav.subnav"), exact=True)
    assert_accessible(page)
    year_table = page.locator("#stats-year")
    figure = year_table.locator("tbody tr").last.locator("td").nth(1).get_by_role("link")
    counted = int(figure.inner_text())
    journey.click(figure)
    expect(page.locator("#result-count")).to_have_text(f"共 {counted} 项")
    expect(page.get_by_role("link", name=TITLE)).to_be_visible()
    expect(page.locator("#id_status")).to_have_value("registered")
    assert_accessible(page)  # the registrar's filtered list
    journey.within_budget(18)
