"""The expert registry's statuses and who may move an expert between them.

applied   → approved | rejected   (program officer of the jurisdiction)
rejected  → applied               (the person, by correcting and resubmitting the profile)
approved  → suspended             (program officer, with a reason)
suspended → approved              (program officer: 恢复)

An invitation accepted by the invited person enters the expert as approved directly: staff asked,
the person consented.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from zhouqiao.community.models import ExpertStatus


class Actor(models.TextChoices):
    PERSON = "person", _("本人")
    OFFICER = "officer", _("项目管理人员")


EXPERT_TRANSITIONS: dict[str, dict[str, str]] = {
    ExpertStatus.APPLIED: {ExpertStatus.APPROVED: Actor.OFFICER, ExpertStatus.REJECTED: Actor.OFFICER},
    ExpertStatus.REJECTED: {ExpertStatus.APPLIED: Actor.PERSON},
    ExpertStatus.APPROVED: {ExpertStatus.SUSPENDED: Actor.OFFICER},
    ExpertStatus.SUSPENDED: {ExpertStatus.APPROVED: Actor.OFFICER},
}

# Moves that need a written reason (the person is told why).
REASON_REQUIRED = {ExpertStatus.REJECTED, ExpertStatus.SUSPENDED}
