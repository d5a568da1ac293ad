"""The assignment solver (pure) and the conflict rules as the assignment applies them, one by one:
each case is refused by the run and by a swap."""

import datetime as dt

import numpy as np
import pytest
from django.utils import timezone

from tests.factories import OrganisationFactory, member_of
from tests.programs.conftest import make_expert, submitted, to_review
from zhouqiao.community.models import ExpertConflict
from zhouqiao.core.errors import ValidationFailed
from zhouqiao.programs import assignment, services
from zhouqiao.programs.models import ReviewAssignment


def test_the_lp_beats_greedy_and_respects_caps_and_conflicts():
    # Greedy would give item 0 its best expert (0), leaving item 1 with a poor one; the LP swaps.
    relevance = np.array([[0.9, 0.8, 0.0], [0.85, 0.1, 0.0]])
    plan = assignment.solve(relevance, lambda i, j: True, [1, 1], [1, 1, 1])
    assert sorted(plan.pairs) == [(0, 1), (1, 0)]
    # A conflict removes the arc; a cap of one spreads the load.
    plan = assignment.solve(relevance, lambda i, j: (i, j) != (1, 0), [1, 1], [1, 1, 1])
    assert (1, 0) not in plan.pairs and len(plan.pairs) == 2
    plan = assignment.solve(np.ones((4, 3)), lambda i, j: True, [2, 2, 2, 2], [3, 3, 2])
    loads = np.bincount([j for _i, j in plan.pairs], minlength=3)
    assert len(plan.pairs) == 8 and list(loads) == [3, 3, 2]


def test_too_few_experts_gives_what_there_is_and_says_so():
    plan = assignment.solve(np.ones((3, 2)), lambda i, j: j == 0, [2, 2, 2], [5, 5])
    assert len(plan.pairs) == 3 and plan.short == [0, 1, 2]
    plan = assignment.solve(np.ones((3, 2)), lambda i, j: True, [2, 2, 2], [1, 1])
    assert len(plan.pairs) == 2 and plan.short


@pytest.fixture
def in_review(call, officer, applicant, applicant_org):
    partner = OrganisationFactory(name="合作研究院", kind="institute", region_id="220102")
    app = submitted(
        call,
        applicant,
        applicant_org,
        partners=[(partner.pk, "合作")],
        team=[("欧阳明远", "研究员", "负责人")],
    )
    services.formal_check(actor=officer, now=timezone.now(), application_id=app.pk, accept=True)
    to_review(call, officer)
    return app, partner


def _refused_by_run_and_swap(call, officer, app, expert, reason_part):
    from zhouqiao.programs.todos import calls_to_assign

    assert [t.title for t in calls_to_assign(officer)] == [call.title]  # waiting on the officer
    assignment.start(actor=officer, now=timezone.now(), call_id=call.pk)
    assignment.run(call_id=call.pk, actor=officer, now=timezone.now())
    assert list(calls_to_assign(officer)) == []
    assert not ReviewAssignment.objects.filter(application=app, expert=expert).exists()
    row = ReviewAssignment.objects.filter(application=app).first()
    with pytest.raises(ValidationFailed) as exc:
        assignment.swap(actor=officer, now=timezone.now(), assignment_id=row.pk, expert_id=expert.pk)
    assert exc.value.code == "conflict_of_interest" and reason_part in str(exc.value.message)


@pytest.mark.django_db
def test_rule_own_organisation(call, officer, in_review, applicant_org):
    app, _partner = in_review
    [make_expert(f"无关{i}") for i in range(3)]
    _refused_by_run_and_swap(call, officer, app, make_expert("同单位", applicant_org), "申报单位")


@pytest.mark.django_db
def test_rule_co_applicant_organisation(call, officer, in_review):
    app, partner = in_review
    [make_expert(f"无关{i}") for i in range(3)]
    _refused_by_run_and_swap(call, officer, app, make_expert("合作单位的", partner), "申报单位")


@pytest.mark.django_db
def test_rule_declared_organisation(call, officer, in_review, applicant_org):
    app, _partner = in_review
    [make_expert(f"无关{i}") for i in range(3)]
    expert = make_expert("申报回避")
    ExpertConflict.objects.create(expert=expert, organisation=applicant_org, reason="曾任职")
    _refused_by_run_and_swap(call, officer, app, expert, "回避单位")


@pytest.mark.django_db
def test_rule_declared_person(call, officer, in_review):
    app, _partner = in_review
    [make_expert(f"无关{i}") for i in range(3)]
    expert = make_expert("回避某人")
    ExpertConflict.objects.create(expert=expert, person_name="欧阳 明远", reason="亲属")
    _refused_by_run_and_swap(call, officer, app, expert, "回避人员")


@pytest.mark.django_db
def test_rule_joint_application_within_three_years(call, officer, in_review, applicant_org):
    """The expert's organisation applied jointly with the applicant in another call two years ago
    (programs.collaborations); one four years ago does not count."""
    from zhouqiao.programs.models import Application, Partner

    app, _partner = in_review
    [make_expert(f"无关{i}") for i in range(3)]
    their_org = OrganisationFactory(name="老搭档大学", kind="university", region_id="220102")
    old_org = OrganisationFactory(name="旧合作大学", kind="university", region_id="220102")
    for org, years in ((their_org, 2), (old_org, 4)):
        earlier = Application.objects.create(
            call=call, lead=org, applicant=member_of(org), title=f"早年联合申报{years}", summary="s", plan="p",
            requested_amount=1, project_start=dt.date(2027, 1, 1), project_end=dt.date(2027, 12, 31),
            status="not_funded", submitted_at=timezone.now() - dt.timedelta(days=365 * years), created_at=timezone.now(),
        )  # fmt: skip
        Partner.objects.create(application=earlier, organisation=applicant_org)
    old_friend = make_expert("旧合作专家", old_org)
    _refused_by_run_and_swap(call, officer, app, make_expert("合作专家", their_org), "联合申报")
    row = ReviewAssignment.objects.filter(application=app).exclude(expert=old_friend).first()
    if not ReviewAssignment.objects.filter(application=app, expert=old_friend).exists():
        assignment.swap(actor=officer, now=timezone.now(), assignment_id=row.pk, expert_id=old_friend.pk)
    assert ReviewAssignment.objects.filter(application=app, expert=old_friend).exists()
