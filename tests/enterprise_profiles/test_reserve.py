import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tests.enterprise_profiles.conftest import NOW, TODAY
from tests.factories import staff_in
from zhouqiao.accounts.models import Duty
from zhouqiao.core.errors import Conflict, PermissionDenied, ValidationFailed
from zhouqiao.core.models import AuditEvent, Region
from zhouqiao.insights.enterprises import profiles, services
from zhouqiao.insights.enterprises.models import ReserveEntry

pytestmark = pytest.mark.django_db


def names(rows):
    return {r["name"] for r in rows}


def test_no_criteria_proposes_nobody(firms, records):
    assert profiles.candidates(Region.objects.get(pk="220183"), as_of=TODAY) == []


def test_the_criteria_propose_the_enterprises_that_meet_all_of_them(firms, records, statistics_province):
    services.set_criterion(
        actor=statistics_province, jurisdiction="220000", figure="sold_amount", minimum="400000", now=NOW
    )
    province = Region.objects.get(pk="220000")
    # dehui sold 500,000 in the window; chaoyang 900,000 (2026) — both meet the threshold
    assert names(profiles.candidates(province, as_of=TODAY)) == {
        "德惠画像测试有限公司",
        "朝阳画像测试有限公司",
    }
    services.set_criterion(
        actor=statistics_province, jurisdiction="220000", figure="high_tech", minimum="1", now=NOW
    )
    assert names(profiles.candidates(province, as_of=TODAY)) == {"德惠画像测试有限公司"}
    # a county without criteria of its own uses the province's; its candidates are its own enterprises
    county = Region.objects.get(pk="220183")
    assert names(profiles.candidates(county, as_of=TODAY)) == {"德惠画像测试有限公司"}
    assert AuditEvent.objects.filter(action="enterprise_reserve.criterion_set").count() == 2


def test_a_county_may_write_its_own_criteria(firms, records, statistics_county, statistics_province):
    services.set_criterion(
        actor=statistics_province, jurisdiction="220000", figure="sold_amount", minimum="10000000", now=NOW
    )
    services.set_criterion(
        actor=statistics_county, jurisdiction="220183", figure="bought_amount", minimum="50000", now=NOW
    )
    # dehui bought 80,000, dehui2 900,000 (from chaoyang): both meet the county's own threshold
    assert names(profiles.candidates(Region.objects.get(pk="220183"), as_of=TODAY)) == {
        "德惠画像测试有限公司",
        "德惠另一家测试有限公司",
    }
    assert profiles.candidates(Region.objects.get(pk="220000"), as_of=TODAY) == []


def test_only_statistics_staff_of_the_jurisdiction_keep_the_reserve(firms, statistics_county):
    reviewer = staff_in("220183", Duty.REVIEWER)
    with pytest.raises(PermissionDenied):
        services.set_criterion(
            actor=reviewer, jurisdiction="220183", figure="sold_amount", minimum="1", now=NOW
        )
    with pytest.raises(PermissionDenied):
        services.set_criterion(
            actor=statistics_county, jurisdiction="220100", figure="sold_amount", minimum="1", now=NOW
        )
    with pytest.raises(PermissionDenied):
        services.add_to_reserve(
            actor=statistics_county,
            jurisdiction="220204",
            organisation_id=firms["jilin"].pk,
            reason="x",
            now=NOW,
        )
    with pytest.raises(ValidationFailed):
        services.set_criterion(
            actor=statistics_county, jurisdiction="220183", figure="sold_amount", minimum="-1", now=NOW
        )


def test_the_reviewed_list_adds_and_removes_with_a_reason(firms, statistics_county):
    with pytest.raises(ValidationFailed):
        services.add_to_reserve(
            actor=statistics_county,
            jurisdiction="220183",
            organisation_id=firms["dehui"].pk,
            reason=" ",
            now=NOW,
        )
    with pytest.raises(ValidationFailed):  # not in the county
        services.add_to_reserve(
            actor=statistics_county,
            jurisdiction="220183",
            organisation_id=firms["chaoyang"].pk,
            reason="营收增长快",
            now=NOW,
        )
    entry = services.add_to_reserve(
        actor=statistics_county,
        jurisdiction="220183",
        organisation_id=firms["dehui"].pk,
        reason="高企，合同额大",
        now=NOW,
    )
    with pytest.raises(Conflict):
        services.add_to_reserve(
            actor=statistics_county,
            jurisdiction="220183",
            organisation_id=firms["dehui"].pk,
            reason="再次",
            now=NOW,
        )
    services.remove_from_reserve(actor=statistics_county, entry_id=entry.pk, reason="已在主板上市", now=NOW)
    entry.refresh_from_db()
    assert entry.status == "removed" and entry.removed_reason == "已在主板上市"
    assert [
        e.action for e in AuditEvent.objects.filter(action__startswith="enterprise_reserve").order_by("pk")
    ] == [
        "enterprise_reserve.added",
        "enterprise_reserve.removed",
    ]


def _login(client, user):
    client.force_login(user)
    return client


def test_county_staff_see_only_their_county(client, firms, records, statistics_county, statistics_province):
    services.add_to_reserve(
        actor=statistics_province,
        jurisdiction="220000",
        organisation_id=firms["chaoyang"].pk,
        reason="省级",
        now=NOW,
    )
    services.add_to_reserve(
        actor=statistics_county,
        jurisdiction="220183",
        organisation_id=firms["dehui"].pk,
        reason="县级",
        now=NOW,
    )
    _login(client, statistics_county)
    page = client.get(reverse("enterprise_profiles:reserve") + "?region=220000").content.decode()
    assert "德惠画像测试有限公司" in page and "朝阳画像测试有限公司" not in page  # falls back to the county
    assert client.get(reverse("enterprise_profiles:profile", args=[firms["chaoyang"].pk])).status_code == 404
    assert client.get(reverse("enterprise_profiles:profile", args=[firms["dehui"].pk])).status_code == 200
    api = client.get("/api/v1/insights/enterprises/reserve?region=220000").json()
    assert [row["organisation"] for row in api] == ["德惠画像测试有限公司"]
    figures = client.get(f"/api/v1/insights/enterprises/{firms['dehui'].pk}").json()["figures"]
    assert figures["sold_amount"] == "500000.00"
    assert client.get(f"/api/v1/insights/enterprises/{firms['chaoyang'].pk}").status_code == 403


def test_the_public_and_enterprises_do_not_see_the_reserve(client, firms, stranger):
    assert client.get(reverse("enterprise_profiles:reserve")).status_code == 302  # to the login
    _login(client, stranger)
    assert client.get(reverse("enterprise_profiles:reserve")).status_code == 403
    assert client.get(reverse("enterprise_profiles:profile", args=[firms["dehui"].pk])).status_code == 404


def test_the_page_adds_a_candidate_and_exports_without_formulas(client, firms, records, statistics_county):
    services.set_criterion(
        actor=statistics_county, jurisdiction="220183", figure="sold_count", minimum="1", now=NOW
    )
    firms["dehui"].name = '=HYPERLINK("http://x")德惠'
    firms["dehui"].save()
    _login(client, statistics_county)
    page = client.get(reverse("enterprise_profiles:reserve")).content.decode()
    assert "列入资源库" in page
    response = client.post(
        reverse("enterprise_profiles:entry_add"),
        {"jurisdiction": "220183", "organisation": firms["dehui"].pk, "reason": "合同额大"},
    )
    assert response.status_code == 302
    assert ReserveEntry.objects.filter(organisation=firms["dehui"], status="listed").exists()
    export = client.get(reverse("enterprise_profiles:reserve_export") + "?region=220183")
    sheet = load_workbook(io.BytesIO(export.content)).active
    assert sheet.cell(row=4, column=1).value.startswith("'=")


def test_the_organisation_page_links_the_profile_for_staff_only(
    client, firms, reviewer_county, enterprise_user
):
    url = reverse("web:organisation_detail", args=[firms["dehui"].pk])
    _login(client, reviewer_county)
    assert "企业创新画像" in client.get(url).content.decode()
    client.logout()
    _login(client, enterprise_user)
    assert "企业创新画像" not in client.get(url).content.decode()
