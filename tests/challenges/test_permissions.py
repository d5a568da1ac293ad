"""Who may do what: the issuer, the jurisdiction's program officer, teams, panel experts."""

import pytest

from tests.challenges.conftest import NOW, challenge_data, proposal_data
from tests.factories import OrganisationFactory, member_of, staff_in
from zhouqiao.accounts.models import Duty
from zhouqiao.core.errors import Conflict, InvalidTransition, PermissionDenied, ValidationFailed
from zhouqiao.programs.challenges import services
from zhouqiao.programs.challenges.states import TRANSITIONS, ChallengeStatus

pytestmark = pytest.mark.django_db


def test_it_rejects_a_challenge_from_someone_outside_the_enterprise(university_user, enterprise, demand):
    with pytest.raises(PermissionDenied):
        services.create_challenge(
            actor=university_user, organisation_id=enterprise.pk, data=challenge_data(demand), now=NOW
        )


def test_it_rejects_a_challenge_from_an_unverified_enterprise(reference):
    org = OrganisationFactory(kind="enterprise", submitted=True)
    user = member_of(org)
    with pytest.raises(PermissionDenied):
        services.create_challenge(actor=user, organisation_id=org.pk, data=challenge_data(None), now=NOW)


def test_it_rejects_publication_by_staff_without_the_duty_or_outside_the_jurisdiction(
    draft, enterprise_user, city_staff
):
    services.submit_challenge(actor=enterprise_user, challenge_id=draft.pk, now=NOW)
    jilin_officer = staff_in("220200", Duty.PROGRAM_OFFICER, username="jl_officer")
    for actor in (city_staff, jilin_officer, enterprise_user):
        with pytest.raises(PermissionDenied):
            services.review_challenge(
                actor=actor, challenge_id=draft.pk, publish=True, reason="发布", now=NOW
            )


def test_a_province_officer_covers_the_city(draft, enterprise_user):
    services.submit_challenge(actor=enterprise_user, challenge_id=draft.pk, now=NOW)
    province = staff_in("220000", Duty.PROGRAM_OFFICER, username="prov_officer")
    assert services.review_challenge(
        actor=province, challenge_id=draft.pk, publish=True, reason="发布", now=NOW
    )


def test_it_rejects_a_proposal_from_the_issuer_or_an_unverified_team(
    published, enterprise, enterprise_user, reference
):
    with pytest.raises(PermissionDenied):
        services.submit_proposal(
            actor=enterprise_user,
            challenge_id=published.pk,
            lead_id=enterprise.pk,
            data=proposal_data(published),
            now=NOW,
        )
    pending = OrganisationFactory(kind="university", submitted=True)
    user = member_of(pending)
    with pytest.raises(PermissionDenied):
        services.submit_proposal(
            actor=user, challenge_id=published.pk, lead_id=pending.pk, data=proposal_data(published), now=NOW
        )


def test_a_team_from_another_province_may_answer_by_default_but_not_a_province_only_challenge(
    enterprise_user, enterprise, demand, officer, team_b, team_b_user
):
    challenge = services.create_challenge(
        actor=enterprise_user,
        organisation_id=enterprise.pk,
        data=challenge_data(demand, eligibility="province"),
        now=NOW,
    )
    services.submit_challenge(actor=enterprise_user, challenge_id=challenge.pk, now=NOW)
    services.review_challenge(actor=officer, challenge_id=challenge.pk, publish=True, reason="发布", now=NOW)
    with pytest.raises(PermissionDenied):  # team_b is in Liaoning
        services.submit_proposal(
            actor=team_b_user,
            challenge_id=challenge.pk,
            lead_id=team_b.pk,
            data=proposal_data(challenge),
            now=NOW,
        )


def test_it_rejects_a_second_proposal_of_the_same_lead(two_proposals, published, team_a, team_a_user):
    with pytest.raises(Conflict):
        services.submit_proposal(
            actor=team_a_user,
            challenge_id=published.pk,
            lead_id=team_a.pk,
            data=proposal_data(published),
            now=NOW,
        )


def test_it_rejects_a_proposal_for_a_challenge_not_open(draft, team_a, team_a_user):
    with pytest.raises(InvalidTransition):
        services.submit_proposal(
            actor=team_a_user, challenge_id=draft.pk, lead_id=team_a.pk, data=proposal_data(draft), now=NOW
        )


def test_it_refuses_an_expert_of_a_proposing_organisation_with_the_reason(
    published, two_proposals, officer, team_a
):
    from tests.challenges.conftest import make_expert

    insider = make_expert("王内部", team_a, username="insider")
    with pytest.raises(ValidationFailed) as info:
        services.assign_expert(actor=officer, challenge_id=published.pk, expert_id=insider.pk, now=NOW)
    assert "须回避" in str(info.value.message) and "测试理工大学" in str(info.value.message)
    assert not published.panel.exists()


def test_it_refuses_an_expert_who_declared_a_partner_organisation(
    published, two_proposals, officer, expert, team_a
):
    from zhouqiao.community.models import ExpertConflict

    ExpertConflict.objects.create(expert=expert, organisation=team_a, reason="曾任职")
    with pytest.raises(ValidationFailed) as info:
        services.assign_expert(actor=officer, challenge_id=published.pk, expert_id=expert.pk, now=NOW)
    assert "回避单位" in str(info.value.message)


def test_it_refuses_an_expert_whose_organisation_worked_with_a_team(
    published, two_proposals, officer, expert, team_b
):
    from zhouqiao.contracts.models import Contract

    Contract.objects.create(
        title="联合开发",
        contract_type="development",
        subtype="commissioned_development",
        seller=team_b,
        buyer=expert.organisation,
        region_id=team_b.region_id,
        contract_amount=100000,
        technology_amount=100000,
        signed_on=NOW.date(),
        status="registered",
        created_by=officer,
        created_at=NOW,
    )
    with pytest.raises(ValidationFailed) as info:
        services.assign_expert(actor=officer, challenge_id=published.pk, expert_id=expert.pk, now=NOW)
    assert "技术合同" in str(info.value.message)


def test_the_officer_sees_suggested_experts_with_their_conflicts(
    published, two_proposals, officer, team_a, expert
):
    from tests.challenges.conftest import make_expert

    insider = make_expert("王内部", team_a, username="insider2")
    found = {e.pk: (why, conflict) for e, _s, why, conflict in services.suggested_experts(published, now=NOW)}
    assert found[expert.pk][1] == "" and found[expert.pk][0]
    assert "须回避" not in found[insider.pk][1] and "申报单位" in found[insider.pk][1]


def test_it_refuses_an_expert_who_declared_a_team_member(published, two_proposals, officer, expert):
    from zhouqiao.community.models import ExpertConflict

    ExpertConflict.objects.create(expert=expert, person_name="王工", reason="师生")
    with pytest.raises(ValidationFailed) as info:
        services.assign_expert(actor=officer, challenge_id=published.pk, expert_id=expert.pk, now=NOW)
    assert "回避人员" in str(info.value.message)


def test_only_panel_experts_score_and_only_the_issuer_selects(
    in_review, two_proposals, expert, team_a_user, officer, enterprise_user
):
    from tests.challenges.conftest import make_expert
    from zhouqiao.accounts.models import Organisation

    a, _b = two_proposals
    outsider = make_expert("赵局外", Organisation.objects.get(name="测试专家单位研究院"), username="outsider")
    for actor in (outsider.user, team_a_user, enterprise_user):
        with pytest.raises(PermissionDenied):
            services.score_proposal(actor=actor, proposal_id=a.pk, score=90, comment="好", now=NOW)
    services.score_proposal(actor=expert.user, proposal_id=a.pk, score=90, comment="好", now=NOW)
    for actor in (officer, team_a_user, expert.user):
        with pytest.raises(PermissionDenied):
            services.select_proposal(actor=actor, proposal_id=a.pk, reason="选", now=NOW)


def test_only_the_team_reports_and_only_the_issuer_decides(
    awarded, two_proposals, enterprise_user, team_a_user, team_b_user
):
    a, _b = two_proposals
    first = a.milestones.first()
    for actor in (team_b_user, enterprise_user):
        with pytest.raises(PermissionDenied):
            services.report_milestone(actor=actor, milestone_id=first.pk, report="交付", now=NOW)
    services.report_milestone(actor=team_a_user, milestone_id=first.pk, report="交付", now=NOW)
    with pytest.raises(PermissionDenied):
        services.decide_milestone(actor=team_a_user, milestone_id=first.pk, accept=True, now=NOW)


def test_every_edge_of_the_table_and_no_other(draft, enterprise_user, officer, stranger):
    """may_move follows TRANSITIONS: for each status, only its listed next statuses are allowed,
    and a stranger may take none."""
    for status in ChallengeStatus.values:
        draft.status = status
        for target in ChallengeStatus.values:
            allowed = target in TRANSITIONS.get(status, {})
            anyone = any(services.may_move(u, draft, target) for u in (enterprise_user, officer))
            if not allowed:
                assert not anyone, (status, target)
            assert not services.may_move(stranger, draft, target)


def test_it_rejects_moves_the_table_does_not_have(published, enterprise_user, officer):
    with pytest.raises(InvalidTransition):
        services.submit_challenge(actor=enterprise_user, challenge_id=published.pk, now=NOW)
    with pytest.raises(InvalidTransition):
        services.review_challenge(
            actor=officer, challenge_id=published.pk, publish=True, reason="再发", now=NOW
        )
