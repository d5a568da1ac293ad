"""An innovation voucher as the people taking it: the enterprise (一汽) applies from the voucher
page; the city's reviewer approves it from the to-do list; the enterprise, told in its inbox, spends
it on a provider's service (用券下单); the provider delivers and claims the voucher's share from
its to-do list; the enterprise confirms the claim from its to-do list."""

import pytest
from playwright.sync_api import expect

from tests.browser.a11y import assert_accessible

pytestmark = pytest.mark.browser

PURPOSE = "车身焊点疲劳可靠性试验（旅程测试）"
SERVICE = "汽车零部件可靠性试验"
ORDER = f"中国第一汽车集团有限公司 · {SERVICE}（订单3万元）"
PAID = f"中国第一汽车集团有限公司 · {SERVICE}，创新券支付1.5万元（订单3万元）"


def _main(journey):
    return journey.page.locator("main")


def _header(journey):
    return journey.page.locator("header")


def test_a_voucher_is_applied_for_approved_and_spent(journey):
    page = journey.page

    # The enterprise applies.
    journey.log_in("enterprise")
    journey.link("企业办事", within=page.locator("nav.functions"), exact=True)
    journey.link("科技创新券", within=page.get_by_role("navigation", name="企业办事"), exact=True)
    assert_accessible(page)  # the voucher index
    journey.link("申请创新券", within=_main(journey), exact=True)
    page.select_option("#id_category", label="检验检测")
    page.fill("#id_amount", "30000")
    page.fill("#id_purpose", PURPOSE)
    journey.button("提交申请", within=_main(journey), exact=True)
    journey.see("创新券申请已提交")
    expect(page.get_by_role("button", name="批准并发放")).to_have_count(0)
    journey.log_out()

    # The city's reviewer approves it from the to-do list.
    journey.log_in("city_staff")
    journey.link("待办", within=_header(journey))
    journey.link("审核创新券申请：中国第一汽车集团有限公司，3万元", within=_main(journey))
    journey.see(PURPOSE)
    journey.button("批准并发放", within=_main(journey), exact=True)
    journey.see("已批准并发放创新券")
    journey.log_out()

    # The enterprise is told, opens its new voucher and spends it on a testing service.
    journey.log_in("enterprise")
    journey.link("消息", within=_header(journey))
    journey.button(
        "已批准并发放创新券：中国第一汽车集团有限公司申请检验检测类创新券3万元", within=_main(journey)
    )
    journey.link("面额3万元", within=_main(journey))
    journey.link("用此券购买服务", within=_main(journey), exact=True)
    row = page.locator("main table tbody tr", has_text=SERVICE)
    journey.link("用券下单", within=row)
    expect(page.get_by_role("heading", level=1)).to_contain_text(SERVICE)
    expect(page.locator("#id_voucher option:checked")).to_contain_text("余额 3万元")
    assert_accessible(page)  # the order form
    page.fill("#id_price", "30000")
    page.fill("#id_description", "白车身焊点疲劳试验")
    journey.button("提交订单", within=_main(journey), exact=True)
    journey.see("服务订单已提交")
    assert_accessible(page)  # the order page
    journey.log_out()

    # The provider delivers and claims the voucher's share.
    journey.log_in("provider")
    journey.link("待办", within=_header(journey))
    journey.link(f"交付服务：{ORDER}", within=_main(journey))
    journey.button("确认已交付", within=_main(journey), exact=True)
    journey.see(f"已确认交付《{SERVICE}》，请申请创新券兑付。")
    # the next step stays in the provider's to-do list until it is done
    journey.link("待办", within=_header(journey))
    journey.link(f"申请创新券兑付：{ORDER}", within=_main(journey))
    journey.button("申请创新券兑付", within=_main(journey), exact=True)
    journey.see("已提交创新券兑付申请")
    journey.see("1.5万元")  # half of the price, the pool's share
    journey.log_out()

    # The enterprise confirms the claim from its to-do list.
    journey.log_in("enterprise")
    journey.link("待办", within=_header(journey))
    journey.link(f"确认创新券兑付：{PAID}", within=_main(journey))
    journey.button("确认服务与兑付金额", within=_main(journey), exact=True)
    journey.see("请等待科技局结算拨付")
    expect(page.get_by_role("heading", level=1)).to_contain_text("企业已确认")
    expect(page.locator("main button")).to_have_count(0)

    journey.within_budget(36)
