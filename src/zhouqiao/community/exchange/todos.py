"""What waits in 互动交流, and who is told.

question asked     → members of the record's owner; for a policy clause (no owner) the reviewers
                     of the issuing bureau's jurisdiction                    (exchange.question_asked)
question answered  → the asker                                            (exchange.question_answered)
question hidden    → the asker, with the reason                             (exchange.question_hidden)
talent message     → the other side of the conversation                     (exchange.message)

To-dos: questions waiting for an answer (owner members; staff for policy clauses and bureau-owned
records), talent conversations whose last message came from the other side. No text sets a time
limit for an answer, so they carry no deadline.
"""

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhouqiao.accounts import scope
from zhouqiao.accounts.models import Duty
from zhouqiao.notifications import recipients
from zhouqiao.notifications.registry import Todo, kind, todo_source
from zhouqiao.notifications.services import notify

ASKED = kind("exchange.question_asked", gettext_lazy("有新的咨询待回答"))
ANSWERED = kind("exchange.question_answered", gettext_lazy("您的咨询已回答"))
HIDDEN = kind("exchange.question_hidden", gettext_lazy("您的咨询已被隐藏"))
MESSAGE = kind("exchange.message", gettext_lazy("人才对接洽谈新消息"))

LIMIT = 200


def question_url(question) -> str:
    return reverse("exchange:question_detail", args=[question.pk])


def _answerers(question):
    """Who is asked to answer: the owner's members, else (policy, a bureau's challenge, an owner
    nobody has joined on the platform) the bureau's reviewers of the record's region."""
    if question.owner_id is not None and question.owner.kind != "government":
        members = recipients.org_handlers(question.owner)
        if members.exists():
            return members
    return recipients.staff(Duty.REVIEWER, question.region_id)


def question_asked(question, *, now) -> None:
    notify(
        _answerers(question),
        kind=ASKED,
        title=_("新的咨询待回答：%(subject)s") % {"subject": question.subject},
        body=question.body[:200],
        url=question_url(question),
        key=f"question:{question.pk}:asked",
        now=now,
    )


def question_answered(question, *, now) -> None:
    notify(
        [question.asker],
        kind=ANSWERED,
        title=_("您对“%(subject)s”的咨询已回答") % {"subject": question.subject},
        body=question.answer[:200],
        url=question_url(question),
        key=f"question:{question.pk}:answered",
        now=now,
    )


def question_hidden(question, *, now) -> None:
    notify(
        [question.asker],
        kind=HIDDEN,
        title=_("您对“%(subject)s”的咨询已被隐藏") % {"subject": question.subject},
        body=_("原因：%(reason)s") % {"reason": question.hidden_reason},
        url=question_url(question),
        key=f"question:{question.pk}:hidden",
        now=now,
    )


def message_sent(conversation, message, *, now) -> None:
    expert = conversation.expert
    if message.author_id == expert.user_id:
        people = recipients.org_handlers(conversation.organisation)
        title = _("%(name)s回复了人才对接洽谈") % {"name": expert.name}
    else:
        people = [expert.user] if expert.user_id else []
        title = _("%(org)s向您发来人才对接洽谈") % {"org": conversation.organisation.name}
    notify(
        [p for p in people if p.pk != message.author_id],
        kind=MESSAGE,
        title=title,
        body=message.body[:200],
        url=reverse("exchange:conversation", args=[conversation.pk]),
        key=f"conversation:{conversation.pk}:message:{message.pk}",
        now=now,
    )


# --- to-dos ---------------------------------------------------------------------------------


@todo_source(gettext_lazy("待回答的咨询"))
def questions_to_answer(user):
    from zhouqiao.community.exchange.models import Question, QuestionStatus

    orgs = scope.organisation_ids(user)
    staff = scope.region_q(user, "region", Duty.REVIEWER)
    if not orgs and staff == scope.NOTHING:
        return []
    mine = Q(owner_id__in=orgs) if orgs else scope.NOTHING
    # Staff answer what has no answering organisation: policy clauses, the bureau's own challenges
    # and records of organisations nobody has joined on the platform.
    bureau = (
        Q(owner__isnull=True) | Q(owner__kind="government") | Q(owner__memberships__isnull=True)
    ) & staff
    rows = (
        Question.objects.filter(status=QuestionStatus.WAITING)
        .filter(mine | bureau)
        .distinct()
        .exclude(asker=user)
        .order_by("asked_at", "pk")[:LIMIT]
    )
    return [
        Todo(
            title=_("回答咨询：%(subject)s") % {"subject": q.subject},
            url=question_url(q),
            since=q.asked_at,
            detail=q.body[:80],
        )
        for q in rows
    ]


@todo_source(gettext_lazy("待回复的人才对接洽谈"))
def conversations_to_reply(user):
    from zhouqiao.community.exchange.models import Conversation, Message

    orgs = scope.organisation_ids(user)
    if not getattr(user, "is_authenticated", False):
        return []
    rows = (
        Conversation.objects.filter(Q(expert__user=user) | Q(organisation_id__in=orgs))
        .select_related("expert", "organisation")
        .order_by("-last_at")[:LIMIT]
    )
    rows = list(rows)
    if not rows:
        return []
    last = {}
    for m in Message.objects.filter(conversation__in=rows).order_by("sent_at", "pk").select_related("author"):
        last[m.conversation_id] = m
    out = []
    for c in rows:
        m = last.get(c.pk)
        if m is None:
            continue
        expert_side = c.expert.user_id == user.pk
        from_other = (m.author_id != c.expert.user_id) if expert_side else (m.author_id == c.expert.user_id)
        if from_other:
            other = c.organisation.name if expert_side else c.expert.name
            out.append(
                Todo(
                    title=_("回复人才对接洽谈：%(other)s") % {"other": other},
                    url=reverse("exchange:conversation", args=[c.pk]),
                    since=m.sent_at,
                    detail=m.body[:80],
                )
            )
    return out
