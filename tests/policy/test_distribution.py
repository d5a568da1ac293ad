"""Income distribution pages: the unit admin's ratios (inventors ≥ 70%), a distribution among
named inventors, the printable sheet; nobody outside the unit sees it."""

import pytest

from tests.factories import UserFactory, member_of
from tests.policy.test_entitlements import register
from zhouqiao.accounts.models import MemberRole
from zhouqiao.policy.models import DistributionScheme, IncomeDistribution

pytestmark = pytest.mark.django_db


def test_it_refuses_an_inventors_share_below_seventy_percent(client, seller_org, seller_user):
    client.force_login(seller_user)
    response = client.post("/policy/distribution/", {"inventors_ratio": "60", "department_ratio": "10"})
    assert "不得低于70%" in response.content.decode()
    assert not DistributionScheme.objects.exists()
    client.post("/policy/distribution/", {"inventors_ratio": "80", "department_ratio": "5"})
    assert str(DistributionScheme.objects.get(organisation=seller_org).unit_ratio) == "0.1500"


def test_a_distribution_is_recorded_and_printed(client, seller_user, seller_org, buyer_org, registrar, now):
    contract = register(seller_user, seller_org, buyer_org, registrar, now)
    client.force_login(seller_user)
    client.post("/policy/distribution/", {"inventors_ratio": "80", "department_ratio": "10"})
    assert f"?contract={contract.pk}" in client.get(f"/contracts/{contract.pk}/").content.decode()
    form = {
        "contract": contract.pk,
        "costs": "50000.00",
        "inventors-TOTAL_FORMS": "3",
        "inventors-INITIAL_FORMS": "0",
        "inventors-0-name": "张三",
        "inventors-0-share": "2",
        "inventors-1-name": "李四",
        "inventors-1-share": "1",
    }
    bad = client.post(
        "/policy/distribution/new/",
        {**form, "inventors-1-share": "", "inventors-1-name": ""} | {"costs": "900000.00"},
    )
    assert "成本应在0与技术交易额之间" in bad.content.decode() and not IncomeDistribution.objects.exists()
    response = client.post("/policy/distribution/new/", form)
    distribution = IncomeDistribution.objects.get()
    assert response.status_code == 302
    assert str(distribution.net_income) == "750000.00" and str(distribution.inventors_amount) == "600000.00"
    assert [p["amount"] for p in distribution.inventors] == ["400000.00", "200000.00"]
    sheet = client.get(f"/policy/distribution/{distribution.pk}/sheet.pdf")
    assert sheet.status_code == 200 and sheet.content.startswith(b"%PDF-")

    client.force_login(UserFactory())
    assert client.get(f"/policy/distribution/{distribution.pk}/sheet.pdf").status_code == 404
    client.force_login(registrar)  # staff: not the unit's business
    assert client.get(f"/policy/distribution/{distribution.pk}/").status_code == 404


def test_only_the_unit_admin_records_a_distribution(client, seller_org):
    client.force_login(member_of(seller_org, role=MemberRole.MEMBER))
    assert client.get("/policy/distribution/new/").status_code == 404
    assert "单位管理员" in client.get("/policy/distribution/").content.decode()
