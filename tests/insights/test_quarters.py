"""The quarter breakdown of technology contract turnover and technology transaction amount, counted
by hand from the fixture of conftest.py plus two contracts either side of the end of March
(Asia/Shanghai time: 23:30 on 31 March is the first quarter, 00:30 on 1 April — still 31 March in
UTC — the second)."""

import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from tests.factories import staff_in
from tests.insights.conftest import local
from zhouqiao.accounts.models import Duty
from zhouqiao.contracts.models import Contract
from zhouqiao.insights import dashboard
from zhouqiao.insights import indicators as ind

pytestmark = pytest.mark.django_db

D = Decimal


@pytest.fixture
def quarter_world(world, years):
    past, _ = years
    a, b = world["a"], world["b"]  # 德惠 (220183) and 朝阳 (220104)
    for n, seller, buyer, amount, tech, when in (
        (11, a, b, "400000", "300000", local(past, 3, 31, 23, 30)),  # Q1 in Shanghai (15:30 UTC)
        (12, b, a, "600000", "500000", local(past, 4, 1, 0, 30)),  # Q2 in Shanghai, Q1 in UTC
    ):
        Contract.objects.create(
            title=f"合同{n}",
            contract_type="service",
            subtype="service",
            seller=seller,
            buyer=buyer,
            region_id=seller.region_id,
            contract_amount=D(amount),
            technology_amount=D(tech),
            signed_on=when.date(),
            status="registered",
            registration_number=f"T{n}",
            registered_at=when,
            created_by=world["author"],
            created_at=when,
        )
    return world


def _by_quarter(rows):
    return {
        (r["year"], r["quarter"]): (r["count"], r["contract_amount"], r["technology_amount"]) for r in rows
    }


def test_quarters_follow_the_shanghai_registration_date(quarter_world, years):
    past, this = years
    # By hand, the province, previous year: Q1 = contract 2 (1 Mar, 200万/200万) + contract 11
    # (31 Mar 23:30, 40万/30万); Q2 = contract 1 (1 Jun, 100万/80万) + contract 12 (1 Apr 00:30,
    # 60万/50万); Q3 none; Q4 = contract 3 (31 Dec 23:30, 50万/40万). Running year: Q1 = contract 4.
    rows = _by_quarter(ind.quarters(region_code="220000", years=range(past, this + 1)))
    assert rows == {
        (past, 1): (2, D("2400000.00"), D("2300000.00")),
        (past, 2): (2, D("1600000.00"), D("1300000.00")),
        (past, 3): (0, D("0.00"), D("0.00")),
        (past, 4): (1, D("500000.00"), D("400000.00")),
        (this, 1): (1, D("300000.00"), D("300000.00")),
        (this, 2): (0, D("0.00"), D("0.00")),
        (this, 3): (0, D("0.00"), D("0.00")),
        (this, 4): (0, D("0.00"), D("0.00")),
    }
    # The quarters add up to the year's figures.
    assert sum(v[1] for (y, _q), v in rows.items() if y == past) == ind.value(
        "contract_turnover", region_code="220000", year=past
    )
    # 德惠 (220183) sold contracts 1 (Q2) and 11 (Q1).
    county = _by_quarter(ind.quarters(region_code="220183", years=range(past, past + 1)))
    assert county[(past, 1)] == (1, D("400000.00"), D("300000.00"))
    assert county[(past, 2)] == (1, D("1000000.00"), D("800000.00"))


def test_the_quarter_table_api_and_export(client, quarter_world, years):
    past, _ = years
    table = dashboard.quarters(dashboard.Region.objects.get(pk="220000"), past)
    assert [r[0] for r in table.rows][3:5] == [f"{past - 1}年四季度", f"{past}年一季度"]
    first = table.rows[4]
    assert first[1:] == [2, D("240.00"), D("230.00")]  # 万元

    assert "quarters" in dashboard.BUILDERS  # a section of the page (the insights journey sees it)
    client.force_login(staff_in("220000", Duty.REGISTRAR))

    api = client.get(f"/api/v1/insights/quarters?region=220100&year_from={past}&year_to={past}")
    assert api.status_code == 200
    assert api.json()[:2] == [
        {
            "year": past,
            "quarter": 1,
            "count": 2,
            "contract_amount": "2400000.00",
            "technology_amount": "2300000.00",
        },
        {
            "year": past,
            "quarter": 2,
            "count": 2,
            "contract_amount": "1600000.00",
            "technology_amount": "1300000.00",
        },
    ]
    assert client.get(f"/api/v1/insights/quarters?year_from={past}&year_to={past - 1}").status_code == 422

    response = client.get(f"/insights/export/quarters.xlsx?region=220000&year={past}")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = {r[0]: r for r in sheet.iter_rows(min_row=4, values_only=True) if r and r[0]}
    assert rows[f"{past}年二季度"][1:] == (2, 160.0, 130.0)


def test_the_public_gets_no_quarters_of_the_running_year(client, quarter_world, years):
    _, this = years
    assert client.get(f"/api/v1/insights/quarters?year_to={this}").status_code == 403


def test_the_dashboard_labels_follow_the_language_of_the_page():
    from django.utils import translation

    from zhouqiao.insights import dashboard

    with translation.override("en"):
        assert dashboard.quarter_label(2025, 1) == "Q1 2025"
        assert str(dashboard.GROUPS["market"][0]) == "Achievements and demands"
    with translation.override("zh-hans"):
        assert dashboard.quarter_label(2025, 1) == "2025年一季度"
