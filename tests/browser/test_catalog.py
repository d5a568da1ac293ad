"""The achievement review round trip and a confidential demand, in a real browser."""

import io
import re

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from tests.browser.conftest import log_in
from tests.catalog.conftest import NOW, demand_data
from tests.factories import PASSWORD
from zhouqiao.catalog import services

pytestmark = pytest.mark.browser
TITLE = "寒地玉米秸秆低成本生物降解地膜"
SECRET = "副车架焊后变形超差"


def log_out(page):
    page.get_by_role("button", name="退出").click()
    page.wait_for_load_state("load")


def test_an_achievement_is_returned_fixed_and_published_then_found_by_the_public(
    page, university_user, city_staff
):
    log_in(page, university_user.username, PASSWORD)
    page.goto("/catalog/achievements/new/")
    page.fill("#id_title", TITLE)
    page.fill("#id_abstract", "以秸秆纤维素为原料制备可完全降解的农用地膜。")
    page.select_option("#id_readiness", "5")
    page.get_by_label("许可").check()
    page.get_by_role("button", name="保存").click()
    page.get_by_role("button", name="提交审核").click()
    assert page.locator(".status").first.inner_text() == "待审核"
    log_out(page)

    log_in(page, city_staff.username, PASSWORD)
    page.goto("/catalog/review/")
    page.get_by_role("link", name=TITLE).click()
    page.fill("#id_reason", "请补充与传统PE地膜的成本比较。")
    page.get_by_role("button", name="退回修改").click()
    assert page.locator(".status").first.inner_text() == "已退回"
    log_out(page)

    log_in(page, university_user.username, PASSWORD)
    page.goto("/catalog/mine/")
    page.get_by_role("link", name=TITLE).click()
    expect(page.get_by_text("请补充与传统PE地膜的成本比较。").first).to_be_visible()
    page.get_by_role("link", name="修改").click()
    page.fill("#id_economics", "每亩地膜成本较PE地膜高约8%，但省去回收人工，综合成本降低约20%。")
    page.get_by_role("button", name="保存").click()
    page.get_by_role("button", name="重新提交审核").click()
    assert page.locator(".status").first.inner_text() == "待审核"
    log_out(page)

    log_in(page, city_staff.username, PASSWORD)
    page.goto("/catalog/review/")
    page.get_by_role("link", name=TITLE).click()
    page.get_by_role("button", name="审核通过并发布").click()
    assert page.locator(".status").first.inner_text() == "已发布"
    log_out(page)

    page.goto("/catalog/achievements/")
    page.fill("#f-q", "秸秆")
    page.get_by_role("button", name="筛选").click()
    page.get_by_role("link", name=TITLE).click()
    expect(page.get_by_role("heading", name=TITLE)).to_be_visible()
    expect(page.get_by_text("综合成本降低约20%")).to_be_visible()


def test_a_confidential_demand_is_invisible_to_a_stranger_in_page_api_and_export(
    page, enterprise_user, enterprise, city_staff, stranger
):
    demand = services.create_demand(
        actor=enterprise_user, owner_id=enterprise.pk, data=demand_data(confidentiality="summary"), now=NOW
    )
    services.submit(actor=enterprise_user, kind="demand", record_id=demand.pk, now=NOW)
    services.publish(actor=city_staff, kind="demand", record_id=demand.pk, now=NOW)

    log_in(page, stranger.username, PASSWORD)
    page.goto("/catalog/demands/")
    page.get_by_role("link", name=demand.title).click()
    expect(page.get_by_text(demand.summary)).to_be_visible()
    assert "仅对已认证机构可见" in page.locator(".confidential").inner_text()
    assert SECRET not in page.content()

    api = page.request.get(f"/api/v1/catalog/demands/{demand.pk}")
    assert api.ok and SECRET not in api.text() and "problem" not in api.json()

    export = page.request.get("/catalog/demands/export.xlsx")
    sheet = load_workbook(io.BytesIO(export.body())).active
    text = " ".join(str(c) for row in sheet.iter_rows(values_only=True) for c in row if c)
    assert demand.title in text and SECRET not in text and not re.search(r"13904315678", text)
