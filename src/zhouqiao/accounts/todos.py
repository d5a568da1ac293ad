"""What waits in account and organisation verification, and who is told."""

from datetime import timedelta

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from zhouqiao.accounts import scope, selectors
from zhouqiao.accounts.models import (
    Duty,
    InvitationKind,
    InvitationStatus,
    MemberRole,
    MembershipInvitation,
    Organisation,
)
from zhouqiao.accounts.states import VerificationStatus
from zhouqiao.notifications.registry import Todo, kind, todo_source

SUBMITTED = kind("accounts.organisation_submitted", _("机构认证待审核"))
VERIFIED = kind("accounts.organisation_verified", _("机构认证通过"))
RETURNED = kind("accounts.organisation_returned", _("机构认证被退回"))
MEMBER_INVITED = kind("accounts.member_invited", _("机构邀请您加入"))
MEMBER_REQUESTED = kind("accounts.member_requested", _("有人申请加入本机构"))
MEMBER_ANSWERED = kind("accounts.member_answered", _("机构成员邀请或申请已答复"))
MEMBER_LEFT = kind("accounts.member_left", _("成员退出本机构"))
DUTY_GRANTED = kind("accounts.duty_granted", _("获授工作职责"))
DUTY_REVOKED = kind("accounts.duty_revoked", _("工作职责被撤销"))
SECOND_FACTOR = kind("accounts.second_factor", _("请绑定动态口令"))


@todo_source(_("待审核的机构认证"))
def organisations_to_verify(user):
    if not scope.has_duty(user, Duty.REVIEWER):
        return []
    days = timedelta(days=settings.ORGANISATION_REVIEW_DAYS)
    return [
        Todo(
            title=org.name,
            url=reverse("web:organisation_detail", args=[org.pk]),
            since=org.created_at,
            deadline=org.created_at + days,
            detail=f"{org.get_kind_display()} · {org.region.name}",
        )
        for org in selectors.verification_queue(user, waiting_on_me=True)
    ]


@todo_source(_("被退回的机构认证（请修改后重新提交）"))
def organisations_to_correct(user):
    if not getattr(user, "is_authenticated", False):
        return []
    return [
        Todo(
            title=org.name,
            url=reverse("web:organisation_detail", args=[org.pk]),
            since=org.created_at,
            detail=org.status_reason,
        )
        for org in Organisation.objects.filter(
            memberships__user=user, memberships__role=MemberRole.ADMIN, status=VerificationStatus.RETURNED
        )
    ]


@todo_source(_("邀请您加入的机构（请接受或谢绝）"))
def invitations_to_answer(user):
    if not getattr(user, "is_authenticated", False):
        return []
    return [
        Todo(
            title=invitation.organisation.name,
            url=reverse("web:my_organisations"),
            since=invitation.created_at,
            detail=invitation.get_role_display(),
        )
        for invitation in MembershipInvitation.objects.filter(
            user=user, kind=InvitationKind.INVITATION, status=InvitationStatus.PENDING
        ).select_related("organisation")
    ]


@todo_source(_("待批准的加入申请"))
def requests_to_approve(user):
    admin_of = scope.organisation_ids(user, MemberRole.ADMIN)
    if not admin_of:
        return []
    return [
        Todo(
            title=f"{invitation.user} → {invitation.organisation.name}",
            url=reverse("web:organisation_members", args=[invitation.organisation_id]),
            since=invitation.created_at,
            detail=invitation.note,
        )
        for invitation in MembershipInvitation.objects.filter(
            organisation_id__in=admin_of, kind=InvitationKind.REQUEST, status=InvitationStatus.PENDING
        ).select_related("organisation", "user")
    ]


@todo_source(_("请绑定动态口令（您的职责要求第二重验证）"))
def second_factor_to_enrol(user):
    from zhouqiao.accounts import totp

    if not getattr(user, "is_authenticated", False) or user.totp_required_since is None:
        return []
    if not totp.is_required(user) or totp.is_enrolled(user):
        return []
    return [
        Todo(
            title=_("绑定动态口令"),
            url=reverse("web:two_factor"),
            since=user.totp_required_since,
            deadline=user.totp_required_since + totp.grace(),
        )
    ]
