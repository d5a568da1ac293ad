"""Fixtures shared by the contracts and policy tests (star-imported by both conftests)."""

import datetime as dt

import pytest
from django.utils import timezone

from tests.factories import OrganisationFactory, file_institution, member_of, staff_in
from zhouqiao.accounts.models import Duty

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
NOW = timezone.make_aware(dt.datetime(2024, 6, 1, 10, 0))


@pytest.fixture
def now():
    return NOW


@pytest.fixture
def seller_org(db):
    return OrganisationFactory(name="长春测试大学", kind="university", region_id="220102")


@pytest.fixture
def seller_user(seller_org):
    return member_of(seller_org)


@pytest.fixture
def buyer_org(db):
    return OrganisationFactory(name="长春测试企业有限公司", kind="enterprise", region_id="220104")


@pytest.fixture
def buyer_user(buyer_org):
    return member_of(buyer_org)


@pytest.fixture
def institution_org(db):
    org = OrganisationFactory(name="长春测试技术转移中心", kind="transfer_institution", region_id="220173")
    file_institution(org)  # 市级备案 (001#9)
    return org


@pytest.fixture
def registrar(db):
    return staff_in("220100", Duty.REGISTRAR, Duty.FINANCE)


@pytest.fixture
def finance_two(db):
    return staff_in("220100", Duty.FINANCE)


@pytest.fixture
def province_finance(db):
    return staff_in("220000", Duty.FINANCE)


@pytest.fixture
def other_registrar(db):
    return staff_in("220200", Duty.REGISTRAR, Duty.FINANCE)


def contract_data(buyer, **overrides):
    data = {
        "title": "一种高效催化剂专利权转让",
        "contract_type": "transfer",
        "subtype": "patent_transfer",
        "buyer_id": buyer.pk,
        "contract_amount": "800000.00",
        "signed_on": "2024-05-20",
        "ip_summary": "ZL202010000000.1",
        "non_technical_items": [],
        "instalments": [],
    }
    data.update(overrides)
    return data
