"""Small fixtures for brokers and transfer institutions: one institution in Changchun, its admin, the
city's reviewer and statistics staff, two client organisations and registered contracts written
directly (the contract workflow has its own tests)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from tests.factories import OrganisationFactory, UserFactory, member_of, staff_in
from zhouqiao.accounts.models import Duty
from zhouqiao.contracts.models import Contract

NOW = timezone.make_aware(dt.datetime(2024, 12, 10, 10, 0))
YEAR = 2024


@pytest.fixture
def now():
    return NOW


@pytest.fixture
def institution(reference):
    return OrganisationFactory(name="长春测试技术转移中心", kind="transfer_institution", region_id="220173")


@pytest.fixture
def admin(institution):
    return member_of(institution, username="ttc_admin")


@pytest.fixture
def reviewer(reference):
    return staff_in("220100", Duty.REVIEWER, username="cc_reviewer")


@pytest.fixture
def statistician(reference):
    return staff_in("220100", Duty.STATISTICS, username="cc_statistics")


@pytest.fixture
def jilin_reviewer(reference):
    return staff_in("220200", Duty.REVIEWER, username="jl_reviewer")


@pytest.fixture
def seller(reference):
    return OrganisationFactory(name="长春测试大学", kind="university", region_id="220102")


@pytest.fixture
def buyer(reference):
    return OrganisationFactory(name="长春测试汽车零部件有限公司", region_id="220104")


@pytest.fixture
def buyer_user(buyer):
    return member_of(buyer, username="buyer_admin")


def registered_contract(
    *,
    seller,
    buyer,
    institution,
    broker_name="",
    amount="1000000.00",
    registered_at=NOW,
    status="registered",
    industry=None,
    number=None,
):
    """A registered contract as the registry leaves it (only the fields the score reads matter)."""
    creator = UserFactory()
    registered = status == "registered"
    return Contract.objects.create(
        title="测试技术合同",
        contract_type="transfer",
        subtype="patent_transfer",
        seller=seller,
        buyer=buyer,
        transfer_institution=institution,
        broker_name=broker_name,
        broker_region_id="220173" if broker_name else None,
        region_id=seller.region_id,
        industry_id=industry,
        contract_amount=Decimal(amount),
        technology_amount=Decimal(amount),
        signed_on=registered_at.date() - dt.timedelta(days=5),
        status=status,
        registration_number=(number or f"2024220102{Contract.objects.count() + 1:06d}")
        if registered
        else None,
        registered_at=registered_at if registered else None,
        created_by=creator,
        created_at=registered_at,
    )
