"""The back office (/office/): for each duty held, the working pages of that duty that the person
may open — no dead end, and no link into a refusal."""

import re

import pytest
from django.urls import reverse

from tests.factories import staff_in
from zhouqiao.accounts.models import Duty, User

pytestmark = pytest.mark.django_db


def _duty_links(page: str) -> dict[str, str]:
    """{label: href} of the office's duty sections."""
    block = re.search(r'<div class="columns" id="duty-pages">(.*?)</div>', page, re.S).group(1)
    return {label: href for href, label in re.findall(r'<a href="([^"]+)">([^<]+)</a>', block)}


def test_each_duty_lists_its_working_pages_and_each_opens(client, reference):
    county = staff_in("220183", Duty.REVIEWER, Duty.REGISTRAR, Duty.STATISTICS, username="county_staff")
    client.force_login(county)
    page = client.get(reverse("web:back_office")).content.decode()
    links = _duty_links(page)
    assert links["成果与需求审核"] == reverse("catalog:review_queue")
    assert links["技术合同认定登记"] == reverse("contracts:list")
    assert links["技术合同登记统计"] == reverse("contracts:statistics")
    assert links["指数数据管理"] == reverse("innovation_index:manage")
    # pages of duties the person does not hold are not offered
    assert reverse("policy:finance") not in links.values()
    assert reverse("web:audit_log") not in links.values()
    for label, href in links.items():
        assert client.get(href).status_code == 200, label


@pytest.mark.parametrize(
    ("duty", "wanted", "not_wanted"),
    [
        (Duty.AUDIT_ADMIN, "web:audit_log", "catalog:review_queue"),
        (Duty.SYSTEM_ADMIN, "search:patent_import", "web:audit_log"),
        (Duty.FINANCE, "policy:finance", "catalog:review_queue"),
    ],
)
def test_an_administrator_or_finance_sees_the_pages_of_their_duty_only(
    client, reference, duty, wanted, not_wanted
):
    client.force_login(staff_in("220000", duty))
    links = _duty_links(client.get(reverse("web:back_office")).content.decode())
    assert reverse(wanted) in links.values()
    assert reverse(not_wanted) not in links.values()
    for label, href in links.items():
        assert client.get(href).status_code == 200, label


def test_the_security_administrator_is_pointed_to_the_grant_page(client, security_admin):
    client.force_login(security_admin)
    links = _duty_links(client.get(reverse("web:back_office")).content.decode())
    assert links["人员授权"] == reverse("web:staff_grants")
    assert client.get(links["人员授权"]).status_code == 200


# --- the demo: 德惠市 has work waiting for its own bureau -------------------------------------


@pytest.fixture
def county_staff_of_demo(demo_data, db):
    return User.objects.get(username="county_staff")


def test_the_demo_county_staff_has_a_demand_an_achievement_and_a_contract_waiting(
    client, county_staff_of_demo
):
    from zhouqiao.catalog.demo import COUNTY_ACHIEVEMENT, COUNTY_DEMAND
    from zhouqiao.contracts.demo import COUNTY_CONTRACT

    client.force_login(county_staff_of_demo)
    for url in (reverse("notifications:todo"), reverse("web:back_office")):
        page = client.get(url).content.decode()
        for title in (COUNTY_DEMAND, COUNTY_ACHIEVEMENT, COUNTY_CONTRACT):
            assert title in page, (url, title)
        assert "目前没有等待您办理的事项" not in page
    review = client.get(reverse("catalog:review_queue")).content.decode()
    assert COUNTY_DEMAND in review and COUNTY_ACHIEVEMENT in review
    office = _duty_links(client.get(reverse("web:back_office")).content.decode())
    assert {"成果与需求审核", "技术合同认定登记", "技术合同登记统计", "指数数据管理"} <= set(office)


def test_a_record_under_review_shows_no_database_number(client, county_staff_of_demo):
    from zhouqiao.catalog.demo import COUNTY_ACHIEVEMENT
    from zhouqiao.catalog.models import Achievement
    from zhouqiao.catalog.states import RecordStatus

    client.force_login(county_staff_of_demo)
    waiting = Achievement.objects.get(title=COUNTY_ACHIEVEMENT)
    assert waiting.status == RecordStatus.SUBMITTED
    page = client.get(reverse("catalog:achievement_detail", args=[waiting.pk])).content.decode()
    assert COUNTY_ACHIEVEMENT in page and "编号" not in page.split('class="record-meta"')[1].split("</p>")[0]
    published = Achievement.objects.filter(status=RecordStatus.PUBLISHED).first()
    page = client.get(reverse("catalog:achievement_detail", args=[published.pk])).content.decode()
    assert f"编号 {published.pk}" in page  # the 成果包 form asks for published achievements by it


def test_the_workspace_links_to_the_pages_of_the_duties_held(client, reference):
    """A city policy editor reaches 政策参数调整 from 工作台, not only through 管理后台."""
    editor = staff_in("220100", Duty.POLICY_EDITOR, username="changchun_editor")
    client.force_login(editor)
    page = client.get(reverse("web:workspace")).content.decode()
    duties = page[page.index("我的职责") :]
    assert f'<a href="{reverse("policy:changes")}">政策参数调整</a>' in duties
    assert reverse("policy:finance") not in duties  # a duty not held: no link
