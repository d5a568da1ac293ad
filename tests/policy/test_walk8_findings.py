"""What a tester found walking the demo (session 8) in 政策兑现 / 择优支持与事项申请: a county-paid
claim from an unstaffed development zone that reached nobody, a bureau offered the apply form, an
invitation listed as 已评审, a 复审 message naming the wrong bureau, a 驳回 form for the person
barred from the step, bare codes as 来源 and in 办理记录, and unlabelled inputs."""

import datetime as dt

import pytest
from django.contrib.messages import get_messages

from tests.factories import OrganisationFactory, member_of, staff_in
from tests.policy.helpers import FILES, pdf_upload, register
from zhouqiao.accounts.models import Duty
from zhouqiao.core.errors import PermissionDenied
from zhouqiao.notifications.models import Notification
from zhouqiao.policy import routing, services, todos
from zhouqiao.policy.models import Application

pytestmark = pytest.mark.django_db


def _messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def _join(user, organ):
    """The staff member belongs to the bureau's own organisation (its name is what pages say)."""
    from django.utils import timezone

    from zhouqiao.accounts.models import Membership

    Membership.objects.create(user=user, organisation=organ, role="member", joined_at=timezone.now())


@pytest.fixture
def zone_enterprise(db):
    # 长春高新技术产业开发区: a county-level zone with no bureau staff on the platform
    org = OrganisationFactory(name="长春开发区测试科技有限公司", kind="enterprise", region_id="220173")
    return org, member_of(org)


@pytest.fixture
def city(db):
    organ = OrganisationFactory(name="长春市科学技术局", kind="government", region_id="220100")
    user = staff_in("220100", Duty.REVIEWER, Duty.FINANCE, username="cc_staff")
    _join(user, organ)
    return user


def test_a_claim_from_an_unstaffed_zone_waits_on_the_city_bureau_and_the_applicant_is_told(
    client, zone_enterprise, city, now
):
    org, user = zone_enterprise
    province = staff_in("220000", Duty.REVIEWER, Duty.FINANCE, username="jl_staff")
    staff_in("220183", Duty.REVIEWER, username="dh_staff")  # another county's bureau: not asked
    client.force_login(user)
    response = client.post(
        "/policy/applications/new/",
        {
            "organisation": org.pk,
            "rule_id": "cc_high_tech_county_reward",
            "event_date": "2024-05-01",
            "event_reference": "GR202422000001",
            "statement": "2024年通过高新技术企业认定",
            "material_0": pdf_upload("高企证书.pdf"),
        },
    )
    application = Application.objects.get(organisation=org)
    assert application.payer_region_id == "220173"  # the zone pays (县区后补助)…
    assert "申请已提交，等待长春市科学技术局评审。" in _messages(response)
    page = client.get(f"/policy/applications/{application.pk}/").content.decode()
    assert "待长春市科学技术局评审" in page

    # …and the city bureau, the nearest one with staff, is told, has it in its to-dos and its queue
    told = Notification.objects.filter(kind="policy.application_to_review").values_list(
        "user__username", flat=True
    )
    assert list(told) == ["cc_staff"]
    assert [t.url for t in todos.applications_to_review(city)] == [f"/policy/applications/{application.pk}/"]
    assert todos.applications_to_review(province) == []
    client.force_login(city)
    queue = client.get("/policy/applications/").content.decode()
    assert "待本部门评审" in queue and "长春开发区测试科技" in queue
    assert (
        f"/policy/applications/{application.pk}/grant/"
        in client.get(f"/policy/applications/{application.pk}/").content.decode()
    )
    with pytest.raises(PermissionDenied):
        services.review_application(actor=province, application_id=application.pk, grant=True, now=now)
    granted = services.review_application(
        actor=city, application_id=application.pk, grant=True, reason="证书属实", now=now
    )
    assert granted.status == "granted"


def test_a_staffed_county_still_reviews_its_own_claims(zone_enterprise, city, now):
    org, user = zone_enterprise
    zone = staff_in("220173", Duty.REVIEWER, username="zone_staff")
    application = services.apply_for_event(
        actor=user,
        organisation_id=org.pk,
        rule_id="cc_high_tech_county_reward",
        event_date=dt.date(2024, 5, 1),
        event_reference="GR202422000002",
        statement="认定",
        attachments=FILES,
        now=now,
    )
    assert list(routing.reviewers(application.payer_region_id)) == [zone]
    assert todos.applications_to_review(city) == []
    assert routing.may_review(zone, application) and not routing.may_review(city, application)


def test_a_bureau_is_offered_no_apply_form_and_the_service_refuses_it(client, city, now):
    from zhouqiao.accounts.models import Organisation

    organ = Organisation.objects.get(name="长春市科学技术局")
    client.force_login(city)
    assert 'id="new-application"' not in client.get("/policy/applications/").content.decode()
    response = client.get("/policy/applications/new/")
    assert response.status_code == 302  # nothing to apply for
    with pytest.raises(PermissionDenied) as info:
        services.apply_for_event(
            actor=city,
            organisation_id=organ.pk,
            rule_id="cc_high_tech_county_reward",
            event_date=dt.date(2024, 5, 1),
            event_reference="X-1",
            statement="测试",
            attachments=FILES,
            now=now,
        )
    assert info.value.code == "bureau_not_applicant"


def test_an_invitation_never_applied_for_is_not_listed_as_reviewed(
    client, seller_user, seller_org, buyer_org, registrar, now
):
    contract = register(seller_user, seller_org, buyer_org, registrar, now, contract_amount="6000000.00")
    invited = contract.applications.get(rule_id="cc_major_conversion_project")
    assert invited.status == "invited"
    client.force_login(registrar)  # the city's finance officer: the city pays 001#16
    page = client.get("/policy/applications/").content.decode()
    assert "<h2>已评审</h2>" not in page and f"/policy/applications/{invited.pk}/" not in page


@pytest.fixture
def city_entitlement(seller_user, seller_org, buyer_org, buyer_user, registrar, now):
    """001#16 for the buyer, confirmed: waits on the city's 初审 (the city has one finance officer)."""
    contract = register(seller_user, seller_org, buyer_org, registrar, now)
    subsidy = contract.entitlements.get(clause="001#16")
    return services.transition_entitlement(
        actor=buyer_user, entitlement_id=subsidy.pk, to_status="confirmed", now=now
    )


def test_the_second_check_message_names_the_bureau_that_holds_it(client, city_entitlement, registrar):
    province_organ = OrganisationFactory(name="吉林省科学技术厅", kind="government", region_id="220000")
    province = staff_in("220000", Duty.FINANCE, username="jl_finance")
    _join(province, province_organ)
    # the city's only finance officer does the 初审: nobody else there may do the 复审, the province does
    client.force_login(registrar)
    response = client.post(f"/policy/entitlements/{city_entitlement.pk}/approve1/", {"next": "/policy/"})
    title = city_entitlement.title
    assert f"已财务初审通过《{title}》，转财务复审（吉林省科学技术厅）。" in _messages(response)
    assert len(todos.entitlements_to_second_approve(province)) == 1
    told = Notification.objects.filter(kind="policy.to_second_approve").values_list(
        "user__username", flat=True
    )
    assert list(told) == ["jl_finance"]


def test_the_city_first_check_waits_on_the_city_not_the_province(city_entitlement, registrar):
    province = staff_in("220000", Duty.FINANCE, username="jl_finance")
    assert len(todos.entitlements_to_approve(registrar)) == 1
    assert todos.entitlements_to_approve(province) == []  # it supervises; the city is staffed


def test_whoever_is_barred_from_the_step_sees_no_reject_form_and_may_not_reject(
    client, seller_user, seller_org, buyer_org, buyer_user, registrar, now
):
    contract = register(seller_user, seller_org, buyer_org, registrar, now)
    application = contract.applications.get(clause="002#5")
    services.submit_application(
        actor=buyer_user, application_id=application.pk, statement="已投产", attachments=FILES, now=now
    )
    granter = staff_in("220000", Duty.REVIEWER, Duty.FINANCE, username="jl_granter")
    first = staff_in("220000", Duty.FINANCE, username="jl_first")
    services.review_application(
        actor=granter,
        application_id=application.pk,
        grant=True,
        amount="40000.00",
        reason="认定为重大科技成果，已在省内成功转化",
        now=now,
    )
    entitlement = Application.objects.get(pk=application.pk).entitlement
    client.force_login(granter)
    page = client.get(f"/policy/entitlements/{entitlement.pk}/").content.decode()
    assert "核定人不能办理财务初审" in page
    assert "驳回理由" not in page and "/reject/" not in page
    assert "相邻两步由不同的人办理" in page  # the rule, stated once
    with pytest.raises(PermissionDenied):
        services.transition_entitlement(
            actor=granter, entitlement_id=entitlement.pk, to_status="rejected", reason="x", now=now
        )
    assert "reject" in services.allowed_actions(first, entitlement)

    services.transition_entitlement(
        actor=first, entitlement_id=entitlement.pk, to_status="first_approved", now=now
    )
    entitlement.refresh_from_db()
    client.force_login(first)
    page = client.get(f"/policy/entitlements/{entitlement.pk}/").content.decode()
    assert "初审人不能办理财务复审" in page and "驳回理由" not in page
    with pytest.raises(PermissionDenied):
        services.transition_entitlement(
            actor=first, entitlement_id=entitlement.pk, to_status="rejected", reason="x", now=now
        )
    # the rule as stated: the 核定人 may do the 复审 (the 初审 stands between), then 拨付
    assert services.allowed_actions(granter, entitlement) == ["approve2", "reject"]


def test_the_payment_record_says_what_its_number_is_and_the_inputs_are_labelled(
    client, city_entitlement, registrar, finance_two, now
):
    services.transition_entitlement(
        actor=registrar, entitlement_id=city_entitlement.pk, to_status="first_approved", now=now
    )
    client.force_login(finance_two)
    page = client.get(f"/policy/entitlements/{city_entitlement.pk}/").content.decode()
    pk = city_entitlement.pk
    assert f'<label for="reject-reason-{pk}">驳回理由</label>' in page and f'id="reject-reason-{pk}"' in page
    services.transition_entitlement(actor=finance_two, entitlement_id=pk, to_status="approved", now=now)
    page = client.get(f"/policy/entitlements/{pk}/").content.decode()
    assert f'<label for="payment-reference-{pk}">拨付凭证号</label>' in page
    assert f'id="payment-reference-{pk}"' in page
    services.transition_entitlement(
        actor=finance_two, entitlement_id=pk, to_status="paid", payment_reference="202622010400006", now=now
    )
    page = client.get(f"/policy/entitlements/{pk}/").content.decode()
    assert "<td>拨付凭证号 202622010400006</td>" in page
    assert f"<td>技术合同登记号 {city_entitlement.contract.registration_number}</td>" in page


def test_an_application_from_a_challenge_shows_the_challenge_by_its_title(client, now):
    from zhouqiao.programs.challenges.models import Acceptance, Challenge

    org = OrganisationFactory(name="长春测试揭榜企业有限公司", kind="enterprise", region_id="220104")
    user = member_of(org)
    application = services.apply_for_event(
        actor=user,
        organisation_id=org.pk,
        rule_id="cc_challenge_accepted",
        event_date=dt.date(2024, 5, 1),
        event_reference="JB202600001-0001",
        statement="验收通过",
        now=now,
        from_platform_record=True,
    )
    challenge = Challenge.objects.create(
        title="数控机床加工精度攻关",
        owner=org,
        region_id="220104",
        summary="s",
        investment="1000000.00",
        reward="500000.00",
        deadline=dt.date(2024, 1, 1),
        completion_date=dt.date(2024, 4, 1),
        created_by=user,
        created_at=now,
    )
    Acceptance.objects.create(
        challenge=challenge,
        number="JB202600001-0001",
        passed=True,
        note="达标",
        accepted_by=user,
        accepted_at=now,
        subsidy_application=application,
    )
    client.force_login(user)
    page = client.get("/policy/applications/").content.decode()
    assert "揭榜挂帅“数控机床加工精度攻关”" in page
