"""The whole 揭榜挂帅 flow through the services: demand → challenge → published → two proposals →
expert review → selection → contract draft → milestones → acceptance → 001#4 application."""

import datetime as dt
from decimal import Decimal

import pytest

from tests.challenges.conftest import NOW, challenge_data, proposal_data
from zhouqiao.contracts.models import Contract
from zhouqiao.contracts.states import ContractStatus, ContractType
from zhouqiao.core.errors import InvalidTransition, PermissionDenied, ValidationFailed
from zhouqiao.core.models import AuditEvent
from zhouqiao.notifications.models import Notification
from zhouqiao.policy.models import Application
from zhouqiao.programs.challenges import services
from zhouqiao.programs.challenges.models import Challenge
from zhouqiao.programs.challenges.states import ChallengeStatus, MilestoneStatus, ProposalStatus

pytestmark = pytest.mark.django_db


def test_a_draft_keeps_indicators_with_units_and_the_investment(draft):
    assert draft.status == ChallengeStatus.DRAFT
    assert draft.investment == Decimal("2000000.00")
    assert [(i.name, i.unit, i.direction) for i in draft.indicators.all()] == [
        ("结温降低", "℃", "ge"),
        ("热阻", "K/W", "le"),
    ]
    assert AuditEvent.objects.filter(action="challenges.challenge.create", target_id=str(draft.pk)).exists()


def test_publication_notifies_the_officer_then_the_enterprise(draft, enterprise_user, officer):
    services.submit_challenge(actor=enterprise_user, challenge_id=draft.pk, now=NOW)
    assert Notification.objects.filter(user=officer, kind="challenges.to_review").exists()
    services.review_challenge(actor=officer, challenge_id=draft.pk, publish=True, reason="可以发布", now=NOW)
    draft.refresh_from_db()
    assert draft.status == ChallengeStatus.OPEN and draft.published_by == officer
    assert draft.status_reason == "可以发布"
    assert Notification.objects.filter(user=enterprise_user, kind="challenges.decided").exists()


def test_the_officer_returns_with_a_reason_and_the_enterprise_resubmits(draft, enterprise_user, officer):
    services.submit_challenge(actor=enterprise_user, challenge_id=draft.pk, now=NOW)
    with pytest.raises(ValidationFailed):
        services.review_challenge(actor=officer, challenge_id=draft.pk, publish=False, reason=" ", now=NOW)
    services.review_challenge(
        actor=officer, challenge_id=draft.pk, publish=False, reason="指标测量方法不清", now=NOW
    )
    services.update_challenge(
        actor=enterprise_user,
        challenge_id=draft.pk,
        data=challenge_data(draft.demand, title="新名称"),
        now=NOW,
    )
    services.submit_challenge(actor=enterprise_user, challenge_id=draft.pk, now=NOW)
    draft.refresh_from_db()
    assert draft.status == ChallengeStatus.PENDING_REVIEW and draft.title == "新名称"


def test_proposals_are_checked_for_duplicates_and_a_copy_is_flagged_to_staff(
    published, team_a, team_a_user, team_b, team_b_user, officer
):
    first = services.submit_proposal(
        actor=team_a_user,
        challenge_id=published.pk,
        lead_id=team_a.pk,
        data=proposal_data(published),
        now=NOW,
    )
    assert not first.near_duplicate
    copy = services.submit_proposal(
        actor=team_b_user,
        challenge_id=published.pk,
        lead_id=team_b.pk,
        data=proposal_data(published),
        now=NOW,
    )
    assert copy.near_duplicate
    match = copy.duplicate_matches[0]
    assert match["kind"] == "proposal" and team_a.name in match["title"] and match["percent"] >= 80
    note = Notification.objects.get(user=officer, kind="challenges.duplicate")
    assert team_a.name in note.body


def test_joint_proposals_are_collaborations_for_conflicts(two_proposals, team_a, team_b):
    from zhouqiao.community.conflicts import sources

    pairs = set()
    for source in sources():
        pairs |= {tuple(p) for p in source.fn({team_a.pk}, NOW.replace(year=2020))}
    assert (team_b.pk, team_a.pk) in pairs


def test_the_whole_flow_ends_in_a_subsidy_application_for_the_enterprise(
    awarded, two_proposals, enterprise, enterprise_user, team_a, team_a_user, team_b_user, expert
):
    a, b = two_proposals
    a.refresh_from_db()
    b.refresh_from_db()
    assert awarded.status == ChallengeStatus.AWARDED
    assert (a.status, b.status) == (ProposalStatus.SELECTED, ProposalStatus.NOT_SELECTED)
    contract = Contract.objects.get(pk=awarded.contract_id)
    assert (contract.seller, contract.buyer, contract.contract_type, contract.status) == (
        team_a,
        enterprise,
        ContractType.DEVELOPMENT,
        ContractStatus.DRAFT,
    )
    assert contract.contract_amount == Decimal("1500000.00")
    assert Notification.objects.filter(user=team_b_user, kind="challenges.selected").exists()

    first, second = a.milestones.all()
    services.report_milestone(actor=team_a_user, milestone_id=first.pk, report="样件已交付", now=NOW)
    awarded.refresh_from_db()
    assert awarded.status == ChallengeStatus.IN_PROGRESS
    with pytest.raises(ValidationFailed):
        services.decide_milestone(
            actor=enterprise_user, milestone_id=first.pk, accept=False, reason="", now=NOW
        )
    services.decide_milestone(
        actor=enterprise_user, milestone_id=first.pk, accept=False, reason="缺少检测报告", now=NOW
    )
    first.refresh_from_db()
    assert first.status == MilestoneStatus.RETURNED and first.decision_reason == "缺少检测报告"
    services.report_milestone(actor=team_a_user, milestone_id=first.pk, report="补交检测报告", now=NOW)
    services.decide_milestone(actor=enterprise_user, milestone_id=first.pk, accept=True, now=NOW)
    with pytest.raises(InvalidTransition):  # the second milestone is not accepted yet
        services.accept_challenge(
            actor=enterprise_user, challenge_id=awarded.pk, measured={}, note="x", now=NOW
        )
    services.report_milestone(actor=team_a_user, milestone_id=second.pk, report="台架报告", now=NOW)
    services.decide_milestone(actor=enterprise_user, milestone_id=second.pk, accept=True, now=NOW)

    ind = {i.name: i.pk for i in awarded.indicators.all()}
    acceptance = services.accept_challenge(
        actor=enterprise_user,
        challenge_id=awarded.pk,
        measured={ind["结温降低"]: "26.5", ind["热阻"]: "0.11"},
        note="各项指标达标",
        witness_id=expert.pk,
        now=NOW,
    )
    awarded.refresh_from_db()
    assert acceptance.passed and awarded.status == ChallengeStatus.ACCEPTED
    application = Application.objects.get(pk=acceptance.subsidy_application_id)
    assert application.organisation == enterprise
    assert application.clause == "001#4" and application.ceiling == Decimal("1000000.00")
    assert application.event_reference == acceptance.number
    assert "先行投入200万元" in application.statement


def test_a_failed_indicator_keeps_the_challenge_in_progress_without_subsidy(
    awarded, two_proposals, enterprise_user, team_a_user
):
    a, _b = two_proposals
    for m in a.milestones.all():
        services.report_milestone(actor=team_a_user, milestone_id=m.pk, report="交付", now=NOW)
        services.decide_milestone(actor=enterprise_user, milestone_id=m.pk, accept=True, now=NOW)
    ind = {i.name: i.pk for i in awarded.indicators.all()}
    # 热阻 is "≤": 0.13 is within the challenge's 0.15 but above the committed 0.12.
    acceptance = services.accept_challenge(
        actor=enterprise_user,
        challenge_id=awarded.pk,
        measured={ind["结温降低"]: "30", ind["热阻"]: "0.13"},
        note="热阻未达承诺",
        now=NOW,
    )
    awarded.refresh_from_db()
    assert not acceptance.passed and awarded.status == ChallengeStatus.IN_PROGRESS
    assert [m.passed for m in acceptance.measurements.all()] == [True, False]
    assert acceptance.subsidy_application_id is None
    assert not Application.objects.exists()


def test_selection_needs_a_score_and_a_reason(in_review, two_proposals, enterprise_user):
    a, _b = two_proposals
    with pytest.raises(InvalidTransition):
        services.select_proposal(actor=enterprise_user, proposal_id=a.pk, reason="好", now=NOW)


def test_closing_without_proposals_after_the_deadline_ends_unawarded(published, officer):
    after = NOW + dt.timedelta(days=60)  # the deadline is 2026-04-30
    services.close_collection(actor=officer, challenge_id=published.pk, now=after)
    published.refresh_from_db()
    assert published.status == ChallengeStatus.UNAWARDED
    assert published.status_reason == "征集期内无人揭榜。"


def test_ending_collection_before_the_deadline_needs_a_confirmed_reason_the_issuer_is_told(
    published, officer, enterprise_user
):
    for reason, confirm in (("", True), ("发榜单位已自行解决该难题", False)):
        with pytest.raises(ValidationFailed):
            services.close_collection(
                actor=officer, challenge_id=published.pk, reason=reason, confirm=confirm, now=NOW
            )
        published.refresh_from_db()
        assert published.status == ChallengeStatus.OPEN
    services.close_collection(
        actor=officer, challenge_id=published.pk, reason="发榜单位已自行解决该难题", confirm=True, now=NOW
    )
    published.refresh_from_db()
    assert published.status == ChallengeStatus.UNAWARDED
    assert "2026-04-30" in published.status_reason and "发榜单位已自行解决该难题" in published.status_reason
    entry = AuditEvent.objects.get(action="challenges.challenge.closed_early")
    assert "发榜单位已自行解决该难题" in entry.reason
    told = Notification.objects.get(user=enterprise_user, kind="challenges.closed_early")
    assert "截止日期前" in told.title and "发榜单位已自行解决该难题" in told.body


def test_the_enterprise_may_declare_unawarded_with_a_reason(in_review, two_proposals, enterprise_user):
    with pytest.raises(ValidationFailed):
        services.declare_unawarded(actor=enterprise_user, challenge_id=in_review.pk, reason="", now=NOW)
    services.declare_unawarded(
        actor=enterprise_user, challenge_id=in_review.pk, reason="方案均不满足", now=NOW
    )
    assert Challenge.objects.get(pk=in_review.pk).status == ChallengeStatus.UNAWARDED
    assert all(p.status == ProposalStatus.NOT_SELECTED for p in in_review.proposals.all())


def test_a_bureau_posts_a_public_problem_without_a_demand(reference):
    from tests.factories import OrganisationFactory, member_of
    from zhouqiao.accounts.models import Duty, StaffAssignment

    bureau = OrganisationFactory(name="测试市科学技术局", kind="government", region_id="220100")
    user = member_of(bureau, username="bureau_officer")
    StaffAssignment.objects.create(
        user=user, jurisdiction_id="220100", duty=Duty.PROGRAM_OFFICER, granted_at=NOW
    )
    data = challenge_data(None, demand_id=None)
    challenge = services.create_challenge(actor=user, organisation_id=bureau.pk, data=data, now=NOW)
    assert challenge.by_bureau and challenge.demand is None
    services.submit_challenge(actor=user, challenge_id=challenge.pk, now=NOW)
    with pytest.raises(PermissionDenied):  # who proposes does not also publish
        services.review_challenge(actor=user, challenge_id=challenge.pk, publish=True, reason="自审", now=NOW)


def test_proposals_are_a_source_of_the_cross_programme_duplicate_check(two_proposals, published):
    from zhouqiao.programs import duplicates

    a, _b = two_proposals
    found = duplicates.find(published.title, a.text, public=False)
    assert [f["key"] for f in found] == [f"challenges.proposal:{a.pk}"]
    assert found[0]["source"] == "揭榜方案"


def test_a_proposal_copying_a_registered_submission_is_flagged(published, team_a, team_a_user, monkeypatch):
    from zhouqiao.programs import duplicates

    route = proposal_data(published)["technical_route"]
    schedule = proposal_data(published)["schedule"]

    def applications():
        yield duplicates.Submission(
            label="项目申报书",
            title=published.title,
            text=f"{route}\n{schedule}",
            url="/x/",
            key="programs.application:9",
        )

    monkeypatch.setitem(duplicates._SOURCES, "test.applications", applications)
    proposal = services.submit_proposal(
        actor=team_a_user,
        challenge_id=published.pk,
        lead_id=team_a.pk,
        data=proposal_data(published),
        now=NOW,
    )
    assert proposal.near_duplicate
    assert proposal.duplicate_matches[0]["label"] == "项目申报书"


def test_the_experts_review_history_lists_the_panel_and_the_witnessed_acceptance(
    awarded, two_proposals, expert, enterprise_user, team_a_user
):
    from zhouqiao.community.history import history

    a, _b = two_proposals
    for m in a.milestones.all():
        services.report_milestone(actor=team_a_user, milestone_id=m.pk, report="交付", now=NOW)
        services.decide_milestone(actor=enterprise_user, milestone_id=m.pk, accept=True, now=NOW)
    measured = {c.indicator_id: str(c.value) for c in a.committed.all()}
    services.accept_challenge(
        actor=enterprise_user,
        challenge_id=awarded.pk,
        measured=measured,
        note="通过",
        witness_id=expert.pk,
        now=NOW,
    )
    roles = sorted(e.role for e in history(expert))
    assert roles == ["揭榜挂帅方案评审专家", "揭榜挂帅验收见证专家"]


def test_a_second_selection_is_refused(awarded, two_proposals, enterprise_user):
    _a, b = two_proposals
    with pytest.raises(InvalidTransition):
        services.select_proposal(actor=enterprise_user, proposal_id=b.pk, reason="改选", now=NOW)
    assert Contract.objects.count() == 1


def test_a_refused_subsidy_application_is_kept_on_the_acceptance_and_can_be_retried(
    awarded, two_proposals, enterprise_user, team_a_user, monkeypatch
):
    a, _b = two_proposals
    for m in a.milestones.all():
        services.report_milestone(actor=team_a_user, milestone_id=m.pk, report="交付", now=NOW)
        services.decide_milestone(actor=enterprise_user, milestone_id=m.pk, accept=True, now=NOW)
    measured = {c.indicator_id: str(c.value) for c in a.committed.all()}
    monkeypatch.setattr(services, "SUBSIDY_RULE", "no_such_rule")
    acceptance = services.accept_challenge(
        actor=enterprise_user, challenge_id=awarded.pk, measured=measured, note="通过", now=NOW
    )
    awarded.refresh_from_db()
    assert awarded.status == ChallengeStatus.ACCEPTED  # the acceptance stands
    assert acceptance.subsidy_application_id is None and "请选择要申请的政策条款" in acceptance.subsidy_note
    assert services.may_apply_subsidy(enterprise_user, acceptance)
    monkeypatch.undo()
    application = services.apply_subsidy(actor=enterprise_user, acceptance_id=acceptance.pk, now=NOW)
    acceptance.refresh_from_db()
    assert acceptance.subsidy_application == application and acceptance.subsidy_note == ""
    assert not services.may_apply_subsidy(enterprise_user, acceptance)


def test_anyone_may_read_a_published_challenge(client, published):
    from django.urls import reverse

    page = client.get(reverse("challenges:detail", args=[published.pk]))
    assert page.status_code == 200 and "征集中" in page.content.decode()
    assert "审核通过并发布" not in page.content.decode()
