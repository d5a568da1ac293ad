"""Filing with the bureau (review with reasons, notifications, to-dos) and the annual report."""

import pytest
import time_machine

from tests.factories import UserFactory
from tests.institutions.conftest import NOW, YEAR, registered_contract
from zhouqiao.community.institutions import services, todos
from zhouqiao.community.institutions.models import AnnualReport, InstitutionFiling
from zhouqiao.core.errors import InvalidTransition, PermissionDenied, ValidationFailed
from zhouqiao.notifications.models import Notification

pytestmark = pytest.mark.django_db

FILING = {
    "staff_count": 12,
    "part_time_experts": 4,
    "fields": "先进制造",
    "services": ["transfer", "consulting"],
}


def submit(admin, institution, **changes):
    return services.submit_filing(
        actor=admin, organisation_id=institution.pk, data={**FILING, **changes}, now=NOW
    )


def kinds_of(user):
    return list(Notification.objects.filter(user=user).values_list("kind", flat=True))


def test_a_filing_goes_to_the_city_s_reviewer_who_returns_it_with_reasons_then_approves(
    institution, admin, reviewer, jilin_reviewer
):
    filing = submit(admin, institution)
    assert filing.bureau_region_id == "220100" and filing.status == "submitted"
    assert kinds_of(reviewer) == ["institutions.filing_submitted"] and kinds_of(jilin_reviewer) == []
    assert [t.url for t in todos.filings_to_review(reviewer)] == [todos.filing_url(filing)]
    assert list(todos.filings_to_review(jilin_reviewer)) == []

    with pytest.raises(PermissionDenied):
        services.decide_filing(actor=jilin_reviewer, filing_id=filing.pk, approve=True, reason="", now=NOW)
    with pytest.raises(ValidationFailed) as refused:
        services.decide_filing(actor=reviewer, filing_id=filing.pk, approve=False, reason=" ", now=NOW)
    assert str(refused.value.message) == "退回时请写明理由。"
    services.decide_filing(actor=reviewer, filing_id=filing.pk, approve=False, reason="缺少章程", now=NOW)
    assert kinds_of(admin) == ["institutions.filing_decided"]
    with time_machine.travel(NOW, tick=False):
        assert [t.detail for t in todos.institution_tasks(admin)] == ["缺少章程"]

    submit(admin, institution, staff_count=15)
    filing = services.decide_filing(actor=reviewer, filing_id=filing.pk, approve=True, reason="", now=NOW)
    assert filing.status == "approved" and filing.filed_on == NOW.date() and filing.number == "2201-2024-001"
    with pytest.raises(InvalidTransition):
        services.decide_filing(actor=reviewer, filing_id=filing.pk, approve=False, reason="再议", now=NOW)
    with pytest.raises(InvalidTransition):
        submit(admin, institution)


def test_bad_filings_are_refused_in_chinese_and_nothing_is_written(institution, admin, buyer, buyer_user):
    with pytest.raises(ValidationFailed) as refused:
        submit(admin, institution, staff_count=0, services=["teleport"], fields="")
    assert set(refused.value.detail) == {"staff_count", "services", "fields"}
    with pytest.raises(PermissionDenied):
        submit(UserFactory(), institution)
    with pytest.raises(ValidationFailed):
        services.submit_filing(
            actor=buyer_user, organisation_id=buyer.pk, data=FILING, now=NOW
        )  # not an institution
    assert not InstitutionFiling.objects.exists()


def test_the_annual_report_is_prefilled_completed_and_submitted_once(
    institution, admin, reviewer, seller, buyer
):
    with pytest.raises(ValidationFailed):  # not filed yet
        services.open_report(actor=admin, organisation_id=institution.pk, year=YEAR, now=NOW)
    filing = submit(admin, institution)
    services.decide_filing(actor=reviewer, filing_id=filing.pk, approve=True, reason="", now=NOW)
    registered_contract(
        seller=seller, buyer=buyer, institution=institution, amount="1200000.00", number="2024220102000009"
    )

    assert services.remind_reports_due(year=YEAR, now=NOW) == 1
    assert "institutions.report_due" in kinds_of(admin)
    with time_machine.travel(NOW, tick=False):
        [task] = todos.institution_tasks(admin)
    assert task.deadline.date().isoformat() == "2025-03-31"

    report = services.open_report(actor=admin, organisation_id=institution.pk, year=YEAR, now=NOW)
    assert report.figures["contracts"] == 1 and report.figures["contract_amount"] == "1200000.00"
    assert report.figures["registration_numbers"] == ["2024220102000009"] and report.staff_count == 12
    with pytest.raises(ValidationFailed) as refused:
        services.save_report(
            actor=admin,
            report_id=report.pk,
            now=NOW,
            submit=True,
            data={"staff_count": 12, "total_income": "100", "technical_income": "200", "summary": ""},
        )
    assert set(refused.value.detail) == {"technical_income", "summary"}
    assert AnnualReport.objects.get().status == "draft"
    services.save_report(
        actor=admin,
        report_id=report.pk,
        now=NOW,
        submit=True,
        data={
            "staff_count": 12,
            "total_income": "3000000",
            "technical_income": "1800000",
            "summary": "全年工作",
        },
    )
    assert AnnualReport.objects.get().status == "submitted"
    with time_machine.travel(NOW, tick=False):
        assert list(todos.institution_tasks(admin)) == []
    with pytest.raises(InvalidTransition):
        services.save_report(actor=admin, report_id=report.pk, now=NOW, submit=False, data={"staff_count": 1})
