from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    """One message to one person about one event (``key``): a person is told about an event once."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(_("类型"), max_length=64)
    key = models.CharField(max_length=160)
    title = models.CharField(_("标题"), max_length=255)
    body = models.TextField(_("内容"), blank=True)
    url = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(_("时间"))
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("消息")
        verbose_name_plural = _("消息")
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="notification_once_per_event")]
        indexes = [models.Index(fields=["user", "read_at"], name="notification_unread")]

    def __str__(self) -> str:
        return self.title


class EmailPreference(models.Model):
    """The kinds a person also wants by e-mail (opt-in; the inbox always gets every kind)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("邮件提醒设置")
        verbose_name_plural = _("邮件提醒设置")
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="email_preference_once")]

    def __str__(self) -> str:
        return f"{self.user} · {self.kind}"
