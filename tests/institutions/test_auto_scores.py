"""Scores without a staff click: submitting the annual report computes that institution's score,
the ranking page computes the ones it lacks, and the daily job keeps the open year's scores current
(writing nothing when nothing changed) — all through the one scoring function."""

import io
from decimal import Decimal

import pytest
import time_machine
from django.core.management import call_command

from tests.factories import OrganisationFactory, file_institution
from tests.institutions.conftest import NOW, YEAR, registered_contract
from zhouqiao.community.institutions import services
from zhouqiao.community.institutions.models import AnnualReport, InstitutionScore
from zhouqiao.core.models import AuditEvent

pytestmark = pytest.mark.django_db

REPORT = {
    "staff_count": 10,
    "total_income": "900000",
    "technical_income": "600000",
    "summary": "全年撮合成交。",
}


def _scored():
    return AuditEvent.objects.filter(action="institution.scored")


def test_submitting_the_report_computes_the_institution_s_score(institution, admin):
    file_institution(institution)
    report = services.open_report(actor=admin, organisation_id=institution.pk, year=YEAR, now=NOW)
    services.save_report(actor=admin, report_id=report.pk, data=REPORT, submit=False, now=NOW)
    assert not InstitutionScore.objects.exists()  # a draft changes nothing

    services.save_report(actor=admin, report_id=report.pk, data=REPORT, submit=True, now=NOW)

    score = InstitutionScore.objects.get(organisation=institution, year=YEAR)
    on_time = next(i for i in score.items if i["code"] == "report_on_time")
    assert on_time["value"] is True and Decimal(on_time["points"]) == 3
    assert score.computed_by is None
    entry = _scored().get()
    assert entry.actor is None and entry.actor_name == "scheduler"
    assert entry.after["trigger"] == "report_submitted"


def test_the_ranking_page_computes_the_scores_it_lacks_once(
    client, institution, statistician, jilin_reviewer
):
    file_institution(institution)
    later = OrganisationFactory(name="次年备案的转移机构", kind="transfer_institution", region_id="220104")
    file_institution(later, on=NOW.date().replace(year=YEAR + 1))  # not in this year's ranking
    jilin = OrganisationFactory(name="吉林市测试转移中心", kind="transfer_institution", region_id="220202")
    file_institution(jilin)
    client.force_login(statistician)
    with time_machine.travel(NOW, tick=False):
        page = client.get(f"/community/institutions/ranking/?year={YEAR}").content.decode()
        assert "长春测试技术转移中心" in page and "次年备案的转移机构" not in page
        assert list(InstitutionScore.objects.values_list("organisation__name", flat=True)) == [
            "长春测试技术转移中心"
        ]
        client.get(f"/community/institutions/ranking/?year={YEAR}")
    assert _scored().count() == 1  # the second view computes nothing
    assert not InstitutionScore.objects.filter(organisation=jilin).exists()  # outside the viewer's city


def test_the_daily_job_follows_new_records_and_a_repeat_writes_nothing(
    institution, statistician, seller, buyer
):
    file_institution(institution)

    def run():
        out = io.StringIO()
        with time_machine.travel(NOW, tick=False):
            call_command("institution-scores", stdout=out)
        return out.getvalue()

    assert f"institution scores {YEAR}: 1 computed or changed" in run()
    before = InstitutionScore.objects.get().total
    assert "0 computed or changed" in run() and _scored().count() == 1

    registered_contract(seller=seller, buyer=buyer, institution=institution, amount="8000000.00")
    assert "1 computed or changed" in run()
    automatic = InstitutionScore.objects.get().total
    assert automatic > before

    # The staff button computes the very same score (one scoring function).
    by_hand = services.compute_score(actor=statistician, organisation_id=institution.pk, year=YEAR, now=NOW)
    assert by_hand.total == automatic and by_hand.computed_by == statistician


def test_an_unchanged_report_year_after_submission_keeps_its_score(institution, admin):
    file_institution(institution)
    report = services.open_report(actor=admin, organisation_id=institution.pk, year=YEAR, now=NOW)
    services.save_report(actor=admin, report_id=report.pk, data=REPORT, submit=True, now=NOW)
    assert services.refresh_scores(year=YEAR, now=NOW.replace(hour=23)) == 0
    assert AnnualReport.objects.get().status == "submitted" and _scored().count() == 1


def test_the_export_holds_the_scores_without_a_compute_click(client, institution, statistician):
    from openpyxl import load_workbook

    file_institution(institution)
    client.force_login(statistician)
    with time_machine.travel(NOW, tick=False):
        response = client.get(f"/community/institutions/ranking/export/?year={YEAR}")
    names = [
        row[1]
        for row in load_workbook(io.BytesIO(response.content)).active.iter_rows(min_row=2, values_only=True)
    ]
    assert "长春测试技术转移中心" in names
