"""Seller submits → registrar returns → seller edits and resubmits → registered → certificate PDF → the buyer
confirms its entitlement → two finance approvals → paid."""

import pytest

from tests.browser.conftest import log_in
from tests.factories import PASSWORD, OrganisationFactory, member_of, staff_in
from zhouqiao.accounts.models import Duty

pytestmark = pytest.mark.browser

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def log_out(page):
    page.click("form[action$='logout/'] button")
    page.wait_for_load_state("networkidle")


def test_a_contract_from_submission_to_paid_entitlement(page, reference):
    seller = OrganisationFactory(name="长春浏览器大学", kind="university", region_id="220102")
    buyer = OrganisationFactory(name="长春浏览器科技有限公司", kind="enterprise", region_id="220104")
    seller_user, buyer_user = member_of(seller), member_of(buyer)
    registrar = staff_in("220100", Duty.REGISTRAR, Duty.FINANCE)
    second_finance = staff_in("220100", Duty.FINANCE)

    log_in(page, seller_user.username, PASSWORD)
    page.goto("/contracts/new/")
    page.fill("#id_title", "高效催化剂专利权转让合同")
    page.select_option("#id_contract_type", "transfer")
    page.select_option("#id_subtype", "patent_transfer")
    page.select_option("#id_buyer", str(buyer.pk))
    page.fill("#id_contract_amount", "800000.00")
    page.fill("#id_signed_on", "2024-05-20")
    page.set_input_files(
        "#id_attachment", files=[{"name": "合同.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    page.click("form.card button.primary")
    page.wait_for_load_state("networkidle")
    assert "草稿" in page.inner_text("h1")
    assert "001#15" in page.content()  # the quote shows what registration would bring
    page.click("#submit-contract")
    page.wait_for_load_state("networkidle")
    assert "待登记审查" in page.inner_text("h1")
    contract_url = page.url
    log_out(page)

    log_in(page, registrar.username, PASSWORD)
    page.goto(contract_url)
    page.fill("#id_reason", "请补充合同附件第3页")
    page.click("#return-contract")
    page.wait_for_load_state("networkidle")
    assert "已退回" in page.inner_text("h1")
    log_out(page)

    log_in(page, seller_user.username, PASSWORD)
    page.goto(contract_url)
    assert "请补充合同附件第3页" in page.inner_text(".notice")
    page.click("#edit-contract")  # the seller corrects the amounts and itemises the equipment
    page.fill("#id_contract_amount", "900000.00")
    page.select_option("#id_items-0-kind", "equipment")
    page.fill("#id_items-0-description", "反应釜")
    page.fill("#id_items-0-amount", "100000.00")
    page.click("#save-contract")
    page.wait_for_load_state("networkidle")
    assert "80万元" in page.inner_text("#technology-amount") and "反应釜" in page.inner_text(".facts")
    page.click("#submit-contract")
    page.wait_for_load_state("networkidle")
    log_out(page)

    log_in(page, registrar.username, PASSWORD)
    page.goto(contract_url)
    page.click("#register-contract")
    page.wait_for_load_state("networkidle")
    assert "已登记" in page.inner_text("h1")
    number = page.inner_text("#registration-number")
    assert number.startswith("20") and number[4:10] == "220102"
    pdf = page.request.get(page.get_attribute("#certificate", "href"))
    assert pdf.status == 200 and pdf.body().startswith(b"%PDF-")
    log_out(page)

    log_in(page, buyer_user.username, PASSWORD)
    page.goto("/policy/entitlements/")
    row = page.locator("tr[data-clause='001#16']")
    assert "13.5万元" in row.inner_text()  # 15% of the corrected 900000.00
    row.get_by_role("button", name="确认兑现").click()
    page.wait_for_load_state("networkidle")
    assert "待财务初审" in page.locator("tr[data-clause='001#16']").inner_text()
    log_out(page)

    log_in(page, registrar.username, PASSWORD)
    page.goto("/policy/entitlements/")
    page.locator("tr[data-clause='001#16']").get_by_role("button", name="财务初审通过").click()
    page.wait_for_load_state("networkidle")
    log_out(page)

    log_in(page, second_finance.username, PASSWORD)
    page.goto("/policy/entitlements/")
    page.locator("tr[data-clause='001#16']").get_by_role("button", name="财务复审通过").click()
    page.wait_for_load_state("networkidle")
    log_out(page)

    log_in(page, registrar.username, PASSWORD)
    page.goto("/policy/entitlements/")
    row = page.locator("tr[data-clause='001#16']")
    row.locator("input[name=payment_reference]").fill("CC-2024-0001")
    row.get_by_role("button", name="登记拨付").click()
    page.wait_for_load_state("networkidle")
    log_out(page)

    log_in(page, buyer_user.username, PASSWORD)
    page.goto("/policy/entitlements/")
    assert "已拨付" in page.locator("tr[data-clause='001#16']").inner_text()
