"""The project's life through its services: who may act, what is refused, what is written."""

import datetime as dt
from decimal import Decimal

import pytest

from tests.community.helpers import make_expert
from tests.projects.conftest import NOW
from zhouqiao.community.models import ExpertConflict
from zhouqiao.core.errors import InvalidTransition, PermissionDenied, ValidationFailed
from zhouqiao.core.models import AuditEvent
from zhouqiao.notifications.models import Notification
from zhouqiao.policy.models import Application
from zhouqiao.programs.projects import services
from zhouqiao.programs.projects.models import Disbursement, Milestone, PanelMember, ProgressReport, Project
from zhouqiao.programs.projects.states import MilestoneStatus, ProjectStatus

LATER = NOW + dt.timedelta(days=1)


def _accept(project, officer, member, experts, *, public_from=None):
    services.submit_final_report(
        actor=member, project_id=project.pk, title="碳纤维中试报告", abstract="摘要", body="正文", now=NOW
    )
    services.form_panel(
        actor=officer,
        project_id=project.pk,
        expert_ids=[e.pk for e in experts],
        due_date="2026-12-20",
        now=NOW,
    )
    for e in experts:
        services.record_opinion(
            actor=e.user, project_id=project.pk, opinion="pass", comment="达到指标", now=NOW
        )
    return services.conclude_acceptance(
        actor=officer,
        project_id=project.pk,
        conclusion="passed",
        reason="全部指标完成",
        report_public_from=public_from,
        now=NOW,
    )


# --- milestones -------------------------------------------------------------------------------


def test_it_refuses_a_milestone_after_the_project_end(project, officer):
    with pytest.raises(ValidationFailed) as exc:
        services.add_milestone(
            actor=officer, project_id=project.pk, deliverable="样品", due_date=dt.date(2028, 1, 1), now=NOW
        )
    assert "实施期内" in str(exc.value.message)
    assert exc.value.detail["due_date"]
    assert not Milestone.objects.exists()


def test_the_officer_adds_a_milestone_and_the_undertaker_reports_it(project, officer, member):
    milestone = services.add_milestone(
        actor=officer, project_id=project.pk, deliverable="中试样品", due_date="2026-12-20", now=NOW
    )
    services.report_milestone(actor=member, milestone_id=milestone.pk, body="样品10件已交付", now=NOW)
    milestone.refresh_from_db()
    assert milestone.status == MilestoneStatus.REPORTED
    assert Notification.objects.filter(user=officer, kind="projects.milestone_reported").exists()
    services.decide_milestone(actor=officer, milestone_id=milestone.pk, confirm=True, now=NOW)
    milestone.refresh_from_db()
    assert milestone.status == MilestoneStatus.CONFIRMED
    assert Notification.objects.filter(user=member, kind="projects.milestone_decided").exists()


def test_it_refuses_a_report_before_the_project_starts(project, officer, member):
    Project.objects.filter(pk=project.pk).update(start_date=dt.date(2027, 1, 1))
    milestone = Milestone.objects.create(project=project, deliverable="方案", due_date=dt.date(2027, 3, 1))
    with pytest.raises(ValidationFailed) as exc:
        services.report_milestone(actor=member, milestone_id=milestone.pk, body="已完成", now=NOW)
    assert "开始前不能提交报告" in str(exc.value.message)
    with pytest.raises(ValidationFailed):
        services.submit_report(actor=member, project_id=project.pk, body="进展", now=NOW)
    assert not ProgressReport.objects.exists()
    milestone.refresh_from_db()
    assert milestone.status == MilestoneStatus.PENDING


def test_only_the_undertaker_reports_and_only_the_officer_confirms(
    project, officer, other_officer, member, stranger
):
    milestone = services.add_milestone(
        actor=officer, project_id=project.pk, deliverable="样品", due_date="2026-12-20", now=NOW
    )
    for who in (stranger, officer):
        with pytest.raises(PermissionDenied):
            services.report_milestone(actor=who, milestone_id=milestone.pk, body="x", now=NOW)
    services.report_milestone(actor=member, milestone_id=milestone.pk, body="完成", now=NOW)
    for who in (member, other_officer, stranger):
        with pytest.raises(PermissionDenied):
            services.decide_milestone(actor=who, milestone_id=milestone.pk, confirm=True, now=NOW)
    with pytest.raises(ValidationFailed):
        services.decide_milestone(actor=officer, milestone_id=milestone.pk, confirm=False, note="", now=NOW)
    services.decide_milestone(
        actor=officer, milestone_id=milestone.pk, confirm=False, note="缺少检测报告", now=NOW
    )
    milestone.refresh_from_db()
    assert milestone.status == MilestoneStatus.PENDING and milestone.officer_note == "缺少检测报告"


# --- officer assignment and region scope -------------------------------------------------------


def test_officer_assignment_is_kept_within_the_jurisdiction(project, officer, changchun_officer, member):
    with pytest.raises(PermissionDenied):
        services.assign_officer(
            actor=changchun_officer, project_id=project.pk, officer_id=officer.pk, now=NOW
        )
    with pytest.raises(PermissionDenied):
        services.assign_officer(actor=member, project_id=project.pk, officer_id=officer.pk, now=NOW)
    with pytest.raises(ValidationFailed) as exc:
        services.assign_officer(
            actor=officer, project_id=project.pk, officer_id=changchun_officer.pk, now=NOW
        )
    assert "本辖区" in str(exc.value.message)
    with pytest.raises(ValidationFailed):
        services.assign_officer(
            actor=officer, project_id=project.pk, officer_id=officer.pk, mid_term_due="2030-01-01", now=NOW
        )
    project.refresh_from_db()
    assert project.officer == officer and project.mid_term_due is None


# --- money ------------------------------------------------------------------------------------


def test_disbursements_never_exceed_the_approved_amount(project, officer, finance):
    services.record_disbursement(
        actor=officer, project_id=project.pk, amount="350000", paid_on="2026-02-01", now=NOW
    )
    with pytest.raises(ValidationFailed) as exc:
        services.record_disbursement(
            actor=finance, project_id=project.pk, amount="150000.01", paid_on="2026-12-01", now=NOW
        )
    assert "不能超过立项资助金额50万元" in str(exc.value.message)
    assert "尚可拨付15万元" in str(exc.value.message)
    assert services.disbursed(project) == Decimal("350000.00")
    services.record_disbursement(
        actor=finance, project_id=project.pk, amount="150000", paid_on="2026-12-01", now=NOW
    )
    assert services.disbursed(project) == Decimal("500000.00")
    assert AuditEvent.objects.filter(action="projects.disbursed").count() == 2


@pytest.mark.parametrize("amount", ["0", "-5", "abc", "1.001"])
def test_it_refuses_amounts_that_are_not_money(project, officer, amount):
    with pytest.raises(ValidationFailed):
        services.record_disbursement(
            actor=officer, project_id=project.pk, amount=amount, paid_on="2026-02-01", now=NOW
        )
    assert not Disbursement.objects.exists()


def test_only_the_officer_or_finance_of_the_jurisdiction_disburse(
    project, member, other_officer, stranger, reference
):
    from tests.factories import staff_in
    from zhouqiao.accounts.models import Duty

    cc_finance = staff_in("220100", Duty.FINANCE)
    for who in (member, other_officer, stranger, cc_finance):
        with pytest.raises(PermissionDenied):
            services.record_disbursement(
                actor=who, project_id=project.pk, amount="1000", paid_on="2026-02-01", now=NOW
            )


# --- mid-term check ------------------------------------------------------------------------------


def test_mid_term_rectify_then_terminate_needs_a_reason(project, officer, member):
    with pytest.raises(ValidationFailed):
        services.record_mid_term(
            actor=officer, project_id=project.pk, conclusion="rectify", reason=" ", now=NOW
        )
    with pytest.raises(PermissionDenied):
        services.record_mid_term(
            actor=member, project_id=project.pk, conclusion="passed", reason="好", now=NOW
        )
    services.record_mid_term(
        actor=officer, project_id=project.pk, conclusion="rectify", reason="进度滞后", now=NOW
    )
    project.refresh_from_db()
    assert project.status == ProjectStatus.RECTIFYING
    assert Notification.objects.filter(user=member, kind="projects.mid_term_recorded").exists()
    with pytest.raises(InvalidTransition):
        services.submit_final_report(
            actor=member, project_id=project.pk, title="t", abstract="a", body="b", now=NOW
        )
    with pytest.raises(ValidationFailed, match="复查结论请选择"):  # 整改 again is no re-check
        services.record_mid_term(
            actor=officer, project_id=project.pk, conclusion="rectify", reason="仍滞后", now=LATER
        )
    services.record_mid_term(
        actor=officer, project_id=project.pk, conclusion="terminate", reason="整改后仍无法完成", now=LATER
    )
    project.refresh_from_db()
    assert project.status == ProjectStatus.TERMINATED
    with pytest.raises(InvalidTransition):
        services.record_disbursement(
            actor=officer, project_id=project.pk, amount="1", paid_on="2026-02-01", now=NOW
        )


def test_a_mid_term_conclusion_is_recorded_once_and_a_rectified_project_once_more(project, officer):
    services.record_mid_term(
        actor=officer, project_id=project.pk, conclusion="rectify", reason="进度滞后", now=NOW
    )
    services.record_mid_term(
        actor=officer, project_id=project.pk, conclusion="passed", reason="已整改", now=LATER
    )
    project.refresh_from_db()
    assert project.status == ProjectStatus.IN_PROGRESS and project.mid_term_conclusion == "passed"
    events = AuditEvent.objects.filter(action="projects.mid_term_recorded").count()
    for conclusion in ("passed", "rectify", "terminate"):
        with pytest.raises(InvalidTransition, match="中期检查结论已于2026-12-08记录（通过），不能重复记录"):
            services.record_mid_term(
                actor=officer, project_id=project.pk, conclusion=conclusion, reason="再查一次", now=LATER
            )
    project.refresh_from_db()
    assert project.status == ProjectStatus.IN_PROGRESS and project.mid_term_reason == "已整改"
    assert AuditEvent.objects.filter(action="projects.mid_term_recorded").count() == events


# --- acceptance ------------------------------------------------------------------------------


def test_a_panel_member_from_the_undertaker_or_declaring_it_is_refused(
    project, officer, member, experts, undertaker
):
    services.submit_final_report(
        actor=member, project_id=project.pk, title="t", abstract="a", body="b", now=NOW
    )
    own = make_expert(undertaker, name="赵六", region="220204")
    with pytest.raises(ValidationFailed) as exc:
        services.form_panel(
            actor=officer,
            project_id=project.pk,
            expert_ids=[e.pk for e in experts[:2]] + [own.pk],
            due_date="2026-12-20",
            now=NOW,
        )
    assert "赵六须回避" in str(exc.value.message)
    ExpertConflict.objects.create(expert=experts[0], organisation=undertaker)
    with pytest.raises(ValidationFailed) as exc:
        services.form_panel(
            actor=officer,
            project_id=project.pk,
            expert_ids=[e.pk for e in experts],
            due_date="2026-12-20",
            now=NOW,
        )
    assert "张明须回避" in str(exc.value.message)
    assert not PanelMember.objects.exists()
    assert experts[0] not in services.eligible_experts(project, now=NOW)
    assert own not in services.eligible_experts(project, now=NOW)
    assert experts[1] in services.eligible_experts(project, now=NOW)


def test_a_panel_needs_three_experts_and_a_final_report(project, officer, member, experts):
    with pytest.raises(InvalidTransition):
        services.form_panel(
            actor=officer,
            project_id=project.pk,
            expert_ids=[e.pk for e in experts],
            due_date="2026-12-20",
            now=NOW,
        )
    services.submit_final_report(
        actor=member, project_id=project.pk, title="t", abstract="a", body="b", now=NOW
    )
    with pytest.raises(ValidationFailed):
        services.form_panel(
            actor=officer,
            project_id=project.pk,
            expert_ids=[e.pk for e in experts[:2]],
            due_date="2026-12-20",
            now=NOW,
        )


def test_acceptance_walk_opinions_conclusion_and_embargo(project, officer, member, experts, stranger):
    services.submit_final_report(
        actor=member, project_id=project.pk, title="碳纤维中试报告", abstract="摘要", body="正文", now=NOW
    )
    services.form_panel(
        actor=officer,
        project_id=project.pk,
        expert_ids=[e.pk for e in experts],
        due_date="2026-12-20",
        now=NOW,
    )
    assert Notification.objects.filter(user=experts[0].user, kind="projects.panel_invited").exists()
    with pytest.raises(PermissionDenied):
        services.record_opinion(actor=stranger, project_id=project.pk, opinion="pass", comment="好", now=NOW)
    with pytest.raises(PermissionDenied):
        services.record_opinion(actor=officer, project_id=project.pk, opinion="pass", comment="好", now=NOW)
    services.record_opinion(
        actor=experts[0].user, project_id=project.pk, opinion="pass", comment="好", now=NOW
    )
    with pytest.raises(InvalidTransition):
        services.record_opinion(
            actor=experts[0].user, project_id=project.pk, opinion="fail", comment="改", now=NOW
        )
    with pytest.raises(InvalidTransition):  # two opinions still missing
        services.conclude_acceptance(
            actor=officer, project_id=project.pk, conclusion="passed", reason="好", now=NOW
        )
    for e in experts[1:]:
        services.record_opinion(actor=e.user, project_id=project.pk, opinion="pass", comment="好", now=NOW)
    with pytest.raises(ValidationFailed):
        services.conclude_acceptance(
            actor=officer,
            project_id=project.pk,
            conclusion="passed",
            reason="好",
            report_public_from="2026-01-01",
            now=NOW,
        )
    services.conclude_acceptance(
        actor=officer,
        project_id=project.pk,
        conclusion="passed",
        reason="好",
        report_public_from="2027-06-30",
        now=NOW,
    )
    project.refresh_from_db()
    assert project.status == ProjectStatus.ACCEPTED
    assert not project.report_is_public(dt.date(2027, 6, 29))
    assert project.report_is_public(dt.date(2027, 6, 30))
    assert Notification.objects.filter(user=member, kind="projects.accepted").exists()


# --- 后补助 and the draft achievement ---------------------------------------------------------


def test_acceptance_leads_to_the_003_16_post_subsidy_application(project, officer, member, experts):
    with pytest.raises(InvalidTransition):
        services.apply_post_subsidy(actor=member, project_id=project.pk, now=NOW)
    _accept(project, officer, member, experts)
    project.refresh_from_db()
    assert services.may_apply_post_subsidy(member, project)
    assert not services.may_apply_post_subsidy(officer, project)
    with pytest.raises(PermissionDenied):
        services.apply_post_subsidy(actor=officer, project_id=project.pk, now=NOW)
    application = services.apply_post_subsidy(actor=member, project_id=project.pk, now=NOW)
    assert application.clause == "003#16"
    assert application.ceiling == Decimal("1000000.00")
    assert application.event_reference == project.reference
    assert "通过验收" in application.statement
    assert services.post_subsidy_application(project) == application
    assert not services.may_apply_post_subsidy(member, project)
    with pytest.raises(Exception):  # noqa: B017 - the second claim is refused (conflict)
        services.apply_post_subsidy(actor=member, project_id=project.pk, now=NOW)
    assert Application.objects.count() == 1


def test_no_post_subsidy_where_the_call_does_not_say_so(project, officer, member, experts):
    Project.objects.filter(pk=project.pk).update(post_subsidy=False)
    project.refresh_from_db()
    _accept(project, officer, member, experts)
    with pytest.raises(InvalidTransition):
        services.apply_post_subsidy(actor=member, project_id=project.pk, now=NOW)
    assert not Application.objects.exists()


def test_one_click_turns_the_result_into_a_draft_achievement(project, officer, member, experts, stranger):
    from zhouqiao.catalog.states import RecordStatus

    _accept(project, officer, member, experts)
    with pytest.raises(PermissionDenied):
        services.make_achievement_draft(actor=stranger, project_id=project.pk, now=NOW)
    achievement = services.make_achievement_draft(actor=member, project_id=project.pk, now=NOW)
    assert achievement.status == RecordStatus.DRAFT
    assert achievement.owner_id == project.undertaker_id
    assert achievement.title == "碳纤维中试报告"
    project.refresh_from_db()
    assert project.achievement == achievement
    assert not services.may_make_achievement(member, project)
