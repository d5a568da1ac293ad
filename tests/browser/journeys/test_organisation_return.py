"""A returned organisation corrects its registration, as the people doing it: Jilin City's reviewer
(`jilin_city_staff`) finds 吉林市智造未来科技有限公司 in the to-do list, opens its licence scan and
returns it asking for the licence copy; the admin (`startup`) finds the return in the to-do list,
corrects the address, uploads the scan and resubmits; the reviewer sees both scans and verifies."""

import pytest
from playwright.sync_api import expect

from tests.browser.a11y import assert_accessible
from zhouqiao.accounts.models import Organisation

pytestmark = pytest.mark.browser

ORG = "吉林市智造未来科技有限公司"
REASON = "请上传营业执照副本。"


def _main(journey):
    return journey.page.locator("main")


def _header(journey):
    return journey.page.locator("header")


def _to_the_organisation(journey):
    journey.link("待办", within=_header(journey))
    journey.link(ORG, within=_main(journey), exact=True)


def _scan_links(journey):
    return _main(journey).get_by_role("link", name="营业执照（或事业单位法人证书）副本")


def test_a_returned_organisation_edits_uploads_resubmits_and_is_verified(journey, tmp_path):
    page = journey.page
    code = Organisation.objects.get(name=ORG).credit_code

    journey.log_in("jilin_city_staff")  # 3 clicks
    _to_the_organisation(journey)  # 2
    expect(_scan_links(journey)).to_have_count(1)  # the demo's sample licence
    scan = page.request.get(_scan_links(journey).first.get_attribute("href"))
    assert scan.status == 200 and scan.headers["content-type"] == "application/pdf"
    page.fill("#id_reason", REASON)
    journey.button("退回", within=_main(journey), exact=True)  # 1
    journey.see(f"已退回认证申请：{ORG}")
    journey.log_out()  # 1

    journey.log_in("startup")  # 3
    _to_the_organisation(journey)  # 2
    journey.see(f"审核意见：{REASON}")
    assert_accessible(page)  # the returned organisation with 修改信息 / 上传材料 / 重新提交审核
    journey.link("修改信息", within=_main(journey), exact=True)  # 1
    assert_accessible(page)  # the edit form
    page.fill("#id_credit_code", "91220204MA00000000")
    journey.button("保存", within=_main(journey), exact=True)  # 1
    journey.see("统一社会信用代码校验位不正确")  # a Chinese error, nothing saved
    expect(page.locator("#id_credit_code")).to_have_value("91220204MA00000000")  # kept to correct
    assert Organisation.objects.get(name=ORG).credit_code == code
    page.fill("#id_credit_code", code)
    page.fill("#id_address", "吉林省吉林市船营区致和街88号")
    page.fill("#id_contact_name", "吴创")
    journey.button("保存", within=_main(journey), exact=True)  # 1
    journey.see("机构信息已保存。")
    journey.see("吉林省吉林市船营区致和街88号")
    licence = tmp_path / "营业执照副本.pdf"
    licence.write_bytes(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    page.set_input_files("#id_document", str(licence))
    journey.button("上传材料", within=_main(journey), exact=True)  # 1
    journey.see("已上传认证材料：营业执照副本.pdf。")
    journey.button("重新提交审核", within=_main(journey), exact=True)  # 1
    journey.see(f"已重新提交认证：{ORG}")
    expect(page.locator("h1 .status")).to_have_text("待审核")
    journey.log_out()  # 1

    journey.log_in("jilin_city_staff")  # 3
    _to_the_organisation(journey)  # 2
    expect(_scan_links(journey)).to_have_count(2)
    expect(_main(journey)).to_contain_text("营业执照副本.pdf")
    assert_accessible(page)  # the reviewer's page with the documents
    journey.button("通过认证", within=_main(journey), exact=True)  # 1
    journey.see(f"已通过认证：{ORG}。")
    journey.within_budget(24)
