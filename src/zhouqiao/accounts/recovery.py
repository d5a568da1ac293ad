"""Password reset by e-mail (Django's own token flow): the writes and their audit records.

Lockout: a reset does NOT lift an axes lock. The lock answers failed logins (等保: 登录失败处理);
proving control of the mailbox does not show who made those attempts, and whoever holds the
mailbox could otherwise turn five failures into an immediate login. The new password works once
the lock's 30 minutes are over; the page says so.
"""

from django.db import transaction
from django.utils.translation import gettext as _

from zhouqiao.accounts.models import User
from zhouqiao.accounts.services import _check_password, revoke_all_tokens
from zhouqiao.core import audit
from zhouqiao.core.errors import ValidationFailed
from zhouqiao.core.locking import lock


@transaction.atomic(durable=True)
def record_reset_mail(*, user: User, now) -> None:
    """A reset link was mailed to ``user`` (never said to the person asking)."""
    audit.record("auth.password_reset_mail", actor_name=user.get_username(), target=user, now=now)


@transaction.atomic(durable=True)
def reset_password(*, user_id: int, new_password: str, now) -> User:
    """Set a new password from a valid reset link: the password rules apply, the old password may
    not come back (or a reset would renew an expired password), and the age starts again."""
    user = lock(User.objects.all(), user_id)
    if user.check_password(new_password):
        message = _("新密码不能与原密码相同。")
        raise ValidationFailed(message, detail={"new_password1": [message]})
    _check_password(new_password, user)
    user.set_password(new_password)
    user.password_changed_at = now
    user.save(update_fields=["password", "password_changed_at"])
    audit.record("auth.password_reset", actor=user, target=user, reason=_("通过邮件中的链接重设"), now=now)
    revoke_all_tokens(user, now=now, reason=_("重设密码"))
    return user
