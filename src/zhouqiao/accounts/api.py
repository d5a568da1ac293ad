from datetime import datetime

from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import File, Form, Query, Router, Schema
from ninja.files import UploadedFile

from zhouqiao.accounts import masking, membership, scope, selectors, services
from zhouqiao.accounts.auth import by_token, signed_in_user
from zhouqiao.accounts.exceptions import NOT_ALLOWED
from zhouqiao.accounts.masking import mask_phone
from zhouqiao.accounts.models import MemberRole, MembershipInvitation, Organisation
from zhouqiao.core import clock, uploads
from zhouqiao.core.audit_selectors import audit_events_for
from zhouqiao.core.bounds import LongPage, Page
from zhouqiao.core.errors import PermissionDenied

router = Router(tags=["accounts"])


class OrganisationOut(Schema):
    id: int
    name: str
    kind: str
    kind_display: str
    credit_code: str
    region_code: str
    region_name: str
    status: str
    status_display: str
    status_reason: str
    contact_name: str
    contact_phone: str
    description: str
    is_sample: bool


class OrganisationIn(Schema):
    name: str
    kind: str
    credit_code: str
    region: str
    address: str = ""
    legal_representative: str = ""
    contact_name: str = ""
    contact_phone: str = ""
    contact_email: str = ""
    website: str = ""
    description: str = ""


class ReasonIn(Schema):
    reason: str = ""


class MemberIn(Schema):
    username: str
    role: str = "member"
    note: str = ""


class NoteIn(Schema):
    note: str = ""


class InvitationOut(Schema):
    id: int
    organisation_id: int
    organisation_name: str
    username: str
    kind: str
    role: str
    status: str
    note: str
    created_at: datetime


class GrantIn(Schema):
    username: str
    jurisdiction: str
    duty: str


class MembershipOut(Schema):
    organisation_id: int
    organisation_name: str
    role: str


class MemberOut(Schema):
    username: str
    display_name: str
    role: str
    phone: str
    email: str


class AssignmentOut(Schema):
    duty: str
    jurisdiction_code: str
    jurisdiction_name: str


class MeOut(Schema):
    username: str
    display_name: str
    phone: str
    email: str
    memberships: list[MembershipOut]
    assignments: list[AssignmentOut]


class AuditOut(Schema):
    id: int
    at: datetime
    actor: str
    action: str
    target_type: str
    target_id: str
    target: str
    region_code: str
    before: dict | None
    after: dict | None
    ip: str | None
    success: bool
    reason: str


class TokenIn(Schema):
    name: str
    scope: str = "read"
    days: int = 90


class TokenOut(Schema):
    id: int
    name: str
    key: str
    scope: str
    expires_at: datetime


def invitation_out(invitation: MembershipInvitation) -> dict:
    return {
        "id": invitation.pk,
        "organisation_id": invitation.organisation_id,
        "organisation_name": invitation.organisation.name,
        "username": invitation.user.username,
        "kind": invitation.kind,
        "role": invitation.role,
        "status": invitation.status,
        "note": invitation.note,
        "created_at": invitation.created_at,
    }


def organisation_out(org: Organisation, user) -> dict:
    insider = scope.is_member(user, org) or scope.covers(user, org.region_id)
    return {
        "id": org.pk,
        "name": org.name,
        "kind": org.kind,
        "kind_display": org.get_kind_display(),
        "credit_code": org.credit_code,
        "region_code": org.region_id,
        "region_name": org.region.full_name,
        "status": org.status,
        "status_display": org.get_status_display(),
        "status_reason": org.status_reason if insider else "",
        "contact_name": org.contact_name,
        "contact_phone": org.contact_phone if insider else mask_phone(org.contact_phone),
        "description": org.description,
        "is_sample": org.is_sample,
    }


@router.get("/me", response=MeOut)
def me(request):
    user = signed_in_user(request)
    return {
        "username": user.username,
        "display_name": user.display_name,
        "phone": user.phone,
        "email": user.email,
        "memberships": [
            {"organisation_id": m.organisation_id, "organisation_name": m.organisation.name, "role": m.role}
            for m in selectors.memberships_of(user)
        ],
        "assignments": [
            {"duty": a.duty, "jurisdiction_code": a.jurisdiction_id, "jurisdiction_name": a.jurisdiction.name}
            for a in user.assignments.select_related("jurisdiction")
        ],
    }


@router.get("/organisations", response=list[OrganisationOut])
def list_organisations(request, paging: Query[Page], kind: str = "", region: str = "", q: str = ""):
    """Organisations the caller may see: verified ones for everybody, plus their own and, for
    staff, every one in their jurisdiction."""
    qs = paging.slice(selectors.organisations_for(request.user, kind=kind, region_code=region, q=q))
    return [organisation_out(org, request.user) for org in qs]


@router.get("/organisations/{org_id}", response=OrganisationOut)
def get_organisation(request, org_id: int):
    org = get_object_or_404(Organisation.objects.visible_to(request.user).select_related("region"), pk=org_id)
    return organisation_out(org, request.user)


class DocumentOut(Schema):
    id: int
    original_name: str
    size: int
    uploaded_at: datetime


@router.post("/organisations", response={201: OrganisationOut})
def register_organisation(request, payload: Form[OrganisationIn], document: File[UploadedFile] = None):
    """Register an organisation (multipart form) with its licence scan ``document`` (营业执照或事业
    单位法人证书副本: PDF, JPG or PNG, at most 10 MB; required), sent to its reviewers; the caller
    becomes its admin. Without the scan nothing is created."""
    user = signed_in_user(request)
    org = services.register_organisation(
        actor=user, data=payload.dict(), document=uploads.read_scan(document), now=clock.now()
    )
    return organisation_out(org, user)


@router.post("/organisations/{org_id}/documents", response={201: DocumentOut})
def upload_organisation_document(request, org_id: int, document: File[UploadedFile] = None):
    """Add a licence scan (multipart ``document``: PDF, JPG or PNG, at most 10 MB) to an organisation
    waiting for review or returned (待审核/已退回); its admins only."""
    user = signed_in_user(request)
    scan = uploads.read_scan(document) or (b"", "")  # none: refused as empty, by the one scan check
    doc = services.upload_document(
        actor=user,
        organisation_id=_visible_pk(user, org_id),
        content=scan[0],
        filename=scan[1],
        now=clock.now(),
    )
    return doc


@router.post("/organisations/{org_id}/verify", response=OrganisationOut)
def verify_organisation(request, org_id: int):
    user = signed_in_user(request)
    org = services.verify_organisation(actor=user, organisation_id=_visible_pk(user, org_id), now=clock.now())
    return organisation_out(org, user)


@router.post("/organisations/{org_id}/return", response=OrganisationOut)
def return_organisation(request, org_id: int, payload: ReasonIn):
    user = signed_in_user(request)
    org = services.return_organisation(
        actor=user, organisation_id=_visible_pk(user, org_id), reason=payload.reason, now=clock.now()
    )
    return organisation_out(org, user)


@router.post("/organisations/{org_id}/resubmit", response=OrganisationOut)
def resubmit_organisation(request, org_id: int):
    user = signed_in_user(request)
    org = services.resubmit_organisation(
        actor=user, organisation_id=_visible_pk(user, org_id), now=clock.now()
    )
    return organisation_out(org, user)


@router.post("/organisations/{org_id}/members", response={201: InvitationOut})
def invite_member(request, org_id: int, payload: MemberIn):
    """Invite a person to the organisation (its admins only). This creates an invitation, not a
    membership: the person becomes a member when they accept it."""
    user = signed_in_user(request)
    invitation = membership.invite_member(
        actor=user,
        organisation_id=_visible_pk(user, org_id),
        username=payload.username,
        role=payload.role,
        note=payload.note,
        now=clock.now(),
    )
    return invitation_out(invitation)


@router.post("/organisations/{org_id}/join", response={201: InvitationOut})
def request_membership(request, org_id: int, payload: NoteIn):
    """Ask to join a verified organisation; one of its admins approves or declines."""
    user = signed_in_user(request)
    invitation = membership.request_membership(
        actor=user, organisation_id=_visible_pk(user, org_id), note=payload.note, now=clock.now()
    )
    return invitation_out(invitation)


@router.post("/organisations/{org_id}/leave", response={204: None})
def leave_organisation(request, org_id: int):
    user = signed_in_user(request)
    membership.leave_organisation(actor=user, organisation_id=_visible_pk(user, org_id), now=clock.now())
    return None


@router.get("/invitations", response=list[InvitationOut])
def my_invitations(request):
    """Pending invitations to the caller and the caller's pending requests to join."""
    user = signed_in_user(request)
    return [invitation_out(i) for i in membership.pending_for_user(user)]


@router.get("/organisations/{org_id}/invitations", response=list[InvitationOut])
def organisation_invitations(request, org_id: int):
    """Pending invitations and requests of an organisation, for its admins."""
    user = signed_in_user(request)
    org = get_object_or_404(Organisation.objects.visible_to(user), pk=org_id)
    if not scope.is_org_admin(user, org):
        raise PermissionDenied(NOT_ALLOWED)
    return [invitation_out(i) for i in membership.pending_for_organisation(org)]


@router.post("/invitations/{invitation_id}/{action}", response=InvitationOut)
def answer_invitation(request, invitation_id: int, action: str, payload: NoteIn | None = None):
    """``accept`` or ``decline`` (the invited person, or an admin for a request to join);
    ``cancel`` (the side that started it)."""
    user = signed_in_user(request)
    visible = MembershipInvitation.objects.filter(
        Q(user=user) | Q(organisation_id__in=scope.organisation_ids(user, MemberRole.ADMIN)), pk=invitation_id
    )
    invitation = get_object_or_404(visible)
    now = clock.now()
    if action == "accept":
        membership.accept_invitation(actor=user, invitation_id=invitation.pk, now=now)
    elif action == "decline":
        membership.decline_invitation(
            actor=user, invitation_id=invitation.pk, reason=payload.note if payload else "", now=now
        )
    elif action == "cancel":
        membership.cancel_invitation(actor=user, invitation_id=invitation.pk, now=now)
    else:
        raise Http404
    invitation.refresh_from_db()
    return invitation_out(invitation)


@router.get("/organisations/{org_id}/members", response=list[MemberOut])
def list_members(request, org_id: int):
    """The people of an organisation, for its own members and for staff whose jurisdiction covers it.
    Phone numbers are masked for everyone but their owner."""
    user = signed_in_user(request)
    org = get_object_or_404(Organisation.objects.visible_to(user), pk=org_id)
    if not (scope.is_member(user, org) or scope.covers(user, org.region_id)):
        raise PermissionDenied(NOT_ALLOWED)
    return [
        {
            "username": m.user.username,
            "display_name": m.user.display_name,
            "role": m.role,
            "phone": masking.shown_to(user, m.user, m.user.phone),
            "email": m.user.email,
        }
        for m in org.memberships.select_related("user").order_by("pk")
    ]


@router.get("/verification-queue", response=list[OrganisationOut])
def verification_queue(request):
    user = signed_in_user(request)
    return [organisation_out(org, user) for org in selectors.verification_queue(user)[:200]]


@router.post("/staff/assignments", response={201: AssignmentOut})
def grant_duty(request, payload: GrantIn):
    user = signed_in_user(request)
    a = services.grant_duty(
        actor=user,
        username=payload.username,
        jurisdiction_code=payload.jurisdiction,
        duty=payload.duty,
        now=clock.now(),
    )
    return {"duty": a.duty, "jurisdiction_code": a.jurisdiction_id, "jurisdiction_name": a.jurisdiction.name}


@router.get("/audit", response=list[AuditOut])
def audit_log(
    request,
    paging: Query[LongPage],
    action: str = "",
    actor: str = "",
    target_type: str = "",
    target_id: str = "",
    since: datetime | None = None,
    until: datetime | None = None,
):
    """Audit records in the caller's jurisdiction; audit administrators only."""
    user = signed_in_user(request)
    if not scope.can_read_audit(user):
        raise PermissionDenied(NOT_ALLOWED)
    qs = audit_events_for(
        user,
        action=action,
        actor=actor,
        target_type=target_type,
        target_id=target_id,
        since=since,
        until=until,
    )
    return [
        {
            "id": e.pk,
            "at": e.at,
            "actor": e.actor_name,
            "action": e.action,
            "target_type": e.target_type,
            "target_id": e.target_id,
            "target": e.target_repr,
            "region_code": e.region_code,
            "before": e.before,
            "after": e.after,
            "ip": e.ip,
            "success": e.success,
            "reason": e.reason,
        }
        for e in paging.slice(qs)
    ]


@router.post("/tokens", response={201: TokenOut})
def create_token(request, payload: TokenIn):
    """Create a personal token (from a signed-in browser session; a token cannot mint tokens)."""
    user = signed_in_user(request)
    if by_token(request):
        raise PermissionDenied(
            _("令牌不能用来创建新令牌，请在网站“API 访问令牌”页创建。"), code="token_cannot_mint"
        )
    token, key = services.create_api_token(
        actor=user, name=payload.name, scope=payload.scope, days=payload.days, now=clock.now()
    )
    return {
        "id": token.pk,
        "name": token.name,
        "key": key,
        "scope": token.scope,
        "expires_at": token.expires_at,
    }


def _visible_pk(user, org_id: int) -> int:
    """404 for an organisation the caller may not even see, so existence does not leak."""
    return get_object_or_404(Organisation.objects.visible_to(user), pk=org_id).pk
