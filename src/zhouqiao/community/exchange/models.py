"""互动交流 and 信息发布 (seed 001 #13): public questions on a record, notices, talent conversations.

A **question** is asked in public on one published record (an achievement, a demand, a 揭榜挂帅
challenge) or on one encoded policy clause, and answered once, by a member of the record's owner
or by the bureau whose jurisdiction covers the record's region (a policy clause: the issuing
bureau's jurisdiction). Reviewer staff of that region may hide a question with a reason; the asker
is told. Private negotiation threads stay in ``market``.

A **notice** (通知公告, 政策文件, 申报指南) is published by staff of a jurisdiction, concerns a region,
carries checked attachments and a publication time: nobody but staff of that jurisdiction sees it
before then (scheduled publication).

A **conversation** is the private thread an organisation member opens with a person of the talent
database (人才资源库) — the 双融 posts of 001 #17.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from zhouqiao.accounts.models import Organisation
from zhouqiao.core.models import Region


class TargetKind(models.TextChoices):
    ACHIEVEMENT = "achievement", _("科技成果")
    DEMAND = "demand", _("技术需求")
    CHALLENGE = "challenge", _("揭榜挂帅榜单")
    POLICY = "policy", _("政策条款")


class QuestionStatus(models.TextChoices):
    WAITING = "waiting", _("待回答")
    ANSWERED = "answered", _("已回答")
    HIDDEN = "hidden", _("已隐藏")


class Question(models.Model):
    kind = models.CharField(_("咨询对象"), max_length=12, choices=TargetKind.choices)
    achievement = models.ForeignKey(
        "catalog.Achievement", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    demand = models.ForeignKey(
        "catalog.Demand", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    challenge = models.ForeignKey(
        "challenges.Challenge", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    rule_id = models.CharField(_("政策条款"), max_length=80, blank=True)
    # Who answers: the owner's members (none for a policy clause) and the bureau of the region.
    owner = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("所属机构"),
    )
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", verbose_name=_("所在地区"))
    subject = models.CharField(_("咨询对象名称"), max_length=200)
    body = models.TextField(_("问题"))
    asker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    asked_at = models.DateTimeField(_("提问时间"))
    status = models.CharField(
        _("状态"), max_length=12, choices=QuestionStatus.choices, default=QuestionStatus.WAITING
    )
    answer = models.TextField(_("回答"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    answered_as = models.CharField(_("回答方"), max_length=128, blank=True)
    answered_at = models.DateTimeField(_("回答时间"), null=True, blank=True)
    hidden_reason = models.TextField(_("隐藏原因"), blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    hidden_at = models.DateTimeField(_("隐藏时间"), null=True, blank=True)
    is_sample = models.BooleanField(_("演示数据"), default=False)

    class Meta:
        ordering = ["-asked_at", "-pk"]
        verbose_name = _("咨询问答")
        verbose_name_plural = _("咨询问答")
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=TargetKind.values), name="question_kind_known"),
            models.CheckConstraint(
                condition=Q(status__in=QuestionStatus.values), name="question_status_known"
            ),
            models.CheckConstraint(
                condition=(
                    Q(
                        kind="achievement",
                        achievement__isnull=False,
                        demand__isnull=True,
                        challenge__isnull=True,
                    )
                    | Q(kind="demand", demand__isnull=False, achievement__isnull=True, challenge__isnull=True)
                    | Q(
                        kind="challenge",
                        challenge__isnull=False,
                        achievement__isnull=True,
                        demand__isnull=True,
                    )
                    | (
                        Q(
                            kind="policy",
                            achievement__isnull=True,
                            demand__isnull=True,
                            challenge__isnull=True,
                        )
                        & ~Q(rule_id="")
                    )
                ),
                name="question_one_target",
            ),
            models.CheckConstraint(
                condition=~Q(status="answered") | ~Q(answer=""), name="question_answered_has_answer"
            ),
            models.CheckConstraint(
                condition=~Q(status="hidden") | ~Q(hidden_reason=""), name="question_hidden_has_reason"
            ),
        ]
        indexes = [models.Index(fields=["kind", "status"]), models.Index(fields=["status", "region"])]

    def __str__(self) -> str:
        return self.body[:60]

    @property
    def target_pk(self):
        return {
            TargetKind.ACHIEVEMENT: self.achievement_id,
            TargetKind.DEMAND: self.demand_id,
            TargetKind.CHALLENGE: self.challenge_id,
        }.get(self.kind, self.rule_id)


class NoticeKind(models.TextChoices):
    NOTICE = "notice", _("通知公告")
    POLICY = "policy", _("政策文件")
    GUIDE = "guide", _("申报指南")


class Notice(models.Model):
    kind = models.CharField(_("类别"), max_length=12, choices=NoticeKind.choices, default=NoticeKind.NOTICE)
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("正文"))
    number = models.CharField(_("文号"), max_length=64, blank=True)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", verbose_name=_("涉及地区"))
    # The jurisdiction of the staff who published it (who may edit and see it before publication).
    jurisdiction = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="+", verbose_name=_("发布部门所在地区")
    )
    publisher = models.CharField(_("发布单位"), max_length=128)
    publish_at = models.DateTimeField(_("发布时间"), db_index=True)
    # A policy document may be one of the seed documents the policy engine encodes (001, 002, 003).
    seed = models.CharField(_("对应政策文件编号"), max_length=8, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("创建时间"))
    withdrawn_at = models.DateTimeField(_("撤回时间"), null=True, blank=True)
    is_sample = models.BooleanField(_("演示数据"), default=False)

    class Meta:
        ordering = ["-publish_at", "-pk"]
        verbose_name = _("通知公告")
        verbose_name_plural = _("通知公告")
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=NoticeKind.values), name="notice_kind_known"),
        ]
        indexes = [models.Index(fields=["kind", "publish_at"])]

    def __str__(self) -> str:
        return self.title


class NoticeAttachment(models.Model):
    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="attachments")
    original_name = models.CharField(_("文件名"), max_length=200)
    stored_name = models.CharField(max_length=64, unique=True)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField(_("大小（字节）"))
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField(_("上传时间"))

    class Meta:
        ordering = ["pk"]
        verbose_name = _("公告附件")
        verbose_name_plural = _("公告附件")

    def __str__(self) -> str:
        return self.original_name


class Conversation(models.Model):
    """A private thread between an organisation (its member who opened it) and a person of the
    talent database. One per (person, organisation)."""

    expert = models.ForeignKey("community.Expert", on_delete=models.CASCADE, related_name="conversations")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    post = models.CharField(_("洽谈岗位"), max_length=24, blank=True)
    created_at = models.DateTimeField(_("发起时间"))
    last_at = models.DateTimeField(_("最后消息时间"))

    class Meta:
        ordering = ["-last_at", "-pk"]
        verbose_name = _("人才对接洽谈")
        verbose_name_plural = _("人才对接洽谈")
        constraints = [
            models.UniqueConstraint(fields=["expert", "organisation"], name="conversation_once_per_pair"),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} · {self.expert}"


class Message(models.Model):
    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField(_("内容"))
    sent_at = models.DateTimeField(_("发送时间"))

    class Meta:
        ordering = ["sent_at", "pk"]
        verbose_name = _("洽谈消息")
        verbose_name_plural = _("洽谈消息")

    def __str__(self) -> str:
        return self.body[:40]
