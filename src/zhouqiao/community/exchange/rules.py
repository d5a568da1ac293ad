"""Who may do what in 互动交流 / 信息发布 — the one check both the services and the pages use."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhouqiao.accounts import scope
from zhouqiao.accounts.models import Duty
from zhouqiao.community.exchange.models import Conversation, Notice, Question, QuestionStatus, TargetKind

# The 双融 posts of 001 #17.
POSTS = {
    "vice_president": gettext_lazy("企业科技副总"),
    "industry_professor": gettext_lazy("高校产业教授"),
    "consulting": gettext_lazy("技术咨询与合作"),
}


@dataclass
class Target:
    title: str
    region: str
    owner: object | None  # the owning Organisation (None: a policy clause, answered by the bureau)
    link: dict = field(default_factory=dict)  # the Question fields naming it
    open: bool = True  # accepts questions
    url: str = ""


def target(user, kind: str, key) -> Target | None:
    """The record a question is about, if ``user`` may read it; ``None`` otherwise."""
    from django.urls import reverse

    if kind == TargetKind.POLICY:
        from zhouqiao.policy import engine

        rule = engine.rule_by_id(str(key))
        if rule is None:
            return None
        package = engine.package_by_id(rule.package)
        return Target(
            title=rule.title,
            region=package.jurisdiction,
            owner=None,
            link={"rule_id": rule.id},
            url=reverse("policy:rules") + f"#rule-{rule.id}",
        )
    try:
        pk = int(key)
    except (TypeError, ValueError):
        return None
    if kind == TargetKind.ACHIEVEMENT:
        from zhouqiao.catalog.access import may_see_achievement
        from zhouqiao.catalog.models import Achievement
        from zhouqiao.catalog.states import RecordStatus

        record = Achievement.objects.select_related("owner").filter(pk=pk).first()
        if record is None or not may_see_achievement(user, record):
            return None
        return Target(
            title=record.title,
            region=record.region_id,
            owner=record.owner,
            link={"achievement": record},
            open=record.status == RecordStatus.PUBLISHED,
            url=reverse("catalog:achievement_detail", args=[pk]),
        )
    if kind == TargetKind.DEMAND:
        from zhouqiao.catalog.access import NONE, demand_access
        from zhouqiao.catalog.models import Demand
        from zhouqiao.catalog.states import RecordStatus

        record = Demand.objects.select_related("owner").filter(pk=pk).first()
        if record is None or demand_access(user, record) == NONE:
            return None
        return Target(
            title=record.title,
            region=record.region_id,
            owner=record.owner,
            link={"demand": record},
            open=record.status == RecordStatus.PUBLISHED,
            url=reverse("catalog:demand_detail", args=[pk]),
        )
    if kind == TargetKind.CHALLENGE:
        from zhouqiao.programs.challenges.models import Challenge
        from zhouqiao.programs.challenges.states import PUBLIC

        record = Challenge.objects.select_related("owner").filter(pk=pk).first()
        if record is None:
            return None
        public = record.status in PUBLIC
        if not public and not (scope.is_member(user, record.owner) or scope.covers(user, record.region_id)):
            return None
        return Target(
            title=record.title,
            region=record.region_id,
            # A bureau's own challenge is answered by the bureau (its staff), like a policy clause.
            owner=record.owner,
            link={"challenge": record},
            open=public,
            url=reverse("challenges:detail", args=[pk]),
        )
    return None


def target_url(question: Question) -> str:
    from django.urls import reverse

    if question.kind == TargetKind.POLICY:
        return reverse("policy:rules") + f"#rule-{question.rule_id}"
    name = {
        TargetKind.ACHIEVEMENT: "catalog:achievement_detail",
        TargetKind.DEMAND: "catalog:demand_detail",
        TargetKind.CHALLENGE: "challenges:detail",
    }[question.kind]
    return reverse(name, args=[question.target_pk])


def is_owner_member(user, question: Question) -> bool:
    return question.owner_id is not None and question.owner_id in scope.organisation_ids(user)


def may_answer(user, question: Question) -> bool:
    """A waiting question: members of the record's owner, or staff (any business duty) of the region."""
    if not getattr(user, "is_authenticated", False) or question.status != QuestionStatus.WAITING:
        return False
    return is_owner_member(user, question) or scope.covers(user, question.region_id)


def answering_as(user, question: Question) -> str:
    if is_owner_member(user, question):
        return question.owner.name
    return str(_("科技主管部门"))


def may_hide(user, question: Question) -> bool:
    """Moderation: reviewer staff whose jurisdiction covers the question's region."""
    return question.status != QuestionStatus.HIDDEN and scope.covers(user, question.region_id, Duty.REVIEWER)


def visible_questions(user):
    """Hidden questions are shown to the asker and to moderators of the region only."""
    shown = ~Q(status=QuestionStatus.HIDDEN)
    if getattr(user, "is_authenticated", False):
        shown |= Q(asker=user) | scope.region_q(user, "region", Duty.REVIEWER)
    return Question.objects.filter(shown)


# --- notices --------------------------------------------------------------------------------


def may_publish(user) -> bool:
    return scope.is_business_staff(user)


def may_manage_notice(user, notice: Notice) -> bool:
    return scope.covers(user, notice.jurisdiction_id)


def published_notices(now):
    return Notice.objects.filter(publish_at__lte=now, withdrawn_at__isnull=True)


def visible_notices(user, now):
    """Published ones for everybody; scheduled or withdrawn ones to staff of the publishing jurisdiction."""
    shown = Q(publish_at__lte=now, withdrawn_at__isnull=True)
    if getattr(user, "is_authenticated", False):
        shown |= scope.region_q(user, "jurisdiction")
    return Notice.objects.filter(shown)


# --- conversations --------------------------------------------------------------------------


def in_conversation(user, conversation: Conversation) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return conversation.expert.user_id == user.pk or conversation.organisation_id in scope.organisation_ids(
        user
    )


def my_conversations(user):
    if not getattr(user, "is_authenticated", False):
        return Conversation.objects.none()
    return Conversation.objects.filter(
        Q(expert__user=user) | Q(organisation_id__in=scope.organisation_ids(user))
    ).select_related("expert", "organisation")
