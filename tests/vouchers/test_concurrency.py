"""Real concurrent HTTP requests against the live server (run on SQLite and on PostgreSQL).

Each guarded test has a negative control: the same requests served by a naive variant that checks
the balance and then writes it without a lock or conditional update (check-then-act). The control
must break the invariant, which shows that the test can fail and that the guard is what holds.
"""

import time
from decimal import Decimal

import pytest
from django.db import transaction
from django.utils import timezone

from tests.factories import OrganisationFactory, staff_in
from tests.live import run_together
from tests.vouchers.conftest import certify
from tests.vouchers.live_helpers import key, post, quick_users, session_client
from zhouqiao.accounts.models import Duty
from zhouqiao.core.errors import Conflict
from zhouqiao.vouchers import idempotency, ledger, orders, services
from zhouqiao.vouchers.models import LedgerEntry, Pool, Redemption, ServiceOrder, Voucher
from zhouqiao.vouchers.states import EntryKind, OrderStatus, ServiceCategory

REQUESTS, AFFORDABLE, CLIENTS = 100, 60, 10
# Issuing serialises on the enterprise row as well; half the load proves the same point faster.
ISSUES, ISSUABLE = 50, 30


@pytest.fixture
def market(live_server, reference):
    """A pool, a certified enterprise, a provider with an approved testing service."""
    now = timezone.now()
    staff = staff_in("220100", Duty.REVIEWER, Duty.FINANCE, username="conc_staff")
    pool = services.create_pool(
        actor=staff,
        jurisdiction_code="220100",
        year=timezone.localdate(now).year,
        budget=str(REQUESTS * 100 * 10),
        now=now,
    )
    enterprise = OrganisationFactory(name="并发测试企业", region_id="220104", contact_phone="13600000001")
    certify(enterprise)
    provider = OrganisationFactory(
        name="并发测试检测机构", kind="service_provider", region_id="220106", contact_phone="13600000002"
    )
    provider_users = quick_users("conc_provider", CLIENTS, provider)
    service = orders.register_service(
        actor=provider_users[0],
        provider_id=provider.pk,
        category=ServiceCategory.TESTING,
        name="检测",
        price="200",
        now=now,
    )
    orders.transition_service(actor=staff, service_id=service.pk, to_status="approved", now=now)
    return {
        "now": now,
        "staff": staff,
        "pool": pool,
        "enterprise": enterprise,
        "provider": provider,
        "provider_users": provider_users,
        "service": service,
        "url": live_server.url,
    }


def _voucher_with_orders(market, amount: Decimal, orders: int):
    voucher = services.issue_voucher(
        actor=market["staff"],
        pool_id=market["pool"].pk,
        enterprise_id=market["enterprise"].pk,
        category=ServiceCategory.TESTING,
        amount=amount,
        source="staff",
        now=market["now"],
    )
    placed_by = market["staff"]
    ServiceOrder.objects.bulk_create(
        [
            ServiceOrder(
                enterprise=market["enterprise"],
                provider=market["provider"],
                service=market["service"],
                voucher=voucher,
                price=Decimal("200"),
                status=OrderStatus.DELIVERED,
                placed_by=placed_by,
                placed_at=market["now"],
                delivered_at=market["now"],
            )
            for _ in range(orders)
        ]
    )
    return voucher, list(
        ServiceOrder.objects.filter(voucher=voucher).order_by("pk").values_list("pk", flat=True)
    )


def _claim_all(market, order_ids):
    clients = [session_client(market["url"], u) for u in market["provider_users"]]
    calls = [
        lambda c=clients[i % len(clients)], pk=pk, k=key(): post(
            c, f"/api/v1/vouchers/orders/{pk}/claim", json={"amount": "100"}, idempotency_key=k
        )
        for i, pk in enumerate(order_ids)
    ]
    results = run_together(calls)
    for c in clients:
        c.close()
    return results


def _statuses(results):
    return [r.status_code if hasattr(r, "status_code") else repr(r) for r in results]


def test_100_simultaneous_redemptions_against_a_voucher_worth_60_accept_exactly_60(market):
    voucher, order_ids = _voucher_with_orders(market, Decimal(AFFORDABLE * 100), REQUESTS)
    statuses = _statuses(_claim_all(market, order_ids))
    assert statuses.count(200) == AFFORDABLE, statuses
    assert statuses.count(409) == REQUESTS - AFFORDABLE, statuses
    voucher.refresh_from_db()
    assert voucher.remaining == 0
    assert Redemption.objects.filter(voucher=voucher).count() == AFFORDABLE
    assert ledger.reconcile().ok


def naive_claim(*, actor, order_id, amount, now):
    """Check-then-act: read the balance, then write "balance − amount" without lock or condition."""
    order = ServiceOrder.objects.select_related("voucher").get(pk=order_id)
    amount = Decimal(amount)
    seen = order.voucher.remaining
    if seen < amount:
        raise Conflict("创新券余额不足。", code="voucher_insufficient")
    time.sleep(0.02)
    with transaction.atomic():
        redemption = Redemption.objects.create(
            order=order, voucher=order.voucher, amount=amount, claimed_by=actor, claimed_at=now
        )
        LedgerEntry.objects.create(
            pool_id=order.voucher.pool_id,
            voucher=order.voucher,
            redemption=redemption,
            kind=EntryKind.REDEEM,
            amount=amount,
            at=now,
        )
        ServiceOrder.objects.filter(pk=order_id).update(status=OrderStatus.CLAIMED)
        Voucher.objects.filter(pk=order.voucher_id).update(remaining=seen - amount)
    return redemption


def test_negative_control_naive_redemptions_overdraw_the_voucher(market, monkeypatch):
    monkeypatch.setattr(orders, "claim_redemption", naive_claim)
    voucher, order_ids = _voucher_with_orders(market, Decimal(AFFORDABLE * 100), REQUESTS)
    statuses = _statuses(_claim_all(market, order_ids))
    assert statuses.count(200) > AFFORDABLE, statuses
    report = ledger.reconcile()
    assert not report.ok and any("redeemed" in p for p in report.problems), report.problems


def _issue_all(market, *, same_key: str | None = None, count: int = ISSUES):
    staff = quick_users("conc_issuer", CLIENTS)
    from zhouqiao.accounts.models import StaffAssignment

    StaffAssignment.objects.bulk_create(
        [
            StaffAssignment(user=u, jurisdiction_id="220100", duty=Duty.FINANCE, granted_at=market["now"])
            for u in staff
        ]
    )
    clients = [session_client(market["url"], staff[0] if same_key else u) for u in staff]
    payload = {
        "pool_id": market["pool"].pk,
        "enterprise_id": market["enterprise"].pk,
        "category": "testing",
        "amount": "100",
        "source": "staff",
    }
    calls = [
        lambda c=clients[i % len(clients)], k=same_key or key(): post(
            c, "/api/v1/vouchers/vouchers", json=payload, idempotency_key=k
        )
        for i in range(count)
    ]
    results = run_together(calls)
    return results, clients


def _small_pool(market, budget):
    pool = services.create_pool(
        actor=market["staff"], jurisdiction_code="220100", year=2099, budget=budget, now=market["now"]
    )
    market["pool"] = pool
    return pool


def test_50_simultaneous_issues_against_a_pool_worth_30_issue_exactly_30(market):
    pool = _small_pool(market, str(ISSUABLE * 100))
    results, clients = _issue_all(market)
    statuses = _statuses(results)
    assert statuses.count(201) == ISSUABLE, statuses
    assert statuses.count(409) == ISSUES - ISSUABLE, statuses
    pool.refresh_from_db()
    assert pool.available == 0
    assert Voucher.objects.filter(pool=pool).count() == ISSUABLE
    assert ledger.reconcile().ok


def naive_debit_pool(pool_id, amount):
    seen = Pool.objects.values_list("available", flat=True).get(pk=pool_id)
    if seen < amount:
        return False
    Pool.objects.filter(pk=pool_id).update(available=seen - amount)
    return True


def test_negative_control_naive_issues_overspend_the_pool(market, monkeypatch):
    """Without the conditional update the pool is read, then overwritten: on PostgreSQL concurrent
    transactions read the same balance. (On SQLite BEGIN IMMEDIATE serialises whole transactions,
    so the read happens before the check too: see the redemption control for the cross-database one.)"""
    real_issue = services.issue_voucher

    def check_then_issue(**kwargs):
        seen = Pool.objects.values_list("available", flat=True).get(pk=kwargs["pool_id"])
        if seen < Decimal(kwargs["amount"]):
            raise Conflict("资金池余额不足。", code="pool_insufficient")
        time.sleep(0.02)
        monkeypatch.setattr(
            services,
            "debit_pool",
            lambda pool_id, amount: bool(Pool.objects.filter(pk=pool_id).update(available=seen - amount)),
        )
        return real_issue(**kwargs)

    monkeypatch.setattr(services, "issue_voucher", check_then_issue)
    _small_pool(market, str(ISSUABLE * 100))
    results, clients = _issue_all(market)
    statuses = _statuses(results)
    assert statuses.count(201) > ISSUABLE, statuses
    assert not ledger.reconcile().ok


def test_replayed_idempotency_keys_never_move_money_twice(market):
    pool = _small_pool(market, "100000")
    results, clients = _issue_all(market, same_key="replay-1", count=20)
    statuses = _statuses(results)
    assert Voucher.objects.filter(pool=pool).count() == 1
    assert statuses.count(201) >= 1 and set(statuses) <= {201, 409}, statuses
    first = next(r.json() for r in results if r.status_code == 201)
    replay = clients[0].post(
        "/api/v1/vouchers/vouchers",
        headers={"Idempotency-Key": "replay-1"},
        json={
            "pool_id": pool.pk,
            "enterprise_id": market["enterprise"].pk,
            "category": "testing",
            "amount": "100",
            "source": "staff",
        },
    )
    assert replay.status_code == 201 and replay.json() == first
    assert replay.headers["Idempotent-Replayed"] == "true"
    pool.refresh_from_db()
    assert pool.available == Decimal("99900.00")
    assert ledger.reconcile().ok


def test_negative_control_without_stored_keys_replays_issue_again(market, monkeypatch):
    def run_every_time(*, user, key, endpoint, payload, action, now):
        status, body = action()
        return status, body, False

    monkeypatch.setattr(idempotency, "run_once", run_every_time)
    pool = _small_pool(market, "100000")
    _issue_all(market, same_key="replay-2", count=20)
    assert Voucher.objects.filter(pool=pool).count() > 1
