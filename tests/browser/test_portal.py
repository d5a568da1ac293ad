import pytest
from playwright.sync_api import expect

from tests.browser.conftest import log_in
from tests.factories import PASSWORD, OrganisationFactory, UserFactory, credit_code_in, member_of, staff_in
from zhouqiao.accounts.models import Duty, Organisation

pytestmark = pytest.mark.browser

MENU_FUNCTIONS = [
    "信息发布",
    "资源整合",
    "数据集中",
    "互动交流",
    "成果展示",
    "专利查新",
    "技术交易",
    "企业办事",
]


def test_the_home_page_is_chinese_and_shows_the_built_functions(page, reference):
    page.goto("/")
    assert page.locator("html").get_attribute("lang") == "zh-CN"
    nav = page.locator("nav.functions")
    for name in MENU_FUNCTIONS:
        expect(nav.get_by_text(name, exact=True)).to_be_visible()
    expect(page.get_by_role("search")).to_be_visible()


@pytest.fixture
def one_of_each_role(reference):
    """One account per role, in Changchun, Jilin City and a county."""
    enterprise = OrganisationFactory(name="长春某汽车零部件有限公司", region_id="220104")
    university = OrganisationFactory(name="某大学", kind="university", region_id="220102")
    broker_org = OrganisationFactory(name="某技术转移中心", kind="transfer_institution", region_id="220173")
    provider = OrganisationFactory(name="某检测公司", kind="service_provider", region_id="220204")
    county_ent = OrganisationFactory(name="德惠某农业公司", region_id="220183")
    return {
        "enterprise": (member_of(enterprise, username="r_enterprise"), "长春某汽车零部件有限公司"),
        "university": (member_of(university, username="r_university"), "某大学"),
        "broker": (member_of(broker_org, username="r_broker"), "某技术转移中心"),
        "provider": (member_of(provider, username="r_provider"), "某检测公司"),
        "county enterprise": (member_of(county_ent, username="r_county_ent"), "德惠某农业公司"),
        "county staff": (staff_in("220183", Duty.REVIEWER, username="r_county_staff"), "德惠市"),
        "city staff": (staff_in("220100", Duty.REVIEWER, Duty.REGISTRAR, username="r_city_staff"), "长春市"),
        "Jilin City staff": (staff_in("220200", Duty.REVIEWER, username="r_jl_staff"), "吉林市"),
        "province staff": (
            staff_in("220000", Duty.REVIEWER, Duty.FINANCE, username="r_prov_staff"),
            "吉林省",
        ),
        "security admin": (staff_in("220000", Duty.SECURITY_ADMIN, username="r_security"), "安全管理员"),
        "audit admin": (staff_in("220000", Duty.AUDIT_ADMIN, username="r_audit"), "审计管理员"),
        "person without organisation": (UserFactory(username="r_person"), "您尚未加入任何机构"),
    }


def test_every_role_logs_in_and_opens_the_workspace(page, one_of_each_role):
    for role, (user, expected) in one_of_each_role.items():
        log_in(page, user.username, PASSWORD)
        assert page.url.endswith("/workspace/"), role
        expect(page.get_by_role("heading", name="个人工作台"), role).to_be_visible()
        expect(page.get_by_text(expected).first, role).to_be_visible()
        page.get_by_role("button", name="退出").click()
        page.wait_for_load_state("load")
        expect(page.get_by_role("link", name="登录"), role).to_be_visible()


LICENCE_SCAN = {"name": "营业执照.png", "mimeType": "image/png", "buffer": b"\x89PNG\r\n\x1a\n" + b"\0" * 32}


def test_a_wrong_credit_code_is_refused_in_chinese_and_nothing_is_written(page, reference):
    page.goto("/register/")
    page.fill("#id_username", "new_user")
    page.fill("#id_display_name", "张三")
    page.fill("#id_password", "Abcdef12!")
    page.fill("#id_password_again", "Abcdef12!")
    page.fill("#id_org_name", "长春新材料科技有限公司")
    page.select_option("#id_org_kind", "enterprise")
    good = credit_code_in("220104")
    page.fill("#id_org_credit_code", good[:17] + ("0" if good[17] != "0" else "1"))
    cascade = page.get_by_role("group", name="所在地区")
    cascade.get_by_label("省").select_option(label="吉林省")
    cascade.get_by_label("市").select_option(label="长春市")
    cascade.get_by_label("县（区）").select_option(label="朝阳区")
    page.get_by_label("我已阅读并同意《个人信息保护政策》").check()
    page.set_input_files("#id_org_document", files=[LICENCE_SCAN])
    page.get_by_role("button", name="注册").click()
    expect(page.get_by_text("统一社会信用代码校验位不正确")).to_be_visible()
    assert not Organisation.objects.filter(name="长春新材料科技有限公司").exists()

    page.fill("#id_password", "Abcdef12!")
    page.fill("#id_password_again", "Abcdef12!")
    page.fill("#id_org_credit_code", good)
    page.set_input_files("#id_org_document", files=[LICENCE_SCAN])  # a refused form keeps no file
    page.get_by_role("button", name="注册").click()
    page.wait_for_url("**/workspace/")
    expect(page.get_by_role("link", name="长春新材料科技有限公司")).to_be_visible()
    expect(page.get_by_text("待审核").first).to_be_visible()


def test_city_staff_verify_an_organisation_from_the_queue(page, reference):
    org = OrganisationFactory(name="待认证的长春企业", region_id="220183", submitted=True)
    staff_in("220100", Duty.REVIEWER, username="reviewer")
    log_in(page, "reviewer", PASSWORD)
    page.goto("/office/verification/")
    page.get_by_role("link", name="待认证的长春企业").click()
    page.get_by_role("button", name="通过认证").click()
    expect(page.get_by_text("已通过认证：待认证的长春企业。")).to_be_visible()
    org.refresh_from_db()
    assert org.status == "verified"


def test_the_language_switch_changes_the_page_language(page, reference):
    page.goto("/")
    page.get_by_role("button", name="English").click()
    page.wait_for_load_state("load")
    assert page.locator("html").get_attribute("lang") == "en"
    page.get_by_role("button", name="中文").click()
    page.wait_for_load_state("load")
    assert page.locator("html").get_attribute("lang") == "zh-CN"


def test_the_portal_fits_a_phone_screen(browser, live_server, reference):
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, base_url=live_server.url, locale="zh-CN"
    )
    page = context.new_page()
    page.goto("/")
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    context.close()
    assert overflow <= 0


@pytest.mark.parametrize("address", ["/no/such/page/", "/office/audit/"])
def test_error_pages_are_in_the_site_frame_and_accessible(page, reference, address):
    from tests.browser.a11y import assert_accessible

    staff_in("220000", Duty.REVIEWER, username="not_an_auditor")
    if address == "/office/audit/":
        log_in(page, "not_an_auditor", PASSWORD)
    page.goto(address)
    expect(page.get_by_role("link", name="返回首页")).to_be_visible()
    expect(page.locator("nav.functions")).to_be_visible()
    assert_accessible(page)
    page.problems.clear()  # the browser logs the 404/403 status itself as a console error
