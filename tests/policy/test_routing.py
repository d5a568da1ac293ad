"""Who reviews an application: the bureau that pays it, from the clause (engine.payer_region).

001#20 (seed 001, line 43): “县（市）区、开发区以后补助方式给予10万元奖励，市以创新券方式最高给予
3万元认定补贴”: the 10万 goes to the county bureau of a 德惠 enterprise, the 3万 voucher to the city
bureau; the province is told of neither. The claim form lists only clauses the unit may claim."""

import datetime as dt

import pytest

from tests.factories import OrganisationFactory, member_of, staff_in
from tests.policy.helpers import FILES
from zhouqiao.accounts.models import Duty
from zhouqiao.core.errors import PermissionDenied, ValidationFailed
from zhouqiao.notifications.models import Notification
from zhouqiao.policy import engine, services, todos
from zhouqiao.policy.models import Entitlement

pytestmark = pytest.mark.django_db


@pytest.fixture
def dehui(db):
    org = OrganisationFactory(name="德惠测试农产品有限公司", kind="enterprise", region_id="220183")
    return org, member_of(org)


@pytest.fixture
def bureaus(db):
    return {
        "county": staff_in("220183", Duty.REVIEWER, Duty.REGISTRAR, username="dh_staff"),
        "other_county": staff_in("220104", Duty.REVIEWER, username="cy_staff"),
        "city": staff_in("220100", Duty.REVIEWER, Duty.FINANCE, username="cc_staff"),
        "province": staff_in("220000", Duty.REVIEWER, Duty.FINANCE, username="jl_staff"),
    }


def _claim(org, user, rule_id, now):
    return services.apply_for_event(
        actor=user,
        organisation_id=org.pk,
        rule_id=rule_id,
        event_date=dt.date(2024, 5, 1),
        event_reference=f"高企证书-{rule_id}",
        statement="2024年通过高新技术企业认定",
        attachments=FILES,
        now=now,
    )


def _told(application):
    return sorted(
        Notification.objects.filter(
            kind="policy.application_to_review", key__startswith=f"policy.application:{application.pk}:"
        ).values_list("user__username", flat=True)
    )


def test_the_county_paid_reward_goes_to_the_county_bureau_only(dehui, bureaus, now):
    org, user = dehui
    application = _claim(org, user, "cc_high_tech_county_reward", now)
    assert application.payer_region_id == "220183"
    assert _told(application) == ["dh_staff"]  # once, and not the city, the province or another county
    assert [t.url for t in todos.applications_to_review(bureaus["county"])] == [
        f"/policy/applications/{application.pk}/"
    ]
    for other in ("city", "province", "other_county"):
        assert todos.applications_to_review(bureaus[other]) == []
        with pytest.raises(PermissionDenied):
            services.review_application(
                actor=bureaus[other], application_id=application.pk, grant=True, now=now
            )
    granted = services.review_application(
        actor=bureaus["county"], application_id=application.pk, grant=True, reason="证书属实", now=now
    )
    assert granted.status == "granted" and str(granted.granted_amount) == "100000.00"
    assert Entitlement.objects.get(application=granted).payer_region_id == "220183"


def test_the_city_voucher_of_the_same_clause_goes_to_the_city_bureau_only(dehui, bureaus, now):
    org, user = dehui
    application = _claim(org, user, "cc_high_tech_city_voucher", now)
    assert application.payer_region_id == "220100"
    assert _told(application) == ["cc_staff"]
    assert todos.applications_to_review(bureaus["county"]) == []
    assert todos.applications_to_review(bureaus["province"]) == []
    assert len(todos.applications_to_review(bureaus["city"])) == 1


def test_the_county_bureau_sees_and_decides_on_the_application_page(client, dehui, bureaus, now):
    org, user = dehui
    application = _claim(org, user, "cc_high_tech_county_reward", now)
    client.force_login(bureaus["county"])
    assert "德惠测试农产品" in client.get("/policy/applications/").content.decode()
    page = client.get(f"/policy/applications/{application.pk}/").content.decode()
    assert f"/policy/applications/{application.pk}/grant/" in page
    client.force_login(bureaus["province"])  # sees its subtree, but does not pay: no decision to make
    page = client.get(f"/policy/applications/{application.pk}/").content.decode()
    assert f"/policy/applications/{application.pk}/grant/" not in page


def test_a_unit_registered_at_city_level_is_paid_by_the_issuer():
    rule = engine.rule_by_id("cc_high_tech_county_reward")
    assert engine.payer_region(rule, "220183") == "220183"
    assert engine.payer_region(rule, "220100") == "220100"
    assert engine.payer_region(engine.rule_by_id("cc_high_tech_city_voucher"), "220183") == "220100"


def test_the_form_lists_only_clauses_the_unit_may_claim(client, dehui):
    org, user = dehui
    client.force_login(user)
    page = client.get("/policy/applications/new/").content.decode()
    assert 'value="cc_high_tech_county_reward"' in page
    assert 'value="cc_award_winning_conversion"' in page
    for refused in (
        "jlc_national_innovative_enterprise",
        "cc_university_tto_performance",
        "cc_new_rd_institution_excellent",
    ):
        assert f'value="{refused}"' not in page  # Jilin City's; universities'; R&D institutions'
    assert "不编码" not in page and "由申请记录保证" not in page


def test_the_service_names_the_document_and_article_in_words(dehui, now):
    org, user = dehui
    with pytest.raises(ValidationFailed) as info:
        _claim(org, user, "jlc_national_innovative_enterprise", now)
    message = str(info.value.message)
    assert "《" in message and "第十九条" in message and "003#19" not in message
