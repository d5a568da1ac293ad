"""Issue, redeem, expire and revoke in random order: the ledger invariants always hold."""

import itertools
from datetime import timedelta
from decimal import Decimal

import pytest
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import Bundle, RuleBasedStateMachine, invariant, rule, run_state_machine_as_test

from zhouqiao.core.errors import Conflict, InvalidTransition
from zhouqiao.vouchers import ledger, orders, services
from zhouqiao.vouchers.models import Pool, Voucher
from zhouqiao.vouchers.states import ServiceCategory, VoucherStatus

pytestmark = pytest.mark.django_db

years = itertools.count(3000)
amounts = st.integers(min_value=1, max_value=6000).map(lambda n: Decimal(n))


def test_random_voucher_histories_keep_the_ledger_invariants(
    cc_staff, certified, enterprise_user, testing_service, provider_user, now
):
    class VoucherLedger(RuleBasedStateMachine):
        vouchers = Bundle("vouchers")

        def __init__(self):
            super().__init__()
            self.pool = services.create_pool(
                actor=cc_staff, jurisdiction_code="220100", year=next(years), budget="10000", now=now
            )
            self.available = Decimal("10000")
            self.left = {}

        @rule(target=vouchers, amount=amounts)
        def issue(self, amount):
            try:
                voucher = services.issue_voucher(
                    actor=cc_staff,
                    pool_id=self.pool.pk,
                    enterprise_id=certified.pk,
                    category=ServiceCategory.TESTING,
                    amount=amount,
                    source="staff",
                    now=now,
                )
            except Conflict:
                assert amount > self.available
                return None
            self.available -= amount
            self.left[voucher.pk] = amount
            return voucher.pk

        @rule(voucher=vouchers, price=amounts, share=st.sampled_from([None, Decimal("0.01"), Decimal("700")]))
        def redeem(self, voucher, price, share):
            if voucher is None:
                return
            try:
                order = orders.place_order(
                    actor=enterprise_user,
                    enterprise_id=certified.pk,
                    service_id=testing_service.pk,
                    voucher_id=voucher,
                    price=price,
                    now=now,
                )
            except Exception:
                assert self.left[voucher] is None
                return
            orders.deliver_order(actor=provider_user, order_id=order.pk, now=now)
            ceiling = (price / 2).quantize(Decimal("0.01"), rounding="ROUND_DOWN")
            try:
                redemption = orders.claim_redemption(
                    actor=provider_user, order_id=order.pk, amount=share, now=now
                )
            except Exception:
                wanted = min(ceiling, self.left[voucher]) if share is None else share
                assert wanted > min(ceiling, self.left[voucher]) or wanted <= 0
                return
            assert redemption.amount <= ceiling
            self.left[voucher] -= redemption.amount

        @rule(voucher=vouchers)
        def expire(self, voucher):
            if voucher is None:
                return
            try:
                services.expire_voucher(voucher_id=voucher, now=now + timedelta(days=400))
            except InvalidTransition:
                assert self.left[voucher] is None
                return
            self.available += self.left[voucher]
            self.left[voucher] = None

        @rule(voucher=vouchers)
        def revoke(self, voucher):
            if voucher is None:
                return
            try:
                services.revoke_voucher(actor=cc_staff, voucher_id=voucher, reason="测试作废", now=now)
            except InvalidTransition:
                assert self.left[voucher] is None
                return
            self.available += self.left[voucher]
            self.left[voucher] = None

        @invariant()
        def balances_agree(self):
            assert Pool.objects.get(pk=self.pool.pk).available == self.available >= 0
            for pk, left in self.left.items():
                voucher = Voucher.objects.get(pk=pk)
                assert voucher.remaining == (left or 0)
                assert (voucher.status == VoucherStatus.ACTIVE) == (left is not None)

        def teardown(self):
            report = ledger.reconcile()
            assert report.ok, report.problems

    run_state_machine_as_test(
        VoucherLedger, settings=settings(max_examples=12, stateful_step_count=10, deadline=None)
    )
