"""Each voucher notification reaches the person the work now waits on, only them, and once."""

from collections import Counter
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from tests.factories import OrganisationFactory, member_of, staff_in
from tests.vouchers.conftest import delivered_order
from zhouqiao.accounts.models import Duty, MemberRole
from zhouqiao.notifications.models import Notification
from zhouqiao.notifications.selectors import todos_for
from zhouqiao.vouchers import orders, selectors, services, todos
from zhouqiao.vouchers.models import Voucher
from zhouqiao.vouchers.states import ServiceCategory

pytestmark = pytest.mark.django_db


def told(kind: str) -> Counter:
    """How many notifications of ``kind`` each user got, by username."""
    return Counter(Notification.objects.filter(kind=kind).values_list("user__username", flat=True))


@pytest.fixture
def bystanders(reference, certified, provider_org):
    """People who must hear nothing: the province bureau (which could also act), another city's
    bureau, a plain member of the enterprise and of the provider."""
    return {
        "province": staff_in("220000", Duty.REVIEWER, Duty.FINANCE, username="prov_staff"),
        "jilin": staff_in("220200", Duty.REVIEWER, Duty.FINANCE, username="jl_staff"),
        "ent_clerk": member_of(certified, role=MemberRole.MEMBER, username="ent_clerk"),
        "prov_clerk": member_of(provider_org, role=MemberRole.MEMBER, username="prov_clerk"),
    }


def apply(enterprise, user, now, amount="20000"):
    return services.apply_for_voucher(
        actor=user,
        enterprise_id=enterprise.pk,
        category=ServiceCategory.TESTING,
        amount=amount,
        purpose="新材料检测",
        now=now,
    )


def test_a_submitted_application_tells_the_pools_reviewers_once(
    pool, certified, enterprise_user, cc_staff, bystanders, now
):
    app = apply(certified, enterprise_user, now)
    todos.application_changed(app, now=now)  # the same event again
    assert told(todos.APPLICATION_SUBMITTED) == {"cc_voucher_staff": 1}
    titles = [t.title for g in todos_for(cc_staff, now=now) for t in [r.todo for r in g.items]]
    assert any("2万元" in t for t in titles)
    assert not any("创新券" in g.label for g in todos_for(bystanders["province"], now=now))


def test_approval_and_return_tell_the_applicant_only(
    pool, certified, enterprise_user, cc_staff, bystanders, now
):
    approved = apply(certified, enterprise_user, now)
    services.approve_application(actor=cc_staff, application_id=approved.pk, now=now)
    assert told(todos.APPLICATION_APPROVED) == {"ent_admin": 1}
    returned = apply(certified, enterprise_user, now, amount="10000")
    services.return_application(actor=cc_staff, application_id=returned.pk, reason="请补充检测方案", now=now)
    assert told(todos.APPLICATION_RETURNED) == {"ent_admin": 1}
    assert Notification.objects.get(kind=todos.APPLICATION_RETURNED).body == "请补充检测方案"


def test_holders_administrators_are_told_once_thirty_days_before_expiry(
    voucher, enterprise_user, bystanders, now, settings
):
    Voucher.objects.filter(pk=voucher.pk).update(expires_on=timezone.localdate(now) + timedelta(days=20))
    call_command("vouchers", "remind")
    call_command("vouchers", "remind")  # daily runs tell nobody twice
    assert told(todos.EXPIRING) == {"ent_admin": 1}
    Notification.objects.all().delete()
    Voucher.objects.filter(pk=voucher.pk).update(expires_on=timezone.localdate(now) + timedelta(days=40))
    assert todos.remind_expiring(days=todos.expiry_notice_days(), now=now) == 0
    settings.VOUCHER_EXPIRY_NOTICE_DAYS = 45
    call_command("vouchers", "remind")
    assert told(todos.EXPIRING) == {"ent_admin": 1}


def test_a_submitted_service_tells_the_nearest_bureau(
    provider_org, provider_user, cc_staff, bystanders, reference, now
):
    orders.register_service(
        actor=provider_user,
        provider_id=provider_org.pk,
        category=ServiceCategory.TESTING,
        name="疲劳试验",
        price="5000",
        now=now,
    )
    assert told(todos.SERVICE_SUBMITTED) == {"cc_voucher_staff": 1}
    # a provider in 德惠市, which has its own reviewer: the county bureau, not the city's
    county = staff_in("220183", Duty.REVIEWER, username="dh_staff")
    dehui = OrganisationFactory(name="德惠检测有限公司", kind="service_provider", region_id="220183")
    dehui_admin = member_of(dehui, username="dh_provider")
    service = orders.register_service(
        actor=dehui_admin,
        provider_id=dehui.pk,
        category=ServiceCategory.TESTING,
        name="农产品检测",
        price="3000",
        now=now,
    )
    assert told(todos.SERVICE_SUBMITTED) == {"cc_voucher_staff": 1, "dh_staff": 1}
    assert [t.todo.url for g in todos_for(county, now=now) for t in g.items] == ["/vouchers/office/"]
    assert not any("农产品检测" in r.todo.title for g in todos_for(cc_staff, now=now) for r in g.items), (
        service
    )


def test_a_decided_service_tells_the_providers_administrators(
    provider_org, provider_user, cc_staff, bystanders, now
):
    service = orders.register_service(
        actor=provider_user,
        provider_id=provider_org.pk,
        category=ServiceCategory.TESTING,
        name="疲劳试验",
        price="5000",
        now=now,
    )
    orders.transition_service(
        actor=cc_staff, service_id=service.pk, to_status="returned", reason="缺标准", now=now
    )
    assert told(todos.SERVICE_RETURNED) == {"provider_admin": 1}
    labels = [g.label for g in todos_for(provider_user, now=now)]
    assert "被退回待修改的创新券服务" in labels
    assert not todos_for(bystanders["prov_clerk"], now=now)
    orders.revise_service(
        actor=provider_user,
        service_id=service.pk,
        category="testing",
        name="疲劳试验",
        price="5000",
        now=now + timedelta(hours=1),
    )
    orders.transition_service(actor=cc_staff, service_id=service.pk, to_status="approved", now=now)
    assert told(todos.SERVICE_APPROVED) == {"provider_admin": 1}
    assert told(todos.SERVICE_SUBMITTED) == {"cc_voucher_staff": 2}  # submitted, then resubmitted


def test_the_order_pipeline_tells_each_side_in_turn(
    voucher, testing_service, enterprise_user, provider_user, cc_staff, bystanders, now
):
    order = delivered_order(
        voucher=voucher,
        service=testing_service,
        enterprise_user=enterprise_user,
        provider_user=provider_user,
        now=now,
    )
    assert told(todos.ORDER_PLACED) == {"provider_admin": 1}
    orders.claim_redemption(actor=bystanders["prov_clerk"], order_id=order.pk, now=now)
    assert told(todos.CLAIMED) == {"ent_admin": 1}
    assert "待确认的创新券兑付" in [g.label for g in todos_for(enterprise_user, now=now)]
    assert not todos_for(bystanders["ent_clerk"], now=now)
    orders.confirm_redemption(actor=enterprise_user, order_id=order.pk, now=now)
    assert told(todos.CONFIRMED) == {"prov_clerk": 1}  # the person who claimed
    assert told(todos.TO_SETTLE) == {"cc_voucher_staff": 1}
    assert "待结算的创新券兑付" in [g.label for g in todos_for(cc_staff, now=now)]
    assert not any("结算" in g.label for g in todos_for(bystanders["province"], now=now))
    orders.settle_redemption(actor=cc_staff, order_id=order.pk, now=now)
    assert told(todos.SETTLED) == {"prov_clerk": 1}
    assert not any("结算" in g.label for g in todos_for(cc_staff, now=now))
    todos.order_changed(order, now=now)  # the same event again
    assert Notification.objects.filter(kind=todos.SETTLED).count() == 1


def test_the_voucher_balance_sums_valid_vouchers_only(voucher, certified, cc_staff, now):
    assert selectors.voucher_balance(certified) == voucher.remaining == 20000
    Voucher.objects.filter(pk=voucher.pk).update(expires_on=timezone.localdate(now) - timedelta(days=1))
    assert selectors.voucher_balance(certified) == 0
    assert str(selectors.voucher_balance(certified)) == "0.00"
