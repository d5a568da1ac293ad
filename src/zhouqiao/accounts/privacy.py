"""A person's rights over their personal information (《个人信息保护法》第十四、四十五、四十七条):
consent to the privacy notice at registration, a copy of their data, and erasure.

Erasure keeps what the law requires to be kept — contracts, deals, applications and the audit trail
(《网络安全法》第二十一条: logs at least six months) — and pseudonymises the account those records
point to: the name, phone, e-mail and ID number are removed, the username becomes ``已注销-<n>``,
the account can no longer sign in, its tokens, sessions, memberships and messages are removed.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.db import transaction
from django.utils.translation import gettext as _

from zhouqiao.accounts import scope
from zhouqiao.accounts.models import ApiToken, LoginSession, Membership, StaffAssignment
from zhouqiao.core import audit
from zhouqiao.core.errors import PermissionDenied, ValidationFailed
from zhouqiao.core.middleware import current_client_ip
from zhouqiao.core.models import AuditEvent, PrivacyConsent

ERASED_PREFIX = "已注销-"


def notice_version() -> str:
    return settings.PRIVACY_NOTICE_VERSION


def record_consent(*, user, now, version: str | None = None) -> PrivacyConsent:
    """The person agreed to the privacy notice shown to them (its version) at ``now``."""
    with transaction.atomic():
        consent = PrivacyConsent.objects.create(
            user=user, notice_version=version or notice_version(), given_at=now, ip=current_client_ip()
        )
        audit.record(
            "privacy.consent",
            actor=user,
            target=user,
            after={"notice_version": consent.notice_version},
            now=now,
        )
    return consent


def _iso(value):
    return value.isoformat() if value else None


def personal_data(*, user, now) -> dict:
    """Everything the platform holds about the person as a person (not their organisation's
    records): the account, memberships, duties, consents, tokens (never their secret), sign-in
    sessions, messages, and what the audit trail records them doing."""
    from zhouqiao.notifications.models import Notification

    data = {
        "exported_at": _iso(now),
        "privacy_notice_version": notice_version(),
        "account": {
            "username": user.username,
            "display_name": user.display_name,
            "email": user.email,
            "phone": user.phone,
            "id_number": user.id_number,
            "date_joined": _iso(user.date_joined),
            "last_login": _iso(user.last_login),
            "password_changed_at": _iso(user.password_changed_at),
        },
        "memberships": [
            {"organisation": m.organisation.name, "role": m.role, "joined_at": _iso(m.joined_at)}
            for m in Membership.objects.filter(user=user).select_related("organisation")
        ],
        "duties": [
            {"duty": a.duty, "jurisdiction": a.jurisdiction_id}
            for a in StaffAssignment.objects.filter(user=user)
        ],
        "consents": [
            {"notice_version": c.notice_version, "given_at": _iso(c.given_at), "ip": c.ip}
            for c in PrivacyConsent.objects.filter(user=user)
        ],
        "api_tokens": [
            {
                "name": t.name,
                "scope": t.scope,
                "created_at": _iso(t.created_at),
                "expires_at": _iso(t.expires_at),
                "last_used_at": _iso(t.last_used_at),
                "revoked_at": _iso(t.revoked_at),
            }
            for t in ApiToken.objects.filter(user=user)
        ],
        "sessions": [
            {
                "created_at": _iso(s.created_at),
                "last_seen_at": _iso(s.last_seen_at),
                "user_agent": s.user_agent,
                "ip": s.ip,
                "ended_at": _iso(s.ended_at),
            }
            for s in LoginSession.objects.filter(user=user)
        ],
        "notifications": [
            {"title": n.title, "body": n.body, "created_at": _iso(n.created_at), "read_at": _iso(n.read_at)}
            for n in Notification.objects.filter(user=user)
        ],
        "activity": [
            {"at": _iso(e.at), "action": e.action, "object": e.target_repr, "ip": e.ip, "success": e.success}
            for e in AuditEvent.objects.filter(actor=user).order_by("at", "id")
        ],
    }
    audit.record("privacy.export", actor=user, target=user, now=now)
    return data


@transaction.atomic(durable=True)
def erase(*, actor, password: str, now):
    """The person erases their own personal data (withdrawing consent). Staff accounts are managed
    by the security administrator and cannot erase themselves here."""
    User = get_user_model()
    user = User.objects.select_for_update().get(pk=actor.pk)
    if not user.check_password(password or ""):
        raise ValidationFailed(_("密码不正确。"), detail={"password": [_("密码不正确。")]})
    if StaffAssignment.objects.filter(user=user).exists():
        raise PermissionDenied(_("工作人员账号由安全管理员办理注销，请联系本单位安全管理员。"), code="staff")
    before = {"username": user.username}
    user.username = f"{ERASED_PREFIX}{user.pk}"
    if hasattr(user, "username_key"):
        user.username_key = user.username
    user.display_name = ""
    user.first_name = user.last_name = ""
    user.email = ""
    user.phone = ""
    user.id_number = ""
    user.is_active = False
    user.set_unusable_password()
    user.save()
    # Filed, like the account's other records, under the organisation it belonged to.
    audit.record("privacy.erase", actor=user, target=user, before=before, now=now)
    ApiToken.objects.filter(user=user).delete()
    keys = list(LoginSession.objects.filter(user=user).values_list("session_key", flat=True))
    Session.objects.filter(session_key__in=keys).delete()
    LoginSession.objects.filter(user=user).delete()
    Membership.objects.filter(user=user).delete()
    scope.forget(user)
    from zhouqiao.notifications.models import Notification

    Notification.objects.filter(user=user).delete()
    return user
