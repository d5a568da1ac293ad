"""Membership by consent (issue 17, finding 1).

Nobody becomes a member of an organisation without agreeing to it: an organisation's admin
*invites* a person, who accepts or declines; or a person *asks to join*, and an admin of the
organisation approves or declines. Only the answer of the side that did not start it creates the
membership. A member may leave (the last admin may not, or the organisation would have nobody to
run it). Every step is audited; the person who must answer is told and sees it in their to-dos.
"""

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from zhouqiao.accounts import names, scope, todos
from zhouqiao.accounts.exceptions import NOT_ALLOWED
from zhouqiao.accounts.models import (
    InvitationKind,
    InvitationStatus,
    MemberRole,
    Membership,
    MembershipInvitation,
    Organisation,
    User,
)
from zhouqiao.core import audit
from zhouqiao.core.errors import Conflict, InvalidTransition, NotFound, PermissionDenied, ValidationFailed
from zhouqiao.core.locking import lock
from zhouqiao.notifications import recipients
from zhouqiao.notifications.services import notify


def _fail(field: str, message) -> ValidationFailed:
    return ValidationFailed(message, detail={field: [str(message)]})


def _about(invitation: MembershipInvitation) -> dict:
    """The audit record's fields for an invitation (the action code stays literal at each call)."""
    return {
        "target": invitation.organisation,
        "after": {
            "user": invitation.user.username,
            "role": invitation.role,
            "kind": invitation.kind,
            "invitation": invitation.pk,
        },
    }


def _open(invitation_qs, organisation, user) -> MembershipInvitation | None:
    return invitation_qs.filter(organisation=organisation, user=user, status=InvitationStatus.PENDING).first()


def _save_new(invitation: MembershipInvitation) -> None:
    try:
        with transaction.atomic():
            invitation.save()
    except IntegrityError as exc:  # a concurrent invitation or request for the same pair
        raise Conflict(_("已有一份待处理的邀请或加入申请。"), code="invitation_pending") from exc


@transaction.atomic(durable=True)
def invite_member(
    *, actor: User, organisation_id: int, username: str, role: str = MemberRole.MEMBER, note: str = "", now
) -> MembershipInvitation:
    """An organisation's admin invites a person; nothing changes until that person accepts."""
    org = lock(Organisation.objects.all(), organisation_id)
    if not scope.is_org_admin(actor, org):
        raise PermissionDenied(NOT_ALLOWED)
    if role not in MemberRole.values:
        raise _fail("role", _("角色不正确。"))
    wanted = (username or "").strip()
    user = User.objects.filter(username=wanted, is_active=True).first()
    if user is None:
        user = User.objects.filter(username_key=names.key(wanted), is_active=True).first() if wanted else None
    if user is None:
        raise NotFound(_("用户“%(name)s”不存在。") % {"name": wanted})
    if Membership.objects.filter(user=user, organisation=org).exists():
        raise _fail("username", _("该用户已是本机构成员。"))
    pending = _open(MembershipInvitation.objects.select_for_update(), org, user)
    if pending is not None and pending.kind == InvitationKind.REQUEST:
        raise Conflict(_("该用户已申请加入本机构，请在成员管理页批准其申请。"), code="request_pending")
    if pending is not None:
        raise Conflict(_("已邀请该用户，正在等待对方答复。"), code="invitation_pending")
    invitation = MembershipInvitation(
        organisation=org,
        user=user,
        kind=InvitationKind.INVITATION,
        role=role,
        note=(note or "").strip()[:200],
        created_by=actor,
        created_at=now,
    )
    _save_new(invitation)
    audit.record("organisation.invite_member", actor=actor, now=now, **_about(invitation))
    notify(
        [user],
        kind=todos.MEMBER_INVITED,
        title=_("%(org)s 邀请您加入（%(role)s）") % {"org": org.name, "role": invitation.get_role_display()},
        body=invitation.note,
        url=reverse("web:my_organisations"),
        key=f"invitation:{invitation.pk}:sent",
        now=now,
    )
    return invitation


@transaction.atomic(durable=True)
def request_membership(*, actor: User, organisation_id: int, note: str = "", now) -> MembershipInvitation:
    """A signed-in person asks to join a verified organisation; its admins decide."""
    org = lock(Organisation.objects.all(), organisation_id)
    if not getattr(actor, "is_authenticated", False):
        raise PermissionDenied(_("请先登录。"), code="unauthenticated", status=401)
    if not org.is_verified:
        raise PermissionDenied(_("只能申请加入已通过认证的机构。"), code="not_verified")
    if Membership.objects.filter(user=actor, organisation=org).exists():
        raise _fail("organisation", _("您已是该机构成员。"))
    pending = _open(MembershipInvitation.objects.select_for_update(), org, actor)
    if pending is not None and pending.kind == InvitationKind.INVITATION:
        raise Conflict(_("该机构已邀请您加入，请在“我的机构”页接受邀请。"), code="invitation_pending")
    if pending is not None:
        raise Conflict(_("您已申请加入该机构，请等待机构管理员处理。"), code="request_pending")
    invitation = MembershipInvitation(
        organisation=org,
        user=actor,
        kind=InvitationKind.REQUEST,
        role=MemberRole.MEMBER,
        note=(note or "").strip()[:200],
        created_by=actor,
        created_at=now,
    )
    _save_new(invitation)
    audit.record("organisation.request_membership", actor=actor, now=now, **_about(invitation))
    notify(
        recipients.org_admins(org),
        kind=todos.MEMBER_REQUESTED,
        title=_("%(name)s 申请加入 %(org)s") % {"name": actor, "org": org.name},
        body=invitation.note,
        url=reverse("web:organisation_members", args=[org.pk]),
        key=f"invitation:{invitation.pk}:sent",
        now=now,
    )
    return invitation


def _answerer_ok(actor: User, invitation: MembershipInvitation) -> bool:
    """Who answers: the invited person, or an admin of the organisation asked to."""
    if invitation.kind == InvitationKind.INVITATION:
        return invitation.user_id == actor.pk
    return scope.is_org_admin(actor, invitation.organisation)


def _starter_ok(actor: User, invitation: MembershipInvitation) -> bool:
    """Who may withdraw: an admin of the inviting organisation, or the person who asked."""
    if invitation.kind == InvitationKind.INVITATION:
        return scope.is_org_admin(actor, invitation.organisation)
    return invitation.user_id == actor.pk


def _pending(invitation_id: int) -> MembershipInvitation:
    """Lock the organisation, then the invitation (the order ``invite_member`` takes them in)."""
    org_id = (
        MembershipInvitation.objects.filter(pk=invitation_id)
        .values_list("organisation_id", flat=True)
        .first()
    )
    if org_id is None:
        raise NotFound(_("邀请不存在。"))
    lock(Organisation.objects.all(), org_id)
    invitation = lock(MembershipInvitation.objects.select_related("organisation", "user"), invitation_id)
    if invitation.status != InvitationStatus.PENDING:
        raise InvalidTransition(
            _("该邀请已处理（%(status)s）。") % {"status": invitation.get_status_display()}
        )
    return invitation


def _tell_starter(invitation: MembershipInvitation, *, title: str, now) -> None:
    if invitation.kind == InvitationKind.INVITATION:
        people = recipients.org_admins(invitation.organisation)
        url = reverse("web:organisation_members", args=[invitation.organisation_id])
    else:
        people = [invitation.user]
        url = reverse("web:my_organisations")
    notify(
        people,
        kind=todos.MEMBER_ANSWERED,
        title=title,
        url=url,
        key=f"invitation:{invitation.pk}:{invitation.status}",
        now=now,
    )


@transaction.atomic(durable=True)
def accept_invitation(*, actor: User, invitation_id: int, now) -> Membership:
    """The invited person accepts, or an admin approves a request: the membership begins."""
    invitation = _pending(invitation_id)
    if not _answerer_ok(actor, invitation):
        raise PermissionDenied(NOT_ALLOWED)
    org = invitation.organisation
    membership, created = Membership.objects.get_or_create(
        user=invitation.user, organisation=org, defaults={"role": invitation.role, "joined_at": now}
    )
    invitation.status, invitation.decided_by, invitation.decided_at = InvitationStatus.ACCEPTED, actor, now
    invitation.save(update_fields=["status", "decided_by", "decided_at"])
    scope.forget(invitation.user)
    scope.forget(actor)
    if created:
        audit.record("organisation.member_join", actor=actor, now=now, **_about(invitation))
    _tell_starter(
        invitation,
        title=_("%(name)s 已加入 %(org)s") % {"name": invitation.user, "org": org.name},
        now=now,
    )
    return membership


@transaction.atomic(durable=True)
def decline_invitation(*, actor: User, invitation_id: int, reason: str = "", now) -> MembershipInvitation:
    invitation = _pending(invitation_id)
    if not _answerer_ok(actor, invitation):
        raise PermissionDenied(NOT_ALLOWED)
    invitation.status, invitation.decided_by, invitation.decided_at = InvitationStatus.DECLINED, actor, now
    invitation.save(update_fields=["status", "decided_by", "decided_at"])
    reason = (reason or "").strip()[:200]
    audit.record(
        "organisation.invitation_declined", actor=actor, now=now, reason=reason, **_about(invitation)
    )
    if invitation.kind == InvitationKind.INVITATION:
        title = _("%(name)s 谢绝了加入 %(org)s 的邀请")
    else:
        title = _("%(org)s 未同意 %(name)s 的加入申请")
    _tell_starter(
        invitation, title=title % {"name": invitation.user, "org": invitation.organisation.name}, now=now
    )
    return invitation


@transaction.atomic(durable=True)
def cancel_invitation(*, actor: User, invitation_id: int, now) -> MembershipInvitation:
    """The side that started it withdraws an invitation or a request still waiting."""
    invitation = _pending(invitation_id)
    if not _starter_ok(actor, invitation):
        raise PermissionDenied(NOT_ALLOWED)
    invitation.status, invitation.decided_by, invitation.decided_at = InvitationStatus.CANCELLED, actor, now
    invitation.save(update_fields=["status", "decided_by", "decided_at"])
    audit.record("organisation.invitation_cancelled", actor=actor, now=now, **_about(invitation))
    return invitation


@transaction.atomic(durable=True)
def leave_organisation(*, actor: User, organisation_id: int, now) -> None:
    """A member leaves. The last admin cannot: the organisation would have nobody to run it."""
    org = lock(Organisation.objects.all(), organisation_id)
    membership = Membership.objects.select_for_update().filter(user=actor, organisation=org).first()
    if membership is None:
        raise PermissionDenied(_("您不是该机构成员。"), code="not_member")
    if (
        membership.role == MemberRole.ADMIN
        and not Membership.objects.filter(organisation=org, role=MemberRole.ADMIN)
        .exclude(pk=membership.pk)
        .exists()
    ):
        raise Conflict(_("您是该机构唯一的管理员，请先邀请另一位管理员加入，再退出。"), code="last_admin")
    role = membership.role
    membership.delete()
    scope.forget(actor)
    audit.record(
        "organisation.member_leave",
        actor=actor,
        target=org,
        before={"user": actor.username, "role": role},
        now=now,
    )
    notify(
        recipients.org_admins(org),
        kind=todos.MEMBER_LEFT,
        title=_("%(name)s 已退出 %(org)s") % {"name": actor, "org": org.name},
        url=reverse("web:organisation_members", args=[org.pk]),
        key=f"membership:{org.pk}:{actor.pk}:left:{now.isoformat()}",
        now=now,
    )


def pending_for_user(user):
    """Invitations waiting on ``user``'s answer, and their own requests still waiting."""
    return (
        MembershipInvitation.objects.filter(user=user, status=InvitationStatus.PENDING)
        .select_related("organisation", "created_by")
        .order_by("-created_at")
    )


def pending_for_organisation(organisation):
    return (
        MembershipInvitation.objects.filter(organisation=organisation, status=InvitationStatus.PENDING)
        .select_related("user", "created_by")
        .order_by("-created_at")
    )
