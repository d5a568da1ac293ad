"""Voucher pages speak to a clerk: amounts with their unit, no internal references, and only the
buttons the person may press."""

import re

import pytest
from django.urls import reverse

from tests.factories import member_of
from tests.vouchers.conftest import delivered_order
from zhouqiao.accounts.models import MemberRole
from zhouqiao.vouchers import orders

pytestmark = pytest.mark.django_db

RAW_AMOUNT = re.compile(r">\s*[\d,]+\.\d\d\s*<")  # "20,000.00" alone in a cell, without its unit


def text_of(response) -> str:
    return response.content.decode()


def test_the_voucher_page_names_its_application_and_shows_amounts_with_their_unit(
    client, voucher, enterprise_user
):
    client.force_login(enterprise_user)
    page = text_of(client.get(reverse("vouchers:voucher", args=[voucher.pk])))
    assert "application:" not in page
    assert reverse("vouchers:application", args=[voucher.application_id]) in page
    assert "2万元" in page
    assert not RAW_AMOUNT.search(page)
    for name in ("vouchers:index", "vouchers:apply"):
        body = text_of(client.get(reverse(name)))
        assert "001#" not in body and not RAW_AMOUNT.search(body)
    assert "第二十三条" in text_of(client.get(reverse("vouchers:apply")))


def test_a_member_who_is_not_the_administrator_is_not_offered_the_confirmation(
    client, voucher, testing_service, enterprise_user, provider_user, now
):
    order = delivered_order(
        voucher=voucher,
        service=testing_service,
        enterprise_user=enterprise_user,
        provider_user=provider_user,
        now=now,
    )
    orders.claim_redemption(actor=provider_user, order_id=order.pk, now=now)
    clerk = member_of(voucher.enterprise, role=MemberRole.MEMBER, username="ent_clerk")
    url = reverse("vouchers:order", args=[order.pk])
    client.force_login(clerk)
    assert "确认服务与兑付金额" not in text_of(client.get(url))
    client.force_login(enterprise_user)
    page = text_of(client.get(url))
    assert "确认服务与兑付金额" in page and not RAW_AMOUNT.search(page)


def test_only_enterprises_are_offered_to_apply_and_to_order(
    client, pool, testing_service, enterprise_user, provider_user
):
    client.force_login(provider_user)
    assert reverse("vouchers:apply") not in text_of(client.get(reverse("vouchers:index")))
    assert reverse("vouchers:order_new", args=[testing_service.pk]) not in text_of(
        client.get(reverse("vouchers:providers"))
    )
    client.force_login(enterprise_user)
    assert reverse("vouchers:apply") in text_of(client.get(reverse("vouchers:index")))
    assert reverse("vouchers:order_new", args=[testing_service.pk]) in text_of(
        client.get(reverse("vouchers:providers"))
    )


def test_without_a_usable_voucher_the_order_page_says_so_instead_of_an_empty_form(
    client, pool, certified, testing_service, enterprise_user
):
    client.force_login(enterprise_user)
    page = text_of(client.get(reverse("vouchers:order_new", args=[testing_service.pk])))
    assert "没有可用于“检验检测”类服务的有效创新券" in page
    assert "提交订单" not in page


def test_the_office_shows_each_duty_its_own_work(client, pool, reference):
    from tests.factories import staff_in
    from zhouqiao.accounts.models import Duty

    reviewer = staff_in("220100", Duty.REVIEWER, username="cc_reviewer_only")
    client.force_login(reviewer)
    page = text_of(client.get(reverse("vouchers:office")))
    assert "待审核申请" in page and "创建资金池" not in page and "待结算订单" not in page
    finance = staff_in("220100", Duty.FINANCE, username="cc_finance_only")
    client.force_login(finance)
    page = text_of(client.get(reverse("vouchers:office")))
    assert "创建资金池" in page and "待审核申请" not in page
    assert '<option value="220100">长春市</option>' in page  # the region is picked, not typed
