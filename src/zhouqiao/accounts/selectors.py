from django.db.models import Count, Q

from zhouqiao.accounts import scope
from zhouqiao.accounts.models import Duty, Organisation, StaffAssignment, User
from zhouqiao.accounts.states import VerificationStatus
from zhouqiao.core.models import Region


def verification_queue(user, *, waiting_on_me: bool = False):
    """Organisations waiting for verification in this reviewer's jurisdictions, oldest first;
    ``waiting_on_me``: only those that wait on the reviewer's own bureau, not on a nearer one
    (notifications.recipients.waiting_on_q), as the to-do list shows them."""
    from zhouqiao.notifications import recipients

    where = (
        recipients.waiting_on_q(user, Duty.REVIEWER)
        if waiting_on_me
        else scope.region_q(user, "region", Duty.REVIEWER)
    )
    return (
        Organisation.objects.filter(where, status=VerificationStatus.SUBMITTED)
        .select_related("region")
        .annotate(document_count=Count("documents"))
        .order_by("created_at")
    )


def organisations_for(user, *, kind: str = "", region_code: str = "", q: str = ""):
    qs = Organisation.objects.visible_to(user).select_related("region")
    if kind:
        qs = qs.filter(kind=kind)
    if region_code:
        region = Region.objects.filter(code=region_code).first()
        qs = qs.filter(region__code__startswith=region.scope_prefix) if region else qs.none()
    if q:
        qs = qs.filter(name__icontains=q)
    return qs


def memberships_of(user):
    return user.memberships.select_related("organisation", "organisation__region")


HIDDEN_REGION_NAMES = ("市辖区", "县")


def jurisdiction_name(region: Region) -> str:
    """A jurisdiction as a clerk names it: 吉林省, 长春市, 长春市朝阳区 (the province only when it is
    the jurisdiction itself). Select ``parent__parent`` with the region to spare the queries."""
    chain = [r for r in region.ancestors() if r.name not in HIDDEN_REGION_NAMES]
    return "".join(r.name for r in (chain[1:] if len(chain) > 1 else chain))


def grants_for(actor, *, person: str = "", region_code: str = ""):
    """The duties held within the actor's security-administrator jurisdictions (the 人员授权 page),
    newest first; ``person`` matches a name or login name, ``region_code`` keeps a subtree."""
    qs = StaffAssignment.objects.filter(scope.region_q(actor, "jurisdiction", Duty.SECURITY_ADMIN))
    person = person.strip()
    if person:
        qs = qs.filter(Q(user__display_name__icontains=person) | Q(user__username__icontains=person))
    if region_code:
        region = Region.objects.filter(code=region_code).first()
        qs = qs.filter(jurisdiction__code__startswith=region.scope_prefix) if region else qs.none()
    return qs.select_related("user", "granted_by", "jurisdiction__parent__parent").order_by(
        "-granted_at", "-pk"
    )


def grant_jurisdictions(actor) -> list[Region]:
    """The regions a security administrator may grant in: their jurisdictions and everything below."""
    prefixes = scope.prefixes(actor, Duty.SECURITY_ADMIN)
    if not prefixes:
        return []
    query = Q(pk__in=[])
    for prefix in prefixes:
        query |= Q(code__startswith=prefix)
    return list(Region.objects.filter(query).select_related("parent__parent").order_by("code"))


def people_matching(text: str, *, exclude=None, limit: int = 20):
    """Active people whose name or login name contains ``text`` (the grant form's person picker)."""
    text = (text or "").strip()
    if not text:
        return User.objects.none()
    qs = User.objects.filter(Q(display_name__icontains=text) | Q(username__icontains=text), is_active=True)
    if exclude is not None:
        qs = qs.exclude(pk=exclude.pk)
    return qs.order_by("display_name", "username")[:limit]


def organisations_by_person(user_ids) -> dict[int, str]:
    """{user id: "机构一、机构二"}, in one query."""
    from zhouqiao.accounts.models import Membership

    out: dict[int, list[str]] = {}
    for user_id, name in (
        Membership.objects.filter(user_id__in=set(user_ids))
        .order_by("organisation__name")
        .values_list("user_id", "organisation__name")
    ):
        out.setdefault(user_id, []).append(name)
    return {k: "、".join(v) for k, v in out.items()}


VERIFICATION_STEPS = {
    "organisation.register": "submitted",
    "organisation.submitted": "resubmitted",
    "organisation.returned": "returned",
    "organisation.verified": "verified",
}


def verification_history(org: Organisation) -> list:
    """The verification's steps, oldest first (submitted, returned with its reason, resubmitted,
    verified), from the audit records; empty while there was only the first submission."""
    from zhouqiao.core.models import AuditEvent

    rows = list(
        AuditEvent.objects.filter(
            target_type=Organisation._meta.label_lower,
            target_id=str(org.pk),
            action__in=VERIFICATION_STEPS,
            success=True,
        )
        .only("at", "action", "reason", "actor_name")
        .order_by("at", "pk")
    )
    if len(rows) < 2:
        return []
    for row in rows:
        row.step = VERIFICATION_STEPS[row.action]
    return rows
