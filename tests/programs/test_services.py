"""Services of project calls: the flow from call to 立项, and bad input refused in Chinese with
nothing written."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from tests.factories import OrganisationFactory, UserFactory
from tests.programs.conftest import (
    RUBRIC,
    application_input,
    call_fields,
    make_expert,
    reviewed,
    submitted,
    to_review,
)
from zhouqiao.core.errors import DomainError, PermissionDenied, ValidationFailed
from zhouqiao.notifications.models import Notification
from zhouqiao.programs import assignment, services
from zhouqiao.programs.models import Application, Call, ReviewAssignment
from zhouqiao.programs.states import Aggregation, ApplicationStatus, CallStatus

pytestmark = pytest.mark.django_db


def chinese(exc) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in str(exc.message))


# -- bad input -------------------------------------------------------------------------------------
def test_it_refuses_a_rubric_whose_weights_do_not_sum_to_100(officer):
    bad = [dict(c) for c in RUBRIC]
    bad[0]["weight"] = 30
    with pytest.raises(ValidationFailed) as exc:
        services.create_call(
            actor=officer, now=timezone.now(), jurisdiction_id="220100", **call_fields(rubric=bad)
        )
    assert "合计须为100" in str(exc.value.message) and "90" in str(exc.value.message)
    assert not Call.objects.exists()


def test_it_refuses_a_call_from_staff_outside_the_jurisdiction(reference):
    from tests.factories import staff_in
    from zhouqiao.accounts.models import Duty

    other = staff_in("220200", Duty.PROGRAM_OFFICER)
    with pytest.raises(PermissionDenied):
        services.create_call(actor=other, now=timezone.now(), jurisdiction_id="220100", **call_fields())
    assert not Call.objects.exists()


def test_it_refuses_budget_lines_that_do_not_add_up(call, applicant, applicant_org):
    data = application_input(budget_lines=[("设备费", Decimal("200000")), ("材料费", Decimal("299999.99"))])
    with pytest.raises(ValidationFailed) as exc:
        services.save_application(
            actor=applicant, now=timezone.now(), call_id=call.pk, lead_id=applicant_org.pk, data=data
        )
    assert "预算明细合计499,999.99元" in str(exc.value.message) and chinese(exc.value)
    assert exc.value.detail == {"budget_lines": [str(exc.value.message)]}
    assert not Application.objects.exists()


def test_it_refuses_a_milestone_after_the_project_end(call, applicant, applicant_org):
    data = application_input(milestones=[("整车验证", dt.date(2028, 7, 1))])
    with pytest.raises(ValidationFailed) as exc:
        services.save_application(
            actor=applicant, now=timezone.now(), call_id=call.pk, lead_id=applicant_org.pk, data=data
        )
    assert "不在项目执行期内" in str(exc.value.message)
    assert not Application.objects.exists()


def test_it_refuses_a_project_period_outside_the_calls(call, applicant, applicant_org):
    data = application_input(project_end=dt.date(2029, 6, 30), milestones=[("验证", dt.date(2029, 6, 30))])
    with pytest.raises(ValidationFailed):
        services.save_application(
            actor=applicant, now=timezone.now(), call_id=call.pk, lead_id=applicant_org.pk, data=data
        )
    assert not Application.objects.exists()


def test_it_refuses_an_unverified_partner(call, applicant, applicant_org):
    pending = OrganisationFactory(submitted=True)
    data = application_input(partners=[(pending.pk, "测试")])
    with pytest.raises(ValidationFailed) as exc:
        services.save_application(
            actor=applicant, now=timezone.now(), call_id=call.pk, lead_id=applicant_org.pk, data=data
        )
    assert "完成认证" in str(exc.value.message)


def test_eligibility_rules_are_data(officer, applicant, applicant_org):
    now = timezone.now()
    call = services.create_call(
        actor=officer, now=now, jurisdiction_id="220100",
        **call_fields(organisation_kinds=["university"], require_rd_reported=True),
    )  # fmt: skip
    services.publish_call(actor=officer, now=now, call_id=call.pk)
    problems = services.eligibility_problems(call, applicant_org, None)
    assert any("高等院校" in p for p in problems) and any("研发投入" in p for p in problems)
    local_university = OrganisationFactory(kind="university", region_id="220102")
    assert services.eligibility_problems(call, local_university, None) == []  # 001 #21 binds enterprises
    assert not any("研发投入" in p for p in services.eligibility_problems(call, applicant_org, Decimal("1")))
    elsewhere = OrganisationFactory(kind="university", region_id="220204")
    assert any("地区" in p for p in services.eligibility_problems(call, elsewhere, Decimal("1")))
    with pytest.raises(ValidationFailed) as exc:
        services.save_application(
            actor=applicant, now=now, call_id=call.pk, lead_id=applicant_org.pk, data=application_input()
        )
    assert exc.value.code == "ineligible"


def test_it_refuses_a_score_outside_the_rubric(call, officer, applicant, applicant_org):
    application = submitted(call, applicant, applicant_org)
    services.formal_check(actor=officer, now=timezone.now(), application_id=application.pk, accept=True)
    to_review(call, officer)
    expert = make_expert("评审甲", user=True)
    a = ReviewAssignment.objects.create(
        call=call, application=application, expert=expert, assigned_at=timezone.now()
    )
    for scores in (["11", "5", "5"], ["-1", "5", "5"], ["abc", "5", "5"], ["5", "5"], ["5.55", "5", "5"]):
        with pytest.raises(ValidationFailed) as exc:
            services.submit_review(
                actor=expert.user, now=timezone.now(), assignment_id=a.pk, scores=scores, comment="好"
            )
        assert chinese(exc.value)
    a.refresh_from_db()
    assert a.total is None and a.scores == []
    other = UserFactory()
    with pytest.raises(PermissionDenied):
        services.submit_review(
            actor=other, now=timezone.now(), assignment_id=a.pk, scores=["5", "5", "5"], comment="好"
        )


# -- aggregation -----------------------------------------------------------------------------------
def test_review_total_is_weighted_out_of_100():
    assert services.review_total(RUBRIC, [Decimal("10"), Decimal("5"), Decimal("7.5")]) == Decimal("76.25")


def test_aggregate_drops_highest_and_lowest_from_five_reviews():
    totals = [Decimal(x) for x in ("90", "80", "70", "60", "10")]
    assert services.aggregate(totals, Aggregation.TRIMMED) == Decimal("70.00")
    assert services.aggregate(totals, Aggregation.MEAN) == Decimal("62.00")
    assert services.aggregate(totals[:4], Aggregation.TRIMMED) == Decimal("75.00")  # four: plain mean
    assert services.aggregate([Decimal("1"), Decimal("2"), Decimal("2")], Aggregation.MEAN) == Decimal("1.67")


# -- the flow --------------------------------------------------------------------------------------
def test_formal_check_returns_with_reasons_and_the_applicant_resubmits(
    call, officer, applicant, applicant_org
):
    application = submitted(call, applicant, applicant_org)
    assert Notification.objects.filter(user=officer, kind="programs.application_submitted").exists()
    with pytest.raises(ValidationFailed):
        services.formal_check(actor=officer, now=timezone.now(), application_id=application.pk, accept=False)
    services.formal_check(
        actor=officer,
        now=timezone.now(),
        application_id=application.pk,
        accept=False,
        reason="缺少单位承诺书",
    )
    application.refresh_from_db()
    assert application.status == ApplicationStatus.RETURNED and application.status_reason == "缺少单位承诺书"
    assert Notification.objects.filter(user=applicant, kind="programs.application_checked").exists()
    from zhouqiao.programs.todos import applications_to_check, applications_to_correct

    assert [t.title for t in applications_to_correct(applicant)] == [application.title]
    services.submit_application(actor=applicant, now=timezone.now(), application_id=application.pk)
    assert [t.title for t in applications_to_check(officer)] == [application.title]
    services.formal_check(actor=officer, now=timezone.now(), application_id=application.pk, accept=True)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.ACCEPTED


def test_a_near_duplicate_application_is_flagged_with_the_matching_record(call, applicant, applicant_org):
    first = submitted(call, applicant, applicant_org)
    other_org = OrganisationFactory(region_id="220104")
    from tests.factories import member_of

    copier = member_of(other_org)
    second = submitted(call, copier, other_org, title="车规级域控制器功能安全关键技术研究（二）")
    assert first.duplicate_flags == []
    assert [f["key"] for f in second.duplicate_flags] == [f"programs.application:{first.pk}"]
    assert second.duplicate_flags[0]["title"] == first.title and second.duplicate_flags[0]["percent"] >= 80
    distinct = submitted(
        call,
        copier,
        other_org,
        title="玉米秸秆纤维素转化",
        summary="秸秆预处理与酶解糖化工艺。",
        plan="建设中试线。",
    )
    assert distinct.duplicate_flags == []


def test_approval_within_budget_notice_objection_and_establishment(
    call, officer, applicant, applicant_org, monkeypatch
):
    apps = [
        submitted(call, applicant, applicant_org, title=f"项目{i}", summary=f"内容{i}" * 30) for i in range(3)
    ]
    for a in apps:
        services.formal_check(actor=officer, now=timezone.now(), application_id=a.pk, accept=True)
    to_review(call, officer)
    reviewed(call, *apps)
    with pytest.raises(ValidationFailed) as exc:  # 3 × 500,000 within 3,000,000 but one over its request
        services.approve(
            actor=officer, now=timezone.now(), call_id=call.pk, amounts={apps[0].pk: Decimal("600000")}
        )
    assert "超过其申请金额" in str(exc.value.message)
    Call.objects.filter(pk=call.pk).update(budget=Decimal("900000"))
    with pytest.raises(ValidationFailed) as exc:
        services.approve(
            actor=officer, now=timezone.now(), call_id=call.pk,
            amounts={apps[0].pk: Decimal("500000"), apps[1].pk: Decimal("400000.01")},
        )  # fmt: skip
    assert "超过指南资助总额" in str(exc.value.message)
    assert not Application.objects.filter(status=ApplicationStatus.APPROVED).exists()
    services.approve(
        actor=officer, now=timezone.now(), call_id=call.pk,
        amounts={apps[0].pk: Decimal("500000"), apps[1].pk: Decimal("400000"), apps[2].pk: None},
    )  # fmt: skip
    assert Application.objects.get(pk=apps[2].pk).status == ApplicationStatus.NOT_FUNDED
    now = timezone.now()
    services.publish_notice(actor=officer, now=now, call_id=call.pk)
    objector = UserFactory()
    objection = services.object_to(
        actor=objector, now=now, application_id=apps[1].pk, reason="申报单位存在失信记录"
    )
    later = now + dt.timedelta(days=6)
    with pytest.raises(DomainError) as exc:
        services.establish(actor=officer, now=now + dt.timedelta(days=1), call_id=call.pk)
    assert "公示期尚未结束" in str(exc.value.message)
    with pytest.raises(DomainError) as exc:
        services.establish(actor=officer, now=later, call_id=call.pk)
    assert "未处理的异议" in str(exc.value.message)
    with pytest.raises(DomainError):
        services.object_to(actor=objector, now=later, application_id=apps[0].pk, reason="公示期后的异议")
    services.answer_objection(
        actor=officer, now=later, objection_id=objection.pk, answer="经核实异议成立", upheld=True
    )
    assert Application.objects.get(pk=apps[1].pk).status == ApplicationStatus.NOT_FUNDED
    created = []
    from zhouqiao.programs.projects import services as project_services

    monkeypatch.setattr(
        project_services, "create_from_application", lambda *, application, actor, now: created.append(application.pk) or application,
        raising=False,
    )  # fmt: skip
    services.establish(actor=officer, now=later, call_id=call.pk)
    assert created == [apps[0].pk]
    assert Call.objects.get(pk=call.pk).status == CallStatus.CLOSED
    assert Application.objects.get(pk=apps[0].pk).status == ApplicationStatus.ESTABLISHED


def test_assignment_run_writes_conflict_free_pairs_within_caps(call, officer, applicant, applicant_org):
    partner = OrganisationFactory(kind="university", region_id="220102")
    apps = [
        submitted(
            call,
            applicant,
            applicant_org,
            title=f"汽车电子项目{i}",
            summary=f"域控制器{i}" * 20,
            partners=[(partner.pk, "合作")],
        )
        for i in range(3)
    ]
    for a in apps:
        services.formal_check(actor=officer, now=timezone.now(), application_id=a.pk, accept=True)
    to_review(call, officer)
    own = make_expert("同单位", applicant_org)  # rule 1: the applicant's own organisation
    at_partner = make_expert("合作单位专家", partner)  # rule 1: a co-applicant's organisation
    fine = [make_expert(f"专家{i}") for i in range(4)]
    assignment.start(actor=officer, now=timezone.now(), call_id=call.pk)
    result = assignment.run(call_id=call.pk, actor=officer, now=timezone.now())
    rows = list(ReviewAssignment.objects.filter(call=call))
    assert result["assigned"] == len(rows) == 6  # 3 × 2 with 4 experts × cap 2 = 8 places
    assert {r.expert_id for r in rows} <= {e.pk for e in fine}
    assert own.pk not in {r.expert_id for r in rows} and at_partner.pk not in {r.expert_id for r in rows}
    loads = {}
    for r in rows:
        loads[r.expert_id] = loads.get(r.expert_id, 0) + 1
    assert max(loads.values()) <= call.load_cap
    call.refresh_from_db()
    assert call.assignment_run == "done" and call.assignment_percent == 100
    # Swap: a conflicted expert is refused with the reason; a full one is refused; a free one is taken.
    target = rows[0]
    with pytest.raises(ValidationFailed) as exc:
        assignment.swap(actor=officer, now=timezone.now(), assignment_id=target.pk, expert_id=own.pk)
    assert exc.value.code == "conflict_of_interest" and "申报单位" in str(exc.value.message)
    full = next(e for e, n in loads.items() if n >= call.load_cap and e != target.expert_id)
    if not ReviewAssignment.objects.filter(application=target.application, expert_id=full).exists():
        with pytest.raises(ValidationFailed) as exc:
            assignment.swap(actor=officer, now=timezone.now(), assignment_id=target.pk, expert_id=full)
        assert exc.value.code == "load_cap"
    newcomer = make_expert("新专家")
    assignment.swap(actor=officer, now=timezone.now(), assignment_id=target.pk, expert_id=newcomer.pk)
    assert ReviewAssignment.objects.get(pk=target.pk).expert_id == newcomer.pk
    assert "关键词" in assignment.why(ReviewAssignment.objects.get(pk=target.pk)) or assignment.why(
        ReviewAssignment.objects.get(pk=target.pk)
    )
