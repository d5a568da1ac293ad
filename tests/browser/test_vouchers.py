"""An enterprise applies for an innovation voucher, staff approve it, the enterprise books a
provider's instrument paying with the voucher, the owner records the use, the voucher pays its
share, the enterprise confirms, staff settle; the ledger reconciles afterwards."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from playwright.sync_api import expect

from tests.browser.conftest import log_in
from tests.factories import PASSWORD, OrganisationFactory, member_of, staff_in
from tests.vouchers.conftest import certify
from zhouqiao.accounts.models import Duty
from zhouqiao.facilities import services as facilities
from zhouqiao.vouchers import orders, services
from zhouqiao.vouchers.models import Voucher

pytestmark = pytest.mark.browser

SHANGHAI = ZoneInfo("Asia/Shanghai")
MONDAY = datetime(2027, 3, 1, 8, 30, tzinfo=SHANGHAI)


@pytest.fixture
def scene(reference):
    with time_machine.travel(MONDAY, tick=True) as traveller:
        staff = staff_in("220100", Duty.REVIEWER, Duty.FINANCE, username="b_city_staff")
        services.create_pool(
            actor=staff, jurisdiction_code="220100", year=2027, budget="30000000", now=MONDAY
        )
        enterprise = OrganisationFactory(
            name="长春智能网联汽车科技有限公司", region_id="220104", contact_phone="13300000001"
        )
        certify(enterprise)
        institute = OrganisationFactory(
            name="长春精密光学研究所", kind="institute", region_id="220173", contact_phone="13300000002"
        )
        owner = member_of(institute, username="b_institute")
        service = orders.register_service(
            actor=owner,
            provider_id=institute.pk,
            category="testing",
            name="大型仪器共享检测服务",
            price="600",
            unit="机时",
            now=MONDAY,
        )
        orders.transition_service(actor=staff, service_id=service.pk, to_status="approved", now=MONDAY)
        instrument = facilities.register_instrument(
            actor=owner,
            owner_id=institute.pk,
            now=MONDAY,
            prices=[
                {"group": "enterprise", "unit": "hour", "unit_price": "600"},
                {"group": "external", "unit": "hour", "unit_price": "500"},
            ],
            data={
                "name": "场发射扫描电子显微镜",
                "category": "analytical",
                "location": "长春市东南湖大路3888号",
                "value": "3200000",
                "funding_source": "public",
            },
        )
        yield {
            "traveller": traveller,
            "instrument": instrument,
            "enterprise_user": member_of(enterprise, username="b_enterprise"),
        }


def test_a_voucher_pays_its_share_of_an_instrument_booking_from_application_to_settlement(page, scene):
    # The enterprise applies for a testing voucher.
    log_in(page, "b_enterprise", PASSWORD)
    page.goto("/vouchers/apply/")
    page.select_option("#id_category", "testing")
    page.fill("#id_amount", "20000")
    page.fill("#id_purpose", "新型车载镜头镀膜的形貌检测")
    page.get_by_role("button", name="提交申请").click()
    expect(page.get_by_text("创新券申请已提交")).to_be_visible()
    application_url = page.url

    # City staff approve it: a voucher is issued.
    log_in(page, "b_city_staff", PASSWORD)
    page.goto(application_url)
    page.get_by_role("button", name="批准并发放").click()
    expect(page.get_by_text("已批准并发放创新券")).to_be_visible()
    voucher = Voucher.objects.get()
    expect(page.get_by_role("link", name="面额2万元")).to_be_visible()

    # The enterprise books two hours of the institute's microscope, paying with the voucher.
    log_in(page, "b_enterprise", PASSWORD)
    page.goto(f"/facilities/i/{scene['instrument'].pk}/?week=2027-03-01")
    assert page.locator("td.slot-free").count() > 0
    page.fill("#id_day", "2027-03-01")
    page.select_option("#id_hour", "10")
    page.fill("#id_hours", "2")
    page.fill("#id_purpose", "镀膜断面形貌观察")
    page.select_option("#id_voucher", str(voucher.pk))
    page.get_by_role("button", name="提交预约").click()
    expect(page.get_by_text("预约已提交")).to_be_visible()
    booking_url = page.url

    # The owner confirms the booking; the calendar shows the hours taken.
    log_in(page, "b_institute", PASSWORD)
    page.goto(booking_url)
    page.get_by_role("button", name="同意预约").click()
    assert page.locator("h1 .status").inner_text() == "已确认"
    page.goto(f"/facilities/i/{scene['instrument'].pk}/?week=2027-03-01")
    assert page.locator("td.slot-taken").count() == 2

    # After the session the owner records the use: 2 hours at the enterprise price, 1200 yuan.
    scene["traveller"].move_to(datetime(2027, 3, 1, 12, 30, tzinfo=SHANGHAI))
    log_in(page, "b_institute", PASSWORD)
    page.goto(booking_url)
    page.fill("#id_hours", "2")
    page.get_by_role("button", name="登记并计费").click()
    expect(page.get_by_text("服务费 1,200元")).to_be_visible()
    expect(page.get_by_text("已交付")).to_be_visible()

    # As provider it claims the voucher's share: at most 50%, 600 yuan.
    page.get_by_role("button", name="申请创新券兑付").click()
    assert page.locator("dd.redeemed").inner_text() == "600元"
    order_url = page.url

    # The enterprise confirms; the staff settle to the provider.
    log_in(page, "b_enterprise", PASSWORD)
    page.goto(order_url)
    page.get_by_role("button", name="确认服务与兑付金额").click()
    assert page.locator("h1 .status").inner_text() == "企业已确认"
    log_in(page, "b_city_staff", PASSWORD)
    page.goto(order_url)
    page.fill("#id_settlement_ref", "CC-BF-2027-0001")
    page.get_by_role("button", name="结算拨付").click()
    assert page.locator("h1 .status").inner_text() == "已结算"
    expect(page.get_by_text("CC-BF-2027-0001")).to_be_visible()

    voucher.refresh_from_db()
    assert str(voucher.remaining) == "19400.00"
    call_command("vouchers", "reconcile")


def test_the_voucher_and_sharing_pages_open_without_errors(page, scene):
    with time_machine.travel(MONDAY, tick=True):
        for url, heading in [
            ("/vouchers/", "科技创新券"),
            ("/vouchers/providers/", "创新券服务机构名录"),
            ("/facilities/", "大型仪器设备共享"),
        ]:
            page.goto(url)
            expect(page.get_by_role("heading", name=heading, exact=True)).to_be_visible()
        log_in(page, "b_city_staff", PASSWORD)
        page.goto("/vouchers/office/")
        expect(page.get_by_text("台账核对通过")).to_be_visible()
        expect(page.get_by_text("没有待审核的申请。")).to_be_visible()
        page.goto("/facilities/evaluation/?year=2027")
        expect(page.get_by_role("heading", name="2027年度大型仪器开放共享评价")).to_be_visible()
        with page.expect_download() as download:
            page.get_by_role("link", name="导出Excel").click()
        assert download.value.suggested_filename == "sharing-evaluation-2027.xlsx"
