"""What a tester walking the demo found in vouchers (seventh session): every step of an order stays
in the to-do list of whoever it waits on; steps about the voucher's payment show the voucher's
amount, not the order's price; each message names the action, the record and the next step; an
enterprise that may not apply is told why before any form; the order page links back."""

import pytest
from django.urls import reverse

from tests.factories import OrganisationFactory, member_of, staff_in
from tests.vouchers.conftest import certify
from zhouqiao.accounts.models import Duty
from zhouqiao.core.errors import ValidationFailed
from zhouqiao.notifications.models import Notification
from zhouqiao.notifications.selectors import todos_for
from zhouqiao.vouchers import orders, services, todos

pytestmark = pytest.mark.django_db


def titles(user, now) -> list[str]:
    return [r.todo.title for g in todos_for(user, now=now) for r in g.items]


def said(response) -> list[str]:
    """The messages shown on the page the action leads to (posted with follow=True)."""
    return [str(m) for m in response.context["messages"]]


@pytest.fixture
def order(voucher, testing_service, enterprise_user, now):
    """A 30000 order paid at most half (15000) by the voucher of 20000."""
    return orders.place_order(
        actor=enterprise_user,
        enterprise_id=voucher.enterprise_id,
        service_id=testing_service.pk,
        voucher_id=voucher.pk,
        price="30000",
        now=now,
    )


def test_each_step_of_an_order_is_in_the_to_do_list_of_whom_it_waits_on_until_done(
    client, order, provider_user, enterprise_user, cc_staff, now
):
    client.force_login(provider_user)
    response = client.post(reverse("vouchers:order_action", args=[order.pk, "deliver"]), follow=True)
    # 3: the message names the action, the record and the next step
    assert said(response) == ["已确认交付《材料成分检测》，请申请创新券兑付。"]
    # 1: delivered, the provider's next step (the claim) stays in its list
    assert titles(provider_user, now) == [
        "申请创新券兑付：长春测试汽车零部件有限公司 · 材料成分检测（订单3万元）"
    ]
    assert not titles(enterprise_user, now)

    response = client.post(
        reverse("vouchers:order_action", args=[order.pk, "claim"]),
        {"idempotency_key": "claim-1"},
        follow=True,
    )
    assert said(response) == [
        "已提交创新券兑付申请：《材料成分检测》，创新券支付1.5万元，请等待长春测试汽车零部件有限公司确认。"
    ]
    assert not titles(provider_user, now)
    # 2: the enterprise's step is about the voucher's payment: its amount, the order's beside it
    assert titles(enterprise_user, now) == [
        "确认创新券兑付：长春测试汽车零部件有限公司 · 材料成分检测，创新券支付1.5万元（订单3万元）"
    ]

    client.force_login(enterprise_user)
    response = client.post(reverse("vouchers:order_action", args=[order.pk, "confirm"]), follow=True)
    assert said(response) == [
        "已确认《材料成分检测》的服务与兑付金额（创新券支付1.5万元），请等待科技局结算拨付。"
    ]
    assert not titles(enterprise_user, now)
    assert titles(cc_staff, now) == [
        "结算拨付：长春测试汽车零部件有限公司 · 材料成分检测，创新券支付1.5万元（订单3万元）"
    ]

    orders.settle_redemption(actor=cc_staff, order_id=order.pk, settlement_ref="BF-1", now=now)
    assert not titles(cc_staff, now)
    settled = Notification.objects.get(kind=todos.SETTLED, user=provider_user)
    assert (
        settled.title
        == "创新券兑付已结算拨付：长春测试汽车零部件有限公司 · 材料成分检测，创新券支付1.5万元（订单3万元）"
    )


def test_a_returned_application_waits_on_the_enterprise_in_its_to_do_list(
    client, pool, certified, enterprise_user, cc_staff, now
):
    app = services.apply_for_voucher(
        actor=enterprise_user,
        enterprise_id=certified.pk,
        category="testing",
        amount="20000",
        purpose="检测",
        now=now,
    )
    client.force_login(cc_staff)
    response = client.post(
        reverse("vouchers:application_action", args=[app.pk, "return"]),
        {"reason": "请补充检测方案"},
        follow=True,
    )
    assert said(response) == ["已退回长春测试汽车零部件有限公司的创新券申请（2万元），企业修改后可重新提交。"]
    assert titles(enterprise_user, now) == ["重新提交创新券申请：长春测试汽车零部件有限公司，2万元"]
    services.transition_application(
        actor=enterprise_user, application_id=app.pk, to_status="submitted", now=now
    )
    assert not titles(enterprise_user, now)


def test_the_service_review_message_names_the_service_and_what_follows(
    client, provider_org, provider_user, cc_staff, now
):
    service = orders.register_service(
        actor=provider_user,
        provider_id=provider_org.pk,
        category="testing",
        name="疲劳试验",
        price="9000",
        now=now,
    )
    client.force_login(cc_staff)
    response = client.post(reverse("vouchers:service_action", args=[service.pk, "approve"]), follow=True)
    assert said(response) == ["已批准“疲劳试验”（长春测试检验检测有限公司）进入服务机构名录。"]


def test_an_unverified_enterprise_is_told_why_before_any_form(client, pool, reference):
    startup = OrganisationFactory(name="长春待认证科技有限公司", region_id="220104", submitted=True)
    certify(startup)
    client.force_login(member_of(startup, username="startup_admin"))
    page = client.get(reverse("vouchers:apply")).content.decode()
    assert "尚未通过机构认证：请先完成机构认证" in page
    assert reverse("web:my_organisations") in page
    assert "提交申请" not in page and 'name="amount"' not in page


def test_an_enterprise_without_a_pool_in_its_region_is_told_so_and_not_shown_another_citys(
    client, pool, reference, now
):
    staff_in("220200", Duty.REVIEWER, username="jl_reviewer")
    jilin = OrganisationFactory(name="吉林测试化纤有限公司", region_id="220203")
    user = member_of(jilin, username="jl_admin")
    client.force_login(user)
    for name in ("vouchers:apply", "vouchers:index"):
        page = client.get(reverse(name)).content.decode()
        assert "您所在地区（吉林市）暂无开放的科技创新券额度。" in page
        # the missing certification is said too, and no form is offered
        assert "高新技术企业或科技型中小企业认定" in page
    assert 'name="amount"' not in client.get(reverse("vouchers:apply")).content.decode()
    # the service refuses with both reasons
    certify(jilin)
    with pytest.raises(ValidationFailed) as refused:
        services.apply_for_voucher(
            actor=user, enterprise_id=jilin.pk, category="testing", amount="1000", purpose="检测", now=now
        )
    assert "您所在地区（吉林市）暂无开放的科技创新券额度" in str(refused.value.message)


def test_a_changchun_enterprise_sees_its_citys_scheme_and_the_form(client, pool, certified, enterprise_user):
    client.force_login(enterprise_user)
    page = client.get(reverse("vouchers:apply")).content.decode()
    assert pool.name in page and "第二十三条" in page
    assert 'name="amount"' in page and "暂不能申请" not in page


def test_the_order_page_links_back_to_the_order_list(client, order, enterprise_user, provider_user):
    for user in (enterprise_user, provider_user):
        client.force_login(user)
        page = client.get(reverse("vouchers:order", args=[order.pk])).content.decode()
        assert f'href="{reverse("vouchers:index")}#orders"' in page
        assert "返回服务订单列表" in page
    assert 'id="orders"' in client.get(reverse("vouchers:index")).content.decode()
