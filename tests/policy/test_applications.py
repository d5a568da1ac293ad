"""Discretionary and event-triggered applications: the beneficiary's page and claim form, the
finance queue of the issuing jurisdiction, grants up to the ceiling into the same ledger."""

import pytest

from tests.factories import OrganisationFactory, member_of, staff_in
from tests.policy.helpers import pdf_upload
from tests.policy.test_entitlements import register
from zhouqiao.accounts.models import Duty
from zhouqiao.core.models import AuditEvent
from zhouqiao.policy.models import Application, Entitlement, LedgerEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def jilin_enterprise(db):
    return OrganisationFactory(name="吉林市测试化工有限公司", kind="enterprise", region_id="220204")


@pytest.fixture
def jilin_finance(db):
    return staff_in("220200", Duty.FINANCE)


def claim(client, org, rule="jlc_national_innovative_enterprise", **overrides):
    data = {
        "organisation": org.pk,
        "rule_id": rule,
        "event_date": "2025-03-01",
        "event_reference": "国科发〔2025〕12号",
        "statement": "2025年新认定为国家级创新型企业。",
        **overrides,
    }
    return client.post("/policy/applications/new/", data)


def test_an_enterprise_claims_an_event_rule_and_finance_grants_it_into_the_ledger(
    client, jilin_enterprise, jilin_finance, finance_two
):
    client.force_login(member_of(jilin_enterprise))
    response = claim(client, jilin_enterprise)
    application = Application.objects.get(organisation=jilin_enterprise)
    assert response.status_code == 302 and application.status == "submitted"
    assert str(application.ceiling) == "500000.00" and application.payer_region_id == "220200"

    client.force_login(finance_two)  # Changchun finance: not the issuing jurisdiction
    assert client.get(f"/policy/applications/{application.pk}/").status_code == 404
    assert "吉林市测试化工" not in client.get("/policy/applications/").content.decode()

    client.force_login(jilin_finance)
    assert "吉林市测试化工" in client.get("/policy/applications/").content.decode()
    detail = client.get(f"/policy/applications/{application.pk}/").content.decode()
    assert "（申请单位）" not in detail  # the applicant is not also labelled as the applicant
    client.post(f"/policy/applications/{application.pk}/grant/", {"amount": "400000.00"})
    application.refresh_from_db()
    assert application.status == "submitted"  # a fixed award is granted at its amount only
    client.post(f"/policy/applications/{application.pk}/grant/", {"amount": "", "reason": "材料齐全"})
    application.refresh_from_db()
    entitlement = Entitlement.objects.get(application=application)
    assert application.status == "granted" and entitlement.status == "confirmed"
    assert [(e.kind, str(e.amount)) for e in LedgerEntry.objects.filter(entitlement=entitlement)] == [
        ("grant", "500000.00")
    ]
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"policy.application_submitted", "policy.application_granted"} <= actions


def test_it_refuses_an_applicant_outside_the_rule_s_region(client, buyer_org):
    client.force_login(member_of(buyer_org))  # a Changchun enterprise claiming a Jilin City award
    response = claim(client, buyer_org)
    assert response.status_code == 200
    assert "本单位不能申请所选条款" in response.content.decode()
    assert not Application.objects.exists()


def test_a_once_only_award_cannot_be_claimed_twice(client, jilin_enterprise):
    client.force_login(member_of(jilin_enterprise))
    claim(client, jilin_enterprise)
    response = claim(client, jilin_enterprise, event_reference="另一个文号")
    assert "已就该事项提出过申请" in response.content.decode()
    assert Application.objects.count() == 1


def test_it_refuses_a_claim_without_its_facts(client, jilin_enterprise):
    client.force_login(member_of(jilin_enterprise))
    response = claim(client, jilin_enterprise, event_reference="", event_date="2999-01-01")
    assert response.status_code == 200 and not Application.objects.exists()


def test_a_refusal_needs_a_reason_and_a_discretionary_grant_stays_under_the_ceiling(
    client, seller_user, seller_org, buyer_org, buyer_user, registrar, now
):
    contract = register(seller_user, seller_org, buyer_org, registrar, now, contract_amount="6000000.00")
    application = Application.objects.get(contract=contract, rule_id="cc_major_conversion_project")
    client.force_login(buyer_user)
    assert contract.registration_number in client.get("/policy/applications/").content.decode()
    client.post(
        f"/policy/applications/{application.pk}/submit/",
        {"statement": "年产值预计增加两亿元。", "material_0": pdf_upload()},
    )
    application.refresh_from_db()
    assert application.status == "submitted"
    client.post(f"/policy/applications/{application.pk}/grant/", {"amount": "100.00"})  # not finance
    client.force_login(registrar)
    client.post(f"/policy/applications/{application.pk}/refuse/", {"reason": ""})
    client.post(f"/policy/applications/{application.pk}/grant/", {"amount": "1200000.01"})
    application.refresh_from_db()
    assert application.status == "submitted" and not Entitlement.objects.filter(application=application)
    client.post(f"/policy/applications/{application.pk}/grant/", {"amount": "1000000.00"})
    application.refresh_from_db()
    assert application.status == "granted" and str(application.granted_amount) == "1000000.00"


def test_the_api_offers_the_claim_and_the_review(client, jilin_enterprise, jilin_finance):
    client.force_login(member_of(jilin_enterprise))
    response = client.post(
        "/api/v1/policy/applications",
        {
            "organisation_id": jilin_enterprise.pk,
            "rule_id": "jlc_national_progress_award",
            "event_date": "2025-01-10",
            "event_reference": "国家科技进步二等奖 J-2024-2-01",
            "statement": "第一完成单位。",
        },
        content_type="application/json",
    )
    assert response.status_code == 201 and response.json()["ceiling"] == "500000.00"
    pk = response.json()["id"]
    denied = client.post(
        f"/api/v1/policy/applications/{pk}/review", {"decision": "grant"}, content_type="application/json"
    )
    assert denied.status_code == 403
    client.force_login(jilin_finance)
    response = client.post(
        f"/api/v1/policy/applications/{pk}/review",
        {"decision": "refuse", "reason": "非第一完成单位"},
        content_type="application/json",
    )
    assert response.status_code == 200 and response.json()["status"] == "refused"


def test_a_subsidy_that_follows_a_platform_acceptance_cannot_be_claimed_with_the_form(
    client, jilin_enterprise
):
    """003 #16 后补助 follows a funded project's acceptance on the platform: the form does not offer
    it, and a posted claim without the acceptance behind it is refused and writes nothing."""
    client.force_login(member_of(jilin_enterprise))
    form = client.get("/policy/applications/new/").content.decode()
    assert "jlc_national_innovative_enterprise" in form
    assert "jlc_project_post_subsidy" not in form and "cc_challenge_accepted" not in form
    response = claim(client, jilin_enterprise, rule="jlc_project_post_subsidy")
    assert response.status_code == 200
    assert not Application.objects.filter(organisation=jilin_enterprise).exists()
    rules = {r["rule"] for r in client.get("/api/v1/policy/event-rules").json()}
    assert "jlc_national_innovative_enterprise" in rules and "jlc_project_post_subsidy" not in rules


def test_after_midnight_in_beijing_today_is_beijing_s_today(client, jilin_enterprise, time_machine):
    # 00:30 on 8 March in Beijing is still 7 March in UTC: an event of 8 March happened today.
    time_machine.move_to("2026-03-07T16:30:00+00:00", tick=False)
    client.force_login(member_of(jilin_enterprise))
    response = claim(client, jilin_enterprise, event_date="2026-03-08")
    assert response.status_code == 302
    assert Application.objects.get(organisation=jilin_enterprise).event_date.isoformat() == "2026-03-08"
    assert claim(client, jilin_enterprise, event_date="2026-03-09").status_code == 200  # tomorrow
