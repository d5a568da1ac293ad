"""Every write of the expert registry: apply, decide, suspend, edit, invite, accept, decline.

Each service owns its transaction, checks the actor, validates everything before writing anything,
writes an audit record and tells whoever waits next (``community.todos``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from zhouqiao.accounts import scope
from zhouqiao.accounts.models import Duty, Organisation, StaffAssignment
from zhouqiao.community import todos
from zhouqiao.community.conflicts import normalise_name
from zhouqiao.community.models import (
    Expert,
    ExpertConflict,
    ExpertInvitation,
    ExpertStatus,
    InvitationStatus,
)
from zhouqiao.community.states import EXPERT_TRANSITIONS, REASON_REQUIRED, Actor
from zhouqiao.core import audit
from zhouqiao.core.errors import Conflict, InvalidTransition, NotFound, PermissionDenied, ValidationFailed
from zhouqiao.core.locking import lock
from zhouqiao.core.models import Discipline, Industry, Region

MAX_DISCIPLINES = 5
MAX_INDUSTRIES = 5
MAX_CONFLICTS = 30
_PHONE = re.compile(r"^[0-9+\-() ]{7,20}$")

AUDITED = [
    "name",
    "organisation_id",
    "title",
    "keywords",
    "region_id",
    "phone",
    "email",
    "available",
    "status",
    "status_reason",
]


@dataclass(frozen=True)
class ConflictInput:
    organisation: str = ""  # an organisation's registered name or credit code
    person: str = ""
    reason: str = ""


@dataclass(frozen=True)
class ExpertData:
    name: str
    organisation_id: int | None
    region: str
    disciplines: list[str] = field(default_factory=list)
    industries: list[str] = field(default_factory=list)
    title: str = ""
    keywords: str = ""
    profile: str = ""
    phone: str = ""
    email: str = ""
    available: bool = True
    conflicts: list[ConflictInput] = field(default_factory=list)


# -- validation --------------------------------------------------------------------------------------


def _dedupe(values) -> list[str]:
    return list(dict.fromkeys(v.strip() for v in values if v and v.strip()))


def profile_errors(actor, data: ExpertData) -> dict[str, list[str]]:
    """Every problem of a profile, without writing (the form shows them beside its fields at once)."""
    try:
        _validate(actor, data)
    except ValidationFailed as exc:
        return dict(exc.detail or {})
    return {}


def _validate(actor, data: ExpertData) -> tuple[dict, list[str], list[str], list[tuple]]:
    """Check everything; return the clean fields, codes and conflict rows, or raise with every error."""
    errors: dict[str, list[str]] = {}

    def fail(key, message):
        errors.setdefault(key, []).append(str(message))

    name = " ".join((data.name or "").split())
    if not name:
        fail("name", _("请填写姓名。"))
    elif len(name) > 64:
        fail("name", _("姓名不能超过64个字。"))
    if data.organisation_id is None or int(data.organisation_id) not in scope.organisation_ids(actor):
        fail("organisation", _("请选择您所在的单位（须为您已加入的机构）。"))
    region = (data.region or "").strip()
    if not region or not Region.objects.filter(code=region).exists():
        fail("region", _("请选择所在地区。"))

    disciplines = _dedupe(data.disciplines)
    if not disciplines:
        fail("disciplines", _("请至少选择一个学科领域。"))
    elif len(disciplines) > MAX_DISCIPLINES:
        fail("disciplines", _("学科领域最多选择%(n)s个。") % {"n": MAX_DISCIPLINES})
    known = set(Discipline.objects.filter(code__in=disciplines).values_list("code", flat=True))
    for code in disciplines:
        if code not in known:
            fail("disciplines", _("学科“%(code)s”不在国家标准学科分类中，请从提示中选择。") % {"code": code})
    industries = _dedupe(data.industries)
    if len(industries) > MAX_INDUSTRIES:
        fail("industries", _("行业领域最多选择%(n)s个。") % {"n": MAX_INDUSTRIES})
    known = set(Industry.objects.filter(code__in=industries).values_list("code", flat=True))
    for code in industries:
        if code not in known:
            fail("industries", _("行业“%(code)s”不在国民经济行业分类中，请从提示中选择。") % {"code": code})

    phone = (data.phone or "").strip()
    email = (data.email or "").strip()
    if phone and not _PHONE.match(phone):
        fail("phone", _("联系电话格式不正确。"))
    if email:
        try:
            validate_email(email)
        except ValidationError:
            fail("email", _("联系邮箱格式不正确。"))
    if not phone and not email:
        fail("phone", _("请至少填写联系电话或联系邮箱中的一项。"))
    for key, value, limit in (
        ("title", data.title, 64),
        ("keywords", data.keywords, 255),
        ("profile", data.profile, 5000),
    ):
        if len((value or "").strip()) > limit:
            fail(key, _("不能超过%(n)s个字。") % {"n": limit})

    conflicts: list[tuple] = []
    if len(data.conflicts) > MAX_CONFLICTS:
        fail("conflicts", _("回避关系最多申报%(n)s条。") % {"n": MAX_CONFLICTS})
    for n, item in enumerate(data.conflicts, start=1):
        org_name = " ".join((item.organisation or "").split())
        person = " ".join((item.person or "").split())
        reason = (item.reason or "").strip()
        if not org_name and not person:
            fail(f"conflicts.{n - 1}", _("第%(n)s条回避关系没有写明回避的单位或人员。") % {"n": n})
            continue
        org = None
        if org_name:
            org = (
                Organisation.objects.filter(Q(name=org_name) | Q(credit_code=org_name.upper()))
                .order_by("pk")
                .first()
            )
            if org is None:
                fail(
                    f"conflicts.{n - 1}",
                    _("第%(n)s条：平台上没有名为“%(name)s”的机构，请填写机构在平台登记的全称。")
                    % {"n": n, "name": org_name},
                )
                continue
            if data.organisation_id is not None and org.pk == int(data.organisation_id):
                fail(f"conflicts.{n - 1}", _("第%(n)s条：本人所在单位自动回避，无需申报。") % {"n": n})
                continue
        if len(person) > 64 or len(reason) > 255:
            fail(f"conflicts.{n - 1}", _("第%(n)s条：人员姓名不超过64个字，原因不超过255个字。") % {"n": n})
            continue
        conflicts.append((org, person, reason))

    if errors:
        first = next(iter(errors.values()))[0]
        raise ValidationFailed(first, detail=errors)
    fields = {
        "name": name,
        "organisation_id": int(data.organisation_id),
        "region_id": region,
        "title": (data.title or "").strip(),
        "keywords": (data.keywords or "").strip(),
        "profile": (data.profile or "").strip(),
        "phone": phone,
        "email": email,
        "available": bool(data.available),
    }
    return fields, disciplines, industries, conflicts


def _write_profile(expert: Expert, fields, disciplines, industries, conflicts) -> None:
    for key, value in fields.items():
        setattr(expert, key, value)
    expert.save()
    expert.disciplines.set(disciplines)
    expert.industries.set(industries)
    expert.declared_conflicts.all().delete()
    ExpertConflict.objects.bulk_create(
        ExpertConflict(expert=expert, organisation=org, person_name=person, reason=reason)
        for org, person, reason in conflicts
    )


def _snapshot(expert: Expert) -> dict:
    data = audit.snapshot(expert, AUDITED)
    if expert.pk:
        data["disciplines"] = sorted(expert.disciplines.values_list("code", flat=True))
        data["industries"] = sorted(expert.industries.values_list("code", flat=True))
        data["conflicts"] = [
            {"organisation": c.organisation_id, "person": normalise_name(c.person_name), "reason": c.reason}
            for c in expert.declared_conflicts.order_by("pk")
        ]
    return data


# -- who may ------------------------------------------------------------------------------------------


def is_officer_for(user, expert: Expert) -> bool:
    """A program officer whose jurisdiction covers the expert (their region, or the office that
    invited them)."""
    return scope.covers(user, expert.region_id, Duty.PROGRAM_OFFICER) or scope.covers(
        user, expert.jurisdiction_id, Duty.PROGRAM_OFFICER
    )


def _check_move(expert: Expert, to_status: str, actor_kind: str) -> None:
    allowed = EXPERT_TRANSITIONS.get(expert.status, {})
    if allowed.get(to_status) != actor_kind:
        raise InvalidTransition(
            _("专家当前状态为“%(status)s”，不能执行该操作。") % {"status": expert.get_status_display()}
        )


# -- the person ----------------------------------------------------------------------------------------


@transaction.atomic(durable=True)
def apply(*, actor, data: ExpertData, now) -> Expert:
    """A signed-in person applies to join the registry (待审核)."""
    if not getattr(actor, "is_authenticated", False):
        raise PermissionDenied(_("请先登录。"))
    if Expert.objects.filter(user=actor).exists():
        raise Conflict(_("您已提交过专家申请，请在“我的专家信息”中修改。"), code="already_applied")
    fields, disciplines, industries, conflicts = _validate(actor, data)
    expert = Expert(
        user=actor,
        status=ExpertStatus.APPLIED,
        jurisdiction_id=fields["region_id"],
        created_at=now,
        updated_at=now,
    )
    try:
        with transaction.atomic():
            _write_profile(expert, fields, disciplines, industries, conflicts)
    except IntegrityError as exc:  # a second tab applied at the same moment
        raise Conflict(_("您已提交过专家申请，请在“我的专家信息”中修改。"), code="already_applied") from exc
    audit.record("community.expert.applied", actor=actor, target=expert, after=_snapshot(expert), now=now)
    todos.expert_applied(expert, now=now)
    return expert


@transaction.atomic(durable=True)
def update_profile(*, actor, data: ExpertData, now) -> Expert:
    """The expert edits their own profile and declared conflicts. A rejected application edited
    goes back to the officers (待审核); an approved or suspended expert keeps their status."""
    own = Expert.objects.filter(user=actor).values_list("pk", flat=True).first()
    if own is None:
        raise NotFound(_("您还不是专家库成员，也没有提交过申请。"))
    expert = lock(Expert.objects.all(), own)
    fields, disciplines, industries, conflicts = _validate(actor, data)
    before = _snapshot(expert)
    resubmitted = expert.status == ExpertStatus.REJECTED
    if resubmitted:
        _check_move(expert, ExpertStatus.APPLIED, Actor.PERSON)
        expert.status = ExpertStatus.APPLIED
        expert.status_reason = ""
        expert.jurisdiction_id = fields["region_id"]
    elif expert.status == ExpertStatus.APPLIED:
        expert.jurisdiction_id = fields["region_id"]
    expert.updated_at = now
    _write_profile(expert, fields, disciplines, industries, conflicts)
    after = _snapshot(expert)
    if resubmitted:
        audit.record(
            "community.expert.resubmitted", actor=actor, target=expert, before=before, after=after, now=now
        )
        todos.expert_applied(expert, now=now)
    else:
        audit.record(
            "community.expert.updated", actor=actor, target=expert, before=before, after=after, now=now
        )
    return expert


# -- program officers ----------------------------------------------------------------------------------


def _officer_move(*, actor, expert_id: int, to_status: str, reason: str, now, verb: str) -> Expert:
    """``verb``: approved, rejected, suspended or reinstated (the audit action's last part)."""
    expert = lock(Expert.objects.all(), expert_id)
    if not is_officer_for(actor, expert):
        raise PermissionDenied(_("只有管辖该专家所在地区的项目管理人员可以办理。"))
    _check_move(expert, to_status, Actor.OFFICER)
    reason = (reason or "").strip()
    if to_status in REASON_REQUIRED and not reason:
        message = _("请填写原因，专家本人会收到。")
        raise ValidationFailed(message, code="reason_required", detail={"reason": [message]})
    before = _snapshot(expert)
    expert.status = to_status
    expert.status_reason = reason
    expert.updated_at = now
    if to_status == ExpertStatus.APPROVED and expert.approved_at is None:
        expert.approved_at = now
    expert.save()
    audit.record(
        f"community.expert.{verb}",
        actor=actor,
        target=expert,
        before=before,
        after=_snapshot(expert),
        reason=reason,
        now=now,
    )
    todos.expert_moved(expert, actor=actor, now=now)
    return expert


@transaction.atomic(durable=True)
def approve(*, actor, expert_id: int, reason: str = "", now) -> Expert:
    return _officer_move(
        actor=actor,
        expert_id=expert_id,
        to_status=ExpertStatus.APPROVED,
        reason=reason,
        now=now,
        verb="approved",
    )


@transaction.atomic(durable=True)
def reject(*, actor, expert_id: int, reason: str, now) -> Expert:
    return _officer_move(
        actor=actor,
        expert_id=expert_id,
        to_status=ExpertStatus.REJECTED,
        reason=reason,
        now=now,
        verb="rejected",
    )


@transaction.atomic(durable=True)
def suspend(*, actor, expert_id: int, reason: str, now) -> Expert:
    return _officer_move(
        actor=actor,
        expert_id=expert_id,
        to_status=ExpertStatus.SUSPENDED,
        reason=reason,
        now=now,
        verb="suspended",
    )


@transaction.atomic(durable=True)
def reinstate(*, actor, expert_id: int, reason: str = "", now) -> Expert:
    expert = Expert.objects.filter(pk=expert_id).values_list("status", flat=True).first()
    if expert == ExpertStatus.APPLIED:
        raise InvalidTransition(_("待审核的申请请使用“通过”。"))
    return _officer_move(
        actor=actor,
        expert_id=expert_id,
        to_status=ExpertStatus.APPROVED,
        reason=reason,
        now=now,
        verb="reinstated",
    )


def _officer_jurisdiction(actor) -> str:
    """The broadest jurisdiction in which the actor is a program officer."""
    codes = list(
        StaffAssignment.objects.filter(user=actor, duty=Duty.PROGRAM_OFFICER).values_list(
            "jurisdiction_id", flat=True
        )
    )
    if not codes:
        raise PermissionDenied(_("只有项目管理人员可以邀请专家。"))
    return min(codes, key=lambda c: (len(c.rstrip("0")), c))


def find_account(account: str):
    """The user an officer names by username or e-mail (case-insensitive), or None."""
    account = (account or "").strip()
    if not account:
        return None
    users = get_user_model().objects.filter(is_active=True)
    if "@" in account:
        found = list(users.filter(email__iexact=account)[:2])
        return found[0] if len(found) == 1 else None
    return users.filter(username__iexact=account).first()


@transaction.atomic(durable=True)
def invite(*, actor, account: str, note: str = "", now) -> ExpertInvitation:
    """Ask a person, by their platform account, to join the registry. Nobody is entered before
    they accept."""
    jurisdiction = _officer_jurisdiction(actor)
    user = find_account(account)
    if user is None:
        message = _("没有找到该账户，请填写对方在平台注册的用户名或邮箱。")
        raise ValidationFailed(message, code="unknown_account", detail={"account": [message]})
    existing = Expert.objects.filter(user=user).first()
    if existing is not None and existing.status != ExpertStatus.REJECTED:
        message = {
            ExpertStatus.APPROVED: _("该账户已是库内专家。"),
            ExpertStatus.APPLIED: _("该账户已提交专家申请，请在待审核申请中办理。"),
            ExpertStatus.SUSPENDED: _("该账户的专家资格已暂停，如需恢复请在专家详情页办理。"),
        }[existing.status]
        raise ValidationFailed(message, code="already_expert", detail={"account": [str(message)]})
    if len(note or "") > 255:
        message = _("邀请说明不能超过255个字。")
        raise ValidationFailed(message, detail={"note": [message]})
    invitation = ExpertInvitation(
        user=user,
        jurisdiction_id=jurisdiction,
        note=(note or "").strip(),
        invited_by=actor,
        created_at=now,
    )
    try:
        with transaction.atomic():
            invitation.save()
    except IntegrityError as exc:
        message = _("已向该账户发出邀请，正在等待对方答复。")
        raise Conflict(message, code="already_invited", detail={"account": [str(message)]}) from exc
    audit.record(
        "community.invitation.sent",
        actor=actor,
        target=invitation,
        after={"user": user.pk, "jurisdiction": jurisdiction, "note": invitation.note},
        region_code=jurisdiction,
        now=now,
    )
    todos.invited(invitation, now=now)
    return invitation


def _own_pending_invitation(actor, invitation_id: int) -> ExpertInvitation:
    invitation = lock(ExpertInvitation.objects.all(), invitation_id)
    if invitation.user_id != getattr(actor, "pk", None):
        raise NotFound(_("记录不存在或已被删除。"))
    if invitation.status != InvitationStatus.PENDING:
        raise InvalidTransition(
            _("该邀请已处理（%(status)s）。") % {"status": invitation.get_status_display()}
        )
    return invitation


@transaction.atomic(durable=True)
def accept_invitation(*, actor, invitation_id: int, data: ExpertData, now) -> Expert:
    """The invited person accepts with their profile: they enter the registry (已入库)."""
    invitation = _own_pending_invitation(actor, invitation_id)
    fields, disciplines, industries, conflicts = _validate(actor, data)
    existing = Expert.objects.filter(user=actor).values_list("pk", flat=True).first()
    expert = lock(Expert.objects.all(), existing) if existing else Expert(user=actor, created_at=now)
    if expert.pk and expert.status not in (ExpertStatus.REJECTED, ExpertStatus.APPLIED):
        raise InvalidTransition(_("您已是库内专家。"))
    before = _snapshot(expert) if expert.pk else None
    expert.status = ExpertStatus.APPROVED
    expert.status_reason = ""
    expert.jurisdiction_id = invitation.jurisdiction_id
    expert.approved_at = now
    expert.updated_at = now
    _write_profile(expert, fields, disciplines, industries, conflicts)
    invitation.status = InvitationStatus.ACCEPTED
    invitation.decided_at = now
    invitation.expert = expert
    invitation.save(update_fields=["status", "decided_at", "expert"])
    audit.record(
        "community.invitation.accepted",
        actor=actor,
        target=expert,
        before=before,
        after=_snapshot(expert),
        region_code=expert.region_id,
        now=now,
    )
    todos.invitation_answered(invitation, now=now)
    return expert


@transaction.atomic(durable=True)
def decline_invitation(*, actor, invitation_id: int, now) -> ExpertInvitation:
    invitation = _own_pending_invitation(actor, invitation_id)
    invitation.status = InvitationStatus.DECLINED
    invitation.decided_at = now
    invitation.save(update_fields=["status", "decided_at"])
    audit.record(
        "community.invitation.declined",
        actor=actor,
        target=invitation,
        region_code=invitation.jurisdiction_id,
        now=now,
    )
    todos.invitation_answered(invitation, now=now)
    return invitation
