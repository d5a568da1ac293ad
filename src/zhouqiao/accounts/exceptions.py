from django.utils.translation import gettext_lazy as _

from zhouqiao.core.errors import Conflict, DomainError, PermissionDenied, ValidationFailed

__all__ = ["Conflict", "DomainError", "PermissionDenied", "ValidationFailed", "NOT_ALLOWED"]

NOT_ALLOWED = _("您无权执行此操作。")
