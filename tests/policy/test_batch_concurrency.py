"""Two finance officers batch-approve the same entitlements at the same moment: each is approved
once (one audit record, one approver). Real concurrent HTTP requests against the live server, on
SQLite and on PostgreSQL, with a negative control that decides on a status read before the lock."""

import threading
import time
from collections import Counter

import pytest

from tests.contracts.fixtures import PDF, contract_data
from tests.factories import PASSWORD, OrganisationFactory, member_of, staff_in
from tests.live import logged_in_client, run_together
from zhouqiao.accounts.models import Duty
from zhouqiao.contracts import services as contracts
from zhouqiao.core import clock
from zhouqiao.core.models import AuditEvent
from zhouqiao.policy import services as policy
from zhouqiao.policy.models import Entitlement

ITEMS = 4


@pytest.fixture
def confirmed(live_server, reference):
    now = clock.now()
    seller = OrganisationFactory(kind="university", region_id="220102")
    buyer = OrganisationFactory(kind="enterprise", region_id="220104")
    seller_user, buyer_user = member_of(seller), member_of(buyer)
    registrar = staff_in("220100", Duty.REGISTRAR)
    officers = [staff_in("220100", Duty.FINANCE), staff_in("220100", Duty.FINANCE)]
    ids = []
    for _ in range(ITEMS):
        contract = contracts.create_draft(
            actor=seller_user, seller_id=seller.pk, data=contract_data(buyer), now=now
        )
        contracts.attach_signed_contract(
            actor=seller_user, contract_id=contract.pk, content=PDF, filename="c.pdf", now=now
        )
        contracts.transition_contract(
            actor=seller_user, contract_id=contract.pk, to_status="submitted", now=now
        )
        contracts.transition_contract(
            actor=registrar, contract_id=contract.pk, to_status="registered", now=now
        )
        e = contract.entitlements.get(clause="001#16")
        policy.transition_entitlement(actor=buyer_user, entitlement_id=e.pk, to_status="confirmed", now=now)
        ids.append(e.pk)
    return {"url": live_server.url, "officers": officers, "ids": ids}


def _approve_together(confirmed):
    clients = [logged_in_client(confirmed["url"], o.username, PASSWORD) for o in confirmed["officers"]]
    calls = [
        lambda c=c: c.post("/policy/finance/batch/", data={"stage": "approve1", "ids": confirmed["ids"]})
        for c in clients
    ]
    results = run_together(calls)
    for c in clients:
        c.close()
    assert all(getattr(r, "status_code", None) == 302 for r in results), results
    audited = AuditEvent.objects.filter(action="policy.entitlement_first_approved")
    return Counter(int(a.target_id) for a in audited)


def test_concurrent_batches_approve_each_item_once(confirmed):
    approvals = _approve_together(confirmed)
    assert approvals == Counter(dict.fromkeys(confirmed["ids"], 1))
    assert set(Entitlement.objects.filter(pk__in=confirmed["ids"]).values_list("status", flat=True)) == {
        "first_approved"
    }


def test_negative_control_deciding_on_a_stale_status_approves_twice(confirmed, monkeypatch):
    """The naive variant reads the entitlements before its transactions and never re-reads them
    under the lock: both officers see 待财务初审 and both approve."""
    local = threading.local()
    real_batch = policy.approve_entitlements

    def naive_batch(**kwargs):
        local.stale = {e.pk: e for e in Entitlement.objects.filter(pk__in=confirmed["ids"])}
        time.sleep(0.5)  # everyone has read before anyone commits
        return real_batch(**kwargs)

    monkeypatch.setattr(policy, "approve_entitlements", naive_batch)
    monkeypatch.setattr(policy, "lock", lambda queryset, pk: local.stale[pk])
    approvals = _approve_together(confirmed)
    assert any(n > 1 for n in approvals.values())  # proves the lock and the re-read are what keep it once
