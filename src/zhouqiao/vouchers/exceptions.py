"""Messages and error helpers shared by the voucher services."""

from django.utils.translation import gettext_lazy as _

from zhouqiao.core.errors import ValidationFailed

NOT_ALLOWED = _("您无权执行此操作。")


def field_error(field: str, message) -> ValidationFailed:
    return ValidationFailed(message, detail={field: [str(message)]})
