"""Two registrations for the same beneficiary at once must not both take the last of an annual
cap: real concurrent HTTP requests against the live server, on SQLite and on PostgreSQL, with a
negative control that computes against usage read before the transaction and skips the lock."""

import threading
import time
from decimal import Decimal

import pytest
from django.db.models import Sum

from tests.contracts.fixtures import PDF, contract_data
from tests.factories import PASSWORD, OrganisationFactory, file_institution, member_of, staff_in
from tests.live import logged_in_client, run_together
from zhouqiao.accounts.models import Duty
from zhouqiao.contracts import services as contracts
from zhouqiao.core import clock
from zhouqiao.policy import services as policy
from zhouqiao.policy.models import CapUsage, Entitlement

CONTRACTS = 4
CAP = Decimal("1000000.00")
ALREADY_USED = Decimal("950000.00")  # 50000.00 of 001#9's annual cap is left


@pytest.fixture
def submitted(live_server, reference):
    now = clock.now()
    seller = OrganisationFactory(kind="university", region_id="220102")
    buyer = OrganisationFactory(kind="enterprise", region_id="220104")
    institution = OrganisationFactory(kind="transfer_institution", region_id="220173")
    file_institution(institution)  # 市级备案 (001#9)
    seller_user = member_of(seller)
    registrar = staff_in("220100", Duty.REGISTRAR)
    CapUsage.objects.create(
        beneficiary_key=f"org:{institution.pk}", clause="001#9", year=now.year, used=ALREADY_USED
    )
    ids = []
    for _ in range(CONTRACTS):
        # 0.01% of 1000000000.00 is 100000.00: each alone would take more than what is left.
        data = contract_data(
            buyer,
            contract_type="service",
            subtype="service",
            contract_amount="1000000000.00",
            transfer_institution_id=institution.pk,
        )
        contract = contracts.create_draft(actor=seller_user, seller_id=seller.pk, data=data, now=now)
        contracts.attach_signed_contract(
            actor=seller_user, contract_id=contract.pk, content=PDF, filename="c.pdf", now=now
        )
        contracts.transition_contract(
            actor=seller_user, contract_id=contract.pk, to_status="submitted", now=now
        )
        ids.append(contract.pk)
    return {"url": live_server.url, "registrar": registrar, "ids": ids, "institution": institution}


def _register_all(submitted):
    clients = [
        logged_in_client(submitted["url"], submitted["registrar"].username, PASSWORD)
        for _ in submitted["ids"]
    ]
    calls = [
        lambda c=c, pk=pk: c.post(f"/contracts/{pk}/register/") for c, pk in zip(clients, submitted["ids"])
    ]
    results = run_together(calls)
    for c in clients:
        c.close()
    assert all(getattr(r, "status_code", None) == 302 for r in results), results
    granted = Entitlement.objects.filter(organisation=submitted["institution"], clause="001#9")
    return ALREADY_USED + (granted.aggregate(s=Sum("ledger__amount"))["s"] or Decimal("0"))


def test_concurrent_registrations_never_exceed_an_annual_cap(submitted):
    total = _register_all(submitted)
    assert total == CAP
    assert CapUsage.objects.get(clause="001#9").used == CAP


def test_negative_control_without_the_lock_the_cap_is_exceeded(submitted, monkeypatch):
    """The naive variant reads this year's usage before its transaction and takes the cap rows
    without locking them: every registration thinks 50000.00 is still left."""
    local = threading.local()
    real_transition = contracts.transition_contract

    def naive_transition(**kwargs):
        local.stale = {(r.beneficiary_key, r.clause): r.used for r in CapUsage.objects.all()}
        time.sleep(0.5)  # everyone has read before anyone commits
        return real_transition(**kwargs)

    def naive_lock_cap_rows(keys):
        rows = {}
        for key, clause, year in keys:
            row, _ = CapUsage.objects.get_or_create(beneficiary_key=key, clause=clause, year=year)
            row.used = local.stale.get((key, clause), row.used)
            rows[(key, clause)] = row
        return rows

    monkeypatch.setattr(contracts, "transition_contract", naive_transition)
    monkeypatch.setattr(policy, "lock_cap_rows", naive_lock_cap_rows)
    total = _register_all(submitted)
    assert total > CAP  # proves the lock (and the re-read under it) is what keeps the cap
