"""The one permission layer: who may see or change a regional record.

Government staff act within a jurisdiction (a province, city or county) and see its whole subtree:
county staff their county, city staff the city and its counties, province staff the province.
Region codes are hierarchical, so "within the subtree" is a prefix match on the record's region
code (see ``Region.scope_prefix``). Later apps reuse :func:`region_q` and :func:`covers` with the
path to their record's region, e.g. ``region_q(user, "owner__region")``.
"""

from django.db.models import Q

from zhouqiao.accounts.models import Duty, MemberRole, Membership, StaffAssignment
from zhouqiao.accounts.states import VerificationStatus
from zhouqiao.core.models import scope_prefix

NOTHING = Q(pk__in=[])


def _assignments(user) -> list[tuple[str, str]]:
    """(duty, subtree prefix) pairs, cached on the user object for the request."""
    if not getattr(user, "is_authenticated", False):
        return []
    cached = getattr(user, "_zq_assignments", None)
    if cached is None:
        cached = [
            (duty, scope_prefix(code, level))
            for duty, code, level in StaffAssignment.objects.filter(user=user).values_list(
                "duty", "jurisdiction__code", "jurisdiction__level"
            )
        ]
        user._zq_assignments = cached
    return cached


def forget(user) -> None:
    """Drop the cached assignments and memberships after they change."""
    user.__dict__.pop("_zq_assignments", None)
    user.__dict__.pop("_zq_memberships", None)


# The duties that act on business records: achievements, demands, contracts, money. The three
# administrators of 三员分立 run the system, the permissions and the log, not the business, so
# "any duty" below means any of these and an administrator sees business records only as a member.
BUSINESS_DUTIES = frozenset({Duty.REVIEWER, Duty.REGISTRAR, Duty.FINANCE})


def prefixes(user, duty: str | None = None) -> list[str]:
    """The user's jurisdiction prefixes for ``duty``, or for any business duty."""
    wanted = BUSINESS_DUTIES if duty is None else {duty}
    return sorted({prefix for d, prefix in _assignments(user) if d in wanted})


def is_government_staff(user) -> bool:
    """Holds any duty at all: opens the back office."""
    return bool(_assignments(user))


def is_business_staff(user) -> bool:
    """Holds a business duty: sees the bureau's business pages for its jurisdictions."""
    return bool(prefixes(user))


def has_duty(user, duty: str) -> bool:
    return any(d == duty for d, _ in _assignments(user))


def covers(user, region_code: str, duty: str | None = None) -> bool:
    """May this staff user act (with ``duty``, or any business duty) on a record in ``region_code``?"""
    return bool(region_code) and any(region_code.startswith(p) for p in prefixes(user, duty))


def region_q(user, field: str = "region", duty: str | None = None) -> Q:
    """Records whose region lies within the user's jurisdictions (for ``duty``, or any business duty)."""
    query = NOTHING
    for prefix in prefixes(user, duty):
        query |= Q(**{f"{field}__code__startswith": prefix})
    return query


def memberships(user) -> list[Membership]:
    """The user's memberships, each with its organisation, read in one query and cached on the user
    object for the request: the menu, the posting rule and the workspace all ask for them."""
    if not getattr(user, "is_authenticated", False):
        return []
    cached = getattr(user, "_zq_memberships", None)
    if cached is None:
        cached = list(Membership.objects.filter(user=user).select_related("organisation").order_by("pk"))
        user._zq_memberships = cached
    return cached


def organisation_ids(user, role: str | None = None) -> list[int]:
    """The user's organisations (where they hold ``role``)."""
    return [m.organisation_id for m in memberships(user) if role is None or m.role == role]


def is_member(user, organisation, role: str | None = None) -> bool:
    return organisation.pk in organisation_ids(user, role)


def is_org_admin(user, organisation) -> bool:
    return is_member(user, organisation, MemberRole.ADMIN)


def organisation_visibility_q(user) -> Q:
    """Verified organisations are public; members see their own; staff see their subtree."""
    query = Q(status=VerificationStatus.VERIFIED)
    own = organisation_ids(user)
    if own:
        query |= Q(pk__in=own)
    return query | region_q(user, "region")


def can_view_organisation(user, organisation) -> bool:
    return (
        organisation.status == VerificationStatus.VERIFIED
        or is_member(user, organisation)
        or covers(user, organisation.region_id)
    )


def can_review_organisation(user, organisation) -> bool:
    return covers(user, organisation.region_id, Duty.REVIEWER)


def sees_organisation_documents(user, organisation) -> bool:
    """An organisation's verification documents (licence scans) are read by its members and by the
    reviewers whose jurisdiction covers it — not by the public nor by other staff."""
    return getattr(user, "is_authenticated", False) and (
        is_member(user, organisation) or can_review_organisation(user, organisation)
    )


def can_read_audit(user, region_code: str = "") -> bool:
    if region_code:
        return covers(user, region_code, Duty.AUDIT_ADMIN)
    return has_duty(user, Duty.AUDIT_ADMIN)


def home_region_code(user) -> str:
    """Where a person belongs, for filing their authentication events: their first organisation's
    region, else their first jurisdiction."""
    if user is None or not getattr(user, "pk", None):
        return ""
    code = (
        Membership.objects.filter(user=user)
        .order_by("pk")
        .values_list("organisation__region_id", flat=True)
        .first()
        or StaffAssignment.objects.filter(user=user)
        .order_by("pk")
        .values_list("jurisdiction_id", flat=True)
        .first()
    )
    return code or ""
