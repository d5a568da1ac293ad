from zhouqiao.accounts import scope
from zhouqiao.accounts.models import Duty, Organisation
from zhouqiao.accounts.states import VerificationStatus
from zhouqiao.core.models import Region


def verification_queue(user):
    """Organisations waiting for this reviewer, oldest first."""
    return (
        Organisation.objects.filter(
            scope.region_q(user, "region", Duty.REVIEWER), status=VerificationStatus.SUBMITTED
        )
        .select_related("region")
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
