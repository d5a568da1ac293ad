"""Who may post demands and achievements (catalog.posting): the administrators of 三员分立 and the
S&T bureaus do not; the service refuses them in Chinese and writes nothing, and their pages offer
no button to press."""

import pytest
from django.urls import reverse

from tests.catalog.conftest import NOW, achievement_data, demand_data
from tests.factories import OrganisationFactory, member_of
from zhouqiao.accounts.models import Duty, MemberRole, Membership, StaffAssignment
from zhouqiao.catalog import services
from zhouqiao.catalog.models import Achievement, Demand
from zhouqiao.core.errors import PermissionDenied
from zhouqiao.core.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def province_bureau(reference):
    return OrganisationFactory(name="吉林省测试科学技术厅", kind="government", region_id="220102")


@pytest.fixture
def bureau_admin(province_bureau, audit_admin):
    """The demo's audit_admin: a member of the province bureau holding the audit duty."""
    Membership.objects.create(
        user=audit_admin, organisation=province_bureau, role=MemberRole.MEMBER, joined_at=NOW
    )
    return audit_admin


@pytest.fixture
def county_bureau_staff(reference):
    bureau = OrganisationFactory(name="德惠市测试科学技术局", kind="government", region_id="220183")
    user = member_of(bureau, username="county_bureau_staff")
    for duty in (Duty.REVIEWER, Duty.REGISTRAR):
        StaffAssignment.objects.create(user=user, jurisdiction_id="220183", duty=duty, granted_at=NOW)
    return user, bureau


def _writes():
    return Demand.objects.count(), Achievement.objects.count(), AuditEvent.objects.count()


def test_it_refuses_an_administrator_a_demand_or_an_achievement(bureau_admin, province_bureau):
    before = _writes()
    with pytest.raises(PermissionDenied) as demand:
        services.create_demand(actor=bureau_admin, owner_id=province_bureau.pk, data=demand_data(), now=NOW)
    with pytest.raises(PermissionDenied) as achievement:
        services.create_achievement(
            actor=bureau_admin, owner_id=province_bureau.pk, data=achievement_data(), now=NOW
        )
    assert "三员" in str(demand.value.message) and "技术需求" in str(demand.value.message)
    assert "科技成果" in str(achievement.value.message)
    assert _writes() == before


def test_an_administrator_in_an_enterprise_edits_none_of_its_records(
    enterprise, enterprise_user, audit_admin
):
    """三员 run the platform: membership of an enterprise does not make them its poster."""
    draft = services.create_demand(actor=enterprise_user, owner_id=enterprise.pk, data=demand_data(), now=NOW)
    Membership.objects.create(
        user=audit_admin, organisation=enterprise, role=MemberRole.MEMBER, joined_at=NOW
    )
    with pytest.raises(PermissionDenied):
        services.create_demand(actor=audit_admin, owner_id=enterprise.pk, data=demand_data(), now=NOW)
    with pytest.raises(PermissionDenied):
        services.update_demand(actor=audit_admin, demand_id=draft.pk, data=demand_data(title="改"), now=NOW)
    with pytest.raises(PermissionDenied):
        services.submit(actor=audit_admin, kind="demand", record_id=draft.pk, now=NOW)
    draft.refresh_from_db()
    assert draft.title == demand_data()["title"] and draft.status == "draft"


def test_it_refuses_a_bureau_its_own_demand_or_achievement(county_bureau_staff):
    user, bureau = county_bureau_staff
    before = _writes()
    for create, data in (
        (services.create_demand, demand_data()),
        (services.create_achievement, achievement_data()),
    ):
        with pytest.raises(PermissionDenied) as refused:
            create(actor=user, owner_id=bureau.pk, data=data, now=NOW)
        assert "科技主管部门" in str(refused.value.message)
    assert _writes() == before


def test_a_program_officer_puts_the_patent_pool_on_the_market(county_bureau_staff):
    """The one exception: the bureau's program officers list the pool's patents as achievements."""
    user, bureau = county_bureau_staff
    StaffAssignment.objects.create(
        user=user, jurisdiction_id="220183", duty=Duty.PROGRAM_OFFICER, granted_at=NOW
    )
    achievement = services.create_achievement(
        actor=user, owner_id=bureau.pk, data=achievement_data(), now=NOW
    )
    assert achievement.owner == bureau
    with pytest.raises(PermissionDenied):
        services.create_demand(actor=user, owner_id=bureau.pk, data=demand_data(), now=NOW)


def test_the_workspace_offers_posting_only_to_those_who_may(
    client, enterprise_user, bureau_admin, county_bureau_staff
):
    client.force_login(enterprise_user)
    assert f'href="{reverse("catalog:demand_create")}"' in client.get(reverse("web:home")).content.decode()
    page = client.get(reverse("web:workspace")).content.decode()
    assert reverse("catalog:demand_create") in page and reverse("catalog:achievement_create") in page
    assert reverse("contracts:new") in page  # 申请技术合同登记
    for user in (bureau_admin, county_bureau_staff[0]):
        client.force_login(user)
        page = client.get(reverse("web:workspace")).content.decode()
        # (the workspace lists a reviewer's back-office pages, 发布成果包 among them: not a posting offer)
        assert reverse("catalog:demand_create") not in page, user.username
        assert reverse("catalog:achievement_create") not in page, user.username
        assert ">发布需求<" not in page and ">发布成果<" not in page, user.username
        assert reverse("contracts:new") not in page, user.username
        home = client.get(reverse("web:home")).content.decode()
        assert f'href="{reverse("catalog:demand_create")}"' not in home, user.username
        assert f'href="{reverse("catalog:achievement_create")}"' not in home, user.username


def test_the_lists_offer_posting_and_my_records_only_to_those_who_may(
    client, enterprise_user, county_bureau_staff
):
    lists = {
        "catalog:achievement_list": "catalog:achievement_create",
        "catalog:demand_list": "catalog:demand_create",
    }
    client.force_login(enterprise_user)
    for page_name, create in lists.items():
        page = client.get(reverse(page_name)).content.decode()
        assert f'href="{reverse(create)}"' in page and f'href="{reverse("catalog:mine")}"' in page
    client.force_login(county_bureau_staff[0])
    for page_name, create in lists.items():
        page = client.get(reverse(page_name)).content.decode()
        assert f'href="{reverse(create)}"' not in page, page_name
        assert f'href="{reverse("catalog:mine")}"' not in page, page_name


def test_an_unverified_organisation_is_told_instead_of_offered_a_submission_it_would_be_refused(client):
    startup = OrganisationFactory(name="测试初创科技有限公司", submitted=True)
    user = member_of(startup, username="startup_member")
    draft = services.create_demand(actor=user, owner_id=startup.pk, data=demand_data(), now=NOW)
    client.force_login(user)
    page = client.get(reverse("catalog:demand_detail", args=[draft.pk])).content.decode()
    assert "提交审核</button>" not in page
    assert "认证通过后才能提交审核" in page
    assert reverse("catalog:demand_edit", args=[draft.pk]) in page


def test_the_form_sends_a_bureau_back_with_the_reason(client, county_bureau_staff):
    client.force_login(county_bureau_staff[0])
    response = client.get(reverse("catalog:demand_create"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("web:workspace")
    assert "科技主管部门不在科技大市场发布技术需求或科技成果" in response.content.decode()
    before = _writes()
    client.post(reverse("catalog:demand_create"), {**demand_data(), "owner": county_bureau_staff[1].pk})
    assert _writes() == before


def test_submission_and_publication_say_what_was_done(client, enterprise, enterprise_user, city_staff):
    bureau = OrganisationFactory(name="长春测试科学技术局", kind="government", region_id="220104")
    Membership.objects.create(user=city_staff, organisation=bureau, role=MemberRole.MEMBER, joined_at=NOW)
    draft = services.create_demand(actor=enterprise_user, owner_id=enterprise.pk, data=demand_data(), now=NOW)
    client.force_login(enterprise_user)
    page = client.post(reverse("catalog:demand_transition", args=[draft.pk, "submit"]), follow=True)
    assert f"已提交需求《{draft.title}》，等待长春测试科学技术局审核。" in page.content.decode()
    client.force_login(city_staff)
    page = client.post(reverse("catalog:demand_transition", args=[draft.pk, "publish"]), follow=True)
    assert f"已审核通过并发布需求《{draft.title}》。" in page.content.decode()
    assert "操作成功" not in page.content.decode()
