"""What a program officer is told and sees between the reviews and 立项: a to-do and one message
when the last review is in, a to-do when the notice period is over, the recusal to-do's waiting
time, the decision column before and after deciding, the budget error in 万元, the R&D condition
citing the issuing level's policy, and objections on the call and application pages."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from tests.factories import UserFactory
from tests.programs.conftest import call_fields, make_expert, reviewed, submitted, to_review
from zhouqiao.core.errors import ValidationFailed
from zhouqiao.notifications.models import Notification
from zhouqiao.programs import assignment, services
from zhouqiao.programs.models import Application, Call, ReviewAssignment
from zhouqiao.programs.todos import calls_to_assign, calls_to_decide, calls_to_establish

pytestmark = pytest.mark.django_db


def _accepted(call, officer, applicant, organisation, n=1):
    apps = [
        submitted(call, applicant, organisation, title=f"域控制器项目{i}", summary=f"功能安全架构{i}" * 20)
        for i in range(n)
    ]
    for a in apps:
        services.formal_check(actor=officer, now=timezone.now(), application_id=a.pk, accept=True)
    to_review(call, officer)
    return apps


def _assigned(call, application, *names):
    now = timezone.now()
    return [
        ReviewAssignment.objects.create(
            call=call, application=application, expert=make_expert(name), assigned_at=now
        )
        for name in names
    ]


def _review(row, now):
    row = ReviewAssignment.objects.select_related("expert__user").get(pk=row.pk)
    return services.submit_review(
        actor=row.expert.user, now=now, assignment_id=row.pk, scores=["8", "8", "8"], comment="方案可行。"
    )


def test_the_last_review_puts_the_decision_in_todo_and_tells_the_officer_once(
    call, officer, applicant, applicant_org
):
    [app] = _accepted(call, officer, applicant, applicant_org)
    first, second = _assigned(call, app, "甲专家", "乙专家")
    _review(first, timezone.now() - dt.timedelta(hours=3))
    assert list(calls_to_decide(officer)) == []  # one review still out
    assert not Notification.objects.filter(kind="programs.reviews_complete").exists()

    last = timezone.now() - dt.timedelta(hours=1)
    _review(second, last)
    [todo] = calls_to_decide(officer)
    assert todo.title == call.title and todo.since == last  # waiting since the last review
    [told] = Notification.objects.filter(user=officer, kind="programs.reviews_complete")
    assert call.title in told.title and "2份评审意见" in told.body
    assert list(calls_to_decide(UserFactory())) == []  # not the applicant's business

    services.approve(actor=officer, now=timezone.now(), call_id=call.pk, amounts={app.pk: Decimal("400000")})
    assert list(calls_to_decide(officer)) == []


def test_the_establishment_waits_in_todo_from_the_end_of_the_notice_once_objections_are_answered(
    client, call, officer, applicant, applicant_org
):
    [app] = _accepted(call, officer, applicant, applicant_org)
    reviewed(call, app)
    services.approve(actor=officer, now=timezone.now(), call_id=call.pk, amounts={app.pk: Decimal("500000")})
    call = services.publish_notice(actor=officer, now=timezone.now(), call_id=call.pk)
    assert list(calls_to_establish(officer)) == []  # the notice period is running
    objector = UserFactory(display_name="王实名")
    objection = services.object_to(
        actor=objector, now=timezone.now(), application_id=app.pk, reason="预算与实际不符，请核实"
    )

    with time_machine.travel(call.notice_ends_at + dt.timedelta(days=1)):
        assert list(calls_to_establish(officer)) == []  # an objection waits for its answer
        services.answer_objection(
            actor=officer,
            now=timezone.now(),
            objection_id=objection.pk,
            answer="经核实预算合理",
            upheld=False,
        )
        [todo] = calls_to_establish(officer)
        assert todo.title == call.title and todo.since == call.notice_ends_at
        client.force_login(officer)
        todo_page = client.get("/todo/").content.decode()
        assert "公示期满，待正式立项" in todo_page and call.title in todo_page
        services.establish(actor=officer, now=timezone.now(), call_id=call.pk)
        assert list(calls_to_establish(officer)) == []


def test_the_recusal_todo_waits_since_the_recusal_not_since_the_deadline(
    call, officer, applicant, applicant_org
):
    [app] = _accepted(call, officer, applicant, applicant_org)
    first, _second = _assigned(call, app, "甲专家", "乙专家")
    recused_at = Call.objects.get(pk=call.pk).closes_at + dt.timedelta(days=3, hours=2)
    expert = ReviewAssignment.objects.select_related("expert__user").get(pk=first.pk).expert
    assignment.recuse(
        actor=expert.user, now=recused_at, assignment_id=first.pk, reason="与申报单位有合作关系"
    )
    [todo] = calls_to_assign(officer)
    assert todo.since == recused_at and "1位评审专家申请回避" in todo.detail


def test_the_decision_column_shows_amounts_in_its_unit_and_a_dash_before_deciding(
    client, call, officer, applicant, applicant_org
):
    [app] = _accepted(call, officer, applicant, applicant_org)
    [row] = _assigned(call, app, "甲专家")
    client.force_login(officer)

    def ranking_table():
        page = client.get(reverse("programs:call_detail", args=[call.pk])).content.decode()
        return page[page.index("评审排名") :].split("</table>")[0]

    table = ranking_table()  # a review is out: no input yet
    assert "拟资助金额（元）" not in table and "拟资助金额" in table
    assert "已受理" not in table and "<td>—</td>" in table
    _review(row, timezone.now())
    assert 'name="amount_' in ranking_table()
    response = client.post(reverse("programs:call_approve", args=[call.pk]), {f"amount_{app.pk}": "50万"})
    assert response.status_code == 302
    assert "50万元" in ranking_table()


def test_the_budget_error_reads_in_wan_yuan(officer, applicant, applicant_org):
    call = services.create_call(
        actor=officer, now=timezone.now(), jurisdiction_id="220100", **call_fields(budget=Decimal("800000"))
    )
    call = services.publish_call(actor=officer, now=timezone.now(), call_id=call.pk)
    apps = _accepted(call, officer, applicant, applicant_org, n=2)
    reviewed(call, *apps)
    with pytest.raises(ValidationFailed) as info:
        services.approve(
            actor=officer,
            now=timezone.now(),
            call_id=call.pk,
            amounts={a.pk: Decimal("500000") for a in apps},
        )
    assert str(info.value.message) == "拟资助金额合计100万元，超过指南资助总额80万元。"


def test_a_refused_decision_keeps_the_typed_amounts(client, officer, applicant, applicant_org):
    call = services.create_call(
        actor=officer, now=timezone.now(), jurisdiction_id="220100", **call_fields(budget=Decimal("800000"))
    )
    call = services.publish_call(actor=officer, now=timezone.now(), call_id=call.pk)
    first, second = _accepted(call, officer, applicant, applicant_org, n=2)
    reviewed(call, first, second)
    client.force_login(officer)
    response = client.post(
        reverse("programs:call_approve", args=[call.pk]),
        {f"amount_{first.pk}": "50万", f"amount_{second.pk}": "500000"},
    )
    page = response.content.decode()
    assert response.status_code == 422
    assert page.count("拟资助金额合计100万元，超过指南资助总额80万元。") == 1
    assert f'name="amount_{first.pk}" value="50万"' in page
    assert f'name="amount_{second.pk}" value="500000"' in page
    assert not Application.objects.exclude(approved_amount=None).exists()


def test_the_rd_condition_cites_the_policy_of_the_issuing_level(reference):
    province = Call(jurisdiction_id="220000", require_rd_reported=True)
    [_, rule] = services.eligibility_rules(province)
    assert "《吉林省关于建立健全技术创新市场导向机制加快科技成果产业化的实施意见》第四条" in rule
    assert "长春市" not in rule
    changchun = Call(jurisdiction_id="220100", require_rd_reported=True)
    [_, rule] = services.eligibility_rules(changchun)
    assert "《长春市进一步加快科技创新发展的若干政策措施》第二十一条" in rule


def test_objections_show_on_the_call_page_and_the_officer_sees_who_objected(
    client, call, officer, applicant, applicant_org
):
    [app] = _accepted(call, officer, applicant, applicant_org)
    reviewed(call, app)
    services.approve(actor=officer, now=timezone.now(), call_id=call.pk, amounts={app.pk: Decimal("500000")})
    services.publish_notice(actor=officer, now=timezone.now() - dt.timedelta(minutes=1), call_id=call.pk)
    objector = UserFactory(display_name="王实名", phone="13900001111")
    client.force_login(objector)
    client.post(reverse("programs:objection_create", args=[app.pk]), {"reason": "预算与实际不符，请核实"})
    page = client.get(reverse("programs:call_detail", args=[call.pk])).content.decode()
    assert "您已提出异议，待主管部门答复" in page

    client.force_login(officer)
    page = client.get(reverse("programs:call_detail", args=[call.pk])).content.decode()
    column = page[page.index("拟立项项目公示") :]
    assert "1条异议" in column and "1条待处理" in column and "提交异议" not in column
    page = client.get(reverse("programs:application_detail", args=[app.pk])).content.decode()
    assert "提出人（实名）：王实名" in page and "13900001111" in page
