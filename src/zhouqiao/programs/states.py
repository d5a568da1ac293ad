"""Project calls (科技计划项目申报): statuses and the moves allowed between them.

A call runs draft → open (申报中) → review (评审中) → notice (公示中) → closed (已立项). An
application runs draft → submitted → accepted (形式审查通过) or returned (退回修改, and resubmitted);
an accepted application is approved (拟立项) or not funded at the end of review, and an approved one
is established (已立项) after the notice period.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CallStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    OPEN = "open", _("申报中")
    REVIEW = "review", _("评审中")
    NOTICE = "notice", _("公示中")
    CLOSED = "closed", _("已立项")


CALL_MOVES = {
    CallStatus.DRAFT: {CallStatus.OPEN},
    CallStatus.OPEN: {CallStatus.REVIEW},
    CallStatus.REVIEW: {CallStatus.NOTICE},
    CallStatus.NOTICE: {CallStatus.CLOSED},
    CallStatus.CLOSED: set(),
}


class ApplicationStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("待形式审查")
    RETURNED = "returned", _("退回修改")
    ACCEPTED = "accepted", _("已受理")
    APPROVED = "approved", _("拟立项")
    NOT_FUNDED = "not_funded", _("未获立项")
    ESTABLISHED = "established", _("已立项")


APPLICATION_MOVES = {
    ApplicationStatus.DRAFT: {ApplicationStatus.SUBMITTED},
    ApplicationStatus.SUBMITTED: {ApplicationStatus.ACCEPTED, ApplicationStatus.RETURNED},
    ApplicationStatus.RETURNED: {ApplicationStatus.SUBMITTED},
    ApplicationStatus.ACCEPTED: {ApplicationStatus.APPROVED, ApplicationStatus.NOT_FUNDED},
    ApplicationStatus.APPROVED: {ApplicationStatus.ESTABLISHED, ApplicationStatus.NOT_FUNDED},
    ApplicationStatus.NOT_FUNDED: set(),
    ApplicationStatus.ESTABLISHED: set(),
}


class Aggregation(models.TextChoices):
    TRIMMED = "trimmed", _("去掉一个最高分和一个最低分后取平均（评审专家不少于5人时）")
    MEAN = "mean", _("全部评分取平均")


class AssignmentRun(models.TextChoices):
    IDLE = "idle", _("未开始")
    QUEUED = "queued", _("排队中")
    RUNNING = "running", _("分配中")
    DONE = "done", _("已完成")
    FAILED = "failed", _("未完成")
