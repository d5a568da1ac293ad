"""Every write of 互动交流 / 信息发布: ask, answer, hide; publish and withdraw notices; talent talks.

Each service owns its transaction, checks the actor with the same rule the pages use to show the
button (``exchange.rules``), validates everything before writing, writes an audit record and tells
whoever waits next (``exchange.todos``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from zhouqiao.accounts import scope
from zhouqiao.accounts.models import Duty, Membership, Organisation, StaffAssignment
from zhouqiao.accounts.states import VerificationStatus
from zhouqiao.catalog import files
from zhouqiao.community.exchange import rules, todos
from zhouqiao.community.exchange.models import (
    Conversation,
    Message,
    Notice,
    NoticeAttachment,
    NoticeKind,
    Question,
    QuestionStatus,
    TargetKind,
)
from zhouqiao.community.models import Expert, ExpertStatus, TalentAvailability
from zhouqiao.core import audit
from zhouqiao.core.contact import contact_message
from zhouqiao.core.errors import NotFound, PermissionDenied, ValidationFailed
from zhouqiao.core.locking import lock
from zhouqiao.core.models import Region

MAX_QUESTION = 1000
MAX_ANSWER = 3000
MAX_MESSAGE = 2000
MAX_ATTACHMENTS = 5
NOTICE_DIR = "notices"


def attachment_limit() -> int:
    """Bytes per notice attachment (setting ``EXCHANGE_ATTACHMENT_MAX_BYTES``, 10 MiB)."""
    return int(getattr(settings, "EXCHANGE_ATTACHMENT_MAX_BYTES", 10 * 1024 * 1024))


def _text(value: str, *, field: str, empty, limit: int) -> str:
    text = (value or "").strip()
    if not text:
        raise ValidationFailed(empty, code="empty", detail={field: [str(empty)]})
    if len(text) > limit:
        message = _("不能超过%(n)s个字。") % {"n": limit}
        raise ValidationFailed(message, code="too_long", detail={field: [message]})
    return text


def _public_text(value: str, *, field: str, empty, limit: int) -> str:
    """Text everybody will read: besides ``_text``, no phone number or e-mail address."""
    text = _text(value, field=field, empty=empty, limit=limit)
    message = contact_message(text)
    if message:
        raise ValidationFailed(message, code="contact_details", detail={field: [message]})
    return text


# --- questions ------------------------------------------------------------------------------


@transaction.atomic(durable=True)
def ask(*, actor, kind: str, target: str, body: str, now: datetime) -> Question:
    """Ask a public question on a published record or an encoded policy clause."""
    if not getattr(actor, "is_authenticated", False):
        raise PermissionDenied(_("请先登录再提问。"))
    text = _public_text(body, field="body", empty=_("请填写问题内容。"), limit=MAX_QUESTION)
    found = rules.target(actor, kind, target)
    if found is None or not found.open:
        raise NotFound(_("该记录不存在或暂不接受提问。"))
    question = Question.objects.create(
        kind=kind,
        **found.link,
        owner=found.owner,
        region_id=found.region,
        subject=found.title[:200],
        body=text,
        asker=actor,
        asked_at=now,
    )
    audit.record(
        "exchange.question.asked",
        actor=actor,
        target=question,
        after={"kind": kind, "subject": question.subject},
        now=now,
    )
    todos.question_asked(question, now=now)
    return question


@transaction.atomic(durable=True)
def answer(*, actor, question_id: int, text: str, now: datetime) -> Question:
    # No select_related in a row lock: PostgreSQL cannot lock the nullable side of an outer join.
    question = lock(Question.objects.all(), question_id)
    if not rules.may_answer(actor, question):
        raise PermissionDenied(_("只有该记录的所属机构或主管部门可以回答。"))
    reply = _public_text(text, field="answer", empty=_("请填写回答内容。"), limit=MAX_ANSWER)
    question.answer = reply
    question.answered_by = actor
    question.answered_as = rules.answering_as(actor, question)
    question.answered_at = now
    question.status = QuestionStatus.ANSWERED
    question.save(update_fields=["answer", "answered_by", "answered_as", "answered_at", "status"])
    audit.record(
        "exchange.question.answered",
        actor=actor,
        target=question,
        after={"answer": reply[:200], "as": question.answered_as},
        now=now,
    )
    todos.question_answered(question, now=now)
    return question


@transaction.atomic(durable=True)
def hide(*, actor, question_id: int, reason: str, now: datetime) -> Question:
    """Moderation: a reviewer of the region hides a question (and its answer) with a reason."""
    question = lock(Question.objects.all(), question_id)
    if not rules.may_hide(actor, question):
        raise PermissionDenied(_("只有该地区的审核员可以隐藏问答。"))
    why = _text(reason, field="reason", empty=_("请填写隐藏原因。"), limit=500)
    before = {"status": question.status}
    question.status = QuestionStatus.HIDDEN
    question.hidden_reason = why
    question.hidden_by = actor
    question.hidden_at = now
    question.save(update_fields=["status", "hidden_reason", "hidden_by", "hidden_at"])
    audit.record(
        "exchange.question.hidden",
        actor=actor,
        target=question,
        before=before,
        after={"status": "hidden"},
        reason=why,
        now=now,
    )
    todos.question_hidden(question, now=now)
    return question


# --- notices --------------------------------------------------------------------------------


@dataclass(frozen=True)
class NoticeData:
    kind: str
    title: str
    body: str
    region: str
    publish_at: datetime | None
    number: str = ""
    seed: str = ""


def _jurisdiction_for(actor, region_code: str) -> Region:
    """The actor's most specific business jurisdiction whose subtree holds ``region_code``."""
    held = [
        a.jurisdiction
        for a in StaffAssignment.objects.filter(user=actor, duty__in=scope.BUSINESS_DUTIES).select_related(
            "jurisdiction"
        )
        if a.jurisdiction.contains(region_code)
    ]
    return max(held, key=lambda r: len(r.scope_prefix))


def _publisher(actor, jurisdiction: Region) -> str:
    name = (
        Organisation.objects.filter(
            pk__in=Membership.objects.filter(user=actor).values("organisation_id"), kind="government"
        )
        .values_list("name", flat=True)
        .first()
    )
    return name or _("%(region)s科技主管部门") % {"region": jurisdiction.name}


def _validate_notice(actor, data: NoticeData, uploads) -> tuple[Region, list]:
    errors: dict[str, list[str]] = {}

    def fail(key, message):
        errors.setdefault(key, []).append(str(message))

    if data.kind not in NoticeKind.values:
        fail("kind", _("请选择类别。"))
    title = (data.title or "").strip()
    if not title:
        fail("title", _("请填写标题。"))
    elif len(title) > 200:
        fail("title", _("标题不能超过200个字。"))
    if not (data.body or "").strip():
        fail("body", _("请填写正文。"))
    elif len(data.body) > 20000:
        fail("body", _("正文不能超过20000个字。"))
    if len((data.number or "").strip()) > 64:
        fail("number", _("文号不能超过64个字。"))
    region = (data.region or "").strip()
    jurisdiction = None
    if not region or not Region.objects.filter(code=region).exists():
        fail("region", _("请选择涉及地区。"))
    elif not scope.covers(actor, region):
        fail("region", _("只能发布本管辖区域内的公告。"))
    else:
        jurisdiction = _jurisdiction_for(actor, region)
    checked = []
    uploads = [u for u in uploads or [] if u]
    if len(uploads) > MAX_ATTACHMENTS:
        fail("attachments", _("每条公告最多上传 %(n)s 个附件。") % {"n": MAX_ATTACHMENTS})
    for upload in uploads[:MAX_ATTACHMENTS]:
        try:
            files.check_size(upload, attachment_limit())
            checked.append((upload, *files.check_attachment(upload)))
        except ValidationFailed as exc:
            fail("attachments", f"{files.safe_display_name(upload.name)}：{exc.message}")
    if errors:
        first = next(iter(errors.values()))[0]
        raise ValidationFailed(first, code="invalid_notice", detail=errors)
    return jurisdiction, checked


@transaction.atomic(durable=True)
def publish_notice(*, actor, data: NoticeData, uploads=(), now: datetime) -> Notice:
    """Publish a notice of the actor's jurisdiction: now when ``publish_at`` is empty, scheduled when
    it is in the future; a past time is kept as the date the document was issued (an older policy
    document put on the platform) and the notice shows at once."""
    if not scope.is_business_staff(actor):
        raise PermissionDenied(_("只有科技主管部门工作人员可以发布公告。"))
    jurisdiction, checked = _validate_notice(actor, data, uploads)
    notice = Notice.objects.create(
        kind=data.kind,
        title=data.title.strip(),
        body=data.body.strip(),
        number=(data.number or "").strip(),
        region_id=data.region,
        jurisdiction=jurisdiction,
        publisher=_publisher(actor, jurisdiction),
        publish_at=data.publish_at or now,
        seed=(data.seed or "").strip() if data.kind == NoticeKind.POLICY else "",
        created_by=actor,
        created_at=now,
    )
    stored = []
    try:
        for upload, ext, content_type in checked:
            name, size, digest = files.store(upload, NOTICE_DIR, ext)
            stored.append(name)
            NoticeAttachment.objects.create(
                notice=notice,
                original_name=files.safe_display_name(upload.name),
                stored_name=name,
                content_type=content_type,
                size=size,
                sha256=digest,
                uploaded_at=now,
            )
        audit.record(
            "exchange.notice.published",
            actor=actor,
            target=notice,
            after={
                "kind": notice.kind,
                "title": notice.title,
                "publish_at": notice.publish_at,
                "attachments": [a.original_name for a in notice.attachments.all()],
            },
            now=now,
        )
    except Exception:
        for name in stored:
            files.discard(NOTICE_DIR, name)
        raise
    return notice


@transaction.atomic(durable=True)
def withdraw_notice(*, actor, notice_id: int, now: datetime) -> Notice:
    notice = lock(Notice.objects.all(), notice_id)
    if not rules.may_manage_notice(actor, notice) or notice.withdrawn_at is not None:
        raise PermissionDenied(_("只有发布部门可以撤回该公告。"))
    notice.withdrawn_at = now
    notice.save(update_fields=["withdrawn_at"])
    audit.record("exchange.notice.withdrawn", actor=actor, target=notice, now=now)
    return notice


# --- talent conversations -------------------------------------------------------------------


@transaction.atomic(durable=True)
def open_conversation(
    *, actor, expert_id: int, organisation_id: int, post: str, body: str, now: datetime
) -> Conversation:
    """An organisation member writes to a person of the talent database (opens or continues the
    one thread between them)."""
    expert = lock(Expert.objects.all(), expert_id)  # no outer join under FOR UPDATE (PostgreSQL)
    if organisation_id not in scope.organisation_ids(actor):
        raise PermissionDenied(_("请以您所在机构的名义发起对接。"))
    organisation = Organisation.objects.get(pk=organisation_id)
    if organisation.status != VerificationStatus.VERIFIED:
        raise PermissionDenied(_("所在机构通过认证后才能发起人才对接。"))
    if (
        expert.status != ExpertStatus.APPROVED
        or expert.user_id is None
        or expert.availability == TalentAvailability.CLOSED
    ):
        raise ValidationFailed(_("该人才目前不接受对接。"), code="closed")
    if expert.user_id == actor.pk:
        raise ValidationFailed(_("不能与自己发起对接。"), code="self")
    text = _text(body, field="body", empty=_("请填写留言内容。"), limit=MAX_MESSAGE)
    if post and post not in rules.POSTS:
        raise ValidationFailed(
            _("请选择洽谈岗位。"), code="bad_post", detail={"post": [_("请选择洽谈岗位。")]}
        )
    conversation, created = Conversation.objects.get_or_create(
        expert=expert,
        organisation=organisation,
        defaults={"started_by": actor, "post": post, "created_at": now, "last_at": now},
    )
    if created:
        audit.record(
            "exchange.conversation.opened",
            actor=actor,
            target=conversation,
            after={"expert": expert.pk, "organisation": organisation.pk, "post": post},
            region_code=expert.region_id,
            now=now,
        )
    _post_message(conversation, actor, text, now)
    return conversation


@transaction.atomic(durable=True)
def send_message(*, actor, conversation_id: int, body: str, now: datetime) -> Message:
    conversation = lock(Conversation.objects.select_related("expert", "organisation"), conversation_id)
    if not rules.in_conversation(actor, conversation):
        raise NotFound(_("洽谈不存在。"))
    text = _text(body, field="body", empty=_("请填写留言内容。"), limit=MAX_MESSAGE)
    return _post_message(conversation, actor, text, now)


def _post_message(conversation, actor, text, now) -> Message:
    message = Message.objects.create(conversation=conversation, author=actor, body=text, sent_at=now)
    conversation.last_at = now
    conversation.save(update_fields=["last_at"])
    audit.record(
        "exchange.message.sent",
        actor=actor,
        target=conversation,
        after={"message": message.pk},
        region_code=conversation.expert.region_id,
        now=now,
    )
    todos.message_sent(conversation, message, now=now)
    return message


# --- the talent marks of an expert (人才资源库) -----------------------------------------------


@transaction.atomic(durable=True)
def update_talent(
    *,
    actor,
    expert_id: int,
    category: str,
    vice_president: bool,
    industry_professor: bool,
    availability: str,
    now,
) -> Expert:
    from zhouqiao.community.models import TalentCategory
    from zhouqiao.community.services import is_officer_for

    expert = lock(Expert.objects.all(), expert_id)
    if expert.user_id != actor.pk and not is_officer_for(actor, expert):
        raise PermissionDenied(_("只有本人或主管部门可以修改人才信息。"))
    errors = {}
    if category not in TalentCategory.values:
        errors["category"] = [_("请选择人才类别。")]
    if availability not in TalentAvailability.values:
        errors["availability"] = [_("请选择对接意愿。")]
    if errors:
        raise ValidationFailed(next(iter(errors.values()))[0], detail=errors)
    fields = ["category", "vice_president", "industry_professor", "availability"]
    before = audit.snapshot(expert, fields)
    expert.category = category
    expert.vice_president = bool(vice_president)
    expert.industry_professor = bool(industry_professor)
    expert.availability = availability
    expert.updated_at = now
    expert.save(update_fields=[*fields, "updated_at"])
    audit.record(
        "community.talent.updated",
        actor=actor,
        target=expert,
        before=before,
        after=audit.snapshot(expert, fields),
        now=now,
    )
    return expert


__all__ = [
    "Duty",
    "NoticeData",
    "TargetKind",
    "answer",
    "ask",
    "hide",
    "open_conversation",
    "publish_notice",
    "send_message",
    "update_talent",
    "withdraw_notice",
]
