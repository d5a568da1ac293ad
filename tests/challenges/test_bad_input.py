"""Bad input gets a Chinese error and writes nothing."""

import pytest

from tests.challenges.conftest import NOW, challenge_data, proposal_data
from zhouqiao.core.errors import ValidationFailed
from zhouqiao.core.models import AuditEvent
from zhouqiao.programs.challenges import services
from zhouqiao.programs.challenges.models import Acceptance, Challenge, Indicator, Milestone, Proposal, Score

pytestmark = pytest.mark.django_db


def _refused(call, field: str, words: str):
    audits = AuditEvent.objects.count()
    with pytest.raises(ValidationFailed) as info:
        call()
    assert field in info.value.detail, info.value.detail
    assert words in str(info.value.message)
    assert AuditEvent.objects.count() == audits
    return info.value


def _indicator(**overrides):
    row = {"name": "结温降低", "target": "20", "unit": "℃", "direction": "ge", "method": "台架试验"}
    return [{**row, **overrides}]


@pytest.mark.parametrize(
    ("overrides", "field", "words"),
    [
        ({"indicators": _indicator(unit="")}, "indicators", "请填写单位"),
        ({"indicators": _indicator(unit="  ")}, "indicators", "请填写单位"),
        ({"indicators": _indicator(method="")}, "indicators", "测量方法"),
        ({"indicators": _indicator(target="二十")}, "indicators", "须为数字"),
        ({"indicators": []}, "indicators", "至少填写一项"),
        ({"investment": "-1"}, "investment", "不能为负数"),
        ({"investment": "100.001"}, "investment", "两位小数"),
        ({"reward": ""}, "reward", "请填写揭榜奖励"),
        ({"deadline": "2026-03-01"}, "deadline", "不能早于今天"),
        ({"completion_date": "2026-04-01"}, "completion_date", "应晚于揭榜截止日期"),
        ({"title": " "}, "title", "请填写榜单名称"),
    ],
)
def test_it_rejects_a_bad_challenge(enterprise_user, enterprise, demand, overrides, field, words):
    _refused(
        lambda: services.create_challenge(
            actor=enterprise_user,
            organisation_id=enterprise.pk,
            data=challenge_data(demand, **overrides),
            now=NOW,
        ),
        field,
        words,
    )
    assert not Challenge.objects.exists() and not Indicator.objects.exists()


def test_it_rejects_a_demand_of_another_organisation(enterprise_user, enterprise, demand, university):
    demand.owner = university
    demand.save()
    _refused(
        lambda: services.create_challenge(
            actor=enterprise_user, organisation_id=enterprise.pk, data=challenge_data(demand), now=NOW
        ),
        "demand_id",
        "请选择本单位已发布",
    )


def test_a_bad_edit_leaves_the_draft_as_it_was(draft, enterprise_user):
    _refused(
        lambda: services.update_challenge(
            actor=enterprise_user,
            challenge_id=draft.pk,
            data=challenge_data(draft.demand, title="改", indicators=_indicator(unit="")),
            now=NOW,
        ),
        "indicators",
        "请填写单位",
    )
    draft.refresh_from_db()
    assert draft.title == "碳化硅功率模块散热攻关" and draft.indicators.count() == 2


def _committed(challenge, **values):
    ind = {i.name: i.pk for i in challenge.indicators.all()}
    return {ind[k]: v for k, v in values.items()}


@pytest.mark.parametrize(
    ("overrides", "field", "words"),
    [
        ({"committed": {"结温降低": "25"}}, "committed", "请填写指标“热阻”的承诺值"),
        ({"committed": {"结温降低": "25", "热阻": ""}}, "committed", "请填写指标“热阻”的承诺值"),
        ({"committed": {"结温降低": "15", "热阻": "0.1"}}, "committed", "未达到榜单要求"),
        ({"committed": {"结温降低": "25", "热阻": "0.2"}}, "committed", "未达到榜单要求"),
        (
            {"milestones": [{"title": "验证", "deliverable": "报告", "due_on": "2027-01-15"}]},
            "milestones",
            "晚于榜单的攻关完成期限",
        ),
        (
            {"milestones": [{"title": "验证", "deliverable": "", "due_on": "2026-06-01"}]},
            "milestones",
            "交付物",
        ),
        ({"milestones": []}, "milestones", "至少填写一个里程碑"),
        ({"price": "-5"}, "price", "不能为负数"),
        ({"members": ""}, "members", "团队成员"),
    ],
)
def test_it_rejects_a_bad_proposal(published, team_a, team_a_user, overrides, field, words):
    if "committed" in overrides:
        overrides = {**overrides, "committed": _committed(published, **overrides["committed"])}
    _refused(
        lambda: services.submit_proposal(
            actor=team_a_user,
            challenge_id=published.pk,
            lead_id=team_a.pk,
            data=proposal_data(published, **overrides),
            now=NOW,
        ),
        field,
        words,
    )
    assert not Proposal.objects.exists() and not Milestone.objects.exists()


@pytest.mark.parametrize("score", ["101", "-1", "八十", "", "99.5"])
def test_it_rejects_a_score_outside_0_to_100(in_review, two_proposals, expert, score):
    a, _b = two_proposals
    _refused(
        lambda: services.score_proposal(
            actor=expert.user, proposal_id=a.pk, score=score, comment="意见", now=NOW
        ),
        "score",
        "0至100",
    )
    assert not Score.objects.exists()


def test_it_rejects_a_score_without_a_comment(in_review, two_proposals, expert):
    a, _b = two_proposals
    _refused(
        lambda: services.score_proposal(actor=expert.user, proposal_id=a.pk, score=80, comment=" ", now=NOW),
        "comment",
        "评审意见",
    )


def test_it_rejects_an_acceptance_with_a_missing_measurement(
    awarded, two_proposals, enterprise_user, team_a_user
):
    a, _b = two_proposals
    for m in a.milestones.all():
        services.report_milestone(actor=team_a_user, milestone_id=m.pk, report="交付", now=NOW)
        services.decide_milestone(actor=enterprise_user, milestone_id=m.pk, accept=True, now=NOW)
    ind = {i.name: i.pk for i in awarded.indicators.all()}
    _refused(
        lambda: services.accept_challenge(
            actor=enterprise_user,
            challenge_id=awarded.pk,
            measured={ind["结温降低"]: "30"},
            note="验收",
            now=NOW,
        ),
        "measured",
        "请填写指标“热阻”的实测值",
    )
    assert not Acceptance.objects.exists()
