"""A small fixture whose profile figures are worked out by hand in the tests.

The clock: 2026-06-15 (Asia/Shanghai); the profile window is 2024–2026 (three calendar years).
"""

from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from tests.factories import OrganisationFactory, UserFactory, staff_in
from zhouqiao.accounts.models import Duty
from zhouqiao.contracts.models import Contract
from zhouqiao.contracts.states import ContractStatus
from zhouqiao.policy.models import Entitlement
from zhouqiao.vouchers.models import Certification as VoucherCertification
from zhouqiao.vouchers.models import Pool, Voucher

TZ = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 6, 15, 10, 0, tzinfo=TZ)
TODAY = NOW.date()


def at(year, month=3, day=1):
    return datetime(year, month, day, 9, 0, tzinfo=TZ)


def contract(seller, buyer, amount, *, registered_at, status=ContractStatus.REGISTERED):
    return Contract.objects.create(
        title="测试技术开发合同",
        contract_type="development",
        subtype="commissioned_development",
        seller=seller,
        buyer=buyer,
        region_id=seller.region_id,
        contract_amount=Decimal(amount),
        technology_amount=Decimal(amount),
        signed_on=registered_at.date(),
        status=status,
        registered_at=registered_at if status == ContractStatus.REGISTERED else None,
        created_by=UserFactory(),
        created_at=registered_at,
    )


def voucher_cert(org, kind, *, valid_until, number):
    return VoucherCertification.objects.create(
        organisation=org,
        kind=kind,
        number=number,
        valid_from=valid_until - timedelta(days=3 * 365),
        valid_until=valid_until,
        recorded_at=NOW,
    )


def entitlement(org, amount, status, year=2025):
    return Entitlement.objects.create(
        rule_id="test.rule",
        clause="001#15",
        title="技术合同补贴",
        beneficiary="seller",
        organisation=org,
        beneficiary_name=org.name,
        payer_region_id="220100",
        year=year,
        amount=Decimal(amount),
        status=status,
        created_at=NOW,
        updated_at=NOW,
    )


@pytest.fixture
def firms(reference):
    """Two enterprises in Dehui (220183), one in Chaoyang (220104), one in Jilin City (220204)."""
    return {
        "dehui": OrganisationFactory(name="德惠画像测试有限公司", region_id="220183"),
        "dehui2": OrganisationFactory(name="德惠另一家测试有限公司", region_id="220183"),
        "chaoyang": OrganisationFactory(name="朝阳画像测试有限公司", region_id="220104"),
        "jilin": OrganisationFactory(name="吉林市画像测试有限公司", region_id="220204"),
        "uni": OrganisationFactory(name="画像测试大学", kind="university", region_id="220102"),
    }


@pytest.fixture
def records(firms):
    """Records of 德惠画像测试有限公司 (dehui):
    - sold: 300,000 (2025) + 200,000 (2024) registered; 1,000,000 in 2022 (outside the window) and
      50,000 submitted only (not registered) → sold_amount 500,000, sold_count 2
    - bought: 80,000 from the university (2026) → bought_amount 80,000, bought_count 1
    - certificates: 高新技术企业 valid to 2027, 科技型中小企业 expired 2025-12-31 → high_tech 1, tech_sme 0
    - voucher: 20,000 issued 2026 → voucher_amount 20,000
    - entitlements: 30,000 paid + 10,000 approved (count), 99,000 computed (does not) → 40,000
    """
    d, u, c = firms["dehui"], firms["uni"], firms["chaoyang"]
    contract(d, c, "300000", registered_at=at(2025))
    contract(d, u, "200000", registered_at=at(2024, 1, 2))
    contract(d, c, "1000000", registered_at=at(2022))
    contract(d, c, "50000", registered_at=at(2026), status=ContractStatus.SUBMITTED)
    contract(u, d, "80000", registered_at=at(2026))
    contract(c, firms["dehui2"], "900000", registered_at=at(2026))
    voucher_cert(d, "high_tech", valid_until=date(2027, 12, 31), number="GR2024220001")
    voucher_cert(d, "tech_sme", valid_until=date(2025, 12, 31), number="TS2022220001")
    pool = Pool.objects.create(name="德惠测试资金池", jurisdiction_id="220183", year=2026, created_at=NOW)
    Voucher.objects.create(
        code="TEST-V-0001",
        pool=pool,
        enterprise=d,
        category="testing",
        amount=Decimal("20000"),
        remaining=Decimal("20000"),
        source="staff",
        issued_at=at(2026, 2, 1),
        expires_on=date(2026, 12, 31),
    )
    entitlement(d, "30000", "paid")
    entitlement(d, "10000", "approved", year=2024)
    entitlement(d, "99000", "computed")


@pytest.fixture
def statistics_county(reference):
    return staff_in("220183", Duty.STATISTICS, username="stat_county")


@pytest.fixture
def statistics_province(reference):
    return staff_in("220000", Duty.STATISTICS, username="stat_province")


@pytest.fixture
def reviewer_county(reference):
    return staff_in("220183", Duty.REVIEWER, username="rev_county")
