"""The second factor: a TOTP authenticator (RFC 6238: 30 s steps, 6 digits; pyotp).

等保 level 3 expects two factors for administrators: the three administrators (system, security,
audit) and finance staff must use one; anybody else may. A person the requirement newly applies to
is told at their first sign-in and may sign in with the password alone for ``TOTP_GRACE_DAYS``
more days; after that the sign-in goes through enrolment (a QR code to scan, then one code).

A code is accepted within one step either side of the server's clock, and never twice (the step of
the last accepted code is kept and must grow).
"""

from datetime import timedelta

import pyotp
import segno
from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from zhouqiao.accounts import scope
from zhouqiao.accounts.models import Duty, TotpDevice, User
from zhouqiao.core import audit
from zhouqiao.core.errors import PermissionDenied, ValidationFailed

REQUIRED_DUTIES = (Duty.SYSTEM_ADMIN, Duty.SECURITY_ADMIN, Duty.AUDIT_ADMIN, Duty.FINANCE)
ISSUER = "舟桥"
STEP = 30

# What a sign-in with the right password needs next.
LOGIN_OK = "ok"  # no second factor needed (or still within the grace period)
LOGIN_VERIFY = "verify"  # enter the code of the enrolled authenticator
LOGIN_ENROL = "enrol"  # required and past the grace period: enrol now


def grace() -> timedelta:
    return timedelta(days=getattr(settings, "TOTP_GRACE_DAYS", 7))


def is_required(user) -> bool:
    return any(scope.has_duty(user, duty) for duty in REQUIRED_DUTIES)


def device_of(user) -> TotpDevice | None:
    return TotpDevice.objects.filter(user=user).first()


def is_enrolled(user) -> bool:
    return TotpDevice.objects.filter(user=user, confirmed_at__isnull=False).exists()


def login_state(user, *, now) -> str:
    if is_enrolled(user):
        return LOGIN_VERIFY
    if not is_required(user):
        return LOGIN_OK
    if user.totp_required_since is not None and now - user.totp_required_since > grace():
        return LOGIN_ENROL
    return LOGIN_OK


def grace_ends(user, *, now):
    """For a person who must enrol and has not: when the grace period ends (starting it now)."""
    if user.totp_required_since is None:
        User.objects.filter(pk=user.pk, totp_required_since=None).update(totp_required_since=now)
        user.totp_required_since = now
    return user.totp_required_since + grace()


def _step(now) -> int:
    return int(now.timestamp()) // STEP


def verify_code(device: TotpDevice, code: str, *, now) -> bool:
    """Whether ``code`` is right for ``device`` now and not used before; remembers it if so."""
    code = "".join((code or "").split())
    if not (code.isdigit() and len(code) == 6):
        return False
    totp = pyotp.TOTP(device.secret)
    current = _step(now)
    for step in (current, current - 1, current + 1):
        if step > device.last_step and totp.at(step * STEP) == code:
            # A conditional update, so that two requests cannot both spend the same code.
            used = TotpDevice.objects.filter(pk=device.pk, last_step__lt=step).update(last_step=step)
            if used:
                device.last_step = step
                return True
            return False
    return False


def provisioning_uri(device: TotpDevice) -> str:
    return pyotp.TOTP(device.secret).provisioning_uri(name=device.user.username, issuer_name=ISSUER)


def qr_svg(device: TotpDevice) -> str:
    """The enrolment QR code as inline SVG markup (no image request, nothing stored)."""
    return segno.make(provisioning_uri(device), error="m").svg_inline(scale=4, title=_("动态口令二维码"))


@transaction.atomic(durable=True)
def start_enrolment(*, actor: User, now) -> TotpDevice:
    """The secret ``actor`` is to scan: a new one, or the one of an enrolment begun and not yet
    confirmed. An enrolled person removes the old authenticator first."""
    device = TotpDevice.objects.select_for_update().filter(user=actor).first()
    if device is not None:
        return device
    if device is None:
        device = TotpDevice(user=actor)
    device.secret, device.created_at, device.confirmed_at, device.last_step = (
        pyotp.random_base32(),
        now,
        None,
        0,
    )
    device.save()
    return device


@transaction.atomic(durable=True)
def confirm_enrolment(*, actor: User, code: str, now) -> TotpDevice:
    """The first code from the authenticator proves it holds the secret: the device is enrolled."""
    device = TotpDevice.objects.select_for_update().filter(user=actor).first()
    if device is None:
        raise ValidationFailed(_("请先扫描二维码。"), detail={"code": [_("请先扫描二维码。")]})
    if device.confirmed:
        return device
    if not verify_code(device, code, now=now):
        message = _("动态口令不正确，请输入验证器当前显示的6位数字。")
        raise ValidationFailed(message, code="wrong_code", detail={"code": [message]})
    device.confirmed_at = now
    device.save(update_fields=["confirmed_at"])
    audit.record("auth.second_factor_enrol", actor=actor, target=actor, now=now)
    return device


@transaction.atomic(durable=True)
def remove(*, actor: User, password: str, now) -> None:
    """Remove one's authenticator (with the password). Not for those who must use one."""
    if is_required(actor):
        raise PermissionDenied(_("您的职责要求使用动态口令，不能解除绑定。"), code="second_factor_required")
    if not actor.check_password(password or ""):
        message = _("密码不正确。")
        raise ValidationFailed(message, code="wrong_password", detail={"password": [message]})
    deleted, _rows = TotpDevice.objects.filter(user=actor).delete()
    if deleted:
        audit.record("auth.second_factor_remove", actor=actor, target=actor, now=now)
