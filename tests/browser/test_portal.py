import pytest

from tests.browser.conftest import log_in
from tests.factories import PASSWORD

pytestmark = pytest.mark.browser


def test_the_home_page_is_chinese_and_shows_the_nine_functions(page):
    page.goto("/")
    assert page.locator("html").get_attribute("lang") == "zh-CN"
    nav = page.locator("nav.functions")
    for name in ["信息发布", "资源整合", "数据集中", "项目管理", "互动交流", "成果展示", "专利查新", "技术交易", "企业办事"]:
        assert nav.get_by_text(name, exact=True).is_visible()


def test_an_enterprise_user_logs_in_and_sees_the_workspace(page, enterprise_user):
    log_in(page, "ent_admin", PASSWORD)
    assert page.url.endswith("/workspace/")
    assert page.get_by_role("heading", name="个人工作台").is_visible()
    assert page.get_by_text("长春测试汽车零部件有限公司").is_visible()
