"""The registrar's list of contracts in their jurisdiction (filters, pages, bad input) and an
organisation's own list; the statistics tables link each row to the contracts it counts."""

import datetime as dt
import re

import pytest

from tests.contracts.fixtures import contract_data
from tests.contracts.helpers import registered, submitted, visible_text
from tests.factories import OrganisationFactory, member_of, staff_in
from zhouqiao.accounts.models import Duty
from zhouqiao.contracts import services

pytestmark = pytest.mark.django_db


def count(html: str) -> int:
    return int(re.search(r'id="result-count">共 (\d+) 项', html).group(1))


@pytest.fixture
def book(seller_user, seller_org, buyer_org, registrar, now):
    """Three registered contracts in Changchun (two years, two types, two districts), one waiting,
    and one registered in Jilin City that a Changchun registrar must never see."""
    later = now + dt.timedelta(days=400)
    a = registered(seller_user, seller_org, buyer_org, registrar, now, title="甲催化剂专利转让")
    b = registered(
        seller_user,
        seller_org,
        buyer_org,
        registrar,
        later,
        title="乙光栅技术开发",
        contract_type="development",
        subtype="commissioned_development",
        contract_amount="3000000.00",
    )
    dehui = OrganisationFactory(name="德惠测试研究院", kind="institute", region_id="220183")
    dehui_user = member_of(dehui)
    c = registered(
        dehui_user,
        dehui,
        buyer_org,
        registrar,
        now,
        title="丙农产品技术服务",
        contract_type="service",
        subtype="service",
        contract_amount="120000.00",
    )
    d = submitted(seller_user, seller_org, buyer_org, now, title="丁待审合同")
    jilin = OrganisationFactory(name="吉林市测试大学", kind="university", region_id="220204")
    e = registered(
        member_of(jilin), jilin, buyer_org, staff_in("220200", Duty.REGISTRAR), now, title="戊吉林合同"
    )
    return {"a": a, "b": b, "c": c, "d": d, "e": e}


def test_a_registrar_sees_every_contract_of_the_jurisdiction_but_no_other(client, registrar, book):
    client.force_login(registrar)
    page = client.get("/contracts/").content.decode()
    assert count(page) == 4  # a, b, c and the waiting d; not Jilin's e
    assert "戊吉林合同" not in page
    assert book["a"].registration_number in page


@pytest.mark.parametrize(
    ("query", "titles"),
    [
        ("status=registered", {"甲", "乙", "丙"}),
        ("status=submitted", {"丁"}),
        ("contract_type=development", {"乙"}),
        ("registered_from=2025-01-01", {"乙"}),
        ("registered_from=2024-01-01&registered_to=2024-12-31", {"甲", "丙"}),
        ("region=220183", {"丙"}),
        ("region=220100&status=registered", {"甲", "乙", "丙"}),
        ("buyer_region=220104", {"甲", "乙", "丙", "丁"}),
        ("amount_min=100&amount_max=300", {"乙"}),  # 万元
        ("amount_max=50", {"丙"}),
        ("q=光栅", {"乙"}),
        ("q=长春测试大学", {"甲", "乙", "丁"}),
        ("industry=none&status=registered", {"甲", "乙", "丙"}),
    ],
)
def test_the_filters_narrow_the_list(client, registrar, book, query, titles):
    client.force_login(registrar)
    page = client.get(f"/contracts/?{query}").content.decode()
    shown = {t for t in "甲乙丙丁戊" if f"{t}" in visible_text(page).split("共 ")[-1]}
    assert shown == titles and count(page) == len(titles)


def test_the_registration_number_finds_its_contract(client, registrar, book):
    client.force_login(registrar)
    page = client.get(f"/contracts/?q={book['b'].registration_number}").content.decode()
    assert count(page) == 1 and "乙光栅技术开发" in page


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("registered_from=2024-13-45", "日期"),
        ("registered_from=2025-01-01&registered_to=2024-01-01", "结束日期不能早于开始日期"),
        ("amount_min=abc", "数字"),
        ("amount_min=-5", "大于或等于"),
        ("amount_min=9999999999999999", "不超过 12 个数字"),
        ("amount_min=300&amount_max=100", "成交额上限不能低于下限"),
        ("status=nonsense", "选择"),
        ("region=110101", "选择"),
    ],
)
def test_bad_filters_are_explained_in_chinese_and_left_out(client, registrar, book, query, message):
    client.force_login(registrar)
    response = client.get(f"/contracts/?{query}")
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page and 'role="alert"' in page


@pytest.mark.parametrize("page_number", ["0", "-1", "abc", "999999999999999999999", "1e400", ""])
def test_a_bad_page_number_shows_a_page(client, registrar, book, page_number):
    client.force_login(registrar)
    assert client.get(f"/contracts/?page={page_number}").status_code == 200


def test_the_list_pages_and_keeps_the_filters(client, registrar, seller_user, seller_org, buyer_org, now):
    for i in range(23):
        services.create_draft(
            actor=seller_user,
            seller_id=seller_org.pk,
            data=contract_data(buyer_org, title=f"草稿{i}"),
            now=now,
        )
        submitted(seller_user, seller_org, buyer_org, now, title=f"批量合同{i:02d}")
    client.force_login(registrar)
    first = client.get("/contracts/?status=submitted").content.decode()
    assert count(first) == 23 and "第 1 / 2 页" in first
    assert "status=submitted&amp;page=2" in first
    second = client.get("/contracts/?status=submitted&page=2").content.decode()
    assert second.count("批量合同") == 3
    assert "草稿" not in visible_text(first)  # another organisation's drafts never reach staff


def test_an_organisation_sees_its_own_contracts_with_a_status_filter(client, seller_user, buyer_user, book):
    client.force_login(seller_user)
    page = client.get("/contracts/").content.decode()
    assert count(page) == 3 and "丙农产品技术服务" not in page  # Dehui's contract is not theirs
    assert 'name="status"' in page and 'name="region"' not in page and 'name="amount_min"' not in page
    assert count(client.get("/contracts/?status=submitted").content.decode()) == 1
    client.force_login(buyer_user)  # the buyer sees every contract it bought, wherever registered
    assert count(client.get("/contracts/?status=registered").content.decode()) == 4


def test_the_list_speaks_chinese(client, registrar, book):
    client.force_login(registrar)
    text = visible_text(client.get("/contracts/").content.decode())
    assert "80万元" in text and "300万元" in text
    for raw in ("800000.00", "registered", "submitted", "development", "service"):
        assert raw not in text


def test_every_statistics_row_links_to_the_contracts_it_counts(client, registrar, book):
    client.force_login(registrar)
    page = client.get("/contracts/statistics/?level=county").content.decode()
    rows = re.findall(r'<td><a href="(/contracts/\?[^"]+)" aria-label="[^"]*">(\d+)</a></td>', page)
    assert len(rows) >= 9  # years, regions, types, industry, flows
    for href, figure in rows:
        listed = client.get(href.replace("&amp;", "&")).content.decode()
        assert count(listed) == int(figure), href
    flows = re.findall(r'id="stats-flow".*?</section>', page, re.S)[0]
    assert "吉林省长春市德惠市" in flows and "吉林省长春市朝阳区" in flows


def test_the_statistics_for_one_year_link_to_that_year(client, registrar, book):
    client.force_login(registrar)
    page = client.get("/contracts/statistics/?year=2024").content.decode()
    assert "registered_from=2024-01-01" in page
    assert "3,000,000" not in page and "300.00万元" not in page  # 乙 was registered in 2025


def test_the_statistics_page_shows_amounts_with_their_unit(client, registrar, book):
    client.force_login(registrar)
    text = visible_text(client.get("/contracts/statistics/?level=city").content.decode())
    assert "392.00万元" in text  # 80 + 300 + 12
    assert not re.search(r"\d{6,}\.\d\d", text)


def test_a_county_registrars_statistics_links_work_at_the_city_level(client, book):
    county = staff_in("220183", Duty.REGISTRAR)
    client.force_login(county)
    page = client.get("/contracts/statistics/?level=city").content.decode()
    rows = re.findall(r'<td><a href="(/contracts/\?[^"]+)" aria-label="[^"]*">(\d+)</a></td>', page)
    assert rows and all(figure == "1" for _, figure in rows)  # only Dehui's contract
    for href, _figure in rows:
        listed = client.get(href.replace("&amp;", "&")).content.decode()
        assert count(listed) == 1 and 'role="alert"' not in listed, href


def _amount_cells(page: str, table: str) -> list[str]:
    section = re.findall(rf'id="stats-{table}".*?</section>', page, re.S)[0]
    return re.findall(r"<td>([^<]*元)</td>", section)


def test_every_amount_in_the_statistics_tables_reads_in_wan_yuan_with_two_decimals(
    client, seller_user, seller_org, buyer_org, registrar, book, now
):
    """One unit per column: a technology amount that is not a whole 百元 (2,250,320.00元) does not
    sit beside 281.29万元; every figure of every table reads N.NN万元."""
    registered(
        seller_user,
        seller_org,
        buyer_org,
        registrar,
        now,
        title="己非整百元合同",
        contract_amount="2812900.00",
        non_technical_items=[{"kind": "equipment", "amount": "562580.00", "description": "设备"}],
    )
    client.force_login(registrar)
    page = client.get("/contracts/statistics/?level=county").content.decode()
    for table in ("year", "region", "type", "industry", "flow"):
        cells = _amount_cells(page, table)
        assert cells, table
        assert all(re.fullmatch(r"[\d,]+\.\d\d万元", c) for c in cells), (table, cells)
    region = _amount_cells(page, "region")
    assert "661.29万元" in region and "605.03万元" in region  # 南关区: 80 + 300 + 281.29; 80 + 300 + 225.03
    assert "2,250,320.00元" not in page


def test_a_county_clerk_sees_their_county_by_default(client, book):
    county = staff_in("220183", Duty.REGISTRAR)
    client.force_login(county)
    page = client.get("/contracts/statistics/").content.decode()
    region = re.findall(r'id="stats-region".*?</section>', page, re.S)[0]
    assert "吉林省长春市德惠市" in region  # their county, not the city it rolls up into
    assert '<option value="county" selected>' in page
    # the city level is still one choice away
    city = client.get("/contracts/statistics/?level=city").content.decode()
    assert "吉林省长春市德惠市" not in re.findall(r'id="stats-region".*?</section>', city, re.S)[0]


def test_city_staff_still_see_their_cities_by_default(client, registrar, book):
    client.force_login(registrar)
    page = client.get("/contracts/statistics/").content.decode()
    region = re.findall(r'id="stats-region".*?</section>', page, re.S)[0]
    assert "吉林省长春市</a>" in region and "德惠市" not in region
