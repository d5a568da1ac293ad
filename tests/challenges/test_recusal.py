"""申请回避 on a 揭榜挂帅 proposal: a panel expert steps aside with a reason from the proposal page;
they leave the challenge's panel (a conflict with one competing team is a conflict for the whole
challenge), their scores are withdrawn, the officer is told once and finds the challenge in the
to-do until a replacement is invited; audited."""

import pytest
from django.urls import reverse

from tests.challenges.conftest import NOW, make_expert
from zhouqiao.core.errors import InvalidTransition, PermissionDenied, ValidationFailed
from zhouqiao.core.models import AuditEvent
from zhouqiao.notifications.models import Notification
from zhouqiao.programs.challenges import services, todos
from zhouqiao.programs.challenges.models import PanelRecusal, Score

pytestmark = pytest.mark.django_db

REASON = "本人近三年与该团队合作承担过课题"


def test_an_expert_steps_aside_from_the_proposal_page_and_the_officer_replaces_them(
    client, in_review, two_proposals, expert, expert2, officer, enterprise_user, expert_org
):
    a, b = two_proposals
    services.score_proposal(actor=expert.user, proposal_id=b.pk, score=70, comment="一般", now=NOW)
    for p in (a, b):
        services.score_proposal(actor=expert2.user, proposal_id=p.pk, score=80, comment="可行", now=NOW)
    client.force_login(expert.user)
    url = reverse("challenges:proposal", args=[a.pk])
    page = client.get(url).content.decode()
    assert 'id="recuse"' in page and "回避理由" in page

    client.post(reverse("challenges:recuse", args=[a.pk]), {"reason": "有"})  # too short: nothing changes
    assert in_review.panel.filter(expert=expert).exists() and not PanelRecusal.objects.exists()

    response = client.post(reverse("challenges:recuse", args=[a.pk]), {"reason": REASON})
    assert response.status_code == 302
    assert response["Location"] == reverse("challenges:detail", args=[in_review.pk])
    assert not in_review.panel.filter(expert=expert).exists()
    assert not Score.objects.filter(expert=expert).exists()  # withdrawn with the recusal
    assert Score.objects.filter(expert=expert2).count() == 2
    event = AuditEvent.objects.get(action="challenges.panel.recused")
    assert event.reason == REASON and event.before["scores"][0]["score"] == 70
    told = Notification.objects.filter(user=officer, kind="challenges.recused")
    assert told.count() == 1 and REASON in told.get().body
    waiting = todos.recusals_to_replace(officer)
    assert [t.title for t in waiting] == [in_review.title] and "张评审申请回避" in waiting[0].detail
    # The remaining expert has scored everything, but a place is open: the review is not complete.
    assert todos.challenges_to_select(enterprise_user) == []

    client.force_login(officer)
    page = client.get(reverse("challenges:detail", args=[in_review.pk])).content.decode()
    assert REASON in page and "待补充评审专家" in page
    with pytest.raises(ValidationFailed, match="本人已申请对本榜单回避"):
        services.assign_expert(actor=officer, challenge_id=in_review.pk, expert_id=expert.pk, now=NOW)
    replacement = make_expert("王评审", expert_org, username="expert_wang")
    services.assign_expert(actor=officer, challenge_id=in_review.pk, expert_id=replacement.pk, now=NOW)
    assert PanelRecusal.objects.get().replaced_at == NOW
    assert todos.recusals_to_replace(officer) == []
    assert Notification.objects.filter(user=officer, kind="challenges.recused").count() == 1


def test_only_a_panel_expert_may_step_aside_and_only_before_the_decision(
    client, in_review, two_proposals, expert, expert2, team_a_user, enterprise_user
):
    a, b = two_proposals
    with pytest.raises(PermissionDenied):
        services.recuse(actor=team_a_user, proposal_id=a.pk, reason=REASON, now=NOW)
    with pytest.raises(ValidationFailed, match="至少5个字"):
        services.recuse(actor=expert.user, proposal_id=a.pk, reason=" 冲突 ", now=NOW)
    for p in (a, b):
        services.score_proposal(actor=expert.user, proposal_id=p.pk, score=85, comment="好", now=NOW)
    services.select_proposal(actor=enterprise_user, proposal_id=a.pk, reason="评分最高", now=NOW)
    with pytest.raises(InvalidTransition, match="不能再申请回避"):
        services.recuse(actor=expert2.user, proposal_id=a.pk, reason=REASON, now=NOW)
    client.force_login(expert2.user)
    assert 'id="recuse"' not in client.get(reverse("challenges:proposal", args=[a.pk])).content.decode()
    assert not PanelRecusal.objects.exists()
