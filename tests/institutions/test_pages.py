"""Pages: who sees what, and the ranking export guarded against formula injection."""

import io

import pytest
import time_machine
from openpyxl import load_workbook

from tests.factories import OrganisationFactory, UserFactory, file_institution, member_of
from tests.institutions.conftest import NOW, YEAR
from zhouqiao.community.institutions import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def scored(institution, statistician):
    file_institution(institution)
    evil = OrganisationFactory(
        name='=HYPERLINK("http://x")转移中心', kind="transfer_institution", region_id="220104"
    )
    file_institution(evil)
    services.compute_scores(actor=statistician, year=YEAR, now=NOW)
    return institution


def test_anyone_sees_filed_institutions_and_brokers(client, scored):
    assert "长春测试技术转移中心" in client.get("/community/institutions/").content.decode()
    page = client.get(f"/community/institutions/{scored.pk}/").content.decode()
    assert "基础条件" in page and "数据来源" in page and "计算方法" in page
    assert client.get("/community/institutions/brokers/").status_code == 200


def test_the_ranking_is_staff_only_and_its_export_is_guarded(client, scored, statistician, admin):
    for user in (None, admin, UserFactory()):
        if user:
            client.force_login(user)
        refused = 404 if user else 302  # strangers are sent to sign in
        assert client.get(f"/community/institutions/ranking/?year={YEAR}").status_code == refused
        assert client.get(f"/community/institutions/ranking/export/?year={YEAR}").status_code == refused
    client.force_login(statistician)
    with time_machine.travel(NOW, tick=False):
        page = client.get(f"/community/institutions/ranking/?year={YEAR}").content.decode()
        assert "长春测试技术转移中心" in page and "导出排名（Excel）" in page
        response = client.get(f"/community/institutions/ranking/export/?year={YEAR}")
    book = load_workbook(io.BytesIO(response.content))
    names = [row[1] for row in book.active.iter_rows(min_row=2, max_row=3, values_only=True)]
    assert '\'=HYPERLINK("http://x")转移中心' in names and "长春测试技术转移中心" in names


def test_review_and_assessment_pages_are_for_their_staff_only(
    client, institution, admin, reviewer, jilin_reviewer
):
    filing = services.submit_filing(
        actor=admin,
        organisation_id=institution.pk,
        data={"staff_count": 3, "fields": "农业", "services": ["service"]},
        now=NOW,
    )
    client.force_login(jilin_reviewer)
    assert client.get(f"/community/institutions/filings/{filing.pk}/").status_code == 404
    assert client.post(f"/community/institutions/filings/{filing.pk}/approve/").status_code == 302
    filing.refresh_from_db()
    assert filing.status == "submitted"
    client.force_login(reviewer)
    page = client.get(f"/community/institutions/filings/{filing.pk}/").content.decode()
    assert "准予备案" in page and "退回" in page
    client.force_login(member_of(institution, role="member"))
    page = client.get(f"/community/institutions/filings/{filing.pk}/").content.decode()
    assert "准予备案" not in page
    assert client.get(f"/community/institutions/{institution.pk}/assess/{YEAR}/").status_code == 404


def test_an_out_of_range_score_on_the_form_shows_a_chinese_error(client, institution, statistician):
    file_institution(institution)
    client.force_login(statistician)
    values = {
        "rules": "9",
        "it_tools": "1",
        "demonstration": "1",
        "activities": "1",
        "integrity": "1",
        "note": "",
    }
    with time_machine.travel(NOW, tick=False):
        response = client.post(f"/community/institutions/{institution.pk}/assess/{YEAR}/", values)
    assert response.status_code == 200
    assert "“章程、内部管理和客户管理制度”的得分应在0至6分之间。" in response.content.decode()
