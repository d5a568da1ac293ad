"""Who a workflow waits on, as user querysets for :func:`services.notify`."""

from django.contrib.auth import get_user_model
from django.db.models import Q

from zhouqiao.accounts.models import MemberRole
from zhouqiao.core.models import RegionLevel


def org_members(organisation):
    """Every active member. Not for an organisation's business: see :func:`org_handlers`."""
    return get_user_model().objects.filter(memberships__organisation=organisation, is_active=True)


# -- who handles an organisation's business ---------------------------------------------------------
# The one rule: the business of an organisation (messages in its negotiations, deals, contracts,
# policy cash-out, applications, projects, patents, its records' reviews) is told to and waits on
# its administrators, and on the member who is the record's own author or contact where the record
# keeps one (``people``), not on every member: an expert who merely belongs to a university is not
# its business office.


def org_handlers(organisation, *people):
    """The administrators of ``organisation`` plus those of ``people`` who are its active members."""
    if organisation is None:
        return get_user_model().objects.none()
    extra = [getattr(p, "pk", p) for p in people if p is not None]
    return (
        get_user_model()
        .objects.filter(
            Q(memberships__role=MemberRole.ADMIN) | Q(pk__in=extra),
            memberships__organisation=organisation,
            is_active=True,
        )
        .distinct()
    )


def handled_organisation_ids(user) -> list[int]:
    """The organisations whose business waits on ``user`` (to-do sources): those they administer."""
    from zhouqiao.accounts import scope

    return scope.organisation_ids(user, MemberRole.ADMIN)


def org_admins(organisation):
    # One filter over the membership: chained filters would join memberships twice and take in a
    # plain member of this organisation who administers another.
    return get_user_model().objects.filter(
        memberships__organisation=organisation, memberships__role=MemberRole.ADMIN, is_active=True
    )


def staff(duty: str, region_code: str):
    """Active staff holding ``duty`` in a jurisdiction whose subtree holds ``region_code``."""
    if not region_code:
        return get_user_model().objects.none()
    covering = (
        Q(
            assignments__jurisdiction__level=RegionLevel.PROVINCE,
            assignments__jurisdiction__code__startswith=region_code[:2],
        )
        | Q(
            assignments__jurisdiction__level=RegionLevel.CITY,
            assignments__jurisdiction__code__startswith=region_code[:4],
        )
        | Q(assignments__jurisdiction__code=region_code)
    )
    return get_user_model().objects.filter(covering, assignments__duty=duty, is_active=True).distinct()


# -- the bureau a record waits on -----------------------------------------------------------------
# A demand, an achievement, an organisation's verification or a contract's registration waits on
# one bureau: that of the nearest jurisdiction — county, then city, then province — where someone
# holds the duty (what the applicant is told: catalog.posting.bureau_name). The bureaus above it
# supervise: they may open and decide the record, but it is not in their to-do list, nor are they
# told, so two bureaus do not handle one record and the upper counts are not inflated.


def _duties(duty) -> list[str]:
    """One duty, or several taken together (a policy claim waits on its reviewers or finance staff)."""
    return [duty] if isinstance(duty, str) else list(duty)


def _held(duty) -> set[str]:
    """The jurisdiction prefixes where an active user holds ``duty`` (one duty or several)."""
    from zhouqiao.accounts.models import StaffAssignment
    from zhouqiao.core.models import scope_prefix

    rows = StaffAssignment.objects.filter(duty__in=_duties(duty), user__is_active=True).values_list(
        "jurisdiction__code", "jurisdiction__level"
    )
    return {scope_prefix(code, level) for code, level in rows.distinct()}


def jurisdiction_chain(region_code: str) -> list[str]:
    """The jurisdictions a record of ``region_code`` may wait on, nearest first: its own, its
    city's, its province's."""
    if not region_code:
        return []
    return list(dict.fromkeys([region_code, region_code[:4] + "00", region_code[:2] + "0000"]))


def handling_jurisdiction(duty, region_code: str) -> str | None:
    """The code of the nearest jurisdiction over ``region_code`` where someone holds ``duty`` (one
    duty or several)."""
    from zhouqiao.accounts.models import StaffAssignment

    codes = jurisdiction_chain(region_code)
    held = set(
        StaffAssignment.objects.filter(
            duty__in=_duties(duty), jurisdiction_id__in=codes, user__is_active=True
        ).values_list("jurisdiction_id", flat=True)
    )
    return next((code for code in codes if code in held), None)


def handling_staff(duty, region_code: str):
    """Active staff holding ``duty`` (one duty or several) in the jurisdiction a record of
    ``region_code`` waits on."""
    code = handling_jurisdiction(duty, region_code)
    if code is None:
        return get_user_model().objects.none()
    return (
        get_user_model()
        .objects.filter(
            assignments__jurisdiction_id=code, assignments__duty__in=_duties(duty), is_active=True
        )
        .distinct()
    )


def waiting_on_q(user, duty, field: str = "region") -> Q:
    """The records (region path ``field``) that wait on ``user`` with ``duty`` (one duty or
    several): within their jurisdictions and not under a nearer one where someone holds it."""
    from zhouqiao.accounts import scope

    held = _held(duty)
    query = scope.NOTHING
    for prefix in sorted({p for d in _duties(duty) for p in scope.prefixes(user, d)}):
        mine = Q(**{f"{field}__code__startswith": prefix})
        for nearer in held:
            if nearer != prefix and nearer.startswith(prefix):
                mine &= ~Q(**{f"{field}__code__startswith": nearer})
        query |= mine
    return query


def bureau_name(code: str | None, duty) -> str:
    """The name the messages give the bureau of jurisdiction ``code`` whose staff hold ``duty``
    (one duty or several): its government organisation, else "<region>科技管理部门"."""
    from django.utils.translation import gettext as _

    from zhouqiao.accounts.models import Organisation, OrganisationKind
    from zhouqiao.core.models import Region

    if code is None:
        return _("属地科技管理部门")
    organ = (
        Organisation.objects.filter(
            memberships__user__assignments__jurisdiction_id=code,
            memberships__user__assignments__duty__in=_duties(duty),
            kind=OrganisationKind.GOVERNMENT,
        )
        .order_by("pk")
        .values_list("name", flat=True)
        .first()
    )
    if organ:
        return organ
    name = Region.objects.filter(code=code).values_list("name", flat=True).first()
    return _("%(region)s科技管理部门") % {"region": name or code}
