"""001#20: the city's high-tech certification subsidy is paid as an innovation voucher — after the
same review and two finance approvals as cash, once, and never also as a transfer."""

from decimal import Decimal

import pytest

from tests.factories import staff_in
from zhouqiao.accounts.models import Duty
from zhouqiao.core.errors import Conflict, ValidationFailed
from zhouqiao.policy import services
from zhouqiao.policy.models import Entitlement
from zhouqiao.vouchers import services as voucher_services
from zhouqiao.vouchers.models import Voucher

pytestmark = pytest.mark.django_db


def approved_entitlement(enterprise, enterprise_user, cc_staff, now) -> Entitlement:
    application = services.apply_for_event(
        actor=enterprise_user,
        organisation_id=enterprise.pk,
        rule_id="cc_high_tech_city_voucher",
        event_date=now.date(),
        event_reference="GR202622000123",
        statement="2026年通过高新技术企业认定",
        now=now,
    )
    services.review_application(
        actor=cc_staff, application_id=application.pk, grant=True, amount="30000", now=now
    )
    entitlement = Entitlement.objects.get(application=application)
    second = staff_in("220100", Duty.FINANCE, username="cc_finance_two")
    # the 核定人 (cc_staff) does not also do the 财务初审: the colleague checks first
    for actor, action in ((second, "first_approved"), (cc_staff, "approved")):
        services.transition_entitlement(actor=actor, entitlement_id=entitlement.pk, to_status=action, now=now)
    return entitlement


def test_paying_the_subsidy_issues_the_voucher_once(pool, certified, enterprise_user, cc_staff, now):
    entitlement = approved_entitlement(certified, enterprise_user, cc_staff, now)
    assert entitlement.paid_as_voucher
    with pytest.raises(ValidationFailed) as missing:
        services.transition_entitlement(
            actor=cc_staff, entitlement_id=entitlement.pk, to_status="paid", now=now
        )
    assert "服务类别" in str(missing.value.message) and not Voucher.objects.exists()

    paid = services.transition_entitlement(
        actor=cc_staff, entitlement_id=entitlement.pk, to_status="paid", voucher_category="testing", now=now
    )
    voucher = Voucher.objects.get()
    assert (paid.status, paid.payment_reference) == ("paid", voucher.code)
    assert (voucher.enterprise, voucher.amount, voucher.source, voucher.pool) == (
        certified,
        Decimal("30000.00"),
        "high_tech_subsidy",
        pool,
    )
    pool.refresh_from_db()
    assert pool.available == Decimal("30000000") - Decimal("30000")
    # Staff cannot pay the same certificate again on the voucher side.
    with pytest.raises(Conflict):
        voucher_services.issue_voucher(
            actor=cc_staff,
            pool_id=pool.pk,
            enterprise_id=certified.pk,
            category="testing",
            amount="30000",
            source="high_tech_subsidy",
            now=now,
        )
    assert Voucher.objects.count() == 1


def test_the_finance_page_offers_the_voucher_category_instead_of_a_payment_reference(
    client, pool, certified, enterprise_user, cc_staff, now
):
    entitlement = approved_entitlement(certified, enterprise_user, cc_staff, now)
    client.force_login(cc_staff)
    page = client.get("/policy/entitlements/").content.decode()
    assert 'name="voucher_category"' in page and "以创新券兑现" in page
    client.post(f"/policy/entitlements/{entitlement.pk}/pay/", {"voucher_category": "research_development"})
    entitlement.refresh_from_db()
    assert entitlement.status == "paid"
    assert Voucher.objects.get().category == "research_development"
