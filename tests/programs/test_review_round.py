"""A review round that can finish: only experts who can review online are picked or offered; the
decision waits for every review; the assignment figures stay right after a top-up; an assigned
expert can recuse (申请回避) and the officer is told and tops the panel up."""

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.programs.conftest import make_expert, submitted, to_review
from zhouqiao.core.errors import InvalidTransition, PermissionDenied, ValidationFailed
from zhouqiao.core.models import AuditEvent
from zhouqiao.notifications.models import Notification
from zhouqiao.programs import assignment, services
from zhouqiao.programs.models import Application, Recusal, ReviewAssignment
from zhouqiao.programs.states import ApplicationStatus
from zhouqiao.programs.todos import calls_to_assign

pytestmark = pytest.mark.django_db
FIT = "域控制器 功能安全 汽车电子"  # the application's keywords: the best possible fit


def _accepted(call, officer, applicant, applicant_org, n=1):
    apps = [
        submitted(call, applicant, applicant_org, title=f"域控制器项目{i}", summary=f"功能安全架构{i}" * 20)
        for i in range(n)
    ]
    for a in apps:
        services.formal_check(actor=officer, now=timezone.now(), application_id=a.pk, accept=True)
    to_review(call, officer)
    return apps


def _assign(call, officer):
    assignment.start(actor=officer, now=timezone.now(), call_id=call.pk)
    return assignment.run(call_id=call.pk, actor=officer, now=timezone.now())


def _review(row, score="8"):
    row = ReviewAssignment.objects.select_related("expert__user", "call").get(pk=row.pk)
    services.submit_review(
        actor=row.expert.user,
        now=timezone.now(),
        assignment_id=row.pk,
        scores=[score] * len(row.call.rubric),
        comment="技术路线可行。",
    )


def test_only_experts_with_an_account_are_assigned_offered_or_accepted(
    client, call, officer, applicant, applicant_org
):
    [app] = _accepted(call, officer, applicant, applicant_org)
    offline = make_expert("郑无账户", user=False, keywords=FIT)  # fits best, but could never submit
    online = [make_expert(f"在线{i}") for i in range(3)]
    _assign(call, officer)
    assigned = set(ReviewAssignment.objects.filter(application=app).values_list("expert_id", flat=True))
    assert len(assigned) == 2 and assigned <= {e.pk for e in online}
    client.force_login(officer)
    page = client.get(reverse("programs:application_detail", args=[app.pk])).content.decode()
    assert "更换专家" in page and "在线" in page and "郑无账户" not in page
    row = ReviewAssignment.objects.filter(application=app).first()
    response = client.post(
        reverse("programs:assignment_swap", args=[row.pk]), {"expert": offline.pk}, follow=True
    )
    assert "该专家尚未开通平台账户，无法在线评审" in response.content.decode()
    assert ReviewAssignment.objects.get(pk=row.pk).expert_id == row.expert_id


def test_the_decision_waits_for_every_review_and_then_no_swap(
    client, call, officer, applicant, applicant_org
):
    apps = _accepted(call, officer, applicant, applicant_org, n=2)
    [make_expert(f"专家{i}") for i in range(2)]
    _assign(call, officer)
    rows = list(ReviewAssignment.objects.filter(call=call).order_by("pk"))
    assert len(rows) == 4
    _review(rows[0])
    client.force_login(officer)
    page = client.get(reverse("programs:call_detail", args=[call.pk])).content.decode()
    assert "还有3份评审意见未提交（已提交1份，共4份）" in page and "确定拟立项项目</button>" not in page
    response = client.post(
        reverse("programs:call_approve", args=[call.pk]), {f"amount_{apps[0].pk}": "400000"}, follow=True
    )
    assert "还有3份评审意见未提交" in response.content.decode()
    assert set(Application.objects.filter(pk__in=[a.pk for a in apps]).values_list("status", flat=True)) == {
        ApplicationStatus.ACCEPTED
    }  # nothing changed: the unscored one was not silently "not funded"
    assert not Application.objects.exclude(approved_amount=None).exists()
    for row in rows[1:]:
        _review(row)
    page = client.get(reverse("programs:call_detail", args=[call.pk])).content.decode()
    assert "确定拟立项项目</button>" in page and "评审意见未提交" not in page
    services.approve(actor=officer, now=timezone.now(), call_id=call.pk, amounts={apps[0].pk: 400000})
    with pytest.raises(InvalidTransition) as info:
        assignment.swap(
            actor=officer, now=timezone.now(), assignment_id=rows[0].pk, expert_id=rows[2].expert_id
        )
    assert "已确定拟立项项目" in str(info.value.message)
    page = client.get(reverse("programs:application_detail", args=[apps[1].pk])).content.decode()
    assert "更换专家" not in page


def test_an_application_nobody_scored_blocks_the_decision(call, officer, applicant, applicant_org):
    [app] = _accepted(call, officer, applicant, applicant_org)
    with pytest.raises(ValidationFailed) as info:
        services.approve(actor=officer, now=timezone.now(), call_id=call.pk, amounts={app.pk: 400000})
    assert "1份申报书还没有评审得分" in str(info.value.message)
    assert Application.objects.get(pk=app.pk).status == ApplicationStatus.ACCEPTED


def test_the_call_counts_every_assignment_after_a_top_up(client, call, officer, applicant, applicant_org):
    _accepted(call, officer, applicant, applicant_org, n=2)
    [make_expert(f"专家{i}") for i in range(2)]
    _assign(call, officer)
    _assign(call, officer)  # 补充分配 with nothing missing
    client.force_login(officer)
    page = client.get(reverse("programs:call_detail", args=[call.pk])).content.decode()
    assert "共4人次（本次新增0人次）" in page and "共0人次" not in page


def test_an_expert_recuses_and_the_officer_tops_the_panel_up(client, call, officer, applicant, applicant_org):
    [app] = _accepted(call, officer, applicant, applicant_org)
    first, second = make_expert("甲专家", keywords=FIT), make_expert("乙专家", keywords=FIT)
    _assign(call, officer)
    row = ReviewAssignment.objects.get(application=app, expert=first)
    client.force_login(second.user)  # not his assignment
    assert (
        client.post(
            reverse("programs:assignment_recuse", args=[row.pk]), {"reason": "与申报单位有合作"}
        ).status_code
        == 404
    )
    with pytest.raises(PermissionDenied):
        assignment.recuse(
            actor=second.user, now=timezone.now(), assignment_id=row.pk, reason="与申报单位有合作"
        )

    client.force_login(first.user)
    page = client.get(reverse("programs:review", args=[row.pk])).content.decode()
    assert "申请回避</button>" in page
    response = client.post(
        reverse("programs:assignment_recuse", args=[row.pk]), {"reason": "有"}, follow=True
    )
    assert (
        "请写明回避理由" in response.content.decode() and ReviewAssignment.objects.filter(pk=row.pk).exists()
    )
    response = client.post(
        reverse("programs:assignment_recuse", args=[row.pk]),
        {"reason": "本人近两年与申报单位有横向合作"},
        follow=True,
    )
    assert "已申请回避" in response.content.decode()
    assert not ReviewAssignment.objects.filter(pk=row.pk).exists()  # the place is free
    assert not ReviewAssignment.objects.filter(expert=first).exists()  # not in his reviews any more
    assert AuditEvent.objects.filter(action="programs.review.recused").exists()
    told = Notification.objects.get(user=officer, kind="programs.review_recused")
    assert app.title in told.title
    [todo] = calls_to_assign(officer)
    assert "1位评审专家申请回避" in todo.detail
    with pytest.raises(ValidationFailed) as info:
        services.approve(actor=officer, now=timezone.now(), call_id=call.pk, amounts={app.pk: 400000})
    assert "申请回避" in str(info.value.message)

    make_expert("丙专家")
    _assign(call, officer)  # 补充分配
    experts = set(ReviewAssignment.objects.filter(application=app).values_list("expert__name", flat=True))
    assert experts == {"乙专家", "丙专家"}  # the recused expert is never picked again
    assert Recusal.objects.get(expert=first).replaced_at is not None
    assert list(calls_to_assign(officer)) == []
    client.force_login(officer)
    page = client.get(reverse("programs:application_detail", args=[app.pk])).content.decode()
    assert "本人近两年与申报单位有横向合作" in page and "已补充分配专家" in page
