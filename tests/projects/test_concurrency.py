"""Disbursements at once never take the total past the approved amount (real concurrent requests
against the live server; runs on SQLite and PostgreSQL). The negative control serves the same
requests without the row lock (check-then-act): on PostgreSQL it overspends, which shows the test
can fail and that the lock is what holds. SQLite serialises writers (BEGIN IMMEDIATE), so the control
only runs on PostgreSQL."""

from decimal import Decimal

import pytest
from django.db import connection
from django.utils import timezone

from tests.factories import PASSWORD, OrganisationFactory, staff_in
from tests.live import logged_in_client, run_together
from zhouqiao.accounts.models import Duty
from zhouqiao.programs.projects import services
from zhouqiao.programs.projects.models import Disbursement

CLIENTS, EACH, APPROVED = 6, Decimal("100000"), Decimal("500000")


@pytest.fixture
def setup(live_server, reference):
    now = timezone.now()
    officer = staff_in("220200", Duty.PROGRAM_OFFICER, Duty.FINANCE, username="conc_officer")
    org = OrganisationFactory(name="并发拨付测试企业", region_id="220204")
    project = services.create_project(
        actor=officer,
        undertaker_id=org.pk,
        title="并发拨付项目",
        call_title="计划",
        amount=str(APPROVED),
        start_date="2026-01-01",
        end_date="2027-12-31",
        now=now,
    )
    services.assign_officer(actor=officer, project_id=project.pk, officer_id=officer.pk, now=now)
    clients = [logged_in_client(live_server.url, "conc_officer", PASSWORD) for _ in range(CLIENTS)]
    yield project, clients
    for c in clients:
        c.close()


def _disburse_all(project, clients):
    url = f"/programs/projects/{project.pk}/act/disburse/"
    data = {"disburse-amount": str(EACH), "disburse-paid_on": "2026-02-01"}
    return run_together([lambda c=c: c.post(url, data=data) for c in clients])


@pytest.mark.django_db(transaction=True)
def test_concurrent_disbursements_stop_at_the_approved_amount(setup):
    project, clients = setup
    results = _disburse_all(project, clients)
    codes = sorted(getattr(r, "status_code", 0) for r in results)
    assert codes.count(302) == 5, codes
    assert all(code in (302, 409, 422) for code in codes), codes
    total = sum(Disbursement.objects.filter(project=project).values_list("amount", flat=True))
    assert total == APPROVED


@pytest.mark.django_db(transaction=True)
def test_negative_control_without_the_lock_overspends(setup, monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers: check-then-act is safe there (ARCHITECTURE.md)")
    project, clients = setup
    import time

    real_disbursed = services.disbursed

    def slow_disbursed(p):
        value = real_disbursed(p)
        time.sleep(0.2)  # widen the window between the check and the write
        return value

    monkeypatch.setattr(services, "lock", lambda queryset, pk: queryset.get(pk=pk))
    monkeypatch.setattr(services, "disbursed", slow_disbursed)
    _disburse_all(project, clients)
    total = sum(Disbursement.objects.filter(project=project).values_list("amount", flat=True))
    assert total > APPROVED
