"""Project statuses and the moves between them (立项 → 实施 → 中期检查 → 验收 → 后补助).

The transition table says who may take each move; ``services`` is the only place that applies it.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ProjectStatus(models.TextChoices):
    IN_PROGRESS = "in_progress", _("实施中")
    RECTIFYING = "rectifying", _("整改中")
    UNDER_ACCEPTANCE = "under_acceptance", _("验收中")
    ACCEPTED = "accepted", _("已验收")
    FAILED = "failed", _("验收未通过")
    TERMINATED = "terminated", _("已终止")


OFFICER, UNDERTAKER = "officer", "undertaker"

# {status: {next: who may}}
TRANSITIONS: dict[str, dict[str, str]] = {
    ProjectStatus.IN_PROGRESS: {
        ProjectStatus.RECTIFYING: OFFICER,  # mid-term check: 整改
        ProjectStatus.TERMINATED: OFFICER,  # mid-term check: 终止
        ProjectStatus.UNDER_ACCEPTANCE: OFFICER,  # panel formed after the final report
    },
    ProjectStatus.RECTIFYING: {
        ProjectStatus.IN_PROGRESS: OFFICER,  # a new mid-term check: 通过
        ProjectStatus.TERMINATED: OFFICER,
    },
    ProjectStatus.UNDER_ACCEPTANCE: {
        ProjectStatus.ACCEPTED: OFFICER,
        ProjectStatus.FAILED: OFFICER,
    },
    ProjectStatus.ACCEPTED: {},
    ProjectStatus.FAILED: {},
    ProjectStatus.TERMINATED: {},
}


class MidTermConclusion(models.TextChoices):
    PASSED = "passed", _("通过")
    RECTIFY = "rectify", _("整改")
    TERMINATE = "terminate", _("终止")


class MilestoneStatus(models.TextChoices):
    PENDING = "pending", _("待完成")
    REPORTED = "reported", _("已报告，待确认")
    CONFIRMED = "confirmed", _("已确认")


class Opinion(models.TextChoices):
    PASS = "pass", _("同意通过验收")
    FAIL = "fail", _("不同意通过验收")


class AcceptanceConclusion(models.TextChoices):
    PASSED = "passed", _("通过验收")
    FAILED = "failed", _("不通过验收")
