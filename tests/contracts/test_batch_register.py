"""The registrar registers several queued contracts at once; each is registered and audited on its
own, and one that cannot be registered is named with its reason while the others go through."""

import pytest

from tests.contracts.helpers import submitted
from zhouqiao.contracts.models import Contract
from zhouqiao.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_the_registrar_registers_the_ticked_contracts_and_hears_why_one_was_not(
    client, seller_user, seller_org, buyer_org, registrar, other_registrar, now
):
    first = submitted(seller_user, seller_org, buyer_org, now, title="第一份待登记合同")
    second = submitted(seller_user, seller_org, buyer_org, now, title="第二份待登记合同")
    client.force_login(registrar)
    page = client.get("/contracts/").content.decode()
    assert "登记所选合同" in page and f'value="{first.pk}"' in page

    client.force_login(seller_user)  # the seller sees no such button
    assert "登记所选合同" not in client.get("/contracts/").content.decode()

    client.force_login(registrar)
    Contract.objects.filter(pk=second.pk).update(
        status="draft"
    )  # withdrawn meanwhile: no longer the registrar's
    response = client.post("/contracts/register-selected/", {"ids": [first.pk, second.pk]}, follow=True)
    shown = response.content.decode()
    assert "已登记1份合同" in shown and f"第{second.pk}号事项未登记：合同不存在或您无权查看" in shown
    assert Contract.objects.get(pk=first.pk).status == "registered"
    assert Contract.objects.get(pk=second.pk).status == "draft"
    assert AuditEvent.objects.filter(action="contract.registered", target_id=str(first.pk)).count() == 1


def test_a_registrar_of_another_city_registers_nothing(
    client, seller_user, seller_org, buyer_org, other_registrar, now
):
    contract = submitted(seller_user, seller_org, buyer_org, now)
    client.force_login(other_registrar)
    response = client.post("/contracts/register-selected/", {"ids": [contract.pk]}, follow=True)
    assert "未登记" in response.content.decode()
    assert Contract.objects.get(pk=contract.pk).status == "submitted"


def test_nothing_ticked_is_refused_in_chinese(client, registrar):
    client.force_login(registrar)
    response = client.post("/contracts/register-selected/", {"ids": ["x"]}, follow=True)
    assert "所选事项无效" in response.content.decode()
