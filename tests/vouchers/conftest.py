"""Voucher fixtures: Changchun's pool, a certified enterprise, an approved provider."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from tests.factories import OrganisationFactory, member_of, staff_in
from zhouqiao.accounts.models import Duty
from zhouqiao.vouchers import orders, services
from zhouqiao.vouchers.models import Certification
from zhouqiao.vouchers.states import ServiceCategory


@pytest.fixture
def now():
    return timezone.now()


@pytest.fixture
def cc_staff(reference):
    """Changchun S&T bureau: reviewer and finance."""
    return staff_in("220100", Duty.REVIEWER, Duty.FINANCE, username="cc_voucher_staff")


@pytest.fixture
def pool(cc_staff, now):
    return services.create_pool(
        actor=cc_staff,
        jurisdiction_code="220100",
        year=timezone.localdate(now).year,
        budget="30000000",
        now=now,
    )


def certify(org, kind="high_tech", number=None):
    today = timezone.localdate()
    return Certification.objects.create(
        organisation=org,
        kind=kind,
        number=number or f"GR{org.pk:08d}",
        valid_from=today - timedelta(days=30),
        valid_until=today + timedelta(days=365 * 3),
        recorded_at=timezone.now(),
    )


@pytest.fixture
def certified(enterprise):
    certify(enterprise)
    return enterprise


@pytest.fixture
def provider_org(reference):
    return OrganisationFactory(
        name="长春测试检验检测有限公司",
        kind="service_provider",
        region_id="220106",
        contact_phone="13700000001",
        legal_representative="周检",
    )


@pytest.fixture
def provider_user(provider_org):
    return member_of(provider_org, username="provider_admin")


@pytest.fixture
def testing_service(provider_org, provider_user, cc_staff, now):
    service = orders.register_service(
        actor=provider_user,
        provider_id=provider_org.pk,
        category=ServiceCategory.TESTING,
        name="材料成分检测",
        price="10000",
        now=now,
    )
    return orders.transition_service(actor=cc_staff, service_id=service.pk, to_status="approved", now=now)


@pytest.fixture
def voucher(pool, certified, enterprise_user, cc_staff, now):
    app = services.apply_for_voucher(
        actor=enterprise_user,
        enterprise_id=certified.pk,
        category=ServiceCategory.TESTING,
        amount="20000",
        purpose="新材料检测",
        now=now,
    )
    services.approve_application(actor=cc_staff, application_id=app.pk, now=now)
    return app.voucher


def delivered_order(*, voucher, service, enterprise_user, provider_user, price="10000", now):
    order = orders.place_order(
        actor=enterprise_user,
        enterprise_id=voucher.enterprise_id,
        service_id=service.pk,
        voucher_id=voucher.pk,
        price=price,
        now=now,
    )
    return orders.deliver_order(actor=provider_user, order_id=order.pk, now=now)


YEAR_END = date(2100, 1, 1)
ZERO = Decimal("0")
