"""Who applies to register a contract (catalog.posting): not a bureau as its own seller, not an
administrator of 三员分立; and the pages say what was done to which contract."""

import pytest
from django.urls import reverse

from tests.contracts.fixtures import PDF, contract_data
from tests.factories import OrganisationFactory, member_of
from zhouqiao.accounts.models import Duty, MemberRole, Membership, StaffAssignment
from zhouqiao.contracts import services
from zhouqiao.contracts.models import Contract
from zhouqiao.core.errors import PermissionDenied

pytestmark = pytest.mark.django_db


def test_a_bureau_does_not_apply_to_register_its_own_contract(client, buyer_org, now):
    bureau = OrganisationFactory(name="德惠市测试科学技术局", kind="government", region_id="220183")
    staff = member_of(bureau)
    StaffAssignment.objects.create(user=staff, jurisdiction_id="220183", duty=Duty.REGISTRAR, granted_at=now)
    with pytest.raises(PermissionDenied) as refused:
        services.create_draft(actor=staff, seller_id=bureau.pk, data=contract_data(buyer_org), now=now)
    assert "登记机关" in str(refused.value.message)
    assert not Contract.objects.exists()
    client.force_login(staff)
    listing = client.get(reverse("contracts:list")).content.decode()
    assert reverse("contracts:new") not in listing  # no 申请合同登记 offered
    page = client.get(reverse("contracts:new"), follow=True).content.decode()
    assert "登记机关" in page and not Contract.objects.exists()


def test_an_administrator_applies_for_no_organisation(seller_org, seller_user, buyer_org, now):
    admin = member_of(seller_org, role=MemberRole.MEMBER)
    StaffAssignment.objects.create(
        user=admin, jurisdiction_id="220000", duty=Duty.AUDIT_ADMIN, granted_at=now
    )
    with pytest.raises(PermissionDenied) as refused:
        services.create_draft(actor=admin, seller_id=seller_org.pk, data=contract_data(buyer_org), now=now)
    assert "三员" in str(refused.value.message)
    draft = services.create_draft(
        actor=seller_user, seller_id=seller_org.pk, data=contract_data(buyer_org), now=now
    )
    with pytest.raises(PermissionDenied):
        services.update_draft(
            actor=admin, contract_id=draft.pk, data=contract_data(buyer_org, title="改"), now=now
        )
    assert Contract.objects.get().title == contract_data(buyer_org)["title"]
    assert Membership.objects.filter(user=admin).exists()  # refused as an administrator, not as a stranger


def test_submission_and_registration_say_what_was_done(
    client, seller_org, seller_user, buyer_org, registrar, now
):
    bureau = OrganisationFactory(name="长春测试科学技术局", kind="government", region_id="220104")
    Membership.objects.create(user=registrar, organisation=bureau, role=MemberRole.MEMBER, joined_at=now)
    draft = services.create_draft(
        actor=seller_user, seller_id=seller_org.pk, data=contract_data(buyer_org), now=now
    )
    services.attach_signed_contract(
        actor=seller_user, contract_id=draft.pk, content=PDF, filename="c.pdf", now=now
    )
    title = draft.title

    client.force_login(seller_user)
    page = client.post(
        reverse("contracts:transition", args=[draft.pk, "submit"]), follow=True
    ).content.decode()
    assert f"已提交《{title}》的登记申请，等待长春测试科学技术局审核。" in page
    assert "已办理" not in page

    client.force_login(registrar)
    page = client.post(
        reverse("contracts:transition", args=[draft.pk, "register"]), follow=True
    ).content.decode()
    number = Contract.objects.get().registration_number
    assert number and f"已准予登记《{title}》，登记号 {number}。" in page
