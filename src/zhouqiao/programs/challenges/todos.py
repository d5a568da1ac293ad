"""What waits in 揭榜挂帅, and who is told.

pending_review   → program officers covering the challenge's region: publish or return it
returned         → the issuer's members: correct and resubmit
open             → the issuer (published); officers once the deadline has passed: close collection;
                   closed before the deadline → the issuer's members are told why
proposal         → the issuer's members (a proposal came in); officers when 查重 found a near duplicate
panel            → the expert: score every proposal of the challenge (待评分的揭榜方案)
recusal          → an expert stepped aside (申请回避): officers are told once and find the challenge
                   in their to-do until a replacement expert is invited
reviewing        → the issuer: select a proposal once every panel expert has scored every proposal
awarded          → the team (selected), the others (not selected)
milestone        → reported: the issuer decides; returned/accepted: the team is told
acceptance       → all milestones accepted: the issuer runs the final acceptance; the team is told
"""

import datetime as dt

from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhouqiao.accounts import scope
from zhouqiao.accounts.models import Duty
from zhouqiao.core.money import format_yuan
from zhouqiao.notifications import recipients
from zhouqiao.notifications.registry import Todo, kind, todo_source
from zhouqiao.notifications.services import notify

TO_REVIEW = kind("challenges.to_review", gettext_lazy("揭榜挂帅榜单待审核发布"))
DECIDED = kind("challenges.decided", gettext_lazy("揭榜挂帅榜单审核结果"))
PROPOSAL = kind("challenges.proposal", gettext_lazy("收到揭榜方案"))
DUPLICATE = kind("challenges.duplicate", gettext_lazy("揭榜方案疑似重复"))
TO_SCORE = kind("challenges.to_score", gettext_lazy("揭榜方案待专家评分"))
TO_SELECT = kind("challenges.to_select", gettext_lazy("揭榜方案待选定"))
SELECTED = kind("challenges.selected", gettext_lazy("揭榜结果"))
MILESTONE = kind("challenges.milestone", gettext_lazy("揭榜攻关里程碑"))
ACCEPTANCE = kind("challenges.acceptance", gettext_lazy("揭榜攻关验收"))
RECUSED = kind("challenges.recused", gettext_lazy("揭榜评审专家申请回避"))
CLOSED_EARLY = kind("challenges.closed_early", gettext_lazy("揭榜挂帅榜单提前结束征集"))

LIMIT = 200


def _url(challenge) -> str:
    return reverse("challenges:detail", args=[challenge.pk])


def _end_of(day):
    if day is None:
        return None
    return timezone.make_aware(dt.datetime.combine(day, dt.time(23, 59, 59)))


def _officers(challenge):
    return recipients.staff(Duty.PROGRAM_OFFICER, challenge.region_id)


def challenge_changed(challenge, *, now, closed_early: bool = False) -> None:
    from zhouqiao.programs.challenges.states import ChallengeStatus

    c = challenge
    key = f"challenges.challenge:{c.pk}:{c.status}"
    stamp = now.isoformat()
    if closed_early:
        # The bureau ended collection before the published deadline: the issuer is told why
        # (the reason, with the deadline, is the challenge's decision shown on its page).
        then = _("进入专家评审") if c.status == ChallengeStatus.REVIEWING else _("无人揭榜，榜单未揭榜")
        notify(
            recipients.org_members(c.owner),
            kind=CLOSED_EARLY,
            title=_("科技管理部门已在截止日期前结束“%(title)s”的征集（%(then)s）")
            % {"title": c.title, "then": then},
            body=c.status_reason,
            url=_url(c),
            key=f"challenges.challenge:{c.pk}:closed_early",
            now=now,
        )
    elif c.status == ChallengeStatus.PENDING_REVIEW:
        notify(
            _officers(c).exclude(pk=c.created_by_id),
            kind=TO_REVIEW,
            title=_("揭榜挂帅榜单待审核：%(title)s（%(owner)s）") % {"title": c.title, "owner": c.owner.name},
            url=_url(c),
            key=f"{key}:{stamp}",
            now=now,
        )
    elif c.status in (ChallengeStatus.OPEN, ChallengeStatus.RETURNED):
        title = (
            _("榜单已发布：%(title)s") if c.status == ChallengeStatus.OPEN else _("榜单被退回修改：%(title)s")
        ) % {"title": c.title}
        notify(
            recipients.org_handlers(c.owner),
            kind=DECIDED,
            title=title,
            body=c.status_reason,
            url=_url(c),
            key=f"{key}:{stamp}",
            now=now,
        )
    elif c.status == ChallengeStatus.REVIEWING:
        notify(
            recipients.org_handlers(c.owner),
            kind=TO_SELECT,
            title=_("榜单进入专家评审：%(title)s，评审完成后请选定揭榜方") % {"title": c.title},
            url=_url(c),
            key=key,
            now=now,
        )
    elif c.status == ChallengeStatus.UNAWARDED:
        notify(
            recipients.org_handlers(c.owner),
            kind=SELECTED,
            title=_("榜单未揭榜：%(title)s") % {"title": c.title},
            body=c.status_reason,
            url=_url(c),
            key=key,
            now=now,
        )
    elif c.status == ChallengeStatus.ACCEPTED:
        selected = c.selected_proposal
        if selected is not None:
            notify(
                recipients.org_handlers(selected.lead),
                kind=ACCEPTANCE,
                title=_("攻关成果已通过市场验收：%(title)s") % {"title": c.title},
                url=_url(c),
                key=key,
                now=now,
            )


def proposal_submitted(proposal, *, now) -> None:
    c = proposal.challenge
    url = reverse("challenges:proposal", args=[proposal.pk])
    notify(
        recipients.org_handlers(c.owner),
        kind=PROPOSAL,
        title=_("收到揭榜方案：%(lead)s揭榜“%(title)s”") % {"lead": proposal.lead.name, "title": c.title},
        url=url,
        key=f"challenges.proposal:{proposal.pk}:submitted",
        now=now,
    )
    if proposal.near_duplicate:
        top = next((m for m in proposal.duplicate_matches if m["near_duplicate"]), None)
        notify(
            _officers(c),
            kind=DUPLICATE,
            title=_("揭榜方案疑似重复：%(lead)s（%(title)s）")
            % {"lead": proposal.lead.name, "title": c.title},
            body=_("相似记录：%(label)s“%(other)s”，相似度%(p)d%%")
            % {"label": top["label"], "other": top["title"], "p": top["percent"]}
            if top
            else "",
            url=url,
            key=f"challenges.proposal:{proposal.pk}:duplicate",
            now=now,
        )


def expert_assigned(member, *, now) -> None:
    c = member.challenge
    if member.expert.user_id is None:
        return
    notify(
        [member.expert.user],
        kind=TO_SCORE,
        title=_("请评审揭榜方案：%(title)s") % {"title": c.title},
        url=_url(c),
        key=f"challenges.panel:{member.pk}",
        now=now,
    )


def expert_recused(recusal, *, now) -> None:
    c = recusal.challenge
    notify(
        _officers(c),
        kind=RECUSED,
        title=_("评审专家申请回避，请补充评审专家：%(title)s") % {"title": c.title},
        body=_("%(name)s（因“%(lead)s”的方案）：%(reason)s")
        % {"name": recusal.expert.name, "lead": recusal.proposal.lead.name, "reason": recusal.reason},
        url=_url(c),
        key=f"challenges.recusal:{recusal.pk}",
        now=now,
    )


def proposal_scored(score, *, now) -> None:
    """When the last score of the panel is in, tell the issuer the selection can be made."""
    proposal = score.proposal
    c = proposal.challenge
    if _waiting_scores(c) == 0:
        notify(
            recipients.org_handlers(c.owner),
            kind=TO_SELECT,
            title=_("专家评审已完成，请选定揭榜方：%(title)s") % {"title": c.title},
            url=_url(c),
            key=f"challenges.challenge:{c.pk}:scored",
            now=now,
        )


def _with_score_counts(challenges):
    """``challenges`` with the counts :func:`_waiting_scores` reads, in the same one query."""
    from zhouqiao.programs.challenges.models import PanelRecusal, Proposal, ReviewPanel, Score
    from zhouqiao.programs.challenges.states import ProposalStatus

    def count(rows, by: str):
        per = rows.order_by().values(by).annotate(n=Count("pk")).values("n")[:1]
        return Coalesce(Subquery(per), 0)

    return challenges.annotate(
        open_proposals=count(
            Proposal.objects.filter(challenge=OuterRef("pk")).exclude(status=ProposalStatus.WITHDRAWN),
            "challenge",
        ),
        panel_size=count(ReviewPanel.objects.filter(challenge=OuterRef("pk")), "challenge"),
        # An expert who stepped aside leaves a place whose replacement has every proposal to score.
        open_recusals=count(
            PanelRecusal.objects.filter(challenge=OuterRef("pk"), replaced_at=None), "challenge"
        ),
        scores_given=count(
            Score.objects.filter(
                proposal__challenge=OuterRef("pk"), expert__challenge_panels__challenge=OuterRef("pk")
            ),
            "proposal__challenge",
        ),
    )


def _waiting_scores(challenge) -> int:
    """Scores the panel has yet to give on the proposals still in (``challenge`` as read through
    :func:`_with_score_counts`, or any challenge: then one query)."""
    if not hasattr(challenge, "scores_given"):
        challenge = _with_score_counts(type(challenge).objects.filter(pk=challenge.pk)).get()
    seats = challenge.panel_size + challenge.open_recusals
    return max(challenge.open_proposals * seats - challenge.scores_given, 0)


def proposal_selected(proposal, *, now) -> None:
    from zhouqiao.programs.challenges.states import ProposalStatus

    c = proposal.challenge
    notify(
        recipients.org_handlers(proposal.lead),
        kind=SELECTED,
        title=_("您的方案已被选定揭榜：%(title)s（合同金额%(price)s），请完善并提交技术合同登记")
        % {"title": c.title, "price": format_yuan(proposal.price)},
        url=reverse("challenges:proposal", args=[proposal.pk]),
        key=f"challenges.proposal:{proposal.pk}:selected",
        now=now,
    )
    for other in c.proposals.filter(status=ProposalStatus.NOT_SELECTED).select_related("lead"):
        notify(
            recipients.org_handlers(other.lead),
            kind=SELECTED,
            title=_("您的揭榜方案未入选：%(title)s") % {"title": c.title},
            url=reverse("challenges:proposal", args=[other.pk]),
            key=f"challenges.proposal:{other.pk}:not_selected",
            now=now,
        )


def milestone_changed(milestone, *, now) -> None:
    from zhouqiao.programs.challenges.states import MilestoneStatus

    proposal = milestone.proposal
    c = proposal.challenge
    url = reverse("challenges:proposal", args=[proposal.pk])
    key = f"challenges.milestone:{milestone.pk}:{milestone.status}:{now.isoformat()}"
    if milestone.status == MilestoneStatus.REPORTED:
        notify(
            recipients.org_handlers(c.owner),
            kind=MILESTONE,
            title=_("里程碑待确认：%(m)s（%(title)s）") % {"m": milestone.title, "title": c.title},
            url=url,
            key=key,
            now=now,
        )
    else:
        words = _("已确认") if milestone.status == MilestoneStatus.ACCEPTED else _("被退回")
        notify(
            recipients.org_handlers(proposal.lead),
            kind=MILESTONE,
            title=_("里程碑%(what)s：%(m)s（%(title)s）")
            % {"what": words, "m": milestone.title, "title": c.title},
            body=milestone.decision_reason,
            url=url,
            key=key,
            now=now,
        )
        if (
            milestone.status == MilestoneStatus.ACCEPTED
            and not proposal.milestones.exclude(status=MilestoneStatus.ACCEPTED).exists()
        ):
            notify(
                recipients.org_handlers(c.owner),
                kind=ACCEPTANCE,
                title=_("全部里程碑已确认，请组织最终验收：%(title)s") % {"title": c.title},
                url=_url(c),
                key=f"challenges.challenge:{c.pk}:ready_for_acceptance",
                now=now,
            )


def acceptance_recorded(acceptance, *, now) -> None:
    c = acceptance.challenge
    selected = c.selected_proposal
    if selected is None or acceptance.passed:
        return  # a pass is told by challenge_changed (accepted)
    notify(
        recipients.org_handlers(selected.lead),
        kind=ACCEPTANCE,
        title=_("最终验收未通过：%(title)s") % {"title": c.title},
        body=acceptance.note,
        url=_url(c),
        key=f"challenges.acceptance:{acceptance.pk}",
        now=now,
    )


# -- to-do sources ----------------------------------------------------------------------------------


@todo_source(gettext_lazy("待审核发布的揭榜挂帅榜单"))
def challenges_to_review(user):
    if not scope.has_duty(user, Duty.PROGRAM_OFFICER):
        return []
    from zhouqiao.programs.challenges.models import Challenge
    from zhouqiao.programs.challenges.states import ChallengeStatus

    waiting = (
        Challenge.objects.filter(
            scope.region_q(user, "region", Duty.PROGRAM_OFFICER), status=ChallengeStatus.PENDING_REVIEW
        )
        .exclude(created_by=user)
        .select_related("owner")
        .order_by("submitted_at", "pk")[:LIMIT]
    )
    return [
        Todo(title=c.title, url=_url(c), since=c.submitted_at or c.created_at, detail=c.owner.name)
        for c in waiting
    ]


@todo_source(gettext_lazy("征集期已结束、待组织评审的榜单"))
def challenges_to_close(user):
    if not scope.has_duty(user, Duty.PROGRAM_OFFICER):
        return []
    from zhouqiao.programs.challenges.models import Challenge
    from zhouqiao.programs.challenges.states import ChallengeStatus

    today = timezone.localdate()
    waiting = (
        Challenge.objects.filter(
            scope.region_q(user, "region", Duty.PROGRAM_OFFICER),
            status=ChallengeStatus.OPEN,
            deadline__lt=today,
        )
        .select_related("owner")
        .order_by("deadline", "pk")[:LIMIT]
    )
    return [Todo(title=c.title, url=_url(c), since=_end_of(c.deadline), detail=c.owner.name) for c in waiting]


@todo_source(gettext_lazy("待评分的揭榜方案"))
def proposals_to_score(user):
    if not getattr(user, "is_authenticated", False):
        return []
    from zhouqiao.programs.challenges.models import ReviewPanel
    from zhouqiao.programs.challenges.states import ChallengeStatus, ProposalStatus

    panels = (
        ReviewPanel.objects.filter(expert__user=user, challenge__status=ChallengeStatus.REVIEWING)
        .select_related("challenge", "expert")
        .annotate(
            open_proposals=Count(
                "challenge__proposals",
                filter=~Q(challenge__proposals__status=ProposalStatus.WITHDRAWN),
                distinct=True,
            )
        )[:LIMIT]
    )
    out = []
    for member in panels:
        c = member.challenge
        done = member.expert.challenge_scores.filter(proposal__challenge=c).count()
        left = member.open_proposals - done
        if left > 0:
            out.append(
                Todo(
                    title=c.title,
                    url=_url(c),
                    since=max(member.assigned_at, c.review_started_at or member.assigned_at),
                    detail=_("尚有%(n)d份方案待评分") % {"n": left},
                )
            )
    return out


@todo_source(gettext_lazy("评审专家申请回避、待补充专家的榜单"))
def recusals_to_replace(user):
    if not scope.has_duty(user, Duty.PROGRAM_OFFICER):
        return []
    from zhouqiao.programs.challenges.models import PanelRecusal
    from zhouqiao.programs.challenges.states import ChallengeStatus

    waiting = (
        PanelRecusal.objects.filter(
            scope.region_q(user, "challenge__region", Duty.PROGRAM_OFFICER),
            replaced_at=None,
            challenge__status__in=[ChallengeStatus.OPEN, ChallengeStatus.REVIEWING],
        )
        .select_related("challenge", "expert")
        .order_by("recused_at", "pk")[:LIMIT]
    )
    return [
        Todo(
            title=r.challenge.title,
            url=_url(r.challenge),
            since=r.recused_at,
            detail=_("%(name)s申请回避（%(reason)s），请补充评审专家")
            % {"name": r.expert.name, "reason": r.reason},
        )
        for r in waiting
    ]


@todo_source(gettext_lazy("待选定揭榜方的榜单"))
def challenges_to_select(user):
    organisations = scope.organisation_ids(user)
    if not organisations:
        return []
    from zhouqiao.programs.challenges.models import Challenge, Score
    from zhouqiao.programs.challenges.states import ChallengeStatus

    last_score = (
        Score.objects.filter(proposal__challenge=OuterRef("pk"))
        .order_by("-scored_at")
        .values("scored_at")[:1]
    )
    waiting = (
        _with_score_counts(
            Challenge.objects.filter(owner_id__in=organisations, status=ChallengeStatus.REVIEWING)
        )
        .annotate(last_scored_at=Subquery(last_score))
        .order_by("review_started_at", "pk")[:LIMIT]
    )
    # The issuer selects with the experts' scores in view: while they are still scoring the
    # challenge waits on them (their to-dos), not on the issuer — so it waits on the issuer from
    # the moment the last review came in.
    return [
        Todo(
            title=c.title,
            url=_url(c),
            since=max(t for t in (c.last_scored_at, c.review_started_at, c.published_at, c.created_at) if t),
            detail=_("专家评审完成，请选定揭榜方"),
        )
        for c in waiting
        if _waiting_scores(c) == 0
    ]


@todo_source(gettext_lazy("被退回修改的榜单"))
def challenges_to_correct(user):
    organisations = scope.organisation_ids(user)
    if not organisations:
        return []
    from zhouqiao.programs.challenges.models import Challenge
    from zhouqiao.programs.challenges.states import ChallengeStatus

    waiting = Challenge.objects.filter(owner_id__in=organisations, status=ChallengeStatus.RETURNED)[:LIMIT]
    return [
        Todo(title=c.title, url=_url(c), since=c.submitted_at or c.created_at, detail=c.status_reason)
        for c in waiting
    ]


@todo_source(gettext_lazy("待确认的攻关里程碑"))
def milestones_to_decide(user):
    organisations = scope.organisation_ids(user)
    if not organisations:
        return []
    from zhouqiao.programs.challenges.models import Milestone
    from zhouqiao.programs.challenges.states import MilestoneStatus

    waiting = (
        Milestone.objects.filter(
            proposal__challenge__owner_id__in=organisations, status=MilestoneStatus.REPORTED
        )
        .select_related("proposal__challenge")
        .order_by("reported_at", "pk")[:LIMIT]
    )
    return [
        Todo(
            title=f"{m.title}（{m.proposal.challenge.title}）",
            url=reverse("challenges:proposal", args=[m.proposal_id]),
            since=m.reported_at,
            detail=m.deliverable,
        )
        for m in waiting
    ]


@todo_source(gettext_lazy("待交付的攻关里程碑"))
def milestones_to_report(user):
    organisations = scope.organisation_ids(user)
    if not organisations:
        return []
    from zhouqiao.programs.challenges.models import Milestone
    from zhouqiao.programs.challenges.states import ChallengeStatus, MilestoneStatus, ProposalStatus

    waiting = (
        Milestone.objects.filter(
            proposal__lead_id__in=organisations,
            proposal__status=ProposalStatus.SELECTED,
            proposal__challenge__status__in=[ChallengeStatus.AWARDED, ChallengeStatus.IN_PROGRESS],
            status__in=[MilestoneStatus.PLANNED, MilestoneStatus.RETURNED],
        )
        .select_related("proposal__challenge")
        .order_by("due_on", "pk")[:LIMIT]
    )
    return [
        Todo(
            title=f"{m.title}（{m.proposal.challenge.title}）",
            url=reverse("challenges:proposal", args=[m.proposal_id]),
            since=m.decided_at or m.proposal.challenge.decided_at or m.proposal.submitted_at,
            deadline=_end_of(m.due_on),
            detail=m.deliverable,
        )
        for m in waiting
    ]


@todo_source(gettext_lazy("待最终验收的揭榜攻关"))
def challenges_to_accept(user):
    organisations = scope.organisation_ids(user)
    if not organisations:
        return []
    from zhouqiao.programs.challenges.models import Acceptance, Challenge, Milestone
    from zhouqiao.programs.challenges.states import ChallengeStatus, MilestoneStatus, ProposalStatus

    open_milestones = Milestone.objects.filter(
        proposal__challenge=OuterRef("pk"), proposal__status=ProposalStatus.SELECTED
    ).exclude(status=MilestoneStatus.ACCEPTED)
    failed = Acceptance.objects.filter(challenge=OuterRef("pk"))
    waiting = (
        Challenge.objects.filter(owner_id__in=organisations, status=ChallengeStatus.IN_PROGRESS)
        .exclude(Exists(open_milestones))
        .annotate(tried=Exists(failed))
        .order_by("completion_date", "pk")[:LIMIT]
    )
    return [
        Todo(
            title=c.title,
            url=_url(c),
            since=c.decided_at or c.created_at,
            deadline=_end_of(c.completion_date),
            detail=_("上次验收未通过，可再次验收") if c.tried else _("全部里程碑已确认"),
        )
        for c in waiting
    ]
