"""Buttons only for what the user may do (the service's own check), the finance desk's filters
and batch approval (each item through the service, audited on its own, failures named)."""

import pytest

from tests.factories import OrganisationFactory, member_of
from tests.policy.helpers import register
from zhouqiao.core.models import AuditEvent
from zhouqiao.policy import services
from zhouqiao.policy.models import Entitlement
from zhouqiao.policy.states import ENTITLEMENT_ACTIONS

pytestmark = pytest.mark.django_db


@pytest.fixture
def subsidy(seller_user, seller_org, buyer_org, registrar, now):
    """001#16 for the buyer: 12万元, waiting for the buyer's confirmation."""
    return register(seller_user, seller_org, buyer_org, registrar, now).entitlements.get(clause="001#16")


def confirm(entitlement, user, now):
    return services.transition_entitlement(
        actor=user, entitlement_id=entitlement.pk, to_status="confirmed", now=now
    )


def buttons(client, user, entitlement):
    client.force_login(user)
    html = client.get(f"/policy/entitlements/{entitlement.pk}/").content.decode()
    return {
        label
        for label in ("确认兑现", "财务初审通过", "财务复审通过", "登记拨付", "驳回")
        if f">{label}</button>" in html
    }


def test_the_enterprise_sees_only_confirm_and_finance_only_approvals(
    client, subsidy, buyer_user, registrar, finance_two, now
):
    assert buttons(client, buyer_user, subsidy) == {"确认兑现"}
    assert "确认兑现" not in buttons(client, registrar, subsidy)
    confirm(subsidy, buyer_user, now)
    assert buttons(client, buyer_user, subsidy) == set()  # no 财务初审通过 on its own subsidy
    assert buttons(client, registrar, subsidy) == {"财务初审通过", "驳回"}
    services.transition_entitlement(
        actor=registrar, entitlement_id=subsidy.pk, to_status="first_approved", now=now
    )
    assert "财务复审通过" not in buttons(client, registrar, subsidy)  # not the first approver again
    assert "财务复审通过" in buttons(client, finance_two, subsidy)


def test_may_matches_what_the_service_allows(subsidy, buyer_user, seller_user, registrar, finance_two, now):
    """For every user and every verb on each state: shown ⇔ the service accepts it."""
    users = [buyer_user, seller_user, registrar, finance_two]
    for step, actor in [("confirmed", buyer_user), ("first_approved", registrar), ("approved", finance_two)]:
        entitlement = Entitlement.objects.get(pk=subsidy.pk)
        for user in users:
            for action, status in ENTITLEMENT_ACTIONS.items():
                allowed = services.may_transition(user, entitlement, status)
                assert (action in services.allowed_actions(user, entitlement)) == allowed
        # the one that was shown to the right person passes
        assert services.may_transition(actor, entitlement, step)
        services.transition_entitlement(actor=actor, entitlement_id=subsidy.pk, to_status=step, now=now)
    # and one that was hidden is refused by the service
    assert not services.may_pay(buyer_user, Entitlement.objects.get(pk=subsidy.pk))
    with pytest.raises(services.PermissionDenied):
        services.transition_entitlement(
            actor=buyer_user, entitlement_id=subsidy.pk, to_status="paid", payment_reference="X", now=now
        )


@pytest.fixture
def confirmed_three(seller_user, seller_org, buyer_user, buyer_org, registrar, now):
    """Three confirmed 001#16 subsidies: two for the buyer (南关区 220104), one for a 德惠 firm."""
    county = OrganisationFactory(name="德惠测试农业有限公司", kind="enterprise", region_id="220183")
    county_user = member_of(county)
    items = []
    for buyer, user, amount in [
        (buyer_org, buyer_user, "800000.00"),
        (buyer_org, buyer_user, "2000000.00"),
        (county, county_user, "900000.00"),
    ]:
        contract = register(seller_user, seller_org, buyer, registrar, now, contract_amount=amount)
        e = contract.entitlements.get(clause="001#16")
        confirm(e, user, now)
        items.append(e)
    return items


def rows(client, query=""):
    html = client.get("/policy/finance/" + query).content.decode()
    return html, html.count('name="ids"')


def test_finance_filters_by_stage_clause_organisation_region_date_and_amount(
    client, confirmed_three, registrar
):
    client.force_login(registrar)
    html, n = rows(client)
    assert n == 3 and "所选事项初审通过" in html
    assert rows(client, "?organisation=德惠")[1] == 1
    assert rows(client, "?region=220183")[1] == 1
    assert rows(client, "?region=220100")[1] == 3
    assert rows(client, "?amount_min=150000")[1] == 1  # 12万, 30万, 13.5万
    assert rows(client, "?amount_max=140000")[1] == 2
    assert rows(client, "?rule=cc_enterprise_conversion_subsidy")[1] == 3
    assert rows(client, "?rule=cc_broker_reward")[1] == 0
    assert rows(client, "?status=first_approved")[1] == 0
    assert rows(client, "?date_from=2024-06-02")[1] == 0
    assert rows(client, "?date_from=2024-06-01&date_to=2024-06-01")[1] == 3


def test_bad_filters_are_refused_in_chinese_without_a_500(client, confirmed_three, registrar):
    client.force_login(registrar)
    response = client.get("/policy/finance/?amount_min=abc&date_from=2024-13-01&region=990000")
    assert response.status_code == 200
    html = response.content.decode()
    assert "输入一个数字" in html and "输入一个有效的日期" in html and "不在可用的选项中" in html
    assert rows(client, "?amount_min=200000&amount_max=100000")[0].count("最高金额不能低于最低金额") == 1


def test_finance_desk_is_for_finance_staff_only(client, buyer_user):
    client.force_login(buyer_user)
    assert client.get("/policy/finance/").status_code == 404


def test_batch_approval_approves_each_on_its_own_and_names_the_failures(
    client, confirmed_three, registrar, finance_two, now
):
    first, second, third = confirmed_three
    # a colleague already approved the second one
    services.transition_entitlement(
        actor=finance_two, entitlement_id=second.pk, to_status="first_approved", now=now
    )
    client.force_login(registrar)
    response = client.post(
        "/policy/finance/batch/", {"stage": "approve1", "ids": [first.pk, second.pk, third.pk]}, follow=True
    )
    html = response.content.decode()
    assert "已财务初审通过2项" in html
    assert f"长春测试企业有限公司（{second.title}）未办理" in html
    assert "不能执行此操作" in html
    statuses = dict(
        Entitlement.objects.filter(pk__in=[first.pk, second.pk, third.pk]).values_list("pk", "status")
    )
    assert set(statuses.values()) == {"first_approved"}
    audited = AuditEvent.objects.filter(action="policy.entitlement_first_approved")
    assert sorted(int(a.target_id) for a in audited) == sorted([first.pk, second.pk, third.pk])
    # second stage: registrar may not approve what he approved first; finance_two may not approve second
    outcome = services.approve_entitlements(
        actor=registrar, entitlement_ids=[first.pk, second.pk], stage="approve2", now=now
    )
    assert [e.pk for e in outcome.done] == [second.pk]
    assert len(outcome.failed) == 1 and "另一名财务人员" in outcome.failed[0][1]


def test_batch_input_is_bounded_and_checked(registrar, now, confirmed_three):
    with pytest.raises(services.ValidationFailed):
        services.approve_entitlements(
            actor=registrar, entitlement_ids=range(1, 200), stage="approve1", now=now
        )
    with pytest.raises(services.ValidationFailed):
        services.approve_entitlements(actor=registrar, entitlement_ids=["x"], stage="approve1", now=now)
    with pytest.raises(services.ValidationFailed):
        services.approve_entitlements(actor=registrar, entitlement_ids=[1], stage="pay", now=now)
    with pytest.raises(services.ValidationFailed):
        services.approve_entitlements(actor=registrar, entitlement_ids=[], stage="approve1", now=now)
    assert not Entitlement.objects.filter(status="first_approved").exists()


def test_a_stranger_s_batch_approves_nothing(client, confirmed_three, buyer_user):
    client.force_login(buyer_user)
    html = client.post(
        "/policy/finance/batch/", {"stage": "approve1", "ids": [e.pk for e in confirmed_three]}, follow=True
    ).content.decode()
    assert "未办理" in html
    assert not Entitlement.objects.filter(status="first_approved").exists()
