"""人员授权 (/office/grants/): grant by picking a person by name, see the duties held in one's
jurisdiction, filter them, withdraw one (security administrators only)."""

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import OrganisationFactory, UserFactory, member_of, staff_in
from zhouqiao.accounts.models import Duty, StaffAssignment

pytestmark = pytest.mark.django_db

URL = "/office/grants/"


@pytest.fixture
def bureau_person(reference):
    bureau = OrganisationFactory(name="长春市科技局", kind="government", region_id="220100")
    return member_of(bureau, username="city_policy_editor", display_name="张三")


def _messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def test_a_grant_by_name_says_who_got_which_duty_where(client, security_admin, bureau_person):
    client.force_login(security_admin)
    response = client.post(
        URL,
        {"person": "张三（city_policy_editor）", "jurisdiction": "220100", "duty": "statistics"},
        follow=True,
    )
    assert _messages(response) == ["已授予 张三（city_policy_editor）长春市 · 统计监测 职责。"]
    page = response.content.decode()
    row = page[page.index('<table class="table" id="grants">') :]
    for text in ("张三", "长春市科技局", "统计监测", "长春市", timezone.localdate().isoformat()):
        assert text in row, text
    assert "statistics" not in row


def test_a_name_typed_without_picking_works_when_only_one_person_has_it(
    client, security_admin, bureau_person
):
    client.force_login(security_admin)
    client.post(URL, {"person": "张三", "jurisdiction": "220183", "duty": "reviewer"})
    assert StaffAssignment.objects.filter(user=bureau_person, jurisdiction_id="220183").exists()
    UserFactory(username="another_zhang", display_name="张三")
    page = client.post(URL, {"person": "张三", "jurisdiction": "220100", "duty": "reviewer"}).content.decode()
    assert "有不止一位人员名为“张三”" in page
    page = client.post(URL, {"person": "李四", "jurisdiction": "220100", "duty": "reviewer"}).content.decode()
    assert "找不到人员“李四”" in page
    assert StaffAssignment.objects.filter(user__display_name="张三").count() == 1


def test_the_picker_suggests_people_by_name_with_their_organisation(client, security_admin, bureau_person):
    client.force_login(security_admin)
    options = client.get(reverse("web:person_suggestions"), {"q": "张"}).content.decode()
    assert '<option value="张三（city_policy_editor）">长春市科技局</option>' in options
    assert (
        "security_admin"
        not in client.get(reverse("web:person_suggestions"), {"q": "security"}).content.decode()
    )
    form = client.get(URL).content.decode()
    assert f'data-suggest-url="{reverse("web:person_suggestions")}"' in form


@pytest.mark.parametrize("url", [URL, reverse("web:person_suggestions") + "?q=张"])
def test_only_security_administrators_open_the_page_and_the_picker(client, province_staff, audit_admin, url):
    for who in (province_staff, audit_admin):
        client.force_login(who)
        assert client.get(url).status_code == 403


def test_the_list_is_filtered_by_person_and_jurisdiction_and_bounded(client, security_admin, bureau_person):
    staff_in("220183", Duty.REVIEWER, username="dehui", display_name="德惠审核员")
    staff_in("220204", Duty.REGISTRAR, username="jilin", display_name="吉林登记员")
    staff_in("210102", Duty.REVIEWER, username="liaoning", display_name="辽宁审核员")  # outside
    client.force_login(security_admin)
    everyone = client.get(URL).content.decode()
    assert "德惠审核员" in everyone and "吉林登记员" in everyone and "辽宁审核员" not in everyone
    by_region = client.get(URL, {"region": "220100"}).content.decode()
    assert "德惠审核员" in by_region and "吉林登记员" not in by_region
    by_person = client.get(URL, {"person": "吉林"}).content.decode()
    assert "吉林登记员" in by_person and "德惠审核员" not in by_person
    for n in range(25):
        staff_in("220104", Duty.REVIEWER, username=f"many{n}")
    page = client.get(URL)
    assert len(page.context["rows"]) == 20 and "第 1 / 2 页" in page.content.decode()


def test_each_row_but_ones_own_can_be_revoked_and_the_message_says_what(
    client, security_admin, bureau_person
):
    assignment = StaffAssignment.objects.create(
        user=bureau_person, jurisdiction_id="220100", duty=Duty.STATISTICS, granted_at=timezone.now()
    )
    own = StaffAssignment.objects.get(user=security_admin)
    client.force_login(security_admin)
    page = client.get(URL).content.decode()
    assert reverse("web:staff_revoke", args=[assignment.pk]) in page
    assert reverse("web:staff_revoke", args=[own.pk]) not in page
    response = client.post(reverse("web:staff_revoke", args=[assignment.pk]), follow=True)
    assert _messages(response) == ["已撤销 张三（city_policy_editor）长春市 · 统计监测 职责。"]
    assert not StaffAssignment.objects.filter(pk=assignment.pk).exists()
    refused = client.post(reverse("web:staff_revoke", args=[own.pk]), follow=True)
    assert StaffAssignment.objects.filter(pk=own.pk).exists() and "三员分立" in " ".join(_messages(refused))


def test_a_non_security_administrator_cannot_revoke(client, province_staff, bureau_person):
    assignment = StaffAssignment.objects.create(
        user=bureau_person, jurisdiction_id="220100", duty=Duty.STATISTICS, granted_at=timezone.now()
    )
    client.force_login(province_staff)
    assert client.post(reverse("web:staff_revoke", args=[assignment.pk])).status_code == 403
    assert StaffAssignment.objects.filter(pk=assignment.pk).exists()


def test_verifying_an_organisation_names_it_in_the_message(client, province_staff):
    org = OrganisationFactory(submitted=True, name="吉林市智造未来科技有限公司", region_id="220104")
    client.force_login(province_staff)
    response = client.post(reverse("web:organisation_transition", args=[org.pk, "verify"]), follow=True)
    assert _messages(response) == ["已通过认证：吉林市智造未来科技有限公司。"]


def test_the_page_offers_no_grant_or_revoke_of_the_three_administrators(
    client, security_admin, audit_admin, bureau_person
):
    system_admin = staff_in("220000", Duty.SYSTEM_ADMIN, username="system_admin")
    business = StaffAssignment.objects.create(
        user=bureau_person, jurisdiction_id="220100", duty=Duty.STATISTICS, granted_at=timezone.now()
    )
    auditor = StaffAssignment.objects.get(user=audit_admin)
    client.force_login(security_admin)
    response = client.get(URL)
    page = response.content.decode()
    assert reverse("web:staff_revoke", args=[business.pk]) in page
    for held in (auditor, StaffAssignment.objects.get(user=system_admin)):
        assert reverse("web:staff_revoke", args=[held.pk]) not in page
    offered = [label for _, label in response.context["grant_form"].fields["duty"].choices]
    assert "审计管理员" not in offered and "系统管理员" not in offered and "安全管理员" not in offered
    assert "统计监测" in offered
    refused = client.post(reverse("web:staff_revoke", args=[auditor.pk]), follow=True)
    assert "三员由系统部署单位在安装系统时任命" in " ".join(_messages(refused))
    assert StaffAssignment.objects.filter(pk=auditor.pk).exists()
    client.post(
        URL, {"person": "张三（city_policy_editor）", "jurisdiction": "220000", "duty": "audit_admin"}
    )
    assert not StaffAssignment.objects.filter(user=bureau_person, duty=Duty.AUDIT_ADMIN).exists()
