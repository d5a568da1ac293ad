from decimal import Decimal

import pytest
from django.db.models import Sum

from tests.contracts.fixtures import PDF, contract_data
from tests.factories import staff_in
from tests.policy.helpers import FILES
from zhouqiao.accounts.models import Duty
from zhouqiao.contracts import services as contracts
from zhouqiao.core.errors import PermissionDenied, ValidationFailed
from zhouqiao.policy import services
from zhouqiao.policy.models import Application, CapUsage, Entitlement, LedgerEntry

pytestmark = pytest.mark.django_db


def register(seller_user, seller_org, buyer_org, registrar, now, **overrides):
    contract = contracts.create_draft(
        actor=seller_user, seller_id=seller_org.pk, data=contract_data(buyer_org, **overrides), now=now
    )
    contracts.attach_signed_contract(
        actor=seller_user, contract_id=contract.pk, content=PDF, filename="c.pdf", now=now
    )
    contracts.transition_contract(actor=seller_user, contract_id=contract.pk, to_status="submitted", now=now)
    return contracts.transition_contract(
        actor=registrar, contract_id=contract.pk, to_status="registered", now=now
    )


def amounts(contract):
    return {(e.clause, e.beneficiary): str(e.amount) for e in contract.entitlements.all()}


def test_registering_computes_every_party_s_entitlements(
    seller_user, seller_org, buyer_org, registrar, now, institution_org
):
    contract = register(
        seller_user,
        seller_org,
        buyer_org,
        registrar,
        now,
        transfer_institution_id=institution_org.pk,
        broker_name="王经纪",
        broker_region="220102",
    )
    assert amounts(contract) == {
        ("001#9", "transfer_institution"): "80.00",
        ("001#15", "seller"): "24000.00",
        ("001#16", "buyer"): "120000.00",
        ("001#18", "registrant"): "800.00",
        ("001#19", "broker"): "8000.00",
    }
    # 002#5 is an application (重大 and 成功转化 are decided after registration: issue 16 ruling 2)
    [province] = contract.applications.filter(clause="002#5")
    assert province.ceiling == Decimal("80000.00") and province.status == "invited"
    assert all(e.trace["parameters"] for e in contract.entitlements.all())


def test_a_discretionary_rule_becomes_an_application_with_a_ceiling(
    seller_user, seller_org, buyer_org, registrar, buyer_user, now
):
    contract = register(seller_user, seller_org, buyer_org, registrar, now, contract_amount="6000000.00")
    application = Application.objects.get(contract=contract, rule_id="cc_major_conversion_project")
    assert application.clause == "001#16" and application.ceiling == Decimal("1200000.00")
    services.submit_application(
        actor=buyer_user, application_id=application.pk, statement="市场前景好", attachments=FILES, now=now
    )
    with pytest.raises(ValidationFailed):
        services.review_application(
            actor=registrar, application_id=application.pk, grant=True, amount="1200000.01", now=now
        )
    services.review_application(
        actor=registrar, application_id=application.pk, grant=True, amount="900000.00", now=now
    )
    assert Entitlement.objects.get(application=application).status == "confirmed"


def test_confirm_two_approvals_by_different_officers_then_paid(
    seller_user, seller_org, buyer_org, buyer_user, registrar, finance_two, now
):
    contract = register(seller_user, seller_org, buyer_org, registrar, now)
    entitlement = contract.entitlements.get(clause="001#16")
    with pytest.raises(PermissionDenied):
        services.transition_entitlement(
            actor=seller_user, entitlement_id=entitlement.pk, to_status="confirmed", now=now
        )
    services.transition_entitlement(
        actor=buyer_user, entitlement_id=entitlement.pk, to_status="confirmed", now=now
    )
    services.transition_entitlement(
        actor=registrar, entitlement_id=entitlement.pk, to_status="first_approved", now=now
    )
    with pytest.raises(PermissionDenied):
        services.transition_entitlement(
            actor=registrar, entitlement_id=entitlement.pk, to_status="approved", now=now
        )
    services.transition_entitlement(
        actor=finance_two, entitlement_id=entitlement.pk, to_status="approved", now=now
    )
    with pytest.raises(ValidationFailed):
        services.transition_entitlement(
            actor=registrar, entitlement_id=entitlement.pk, to_status="paid", now=now
        )
    paid = services.transition_entitlement(
        actor=registrar,
        entitlement_id=entitlement.pk,
        to_status="paid",
        payment_reference="CC-2024-001",
        now=now,
    )
    assert paid.status == "paid"
    assert [e.kind for e in paid.ledger.all()] == ["grant", "payment"]


def test_province_money_is_approved_by_province_finance_only(
    seller_user, seller_org, buyer_org, buyer_user, registrar, province_finance, now
):
    contract = register(seller_user, seller_org, buyer_org, registrar, now)
    application = contract.applications.get(clause="002#5")
    services.submit_application(
        actor=buyer_user, application_id=application.pk, statement="已投产", attachments=FILES, now=now
    )
    with pytest.raises(PermissionDenied):  # the city's finance does not review province money
        services.review_application(
            actor=registrar,
            application_id=application.pk,
            grant=True,
            amount="80000.00",
            reason="重大",
            now=now,
        )
    services.review_application(
        actor=province_finance,
        application_id=application.pk,
        grant=True,
        amount="80000.00",
        reason="认定为重大科技成果，已在省内投产",
        now=now,
    )
    entitlement = contract.entitlements.get(clause="002#5")
    with pytest.raises(PermissionDenied):
        services.transition_entitlement(
            actor=registrar, entitlement_id=entitlement.pk, to_status="first_approved", now=now
        )
    colleague = staff_in("220000", Duty.FINANCE)  # not the 核定人 (test_separation_of_duties)
    services.transition_entitlement(
        actor=colleague, entitlement_id=entitlement.pk, to_status="first_approved", now=now
    )


def test_rejection_needs_a_reason_and_releases_the_annual_cap(
    seller_user, seller_org, buyer_org, registrar, institution_org, now
):
    contract = register(
        seller_user, seller_org, buyer_org, registrar, now, transfer_institution_id=institution_org.pk
    )
    entitlement = contract.entitlements.get(clause="001#9")
    with pytest.raises(ValidationFailed):
        services.transition_entitlement(
            actor=registrar, entitlement_id=entitlement.pk, to_status="rejected", now=now
        )
    services.transition_entitlement(
        actor=registrar, entitlement_id=entitlement.pk, to_status="rejected", reason="机构备案已过期", now=now
    )
    assert CapUsage.objects.get(clause="001#9").used == Decimal("0.00")
    assert entitlement.ledger.aggregate(s=Sum("amount"))["s"] == Decimal("0.00")


def test_the_annual_cap_carries_over_between_registrations(
    seller_user, seller_org, buyer_org, registrar, institution_org, now
):
    CapUsage.objects.create(
        beneficiary_key=f"org:{institution_org.pk}", clause="001#9", year=2024, used=Decimal("999950.00")
    )
    first = register(
        seller_user, seller_org, buyer_org, registrar, now, transfer_institution_id=institution_org.pk
    )
    second = register(
        seller_user, seller_org, buyer_org, registrar, now, transfer_institution_id=institution_org.pk
    )
    assert first.entitlements.get(clause="001#9").amount == Decimal("50.00")
    assert not second.entitlements.filter(clause="001#9").exists()
    assert CapUsage.objects.get(clause="001#9").used == Decimal("1000000.00")


def test_reversing_a_registration_reverses_its_entitlements(
    seller_user, seller_org, buyer_org, buyer_user, registrar, finance_two, institution_org, now
):
    contract = register(
        seller_user, seller_org, buyer_org, registrar, now, transfer_institution_id=institution_org.pk
    )
    paid = contract.entitlements.get(clause="001#16")
    services.transition_entitlement(actor=buyer_user, entitlement_id=paid.pk, to_status="confirmed", now=now)
    services.transition_entitlement(
        actor=registrar, entitlement_id=paid.pk, to_status="first_approved", now=now
    )
    services.transition_entitlement(actor=finance_two, entitlement_id=paid.pk, to_status="approved", now=now)
    services.transition_entitlement(
        actor=registrar, entitlement_id=paid.pk, to_status="paid", payment_reference="P1", now=now
    )
    with pytest.raises(ValidationFailed):
        contracts.transition_contract(actor=registrar, contract_id=contract.pk, to_status="reversed", now=now)
    contracts.transition_contract(
        actor=registrar, contract_id=contract.pk, to_status="reversed", reason="合同被认定无效", now=now
    )
    assert set(contract.entitlements.values_list("status", flat=True)) == {"reversed"}
    owed = LedgerEntry.objects.filter(entitlement__contract=contract, kind__in=["grant", "release"])
    assert owed.aggregate(s=Sum("amount"))["s"] == Decimal("0.00")
    assert paid.ledger.filter(kind="recovery").get().amount == Decimal("-120000.00")
    assert CapUsage.objects.get(clause="001#9").used == Decimal("0.00")


def test_income_distribution_gives_inventors_at_least_seventy_percent(
    seller_user, seller_org, buyer_org, registrar, now
):
    contract = register(seller_user, seller_org, buyer_org, registrar, now)
    with pytest.raises(ValidationFailed):
        services.set_distribution_scheme(
            actor=seller_user,
            organisation_id=seller_org.pk,
            inventors_ratio="0.69",
            department_ratio="0.10",
            now=now,
        )
    services.set_distribution_scheme(
        actor=seller_user,
        organisation_id=seller_org.pk,
        inventors_ratio="0.80",
        department_ratio="0.05",
        now=now,
    )
    sheet = services.distribute_income(
        actor=seller_user,
        contract_id=contract.pk,
        costs="100000.00",
        now=now,
        inventors=[{"name": "张教授", "share": 2}, {"name": "李博士", "share": 1}],
    )
    assert sheet.net_income == Decimal("700000.00")
    assert sheet.inventors_amount == Decimal("560000.00")
    assert sheet.department_amount == Decimal("35000.00") and sheet.unit_amount == Decimal("105000.00")
    assert [p["amount"] for p in sheet.inventors] == ["373333.33", "186666.67"]
