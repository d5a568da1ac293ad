"""Issue 16's rulings where a reviewer decides: 002#5's determination (ruling 2), 001#16's tiers
that do not stack (ruling 3), event rules with a minimum (ruling 8), and 收益分配 shown as the
unit's distribution, never as 免申即享 (ruling 7)."""

import datetime as dt
from decimal import Decimal

import pytest

from tests.factories import OrganisationFactory, member_of, staff_in
from tests.policy.helpers import FILES, register
from zhouqiao.accounts.models import Duty
from zhouqiao.core.errors import ValidationFailed
from zhouqiao.policy import services
from zhouqiao.policy.models import CapUsage, LedgerEntry


def _submit(application, user, now):
    return services.submit_application(
        actor=user, application_id=application.pk, statement="项目说明", attachments=FILES, now=now
    )


def test_002_5_needs_the_reviewer_s_determination_recorded(
    seller_user, seller_org, buyer_org, buyer_user, province_finance, registrar, now
):
    contract = register(seller_user, seller_org, buyer_org, registrar, now)
    application = contract.applications.get(clause="002#5")
    assert application.ceiling == Decimal("80000.00")  # 10 % of the technology amount: the ceiling
    _submit(application, buyer_user, now)
    with pytest.raises(ValidationFailed) as info:
        services.review_application(
            actor=province_finance, application_id=application.pk, grant=True, amount="80000.00", now=now
        )
    assert "reason" in info.value.detail and "重大科技成果" in str(info.value.message)
    granted = services.review_application(
        actor=province_finance,
        application_id=application.pk,
        grant=True,
        amount="60000.00",
        reason="认定为重大科技成果；已在省内投产（附投产证明）",
        now=now,
    )
    assert granted.granted_amount == Decimal("60000.00") and "重大" in granted.status_reason


def _major(seller_user, seller_org, buyer_org, buyer_user, registrar, now):
    contract = register(seller_user, seller_org, buyer_org, registrar, now, contract_amount="6000000.00")
    first_tier = contract.entitlements.get(rule_id="cc_enterprise_conversion_subsidy")
    assert first_tier.amount == Decimal("900000.00")
    application = contract.applications.get(rule_id="cc_major_conversion_project")
    _submit(application, buyer_user, now)
    return contract, first_tier, application


def test_001_16_the_major_project_replaces_an_unpaid_15_percent_entitlement(
    seller_user, seller_org, buyer_org, buyer_user, registrar, now
):
    contract, first_tier, application = _major(seller_user, seller_org, buyer_org, buyer_user, registrar, now)
    services.review_application(
        actor=registrar, application_id=application.pk, grant=True, amount="1200000.00", now=now
    )
    first_tier.refresh_from_db()
    assert first_tier.status == "reversed" and "不叠加" in first_tier.status_reason
    cap = CapUsage.objects.get(clause="001#16", beneficiary_key=f"org:{buyer_org.pk}")
    assert cap.used == Decimal("0.00")  # the superseded tier's use of the yearly cap is released
    major = contract.entitlements.get(rule_id="cc_major_conversion_project")
    assert major.amount == Decimal("1200000.00")
    paid_out = sum(
        e.amount for e in contract.entitlements.exclude(status="reversed").filter(beneficiary="buyer")
    )
    assert paid_out == Decimal("1200000.00")  # not 900000 + 1200000


def test_001_16_after_the_15_percent_was_paid_only_the_difference_is_granted(
    seller_user, seller_org, buyer_org, buyer_user, registrar, finance_two, now
):
    contract, first_tier, application = _major(seller_user, seller_org, buyer_org, buyer_user, registrar, now)
    for actor, status, extra in (
        (buyer_user, "confirmed", {}),
        (registrar, "first_approved", {}),
        (finance_two, "approved", {}),
        (registrar, "paid", {"payment_reference": "CC-2024-9"}),
    ):
        services.transition_entitlement(
            actor=actor, entitlement_id=first_tier.pk, to_status=status, now=now, **extra
        )
    with pytest.raises(ValidationFailed):  # 择优 at or below what was paid leaves nothing to add
        services.review_application(
            actor=registrar, application_id=application.pk, grant=True, amount="900000.00", now=now
        )
    services.review_application(
        actor=registrar, application_id=application.pk, grant=True, amount="1200000.00", now=now
    )
    first_tier.refresh_from_db()
    assert first_tier.status == "paid"
    major = contract.entitlements.get(rule_id="cc_major_conversion_project")
    assert major.amount == Decimal("300000.00")
    assert LedgerEntry.objects.get(entitlement=major).note == "择优评审核定，补差额"


def test_003_28_is_granted_between_its_minimum_and_maximum(db, now):
    unit = OrganisationFactory(name="吉林市人才项目公司", kind="enterprise", region_id="220204")
    user = member_of(unit)
    finance = staff_in("220200", Duty.FINANCE)
    application = services.apply_for_event(
        actor=user,
        organisation_id=unit.pk,
        rule_id="jlc_talent_led_project",
        event_date=dt.date(2024, 5, 1),
        event_reference="吉市人才〔2024〕3号",
        statement="高端人才领军的重大产业化项目",
        attachments=FILES,
        now=now,
    )
    assert application.ceiling == Decimal("5000000.00")
    with pytest.raises(ValidationFailed) as info:
        services.review_application(
            actor=finance, application_id=application.pk, grant=True, amount="500000.00", now=now
        )
    assert "100万元至500万元" in str(info.value.message)
    granted = services.review_application(
        actor=finance, application_id=application.pk, grant=True, amount="1000000.00", now=now
    )
    assert granted.granted_amount == Decimal("1000000.00")


def test_a_draft_document_s_event_rule_cannot_be_claimed(db, now):
    from zhouqiao.policy.models import ParameterChange

    ParameterChange.objects.all().delete()
    unit = OrganisationFactory(name="长春中试平台公司", kind="enterprise", region_id="220104")
    with pytest.raises(ValidationFailed) as info:
        services.apply_for_event(
            actor=member_of(unit),
            organisation_id=unit.pk,
            rule_id="cc_pilot_platform_open_service",
            event_date=dt.date(2024, 5, 1),
            event_reference="长科考核〔2024〕1号",
            statement="年度考核优秀",
            attachments=FILES,
            now=now,
        )
    assert "尚未施行" in str(info.value.message)


def test_income_distribution_is_shown_as_such_never_as_free_entitlement(client, reference):
    form = {
        "date": "2024-06-01",
        "contract_type": "技术转让",
        "contract_amount": "800000.00",
        "technology_amount": "800000.00",
        "costs": "200000.00",
        "seller_type": "university",
        "seller_region": "220202",
        "buyer_type": "enterprise",
        "buyer_region": "220204",
    }
    html = client.post("/policy/calculator/", form).content.decode()
    row = html[html.index('data-rule="jlc_inventor_share"') :]
    row = row[: row.index("</tr>")]
    assert "收益分配" in row and "免申即享" not in row
    assert "不低于" in row and "42万元" in row  # 70 % of 800000 − 200000


def test_002_5_grants_take_from_one_yearly_cap_across_contracts(
    seller_user, seller_org, buyer_org, buyer_user, province_finance, registrar, now
):
    first = register(seller_user, seller_org, buyer_org, registrar, now, contract_amount="4000000.00")
    second = register(seller_user, seller_org, buyer_org, registrar, now, contract_amount="4000000.00")
    one, two = (c.applications.get(clause="002#5") for c in (first, second))
    assert one.ceiling == two.ceiling == Decimal("400000.00")  # neither granted yet
    for application in (one, two):
        _submit(application, buyer_user, now)
    decided = "认定为重大科技成果，已在省内投产"
    services.review_application(
        actor=province_finance, application_id=one.pk, grant=True, amount="400000.00", reason=decided, now=now
    )
    with pytest.raises(ValidationFailed) as info:  # 50万 a year: 10万 left, not another 40万
        services.review_application(
            actor=province_finance,
            application_id=two.pk,
            grant=True,
            amount="400000.00",
            reason=decided,
            now=now,
        )
    assert "10万元" in str(info.value.message)
    services.review_application(
        actor=province_finance, application_id=two.pk, grant=True, amount="100000.00", reason=decided, now=now
    )
    cap = CapUsage.objects.get(clause="002#5", beneficiary_key=f"org:{buyer_org.pk}")
    assert cap.used == Decimal("500000.00")


def test_the_registered_contract_s_page_shows_the_distribution_floor_not_an_entitlement(
    client, seller_user, seller_org, buyer_org, registrar, now
):
    contract = register(seller_user, seller_org, buyer_org, registrar, now)
    assert not contract.entitlements.filter(beneficiary="inventors").exists()
    client.force_login(seller_user)
    html = client.get(f"/contracts/{contract.pk}/").content.decode()
    block = html[html.index('id="distribution-floor"') :]
    block = block[: block.index("</section>")]
    assert "收益分配" in block and "不低于" in block and "56万元" in block and "免申即享" not in block
