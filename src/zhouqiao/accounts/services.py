"""Every write about people and organisations: keyword-only arguments, ``actor`` and ``now``;
one transaction that owns its locks and its audit record."""

import secrets
import uuid
from datetime import timedelta

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from zhouqiao.accounts import credit_code, names, scope, selectors, todos
from zhouqiao.accounts.exceptions import NOT_ALLOWED
from zhouqiao.accounts.models import (
    EXCLUSIVE_DUTIES,
    ApiToken,
    Duty,
    MemberRole,
    Membership,
    Organisation,
    OrganisationDocument,
    OrganisationKind,
    StaffAssignment,
    TokenScope,
    User,
)
from zhouqiao.accounts.states import REASON_REQUIRED, VERIFICATION_TRANSITIONS, Actor, VerificationStatus
from zhouqiao.core import audit, uploads
from zhouqiao.core.errors import InvalidTransition, NotFound, PermissionDenied, ValidationFailed
from zhouqiao.core.locking import lock
from zhouqiao.core.models import AuditEvent, Region
from zhouqiao.notifications import recipients
from zhouqiao.notifications.services import notify
from zhouqiao.search import indexing

ORGANISATION_FIELDS = [
    "name",
    "kind",
    "credit_code",
    "region",
    "address",
    "legal_representative",
    "contact_name",
    "contact_phone",
    "contact_email",
    "website",
    "description",
]


def _field_error(field: str, message) -> ValidationFailed:
    return ValidationFailed(message, detail={field: [str(message)]})


def _check_password(password: str, user: User) -> None:
    try:
        password_validation.validate_password(password, user)
    except ValidationError as exc:
        messages = [str(m) for m in exc.messages]
        raise ValidationFailed(
            "；".join(messages), code="weak_password", detail={"password": messages}
        ) from exc


def _clean_person(*, username: str, display_name: str, phone: str, email: str) -> dict:
    try:
        username = names.clean_username(username)
    except names.InvalidName as exc:
        raise _field_error("username", str(exc)) from exc
    try:
        display_name = names.clean_display_name(display_name)
    except names.InvalidName as exc:
        raise _field_error("display_name", str(exc)) from exc
    if User.objects.filter(username_key=names.key(username)).exists():
        raise _field_error(
            "username",
            _("用户名“%(name)s”已被注册，或与已有用户名过于相似，请换一个。") % {"name": username},
        )
    phone = (phone or "").strip()
    if phone and not (phone.isdigit() and len(phone) == 11 and phone.startswith("1")):
        raise _field_error("phone", _("手机号码应为以1开头的11位数字。"))
    email = (email or "").strip()
    if email:
        try:
            validate_email(email)
        except ValidationError as exc:
            raise _field_error("email", _("电子邮箱格式不正确。")) from exc
    return {
        "username": username,
        "display_name": display_name,
        "phone": phone,
        "email": email,
    }


def _new_user(*, password: str, now, **person) -> User:
    user = User(**_clean_person(**person), password_changed_at=now, date_joined=now)
    _check_password(password, user)
    user.set_password(password)
    try:
        user.save()
    except IntegrityError as exc:  # a concurrent registration took the name first
        raise _field_error(
            "username", _("用户名“%(name)s”已被注册，请换一个。") % {"name": user.username}
        ) from exc
    return user


def _clean_organisation(data: dict, *, exclude_pk=None) -> dict:
    cleaned = {key: (data.get(key) or "") for key in ORGANISATION_FIELDS if key in data}
    if "name" in cleaned:
        cleaned["name"] = cleaned["name"].strip()
        if not cleaned["name"]:
            raise _field_error("name", _("请填写机构名称。"))
    if "kind" in cleaned and cleaned["kind"] not in OrganisationKind.values:
        raise _field_error("kind", _("请选择机构类型。"))
    if "credit_code" in cleaned:
        try:
            cleaned["credit_code"] = credit_code.validate(cleaned["credit_code"])
        except credit_code.InvalidCreditCode as exc:
            raise _field_error("credit_code", str(exc)) from exc
        taken = Organisation.objects.filter(credit_code=cleaned["credit_code"])
        if exclude_pk:
            taken = taken.exclude(pk=exclude_pk)
        if taken.exists():
            raise _field_error("credit_code", _("该统一社会信用代码已有机构注册。"))
    if "region" in cleaned:
        region = cleaned["region"]
        code = region.code if isinstance(region, Region) else str(region).strip()
        if not code:
            raise _field_error("region", _("请选择所在地区。"))
        region = Region.objects.filter(code=code).first()
        if region is None:
            raise _field_error("region", _("所在地区代码“%(code)s”不存在。") % {"code": code})
        if region.level == "province":
            raise _field_error("region", _("请选择到市或县（区）一级。"))
        cleaned["region"] = region
    if cleaned.get("contact_email"):
        try:
            validate_email(cleaned["contact_email"])
        except ValidationError as exc:
            raise _field_error("contact_email", _("电子邮箱格式不正确。")) from exc
    return cleaned


@transaction.atomic(durable=True)
def register(
    *,
    username: str,
    password: str,
    display_name: str = "",
    phone: str = "",
    email: str = "",
    organisation: dict | None = None,
    document: tuple[bytes, str] | None = None,
    now,
) -> User:
    """Sign up a person, and with ``organisation`` register it too (the person becomes its admin),
    with its licence scan ``document`` ((content, original name)) if given.

    A new organisation is registered only with its licence scan: without ``document`` nothing is
    written (joining an existing organisation, by invitation or request, needs none).

    Either both are written or nothing is."""
    org_data = _clean_organisation(organisation) if organisation is not None else None
    if org_data is not None:
        missing = [f for f in ("name", "kind", "credit_code", "region") if not org_data.get(f)]
        if missing:
            raise _field_error(missing[0], _("请完整填写机构名称、类型、统一社会信用代码和所在地区。"))
        if org_data["kind"] == OrganisationKind.GOVERNMENT:
            raise _field_error("kind", _("科技主管部门账号由上级管理员开通，不能自行注册。"))
        _check_licence_scan(document)  # refused before anything is written
    user = _new_user(
        username=username, password=password, display_name=display_name, phone=phone, email=email, now=now
    )
    audit.record("account.register", actor=user, target=user, after={"username": user.username}, now=now)
    if org_data is not None:
        org = _create_organisation(org_data, admin=user, now=now)
        entry = audit.record(
            "organisation.register",
            actor=user,
            target=org,
            after=audit.snapshot(org, ORGANISATION_FIELDS + ["status"]),
            now=now,
        )
        _store_document(org, document, actor=user, now=now)
        _tell_about(org, entry, now=now)
    return user


def _create_organisation(data: dict, *, admin: User, now, is_sample: bool = False) -> Organisation:
    org = Organisation(**data, status=VerificationStatus.SUBMITTED, created_at=now, is_sample=is_sample)
    try:
        with transaction.atomic():
            org.save()
    except IntegrityError as exc:
        raise _field_error("credit_code", _("该统一社会信用代码已有机构注册。")) from exc
    Membership.objects.create(user=admin, organisation=org, role=MemberRole.ADMIN, joined_at=now)
    scope.forget(admin)
    return org


def _check_licence_scan(document: tuple[bytes, str] | None) -> None:
    """A new organisation goes to its reviewers with its licence scan: missing, empty, over 10 MB or
    not PDF/JPG/PNG, it is refused (the same check as every upload of it)."""
    if not document:
        raise missing_licence_scan()
    document_kind(document[0])


def missing_licence_scan() -> ValidationFailed:
    return _field_error(
        "document", _("注册机构须上传营业执照（或事业单位法人证书）副本扫描件（PDF、JPG或PNG，不超过10MB）。")
    )


@transaction.atomic(durable=True)
def register_organisation(
    *, actor: User, data: dict, document: tuple[bytes, str] | None = None, now
) -> Organisation:
    """A signed-in person registers (another) organisation with its licence scan ``document``
    ((content, original name), required) and becomes its admin."""
    cleaned = _clean_organisation(data)
    if cleaned.get("kind") == OrganisationKind.GOVERNMENT:
        raise _field_error("kind", _("科技主管部门账号由上级管理员开通，不能自行注册。"))
    _check_licence_scan(document)
    org = _create_organisation(cleaned, admin=actor, now=now)
    entry = audit.record(
        "organisation.register",
        actor=actor,
        target=org,
        after=audit.snapshot(org, ORGANISATION_FIELDS + ["status"]),
        now=now,
    )
    _store_document(org, document, actor=actor, now=now)
    _tell_about(org, entry, now=now)
    return org


@transaction.atomic(durable=True)
def update_organisation(*, actor: User, organisation_id: int, data: dict, now) -> Organisation:
    """The organisation's admin corrects its particulars. Changing the identifying fields of a
    verified organisation sends it back to review."""
    org = lock(Organisation.objects.all(), organisation_id)
    if not scope.is_org_admin(actor, org):
        raise PermissionDenied(NOT_ALLOWED)
    cleaned = _clean_organisation(data, exclude_pk=org.pk)
    before = audit.snapshot(org, ORGANISATION_FIELDS + ["status"])
    identity_changed = any(
        key in cleaned and getattr(org, key) != cleaned[key]
        for key in ("name", "credit_code", "region", "kind")
    )
    for key, value in cleaned.items():
        setattr(org, key, value)
    if identity_changed and org.status == VerificationStatus.VERIFIED:
        org.status, org.verified_at = VerificationStatus.SUBMITTED, None
    org.save()
    audit.record(
        "organisation.update",
        actor=actor,
        target=org,
        before=before,
        after=audit.snapshot(org, ORGANISATION_FIELDS + ["status"]),
        now=now,
    )
    indexing.sync_after_commit("organisation", org.pk)
    return org


# Registration data and documents may be changed while the reviewers have not verified them yet;
# a verified organisation's changes go through its bureau (out of the platform's scope for now).
EDITABLE_STATUSES = {VerificationStatus.SUBMITTED, VerificationStatus.RETURNED}


def may_edit_registration(user, org: Organisation) -> bool:
    """The check :func:`edit_registration` and :func:`upload_document` make, for showing buttons."""
    return org.status in EDITABLE_STATUSES and scope.is_org_admin(user, org)


def keep_last_scan() -> str:
    return _(
        "待审核期间须保留营业执照（或事业单位法人证书）副本扫描件：如需更换，请先上传新的扫描件，再删除这一份。"
    )


# What starts a review of an organisation: its registration, then each resubmission.
SUBMISSION_ACTIONS = ("organisation.register", "organisation.submitted")


def may_remove_document(user, org: Organisation, count: int) -> bool:
    """The check :func:`remove_document` makes: an admin while not yet verified, and never the
    last scan of an organisation that waits for review (待审核), which would leave nothing to review."""
    if not may_edit_registration(user, org):
        return False
    return not (org.status == VerificationStatus.SUBMITTED and count <= 1)


def _check_editable(actor, org: Organisation) -> None:
    if not scope.is_org_admin(actor, org):
        raise PermissionDenied(NOT_ALLOWED)
    if org.status not in EDITABLE_STATUSES:
        raise InvalidTransition(_("已认证机构的信息变更请联系属地科技局。"))


@transaction.atomic(durable=True)
def edit_registration(*, actor: User, organisation_id: int, data: dict, now) -> Organisation:
    """The organisation's admin corrects its registration while it waits for review (待审核) or
    was returned (已退回). The status stays; a returned organisation then resubmits."""
    org = lock(Organisation.objects.all(), organisation_id)
    _check_editable(actor, org)
    cleaned = _clean_organisation(data, exclude_pk=org.pk)
    if cleaned.get("kind") == OrganisationKind.GOVERNMENT:
        raise _field_error("kind", _("科技主管部门账号由上级管理员开通，不能自行注册。"))
    before = audit.snapshot(org, ORGANISATION_FIELDS + ["status"])
    for key, value in cleaned.items():
        setattr(org, key, value)
    try:
        with transaction.atomic():
            org.save()
    except IntegrityError as exc:  # a concurrent registration took the code first
        raise _field_error("credit_code", _("该统一社会信用代码已有机构注册。")) from exc
    audit.record(
        "organisation.update",
        actor=actor,
        target=org,
        before=before,
        after=audit.snapshot(org, ORGANISATION_FIELDS + ["status"]),
        now=now,
    )
    indexing.sync_after_commit("organisation", org.pk)
    return org


def document_kind(content: bytes) -> str:
    """ "pdf", "jpg" or "png" by content, at most 10 MB: the platform's one scan check."""
    return uploads.scan_kind(content, field="document", label=_("营业执照（或事业单位法人证书）副本扫描件"))


def _store_document(org: Organisation, document, *, actor: User, now) -> OrganisationDocument:
    content, filename = document
    kind = document_kind(content)
    doc = OrganisationDocument(
        organisation=org,
        original_name=((filename or "").strip() or f"licence.{kind}")[-200:],
        size=len(content),
        uploaded_by=actor,
        uploaded_at=now,
    )
    doc.file.save(f"{uuid.uuid4().hex}.{kind}", ContentFile(content), save=False)
    doc.save()
    audit.record(
        "organisation.document_upload",
        actor=actor,
        target=org,
        after={"document": doc.original_name, "size": doc.size},
        now=now,
    )
    return doc


@transaction.atomic(durable=True)
def upload_document(*, actor: User, organisation_id: int, content: bytes, filename: str, now):
    """The admin adds a licence scan (营业执照或事业单位法人证书副本) while the organisation is not
    yet verified. PDF, JPG or PNG by content, at most 10 MB; refused with nothing written otherwise."""
    document_kind(content)
    org = lock(Organisation.objects.all(), organisation_id)
    _check_editable(actor, org)
    return _store_document(org, (content, filename), actor=actor, now=now)


@transaction.atomic(durable=True)
def remove_document(*, actor: User, document_id: int, now) -> OrganisationDocument:
    """The admin withdraws a scan uploaded by mistake, while the organisation is not yet verified.
    The record goes (its file stays on disk, as evidence behind the audit record)."""
    doc = OrganisationDocument.objects.filter(pk=document_id).first()
    if doc is None:
        raise NotFound(_("该认证材料不存在。"))
    org = lock(Organisation.objects.all(), doc.organisation_id)
    _check_editable(actor, org)
    if not may_remove_document(actor, org, org.documents.count()):
        raise InvalidTransition(keep_last_scan())
    doc.delete()
    audit.record(
        "organisation.document_remove",
        actor=actor,
        target=org,
        before={"document": doc.original_name, "file": doc.file.name},
        now=now,
    )
    return doc


def _tell_about(org: Organisation, entry, *, now) -> None:
    """Whoever the organisation's verification now waits on, or whose request it decided, is told."""
    url = reverse("web:organisation_detail", args=[org.pk])
    key = f"audit:{entry.pk}"
    if org.status == VerificationStatus.SUBMITTED:
        # One message per submission (the first and each resubmission), which says which it is
        # and why the last one was returned, so two of them never read alike.
        submissions = AuditEvent.objects.filter(
            target_type=entry.target_type,
            target_id=entry.target_id,
            action__in=SUBMISSION_ACTIONS,
            success=True,
        ).count()
        again = entry.action == "organisation.submitted"
        returned_for = (entry.before or {}).get("status_reason", "") if again else ""
        notify(
            recipients.handling_staff(Duty.REVIEWER, org.region_id),
            kind=todos.SUBMITTED,
            title=(
                _("机构认证重新提交待审核：%(name)s") % {"name": org.name}
                if again
                else _("机构认证待审核：%(name)s") % {"name": org.name}
            ),
            body=_("上次退回理由：%(reason)s") % {"reason": returned_for} if returned_for else "",
            url=url,
            key=f"organisation:{org.pk}:submission:{submissions}",
            now=now,
        )
    elif org.status == VerificationStatus.VERIFIED:
        notify(
            recipients.org_admins(org),
            kind=todos.VERIFIED,
            title=_("%(name)s 已通过认证") % {"name": org.name},
            url=url,
            key=key,
            now=now,
        )
    elif org.status == VerificationStatus.RETURNED:
        notify(
            recipients.org_admins(org),
            kind=todos.RETURNED,
            title=_("%(name)s 的认证被退回，请修改后重新提交") % {"name": org.name},
            body=org.status_reason,
            url=url,
            key=key,
            now=now,
        )


def _may_take(actor: User, org: Organisation, who: str) -> bool:
    if who == Actor.REVIEWER:
        return scope.can_review_organisation(actor, org)
    return scope.is_org_admin(actor, org)


@transaction.atomic(durable=True)
def transition_organisation(
    *, actor: User, organisation_id: int, to_status: str, reason: str = "", now
) -> Organisation:
    """The one way to move an organisation through verification (see states.py)."""
    org = lock(Organisation.objects.all(), organisation_id)
    allowed = VERIFICATION_TRANSITIONS.get(org.status, {})
    if to_status not in allowed:
        raise InvalidTransition(
            _("当前状态“%(status)s”不能执行此操作。") % {"status": org.get_status_display()}
        )
    if not _may_take(actor, org, allowed[to_status]):
        raise PermissionDenied(NOT_ALLOWED)
    reason = (reason or "").strip()
    if to_status in REASON_REQUIRED and not reason:
        raise _field_error("reason", _("退回时必须填写理由。"))
    if to_status == VerificationStatus.SUBMITTED and not org.documents.exists():
        raise _field_error("document", _("请先上传营业执照（或事业单位法人证书）副本扫描件，再提交审核。"))
    before = {"status": org.status, "status_reason": org.status_reason}
    org.status = to_status
    org.status_reason = reason
    org.verified_at = now if to_status == VerificationStatus.VERIFIED else None
    org.save(update_fields=["status", "status_reason", "verified_at"])
    entry = audit.record(
        f"organisation.{to_status}",
        actor=actor,
        target=org,
        before=before,
        after={"status": org.status, "status_reason": reason},
        reason=reason,
        now=now,
    )
    _tell_about(org, entry, now=now)
    indexing.sync_after_commit("organisation", org.pk, announce=to_status == VerificationStatus.VERIFIED)
    return org


def verify_organisation(*, actor, organisation_id, now):
    return transition_organisation(
        actor=actor, organisation_id=organisation_id, to_status=VerificationStatus.VERIFIED, now=now
    )


def return_organisation(*, actor, organisation_id, reason, now):
    return transition_organisation(
        actor=actor,
        organisation_id=organisation_id,
        to_status=VerificationStatus.RETURNED,
        reason=reason,
        now=now,
    )


def resubmit_organisation(*, actor, organisation_id, now):
    return transition_organisation(
        actor=actor, organisation_id=organisation_id, to_status=VerificationStatus.SUBMITTED, now=now
    )


# 三员分立: the security administrator grants no duty to the other two administrators (whose work
# checks theirs, the audit administrator's in particular), and none to themselves.
CHECKED_BY_OTHERS = {Duty.SYSTEM_ADMIN, Duty.AUDIT_ADMIN}


# Nor does the security administrator appoint, replace or remove any of the three (the audit
# administrator audits them): the three duties are set when the system is installed, outside the
# application (there is no page or command that grants them).
def administrator_duties_fixed() -> str:
    return _(
        "系统管理员、安全管理员、审计管理员的职责不能在人员授权中授予或撤销（三员分立，审计管理员负责审计安全管理员）；"
        "三员由系统部署单位在安装系统时任命。"
    )


def _tell_about_duty(assignment: StaffAssignment, entry, *, granted: bool, now) -> None:
    """The person whose duties changed is told once, with the duty and where it holds."""
    words = {
        "duty": assignment.get_duty_display(),
        "jurisdiction": selectors.jurisdiction_name(assignment.jurisdiction),
    }
    notify(
        [assignment.user],
        kind=todos.DUTY_GRANTED if granted else todos.DUTY_REVOKED,
        title=(
            _("您已获授%(jurisdiction)s · %(duty)s职责")
            if granted
            else _("您的%(jurisdiction)s · %(duty)s职责已被撤销")
        )
        % words,
        url=reverse("web:workspace"),
        key=f"audit:{entry.pk}",
        now=now,
    )


@transaction.atomic(durable=True)
def grant_duty(*, actor: User, username: str, jurisdiction_code: str, duty: str, now) -> StaffAssignment:
    """A security administrator grants a business duty within their own jurisdiction, never to
    themselves nor to a system or audit administrator, and never one of the three administrators'
    duties (三员分立: those are set at installation). The person is told."""
    if duty not in Duty.values:
        raise _field_error("duty", _("职责不正确。"))
    if duty in EXCLUSIVE_DUTIES:
        raise _field_error("duty", administrator_duties_fixed())
    jurisdiction = Region.objects.select_related("parent__parent").filter(code=jurisdiction_code).first()
    if jurisdiction is None:
        raise _field_error("jurisdiction", _("管辖区域代码“%(code)s”不存在。") % {"code": jurisdiction_code})
    if not scope.covers(actor, jurisdiction.code, Duty.SECURITY_ADMIN):
        raise PermissionDenied(_("该区域不在您的管辖范围内。"))
    user = User.objects.select_for_update().filter(username=username).first()
    if user is None:
        raise NotFound(_("用户“%(name)s”不存在。") % {"name": username})
    if user.pk == actor.pk:
        raise PermissionDenied(_("不能给自己授权。"))
    held = set(StaffAssignment.objects.filter(user=user).values_list("duty", flat=True))
    if held & CHECKED_BY_OTHERS:
        raise _field_error(
            "username",
            _("%(name)s是系统管理员或审计管理员，安全管理员不能为其授予职责（三员分立）。") % {"name": user},
        )
    if duty in EXCLUSIVE_DUTIES and (held & EXCLUSIVE_DUTIES) - {duty}:
        raise _field_error("duty", _("系统管理员、安全管理员、审计管理员须由不同人员担任（三员分立）。"))
    assignment, created = StaffAssignment.objects.get_or_create(
        user=user, jurisdiction=jurisdiction, duty=duty, defaults={"granted_by": actor, "granted_at": now}
    )
    if not created:
        raise _field_error("duty", _("该人员已拥有此职责。"))
    scope.forget(user)
    entry = audit.record(
        "staff.grant",
        actor=actor,
        target=user,
        region_code=jurisdiction.code,
        after={"duty": duty, "jurisdiction": jurisdiction.code},
        now=now,
    )
    _tell_about_duty(assignment, entry, granted=True, now=now)
    return assignment


def may_revoke(actor: User, assignment: StaffAssignment) -> bool:
    """The check :func:`revoke_duty` makes, for showing its button: a security administrator whose
    jurisdiction covers the duty's, not their own duty, and none of the three administrators' duties."""
    return (
        assignment.user_id != actor.pk
        and assignment.duty not in EXCLUSIVE_DUTIES
        and scope.covers(actor, assignment.jurisdiction_id, Duty.SECURITY_ADMIN)
    )


@transaction.atomic(durable=True)
def revoke_duty(*, actor: User, assignment_id: int, now) -> StaffAssignment:
    """Withdraw a duty (the person is told). Returns the assignment as it was, for the message."""
    assignment = lock(StaffAssignment.objects.select_related("user"), assignment_id)
    if assignment.duty in EXCLUSIVE_DUTIES and scope.has_duty(actor, Duty.SECURITY_ADMIN):
        raise PermissionDenied(administrator_duties_fixed())
    if not may_revoke(actor, assignment):
        raise PermissionDenied(NOT_ALLOWED)
    before = {"duty": assignment.duty, "jurisdiction": assignment.jurisdiction_id}
    assignment.delete()
    scope.forget(assignment.user)
    entry = audit.record(
        "staff.revoke",
        actor=actor,
        target=assignment.user,
        region_code=before["jurisdiction"],
        before=before,
        now=now,
    )
    _tell_about_duty(assignment, entry, granted=False, now=now)
    return assignment


def change_password(*, actor: User, old_password: str, new_password: str, now) -> None:
    # A wrong old password is refused after the transaction that records the failure has committed:
    # raising inside it would roll the audit record back with everything else.
    if not _change_password(actor=actor, old_password=old_password, new_password=new_password, now=now):
        raise _field_error("old_password", _("原密码不正确。"))


@transaction.atomic(durable=True)
def _change_password(*, actor: User, old_password: str, new_password: str, now) -> bool:
    user = lock(User.objects.all(), actor.pk)
    if not user.check_password(old_password):
        audit.record(
            "auth.password_change",
            actor=actor,
            target=user,
            success=False,
            reason="wrong old password",
            now=now,
        )
        return False
    if old_password == new_password:
        raise _field_error("new_password", _("新密码不能与原密码相同。"))
    _check_password(new_password, user)
    user.set_password(new_password)
    user.password_changed_at = now
    user.save(update_fields=["password", "password_changed_at"])
    actor.password, actor.password_changed_at = user.password, now
    audit.record("auth.password_change", actor=actor, target=user, now=now)
    revoke_all_tokens(user, now=now, reason=_("修改密码"))
    return True


# How long a new token may live, in days (the form offers these; the API takes any up to the last).
TOKEN_LIFETIMES = (30, 90, 180, 365)
DEFAULT_TOKEN_DAYS = 90


@transaction.atomic(durable=True)
def create_api_token(
    *, actor: User, name: str, scope: str = TokenScope.READ, days: int = DEFAULT_TOKEN_DAYS, now
) -> tuple[ApiToken, str]:
    """Return the token and its key; the key is not stored and cannot be shown again.

    Every token has a scope (read or write) and an expiry, at most a year away."""
    name = (name or "").strip()
    if not name:
        raise _field_error("name", _("请为令牌命名。"))
    if len(name) > 64:
        raise _field_error("name", _("令牌名称不能超过64个字符。"))
    if scope not in TokenScope.values:
        raise _field_error("scope", _("请选择令牌权限（只读或读写）。"))
    try:
        days = int(days)
    except (TypeError, ValueError):
        days = 0
    if not 1 <= days <= TOKEN_LIFETIMES[-1]:
        raise _field_error("days", _("有效期应为1至%(n)d天。") % {"n": TOKEN_LIFETIMES[-1]})
    key = "zq_" + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=actor,
        name=name,
        prefix=key[3:11],
        key_hash=ApiToken.hash(key),
        scope=scope,
        created_at=now,
        expires_at=now + timedelta(days=days),
    )
    audit.record(
        "api_token.create",
        actor=actor,
        target=token,
        after={"name": token.name, "scope": scope, "expires_at": token.expires_at},
        now=now,
    )
    return token, key


def revoke_all_tokens(user: User, *, now, reason: str) -> int:
    """Inside the caller's transaction: every live token of ``user`` stops working."""
    count = ApiToken.objects.filter(user=user, revoked_at=None).update(revoked_at=now)
    if count:
        audit.record(
            "api_token.revoke_all", actor=user, target=user, after={"count": count}, reason=reason, now=now
        )
    return count


@transaction.atomic(durable=True)
def revoke_api_token(*, actor: User, token_id: int, now) -> None:
    token = lock(ApiToken.objects.all(), token_id)
    if token.user_id != actor.pk:
        raise PermissionDenied(NOT_ALLOWED)
    token.revoked_at = now
    token.save(update_fields=["revoked_at"])
    audit.record("api_token.revoke", actor=actor, target=token, now=now)
