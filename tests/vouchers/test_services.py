from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from tests.factories import OrganisationFactory, member_of, staff_in
from tests.vouchers.conftest import certify, delivered_order
from zhouqiao.accounts.models import Duty, Membership
from zhouqiao.core.errors import Conflict, InvalidTransition, PermissionDenied, ValidationFailed
from zhouqiao.core.models import AuditEvent
from zhouqiao.vouchers import ledger, orders, services
from zhouqiao.vouchers.models import LedgerEntry, Pool, Voucher
from zhouqiao.vouchers.states import (
    APPLICATION_TRANSITIONS,
    ApplicationStatus,
    EntryKind,
    OrderStatus,
    ServiceCategory,
    VoucherStatus,
)

pytestmark = pytest.mark.django_db


def apply(user, org, amount="20000", category=ServiceCategory.TESTING, now=None):
    return services.apply_for_voucher(
        actor=user,
        enterprise_id=org.pk,
        category=category,
        amount=amount,
        purpose="委托检测新材料性能",
        now=now or timezone.now(),
    )


def test_it_refuses_an_application_without_a_valid_certification(pool, enterprise, enterprise_user, now):
    with pytest.raises(ValidationFailed) as exc:
        apply(enterprise_user, enterprise, now=now)
    assert exc.value.code == "not_eligible"
    assert "高新技术企业" in str(exc.value.message)


def test_it_refuses_an_application_above_the_enterprise_ceiling(pool, certified, enterprise_user, now):
    apply(enterprise_user, certified, amount="150000", now=now)
    with pytest.raises(ValidationFailed) as exc:
        apply(enterprise_user, certified, amount="60000", now=now)
    assert "年度上限" in str(exc.value.message)


def test_approval_issues_a_voucher_and_debits_the_pool(pool, certified, enterprise_user, cc_staff, now):
    app = apply(enterprise_user, certified, now=now)
    services.approve_application(actor=cc_staff, application_id=app.pk, now=now)
    voucher = Voucher.objects.get(application=app)
    assert voucher.code.startswith("CXQ") and voucher.amount == Decimal("20000.00") == voucher.remaining
    assert voucher.expires_on == timezone.localdate(now) + timedelta(days=pool.validity_days)
    pool.refresh_from_db()
    assert pool.available == Decimal("29980000.00")
    assert list(LedgerEntry.objects.filter(pool=pool).values_list("kind", flat=True)) == ["allocate", "issue"]
    assert AuditEvent.objects.filter(action="voucher.issue", target_id=str(voucher.pk)).exists()


def test_it_refuses_approval_by_staff_of_another_city(
    pool, certified, enterprise_user, other_city_staff, now
):
    app = apply(enterprise_user, certified, now=now)
    with pytest.raises(PermissionDenied):
        services.approve_application(actor=other_city_staff, application_id=app.pk, now=now)
    assert not Voucher.objects.exists()


def test_it_refuses_a_return_without_a_reason(pool, certified, enterprise_user, cc_staff, now):
    app = apply(enterprise_user, certified, now=now)
    with pytest.raises(ValidationFailed):
        services.return_application(actor=cc_staff, application_id=app.pk, reason=" ", now=now)
    app.refresh_from_db()
    assert app.status == ApplicationStatus.SUBMITTED


def test_every_application_edge_works_and_every_other_move_is_refused(
    pool, certified, enterprise_user, cc_staff, now
):
    actors = {"reviewer": cc_staff, "enterprise": enterprise_user}
    for source in ApplicationStatus.values:
        for target in ApplicationStatus.values:
            app = apply(enterprise_user, certified, amount="1000", now=now)
            app.status = source
            app.save(update_fields=["status"])
            who = APPLICATION_TRANSITIONS.get(source, {}).get(target)
            actor = actors[who] if who else cc_staff
            move = lambda a=actor, t=target, p=app.pk: services.transition_application(  # noqa: E731
                actor=a, application_id=p, to_status=t, reason="材料不全", now=now
            )
            if who is None:
                with pytest.raises(InvalidTransition):
                    move()
            else:
                assert move().status == target
                other = cc_staff if who == "enterprise" else enterprise_user
                app.status = source
                app.save(update_fields=["status"])
                with pytest.raises(PermissionDenied):
                    services.transition_application(
                        actor=other, application_id=app.pk, to_status=target, reason="x", now=now
                    )


def test_a_provider_redeems_the_voucher_share_and_staff_settle(
    voucher, testing_service, enterprise_user, provider_user, cc_staff, now
):
    order = delivered_order(
        voucher=voucher,
        service=testing_service,
        enterprise_user=enterprise_user,
        provider_user=provider_user,
        price="12000",
        now=now,
    )
    with pytest.raises(ValidationFailed) as exc:
        orders.claim_redemption(actor=provider_user, order_id=order.pk, amount="6000.01", now=now)
    assert "50%" in str(exc.value.message)
    redemption = orders.claim_redemption(actor=provider_user, order_id=order.pk, now=now)
    assert redemption.amount == Decimal("6000.00")
    voucher.refresh_from_db()
    assert voucher.remaining == Decimal("14000.00")
    with pytest.raises(PermissionDenied):
        orders.confirm_redemption(actor=provider_user, order_id=order.pk, now=now)
    orders.confirm_redemption(actor=enterprise_user, order_id=order.pk, now=now)
    settled = orders.settle_redemption(actor=cc_staff, order_id=order.pk, settlement_ref="BF-001", now=now)
    assert settled.status == OrderStatus.SETTLED
    assert LedgerEntry.objects.filter(kind=EntryKind.SETTLE, amount=Decimal("6000.00")).count() == 1
    with pytest.raises(InvalidTransition):
        orders.settle_redemption(actor=cc_staff, order_id=order.pk, now=now)
    assert ledger.reconcile().ok
    call_command("vouchers", "reconcile")


def test_partial_redemptions_never_overdraw_the_voucher(
    voucher, testing_service, enterprise_user, provider_user, now
):
    for price in ("30000", "30000"):
        order = delivered_order(
            voucher=voucher,
            service=testing_service,
            enterprise_user=enterprise_user,
            provider_user=provider_user,
            price=price,
            now=now,
        )
        orders.claim_redemption(actor=provider_user, order_id=order.pk, now=now)
    voucher.refresh_from_db()
    assert voucher.remaining == Decimal("0.00")
    order = delivered_order(
        voucher=voucher,
        service=testing_service,
        enterprise_user=enterprise_user,
        provider_user=provider_user,
        price="100",
        now=now,
    )
    with pytest.raises(Conflict):
        orders.claim_redemption(actor=provider_user, order_id=order.pk, amount="50", now=now)
    assert ledger.reconcile().ok


def test_it_refuses_a_second_claim_on_the_same_order(
    voucher, testing_service, enterprise_user, provider_user, now
):
    order = delivered_order(
        voucher=voucher,
        service=testing_service,
        enterprise_user=enterprise_user,
        provider_user=provider_user,
        now=now,
    )
    orders.claim_redemption(actor=provider_user, order_id=order.pk, amount="100", now=now)
    with pytest.raises(InvalidTransition):
        orders.claim_redemption(actor=provider_user, order_id=order.pk, amount="100", now=now)
    assert LedgerEntry.objects.filter(kind=EntryKind.REDEEM).count() == 1


def test_a_claim_the_voucher_cannot_pay_changes_nothing(
    voucher, testing_service, enterprise_user, provider_user, now
):
    first, second = (
        delivered_order(
            voucher=voucher,
            service=testing_service,
            enterprise_user=enterprise_user,
            provider_user=provider_user,
            price=price,
            now=now,
        )
        for price in ("30000", "20000")
    )
    orders.claim_redemption(actor=provider_user, order_id=first.pk, amount="15000", now=now)
    # Within the 50% share of the order, but more than the 5000 left on the voucher.
    with pytest.raises(Conflict):
        orders.claim_redemption(actor=provider_user, order_id=second.pk, amount="6000", now=now)
    second.refresh_from_db()
    voucher.refresh_from_db()
    assert second.status == OrderStatus.DELIVERED
    assert not second.redemptions.exists()
    assert voucher.remaining == Decimal("5000.00")
    assert LedgerEntry.objects.filter(kind=EntryKind.REDEEM).count() == 1
    assert not AuditEvent.objects.filter(action="voucher_order.claimed", target_id=str(second.pk)).exists()
    assert ledger.reconcile().ok


def test_a_claim_of_an_order_id_given_as_a_string_redeems(
    voucher, testing_service, enterprise_user, provider_user, now
):
    order = delivered_order(
        voucher=voucher,
        service=testing_service,
        enterprise_user=enterprise_user,
        provider_user=provider_user,
        now=now,
    )
    redemption = orders.claim_redemption(actor=provider_user, order_id=str(order.pk), amount="100", now=now)
    assert redemption.amount == Decimal("100")
    voucher.refresh_from_db()
    assert voucher.remaining == voucher.amount - Decimal("100")
    assert ledger.reconcile().ok


def test_it_refuses_a_provider_with_the_same_legal_representative(
    voucher, testing_service, certified, enterprise_user, provider_org, now
):
    certified.legal_representative = "周检"
    certified.save()
    with pytest.raises(ValidationFailed) as exc:
        orders.place_order(
            actor=enterprise_user,
            enterprise_id=certified.pk,
            service_id=testing_service.pk,
            voucher_id=voucher.pk,
            price="1000",
            now=now,
        )
    assert exc.value.code == "related_party" and "法定代表人" in str(exc.value.message)


def test_it_refuses_a_provider_with_a_declared_relation(
    voucher, testing_service, certified, enterprise_user, provider_org, cc_staff, now
):
    orders.record_relation(
        actor=cc_staff,
        provider_id=provider_org.pk,
        enterprise_id=certified.pk,
        description="共同控股股东",
        now=now,
    )
    with pytest.raises(ValidationFailed) as exc:
        orders.place_order(
            actor=enterprise_user,
            enterprise_id=certified.pk,
            service_id=testing_service.pk,
            voucher_id=voucher.pk,
            price="1000",
            now=now,
        )
    assert "共同控股股东" in str(exc.value.message)


def test_it_refuses_a_voucher_of_another_category(
    voucher, provider_org, provider_user, cc_staff, enterprise_user, now
):
    consulting = orders.register_service(
        actor=provider_user,
        provider_id=provider_org.pk,
        category=ServiceCategory.CONSULTING,
        name="技术咨询",
        price="5000",
        now=now,
    )
    orders.transition_service(actor=cc_staff, service_id=consulting.pk, to_status="approved", now=now)
    with pytest.raises(ValidationFailed) as exc:
        orders.place_order(
            actor=enterprise_user,
            enterprise_id=voucher.enterprise_id,
            service_id=consulting.pk,
            voucher_id=voucher.pk,
            price="1000",
            now=now,
        )
    assert exc.value.code == "category_mismatch"


def test_expiry_returns_the_unspent_amount_to_the_pool(
    voucher, testing_service, enterprise_user, provider_user, pool, now
):
    order = delivered_order(
        voucher=voucher,
        service=testing_service,
        enterprise_user=enterprise_user,
        provider_user=provider_user,
        price="10000",
        now=now,
    )
    orders.claim_redemption(actor=provider_user, order_id=order.pk, now=now)
    with pytest.raises(InvalidTransition):
        services.expire_voucher(voucher_id=voucher.pk, now=now)
    later = now + timedelta(days=pool.validity_days + 1)
    assert services.expire_due_vouchers(now=later) == 1
    voucher.refresh_from_db()
    pool.refresh_from_db()
    assert voucher.status == VoucherStatus.EXPIRED and voucher.remaining == 0
    assert pool.available == Decimal("30000000.00") - Decimal("5000.00")
    assert LedgerEntry.objects.get(kind=EntryKind.EXPIRE).amount == Decimal("15000.00")
    assert ledger.reconcile().ok


def test_revoking_needs_a_reason_and_returns_the_balance(voucher, cc_staff, pool, now):
    with pytest.raises(ValidationFailed):
        services.revoke_voucher(actor=cc_staff, voucher_id=voucher.pk, reason="", now=now)
    services.revoke_voucher(actor=cc_staff, voucher_id=voucher.pk, reason="企业虚报材料", now=now)
    pool.refresh_from_db()
    assert pool.available == Decimal("30000000.00")
    with pytest.raises(InvalidTransition):
        services.revoke_voucher(actor=cc_staff, voucher_id=voucher.pk, reason="再次", now=now)


def test_the_high_tech_subsidy_is_issued_once_and_at_most_30000(pool, certified, cc_staff, now):
    with pytest.raises(ValidationFailed):
        services.issue_voucher(
            actor=cc_staff,
            pool_id=pool.pk,
            enterprise_id=certified.pk,
            category=ServiceCategory.RESEARCH,
            amount="30000.01",
            source="high_tech_subsidy",
            now=now,
        )
    voucher = services.issue_voucher(
        actor=cc_staff,
        pool_id=pool.pk,
        enterprise_id=certified.pk,
        category=ServiceCategory.RESEARCH,
        amount="30000",
        source="high_tech_subsidy",
        now=now,
    )
    assert voucher.source_ref == f"GR{certified.pk:08d}"
    with pytest.raises(Conflict):
        services.issue_voucher(
            actor=cc_staff,
            pool_id=pool.pk,
            enterprise_id=certified.pk,
            category=ServiceCategory.RESEARCH,
            amount="30000",
            source="high_tech_subsidy",
            now=now,
        )


def test_it_refuses_to_issue_more_than_the_pool_holds(cc_staff, certified, now):
    small = services.create_pool(
        actor=cc_staff, jurisdiction_code="220100", year=2031, budget="1000", now=now
    )
    with pytest.raises(Conflict) as exc:
        services.issue_voucher(
            actor=cc_staff,
            pool_id=small.pk,
            enterprise_id=certified.pk,
            category=ServiceCategory.TESTING,
            amount="1000.01",
            source="staff",
            now=now,
        )
    assert exc.value.code == "pool_insufficient"
    assert not Voucher.objects.exists() and not LedgerEntry.objects.filter(kind="issue").exists()


def test_only_finance_staff_of_the_jurisdiction_open_a_pool(reference, now):
    reviewer = staff_in("220100", Duty.REVIEWER, username="only_reviewer")
    with pytest.raises(PermissionDenied):
        services.create_pool(actor=reviewer, jurisdiction_code="220100", year=2030, budget="100", now=now)


def test_a_pool_cut_cannot_exceed_the_unissued_budget(pool, voucher, cc_staff, now):
    with pytest.raises(Conflict):
        services.adjust_pool(actor=cc_staff, pool_id=pool.pk, amount="-29980000.01", note="调减", now=now)
    services.adjust_pool(actor=cc_staff, pool_id=pool.pk, amount="-29980000", note="年中调减", now=now)
    pool.refresh_from_db()
    assert pool.available == 0
    assert ledger.reconcile().ok


def test_reconcile_finds_a_running_balance_that_disagrees_with_the_ledger(voucher, pool):
    Voucher.objects.filter(pk=voucher.pk).update(remaining=Decimal("1.00"))
    report = ledger.reconcile()
    assert not report.ok and "running balance" in report.problems[0]


def test_a_county_enterprise_applies_to_the_city_pool(pool, reference, now):
    county = OrganisationFactory(region_id="220183", contact_phone="13711112222")
    certify(county, kind="tech_sme")
    user = member_of(county)
    app = apply(user, county, now=now)
    assert app.pool == pool


def test_the_expire_command_returns_unspent_vouchers(voucher, pool, now):
    with time_machine.travel(now + timedelta(days=pool.validity_days + 2)):
        call_command("vouchers", "expire")
    voucher.refresh_from_db()
    assert voucher.status == VoucherStatus.EXPIRED


def test_a_returned_application_counts_against_the_ceiling_again_when_resubmitted(
    pool, certified, enterprise_user, cc_staff, now
):
    returned = apply(enterprise_user, certified, amount="150000", now=now)
    services.return_application(actor=cc_staff, application_id=returned.pk, reason="请补充检测方案", now=now)
    apply(enterprise_user, certified, amount="100000", now=now)  # fits while the first is returned
    with pytest.raises(ValidationFailed) as exc:
        services.transition_application(
            actor=enterprise_user, application_id=returned.pk, to_status="submitted", now=now
        )
    assert "年度上限" in str(exc.value.message)
    returned.refresh_from_db()
    assert returned.status == ApplicationStatus.RETURNED


@pytest.mark.parametrize(
    ("field", "value"),
    [("voucher_share", "abc"), ("voucher_share", "NaN"), ("voucher_share", "1.5"), ("validity_days", -5)],
)
def test_a_pool_with_a_bad_share_or_validity_is_refused_in_chinese(cc_staff, field, value, reference, now):
    with pytest.raises(ValidationFailed) as exc:
        services.create_pool(
            actor=cc_staff, jurisdiction_code="220100", year=2031, budget="100", now=now, **{field: value}
        )
    assert list(exc.value.detail) == [field]
    assert not LedgerEntry.objects.exists()


def test_staff_reconcile_their_own_jurisdictions_pools(client, pool, voucher, cc_staff, reference, now):
    jilin_staff = staff_in("220200", Duty.FINANCE, username="jl_finance")
    jilin = services.create_pool(
        actor=jilin_staff, jurisdiction_code="220200", year=2026, budget="500", now=now
    )
    Pool.objects.filter(pk=jilin.pk).update(available=Decimal("1.00"))  # Jilin City's books are off
    assert not ledger.reconcile().ok
    assert ledger.reconcile(pool_ids=[pool.pk]).ok
    client.force_login(cc_staff)
    assert client.get("/api/v1/vouchers/reconcile").json()["ok"] is True
    client.force_login(jilin_staff)
    body = client.get("/api/v1/vouchers/reconcile").json()
    assert body["ok"] is False and body["problems"] == [
        f"pool {jilin.pk}: running balance 1.00 ≠ ledger 500.00"
    ]


def test_a_claim_is_refused_when_one_person_belongs_to_both_provider_and_enterprise(
    voucher, testing_service, enterprise_user, provider_user, provider_org, now
):
    order = delivered_order(
        voucher=voucher,
        service=testing_service,
        enterprise_user=enterprise_user,
        provider_user=provider_user,
        now=now,
    )
    Membership.objects.create(user=enterprise_user, organisation=provider_org, joined_at=now)
    with pytest.raises(ValidationFailed) as exc:
        orders.claim_redemption(actor=provider_user, order_id=order.pk, now=now)
    assert exc.value.code == "related_party" and "同时是服务机构和企业的成员" in str(exc.value.message)
    voucher.refresh_from_db()
    assert voucher.remaining == voucher.amount


def test_only_the_enterprise_administrator_confirms_a_redemption(
    voucher, testing_service, certified, enterprise_user, provider_user, now
):
    order = delivered_order(
        voucher=voucher,
        service=testing_service,
        enterprise_user=enterprise_user,
        provider_user=provider_user,
        now=now,
    )
    orders.claim_redemption(actor=provider_user, order_id=order.pk, now=now)
    clerk = member_of(certified, role="member", username="ent_clerk")
    with pytest.raises(PermissionDenied):
        orders.confirm_redemption(actor=clerk, order_id=order.pk, now=now)
    order.refresh_from_db()
    assert order.status == OrderStatus.CLAIMED
    assert (
        orders.confirm_redemption(actor=enterprise_user, order_id=order.pk, now=now).status
        == OrderStatus.CONFIRMED
    )
