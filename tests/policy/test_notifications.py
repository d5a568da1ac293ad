"""Each policy notification kind reaches the person the workflow now waits on, and only them,
once; the to-do sources list exactly what waits on a person."""

import pytest

from tests.factories import member_of, staff_in
from tests.policy.helpers import FILES, register
from zhouqiao.accounts.models import Duty
from zhouqiao.notifications.models import Notification
from zhouqiao.policy import services, todos

pytestmark = pytest.mark.django_db


def told(kind):
    return sorted(Notification.objects.filter(kind=kind).values_list("user__username", flat=True))


@pytest.fixture
def people(seller_user, seller_org, buyer_org, buyer_user, registrar, finance_two, province_finance):
    return {
        "seller": seller_user,
        "buyer": buyer_user,
        "buyer_colleague": member_of(buyer_org, role="member"),
        "registrar": registrar,
        "finance_two": finance_two,
        "province": province_finance,
        "jilin_city": staff_in("220200", Duty.FINANCE),
    }


def test_the_entitlement_notifies_whoever_it_waits_on_once(people, seller_org, buyer_org, now):
    p = people
    contract = register(p["seller"], seller_org, buyer_org, p["registrar"], now)
    subsidy = contract.entitlements.get(clause="001#16")
    to_confirm = Notification.objects.filter(kind="policy.to_confirm", key__contains=f":{subsidy.pk}:")
    # only the administrator may confirm, so only they are asked; the colleague hears of the outcome
    assert [n.user.username for n in to_confirm] == [p["buyer"].username]
    assert "12万元" in to_confirm.first().title

    services.transition_entitlement(
        actor=p["buyer"], entitlement_id=subsidy.pk, to_status="confirmed", now=now
    )
    # the city pays and has finance officers: they are asked, not the province above (it
    # supervises), not Jilin City's, not the buyer
    finance_of_changchun = sorted([p["registrar"].username, p["finance_two"].username])
    assert told("policy.to_approve") == finance_of_changchun

    services.transition_entitlement(
        actor=p["registrar"], entitlement_id=subsidy.pk, to_status="first_approved", now=now
    )
    assert told("policy.to_second_approve") == [p["finance_two"].username]

    services.transition_entitlement(
        actor=p["finance_two"], entitlement_id=subsidy.pk, to_status="approved", now=now
    )
    # the buyer's administrator, not every member (a plain colleague is not its business office)
    assert told("policy.approved") == [p["buyer"].username]
    services.transition_entitlement(
        actor=p["registrar"], entitlement_id=subsidy.pk, to_status="paid", payment_reference="P-1", now=now
    )
    assert told("policy.paid") == [p["buyer"].username]
    # the same event told again changes nothing
    todos.entitlement_changed(subsidy.__class__.objects.get(pk=subsidy.pk), now=now)
    assert len(told("policy.paid")) == 1


def test_a_rejection_tells_the_beneficiary_with_the_reason(people, seller_org, buyer_org, now):
    p = people
    contract = register(p["seller"], seller_org, buyer_org, p["registrar"], now)
    subsidy = contract.entitlements.get(clause="001#16")
    services.transition_entitlement(
        actor=p["registrar"], entitlement_id=subsidy.pk, to_status="rejected", reason="材料不全", now=now
    )
    rejected = Notification.objects.filter(kind="policy.rejected")
    assert [n.user.username for n in rejected] == [p["buyer"].username]
    assert rejected.first().body == "材料不全"


def test_to_dos_list_what_waits_on_each_person(people, seller_org, buyer_org, now):
    p = people
    contract = register(p["seller"], seller_org, buyer_org, p["registrar"], now)
    subsidy = contract.entitlements.get(clause="001#16")
    assert any("12万元" in t.title for t in todos.entitlements_to_confirm(p["buyer"]))
    assert todos.entitlements_to_approve(p["registrar"]) == []
    assert todos.entitlements_to_confirm(p["jilin_city"]) == []
    services.transition_entitlement(
        actor=p["buyer"], entitlement_id=subsidy.pk, to_status="confirmed", now=now
    )
    assert not any(
        "科技成果" in t.title and "12万元" in t.title for t in todos.entitlements_to_confirm(p["buyer"])
    )
    assert len(todos.entitlements_to_approve(p["registrar"])) == 1
    assert todos.entitlements_to_approve(p["jilin_city"]) == []
    assert todos.entitlements_to_approve(p["buyer"]) == []
    services.transition_entitlement(
        actor=p["registrar"], entitlement_id=subsidy.pk, to_status="first_approved", now=now
    )
    assert todos.entitlements_to_second_approve(p["registrar"]) == []  # he approved it first
    [item] = todos.entitlements_to_second_approve(p["finance_two"])
    assert item.url == f"/policy/entitlements/{subsidy.pk}/"


def test_applications_notify_the_organisation_and_the_reviewers(people, seller_org, buyer_org, now):
    p = people
    contract = register(p["seller"], seller_org, buyer_org, p["registrar"], now, contract_amount="6000000.00")
    application = contract.applications.get(rule_id="cc_major_conversion_project")
    # two invitations (001#16's major project and 002#5), each to the buyer's administrator
    assert told("policy.application_invited") == [p["buyer"].username] * 2
    assert f"/policy/applications/{application.pk}/" in [
        t.url for t in todos.applications_to_submit(p["buyer"])
    ]
    services.submit_application(
        actor=p["buyer"], application_id=application.pk, statement="前景好", attachments=FILES, now=now
    )
    # the city pays 001#16: its bureau reviews; the province above it is not asked (it does not pay)
    assert told("policy.application_to_review") == sorted(
        [p["registrar"].username, p["finance_two"].username]
    )
    assert len(todos.applications_to_review(p["finance_two"])) == 1
    assert todos.applications_to_review(p["province"]) == []
    assert todos.applications_to_review(p["jilin_city"]) == []
    services.review_application(
        actor=p["finance_two"], application_id=application.pk, grant=True, amount="900000.00", now=now
    )
    assert told("policy.application_decided") == [p["buyer"].username]
    # the granted application became a confirmed entitlement: finance is told to approve it
    assert Notification.objects.filter(kind="policy.to_approve", user=p["registrar"]).count() == 1
