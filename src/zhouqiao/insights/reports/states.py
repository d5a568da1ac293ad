from django.db import models
from django.utils.translation import gettext_lazy as _


class VersionStatus(models.TextChoices):
    QUEUED = "queued", _("排队等待生成")
    RUNNING = "running", _("正在生成")
    READY = "ready", _("已生成")
    FAILED = "failed", _("生成失败")


FINISHED = (VersionStatus.READY, VersionStatus.FAILED)
