"""Confirming an organisation's 政策兑现 claims public money for it: only its administrator may,
as for the other money decisions of an organisation (voucher redemption, income distribution).
A plain member is refused by the service, the page and the API, sees no button, is not asked."""

import pytest

from tests.factories import member_of
from tests.policy.helpers import register
from zhouqiao.accounts.models import MemberRole
from zhouqiao.core.errors import PermissionDenied
from zhouqiao.core.models import AuditEvent
from zhouqiao.notifications.models import Notification
from zhouqiao.policy import services, todos
from zhouqiao.policy.models import Entitlement

pytestmark = pytest.mark.django_db


@pytest.fixture
def clerk(buyer_org):
    return member_of(buyer_org, role=MemberRole.MEMBER, username="buyer_clerk")


@pytest.fixture
def subsidy(seller_user, seller_org, buyer_org, buyer_user, registrar, clerk, now):
    """001#16 for the buyer, waiting for the buyer's confirmation (its administrator and the clerk joined before)."""
    return register(seller_user, seller_org, buyer_org, registrar, now).entitlements.get(clause="001#16")


def test_the_service_refuses_a_plain_member_in_chinese_and_changes_nothing(subsidy, clerk, now):
    audits = AuditEvent.objects.count()
    with pytest.raises(PermissionDenied) as refused:
        services.transition_entitlement(
            actor=clerk, entitlement_id=subsidy.pk, to_status="confirmed", now=now
        )
    assert "管理员" in str(refused.value.message)
    subsidy.refresh_from_db()
    assert subsidy.status == "computed" and subsidy.confirmed_by is None
    assert AuditEvent.objects.count() == audits


def _list_row(client, entitlement) -> str:
    page = client.get("/policy/entitlements/").content.decode()
    return page.split(f'href="/policy/entitlements/{entitlement.pk}/"', 1)[1].split("</tr>", 1)[0]


def test_the_page_shows_the_member_who_acts_and_refuses_the_post(client, subsidy, clerk, buyer_user):
    client.force_login(clerk)
    page = client.get(f"/policy/entitlements/{subsidy.pk}/").content.decode()
    assert "确认兑现</button>" not in page and "待本单位管理员确认" in page
    # The list's 办理 column says who acts too (it was blank for the member).
    assert "待本单位管理员确认" in _list_row(client, subsidy)
    response = client.post(f"/policy/entitlements/{subsidy.pk}/confirm/", follow=True)
    assert "须由本单位管理员确认" in response.content.decode()
    assert Entitlement.objects.get(pk=subsidy.pk).status == "computed"

    client.force_login(buyer_user)  # the administrator: the button, and it works
    page = client.get(f"/policy/entitlements/{subsidy.pk}/").content.decode()
    assert "确认兑现</button>" in page and "待本单位管理员确认" not in page
    row = _list_row(client, subsidy)
    assert "确认兑现</button>" in row and "待本单位管理员确认" not in row
    client.post(f"/policy/entitlements/{subsidy.pk}/confirm/")
    assert Entitlement.objects.get(pk=subsidy.pk).status == "confirmed"


def test_the_api_refuses_a_plain_member(client, subsidy, clerk):
    client.force_login(clerk)
    response = client.post(
        f"/api/v1/policy/entitlements/{subsidy.pk}/transitions",
        {"action": "confirm"},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert "管理员" in response.json()["message"]
    assert Entitlement.objects.get(pk=subsidy.pk).status == "computed"


def test_only_the_administrator_is_asked_to_confirm(subsidy, clerk, buyer_user):
    assert Notification.objects.filter(kind="policy.to_confirm", user=buyer_user).count() == 1
    assert not Notification.objects.filter(kind="policy.to_confirm", user=clerk).exists()
    assert len(todos.entitlements_to_confirm(buyer_user)) == 1
    assert todos.entitlements_to_confirm(clerk) == []
