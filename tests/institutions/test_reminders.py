"""The annual-report reminder runs every day in the scheduled ``daily`` job; a second run tells
nobody again."""

import io
from pathlib import Path

import pytest
import time_machine
from django.core.management import call_command

from tests.factories import OrganisationFactory, file_institution, member_of
from tests.institutions.conftest import NOW, YEAR
from zhouqiao.community.institutions.models import AnnualReport
from zhouqiao.notifications.models import Notification

pytestmark = pytest.mark.django_db

RUN_JOB = Path(__file__).resolve().parents[2] / "deploy" / "run-job"


def _run() -> str:
    out = io.StringIO()
    with time_machine.travel(NOW, tick=False):  # 2024-12-10: the 2024 report is open
        call_command("remind-institution-reports", stdout=out)
    return out.getvalue()


def test_a_second_run_tells_nobody_new(institution, admin):
    file_institution(institution)
    done = OrganisationFactory(name="已报送的转移机构", kind="transfer_institution", region_id="220104")
    file_institution(done)
    done_admin = member_of(done, username="done_admin")
    AnnualReport.objects.create(
        organisation=done,
        year=YEAR,
        due_on=NOW.date().replace(year=YEAR + 1, month=3, day=31),
        status="submitted",
        submitted_at=NOW,
        created_at=NOW,
        updated_at=NOW,
    )

    assert "1 people newly reminded" in _run()
    told = Notification.objects.filter(kind="institutions.report_due")
    assert [(n.user, n.url) for n in told] == [
        (admin, f"/community/institutions/{institution.pk}/reports/{YEAR}/")
    ]
    assert not told.filter(user=done_admin).exists()

    assert "0 people newly reminded" in _run()
    assert Notification.objects.filter(kind="institutions.report_due").count() == 1

    second_admin = member_of(institution, username="ttc_admin2")  # joins later: told on the next run
    assert "1 people newly reminded" in _run()
    assert Notification.objects.filter(kind="institutions.report_due", user=second_admin).count() == 1


def test_the_daily_job_runs_the_reminder():
    daily = RUN_JOB.read_text().split("daily)", 1)[1].split(";;", 1)[0]
    assert '"$Z" remind-institution-reports' in daily
