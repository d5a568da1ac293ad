"""An enterprise reaches the claim form by clicking from the policy index, claims a Jilin City
award (003#19), and a finance officer of Jilin City grants it from the queue."""

import pytest

from tests.browser.conftest import log_in
from tests.factories import PASSWORD, OrganisationFactory, member_of, staff_in
from zhouqiao.accounts.models import Duty

pytestmark = pytest.mark.browser


def test_an_event_claim_from_the_policy_index_to_a_grant(page, reference):
    company = OrganisationFactory(name="吉林市浏览器化工有限公司", kind="enterprise", region_id="220204")
    applicant = member_of(company)
    finance = staff_in("220200", Duty.FINANCE)

    log_in(page, applicant.username, PASSWORD)
    page.goto("/policy/")
    page.get_by_role("link", name="择优支持与事项申请").first.click()
    page.click("#new-application")
    page.select_option("#id_rule_id", "jlc_national_innovative_enterprise")
    page.fill("#id_event_date", "2025-03-01")
    page.fill("#id_event_reference", "国科发〔2025〕12号")
    page.fill("#id_statement", "2025年新认定为国家级创新型企业。")
    page.click("#submit-application")
    page.wait_for_load_state("networkidle")
    assert "待评审" in page.inner_text("h1") and "50万元" in page.inner_text("#ceiling")
    application_url = page.url
    page.click("form[action$='logout/'] button")
    page.wait_for_load_state("networkidle")

    log_in(page, finance.username, PASSWORD)
    page.goto("/policy/applications/")
    page.locator("tr[data-rule='jlc_national_innovative_enterprise'] a").first.click()
    assert page.url == application_url
    page.fill("#id_reason", "材料齐全")
    page.click("#grant-application")
    page.wait_for_load_state("networkidle")
    assert "已核定" in page.inner_text("h1") and "50万元" in page.inner_text("#granted")
    page.goto("/policy/entitlements/")
    assert "待财务初审" in page.locator("tr[data-clause='003#19']").inner_text()
