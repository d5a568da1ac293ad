"""The pages: the public 榜单, who sees what on a challenge and a proposal, forms that refuse."""

import pytest
from django.urls import reverse

from tests.challenges.conftest import NOW
from zhouqiao.programs.challenges import services
from zhouqiao.programs.challenges.models import Challenge

pytestmark = pytest.mark.django_db


def test_the_board_shows_published_challenges_with_status_not_drafts(client, draft, enterprise_user, officer):
    page = client.get(reverse("challenges:board"))
    assert page.status_code == 200 and draft.title not in page.content.decode()
    services.submit_challenge(actor=enterprise_user, challenge_id=draft.pk, now=NOW)
    services.review_challenge(actor=officer, challenge_id=draft.pk, publish=True, reason="可", now=NOW)
    html = client.get(reverse("challenges:board")).content.decode()
    assert draft.title in html and "征集中" in html
    assert "不低于（≥） 20℃" in html and "E+" not in html  # values as written, not 2E+1
    assert draft.title not in client.get(reverse("challenges:board"), {"status": "accepted"}).content.decode()


def test_a_draft_is_hidden_from_strangers(client, draft, stranger):
    assert client.get(reverse("challenges:detail", args=[draft.pk])).status_code == 404
    client.force_login(stranger)
    assert client.get(reverse("challenges:detail", args=[draft.pk])).status_code == 404


def test_the_issuer_creates_a_challenge_from_its_demand_through_the_form(client, enterprise_user, demand):
    client.force_login(enterprise_user)
    form = client.get(reverse("challenges:new") + f"?demand={demand.pk}").content.decode()
    assert demand.title in form
    data = {
        "demand_id": demand.pk,
        "title": "碳化硅散热",
        "summary": "说明",
        "investment": "100000",
        "reward": "50000",
        "deadline": "2026-05-01",
        "completion_date": "2026-10-01",
        "eligibility": "nationwide",
        "ind-TOTAL_FORMS": "2",
        "ind-INITIAL_FORMS": "0",
        "ind-0-name": "结温降低",
        "ind-0-target": "20",
        "ind-0-unit": "",
        "ind-0-direction": "ge",
        "ind-0-method": "台架",
        "ind-1-direction": "ge",
    }
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr("zhouqiao.core.clock.now", lambda: NOW)
        refused = client.post(reverse("challenges:new"), data)
        assert refused.status_code == 200 and "请填写单位" in refused.content.decode()
        assert not Challenge.objects.exists()
        data["ind-0-unit"] = "℃"
        done = client.post(reverse("challenges:new"), data)
    challenge = Challenge.objects.get()
    assert done.status_code == 302 and done["Location"] == reverse("challenges:detail", args=[challenge.pk])


def test_scores_are_shown_to_the_issuer_not_to_the_teams(
    client, awarded, two_proposals, enterprise_user, team_b_user
):
    client.force_login(enterprise_user)
    html = client.get(reverse("challenges:detail", args=[awarded.pk])).content.decode()
    assert "路线可行" in html and "平均" in html
    client.force_login(team_b_user)
    html = client.get(reverse("challenges:detail", args=[awarded.pk])).content.decode()
    assert "路线可行" not in html


def test_a_team_cannot_open_another_teams_proposal(client, two_proposals, team_b_user, reference):
    from tests.factories import OrganisationFactory, member_of

    a, b = two_proposals
    other = member_of(OrganisationFactory(kind="university"), username="other_team")
    client.force_login(other)
    assert client.get(reverse("challenges:proposal", args=[a.pk])).status_code == 404
    client.force_login(team_b_user)
    assert client.get(reverse("challenges:proposal", args=[b.pk])).status_code == 200


def test_confidential_attachments_reach_only_the_issuer_staff_and_panel_experts(
    client, in_review, enterprise_user, officer, expert, team_a_user
):
    # the owner may add attachments while the challenge is open; this one is added before review
    in_review.status = "open"
    in_review.save()
    services.add_attachment(
        actor=enterprise_user,
        challenge_id=in_review.pk,
        content=b"secret drawing",
        filename="图纸.pdf",
        confidential=True,
        now=NOW,
    )
    attachment = in_review.attachments.get()
    url = reverse("challenges:attachment", args=[attachment.pk])
    for user, status in (
        (None, 404),
        (team_a_user, 404),
        (enterprise_user, 200),
        (officer, 200),
        (expert.user, 200),
    ):
        client.logout()
        if user:
            client.force_login(user)
        assert client.get(url).status_code == status, user
    client.force_login(team_a_user)
    html = client.get(reverse("challenges:detail", args=[in_review.pk])).content.decode()
    assert "图纸.pdf" not in html and "保密附件" in html


def test_buttons_follow_permissions(client, draft, enterprise_user, officer, stranger):
    client.force_login(stranger)
    services.submit_challenge(actor=enterprise_user, challenge_id=draft.pk, now=NOW)
    client.force_login(enterprise_user)
    assert "审核通过并发布" not in client.get(reverse("challenges:detail", args=[draft.pk])).content.decode()
    client.force_login(officer)
    assert "审核通过并发布" in client.get(reverse("challenges:detail", args=[draft.pk])).content.decode()


def test_the_todo_lists_follow_who_waits(in_review, two_proposals, expert, enterprise_user, officer):
    from zhouqiao.programs.challenges import todos

    assert [t.title for t in todos.proposals_to_score(expert.user)] == [in_review.title]
    # While the experts score, the challenge waits on them, not on the issuer.
    assert todos.challenges_to_select(enterprise_user) == []
    assert todos.proposals_to_score(enterprise_user) == []
    a, b = two_proposals
    for p in (a, b):
        services.score_proposal(actor=expert.user, proposal_id=p.pk, score=80, comment="可", now=NOW)
    assert todos.proposals_to_score(expert.user) == []
    for seat in in_review.panel.exclude(expert=expert).select_related("expert__user"):
        for p in (a, b):
            services.score_proposal(actor=seat.expert.user, proposal_id=p.pk, score=75, comment="可", now=NOW)
    [ready] = todos.challenges_to_select(enterprise_user)
    assert ready.title == in_review.title and "请选定揭榜方" in ready.detail


def test_the_select_todo_waits_from_the_last_review_not_the_start(
    in_review, two_proposals, expert, expert2, enterprise_user
):
    import datetime as dt

    from zhouqiao.programs.challenges import todos

    a, b = two_proposals
    last = NOW + dt.timedelta(days=9, hours=3)
    for e, p, at in ((expert, a, NOW), (expert, b, NOW), (expert2, a, NOW), (expert2, b, last)):
        services.score_proposal(actor=e.user, proposal_id=p.pk, score=80, comment="可", now=at)
    [ready] = todos.challenges_to_select(enterprise_user)
    assert ready.since == last


def test_closing_before_the_deadline_asks_for_a_reason_and_a_confirmation(client, published, officer):
    import time_machine

    client.force_login(officer)
    url = reverse("challenges:detail", args=[published.pk])
    close = reverse("challenges:close", args=[published.pk])
    with time_machine.travel(NOW, tick=False):  # the deadline is 2026-04-30
        html = client.get(url).content.decode()
        assert 'name="confirm"' in html and "提前结束征集（无人揭榜）" in html
        # One click (no reason, no confirmation) ends nothing and says why.
        page = client.post(close, {"reason": ""}, follow=True).content.decode()
        assert "提前结束征集须填写理由" in page
        client.post(close, {"reason": "发榜单位已解决"})
        published.refresh_from_db()
        assert published.status == "open"
        client.post(close, {"reason": "发榜单位已解决", "confirm": "1"})
        published.refresh_from_db()
        assert published.status == "unawarded"
    client.logout()
    client.force_login(published.created_by)
    assert "发榜单位已解决" in client.get(url).content.decode()  # the issuer sees why


def test_the_expert_reasons_skip_the_demo_marker_and_organisation_kinds(published, officer, expert_org):
    from tests.challenges.conftest import make_expert

    Challenge.objects.filter(pk=published.pk).update(
        summary="功率模块结温过高，寻求高校院所合作解决。（演示数据）"
    )
    shared = make_expert("钱评审", expert_org, username="expert_qian")
    type(shared).objects.filter(pk=shared.pk).update(
        keywords="高校，演示数据，碳化硅", profile="长期在高校从事功率模块研究。（演示数据）"
    )
    published.refresh_from_db()
    reasons = {e.name: why for e, _s, why, _c in services.suggested_experts(published, now=NOW)}
    assert "碳化硅" in reasons["钱评审"]
    for why in reasons.values():
        assert "演示数据" not in why and "高校" not in why and "院所" not in why


def test_the_api_lists_the_public_board_and_hides_drafts(client, published, draft_second):
    rows = client.get("/api/v1/programs/challenges").json()
    assert [r["id"] for r in rows] == [published.pk]
    assert rows[0]["indicators"][0] == {
        "name": "结温降低",
        "target": "20",
        "unit": "℃",
        "direction": "ge",
        "method": "台架试验，满载1小时",
    }
    assert rows[0]["investment"] == "2000000.00"
    assert client.get(f"/api/v1/programs/challenges/{draft_second.pk}").status_code == 404
    assert client.get(f"/api/v1/programs/challenges/{published.pk}").json()["proposals"] == 0


@pytest.fixture
def draft_second(enterprise_user, enterprise, demand):
    from tests.challenges.conftest import challenge_data

    return services.create_challenge(
        actor=enterprise_user,
        organisation_id=enterprise.pk,
        data=challenge_data(demand, title="草稿二"),
        now=NOW,
    )


def test_milestone_and_acceptance_todos_follow_who_waits(
    awarded, two_proposals, enterprise_user, team_a_user
):
    from zhouqiao.programs.challenges import todos

    a, _b = two_proposals
    first, second = a.milestones.all()
    assert [t.title for t in todos.milestones_to_report(team_a_user)] == [
        f"样件试制（{awarded.title}）",
        f"台架验证（{awarded.title}）",
    ]
    assert todos.milestones_to_decide(enterprise_user) == []
    services.report_milestone(actor=team_a_user, milestone_id=first.pk, report="交付", now=NOW)
    assert [t.title for t in todos.milestones_to_decide(enterprise_user)] == [f"样件试制（{awarded.title}）"]
    services.decide_milestone(actor=enterprise_user, milestone_id=first.pk, accept=True, now=NOW)
    assert todos.challenges_to_accept(enterprise_user) == []
    services.report_milestone(actor=team_a_user, milestone_id=second.pk, report="交付", now=NOW)
    services.decide_milestone(actor=enterprise_user, milestone_id=second.pk, accept=True, now=NOW)
    assert [t.title for t in todos.challenges_to_accept(enterprise_user)] == [awarded.title]
    assert todos.milestones_to_report(team_a_user) == []
