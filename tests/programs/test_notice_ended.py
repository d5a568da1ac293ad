"""The end of a call's 立项公示 period is told to its program officers by the daily job
(``zhouqiao remind-notice-ended``): once a call, never for a call still in its notice period."""

import datetime as dt
import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone

from tests.factories import staff_in
from tests.programs.conftest import call_fields
from zhouqiao.accounts.models import Duty
from zhouqiao.notifications.models import Notification
from zhouqiao.programs import services
from zhouqiao.programs.models import Call
from zhouqiao.programs.states import CallStatus

pytestmark = pytest.mark.django_db

RUN_JOB = Path(__file__).resolve().parents[2] / "deploy" / "run-job"


def _in_notice(call, *, ends_in: dt.timedelta) -> None:
    now = timezone.now()
    Call.objects.filter(pk=call.pk).update(
        status=CallStatus.NOTICE,
        notice_starts_at=now + ends_in - dt.timedelta(days=5),
        notice_ends_at=now + ends_in,
    )


def _run() -> str:
    out = io.StringIO()
    call_command("remind-notice-ended", stdout=out)
    return out.getvalue()


def test_the_officer_is_told_once_when_the_notice_period_has_ended(call, officer):
    elsewhere = staff_in("220200", Duty.PROGRAM_OFFICER, username="jilin_officer")
    _in_notice(call, ends_in=-dt.timedelta(days=1))  # ended yesterday
    still = services.create_call(
        actor=officer, now=timezone.now(), jurisdiction_id="220100", **call_fields(title="仍在公示的指南")
    )
    _in_notice(still, ends_in=dt.timedelta(days=2))

    assert "1 people newly told" in _run()
    told = Notification.objects.get(user=officer, kind="programs.notice_ended")
    assert call.title in told.title and "公示期已满" in told.title
    assert "正式立项" in told.body and told.url == f"/programs/calls/{call.pk}/"
    assert not Notification.objects.filter(user=elsewhere, kind="programs.notice_ended").exists()
    assert not Notification.objects.filter(title__contains="仍在公示的指南").exists()

    assert "0 people newly told" in _run()
    assert Notification.objects.filter(kind="programs.notice_ended").count() == 1


def test_a_call_still_in_its_notice_period_tells_nobody(call, officer):
    _in_notice(call, ends_in=dt.timedelta(hours=3))
    _run()
    assert not Notification.objects.filter(kind="programs.notice_ended").exists()


def test_the_daily_job_runs_it():
    daily = RUN_JOB.read_text().split("daily)", 1)[1].split(";;", 1)[0]
    assert '"$Z" remind-notice-ended' in daily
