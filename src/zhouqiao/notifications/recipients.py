"""Who a workflow waits on, as user querysets for :func:`services.notify`."""

from django.contrib.auth import get_user_model
from django.db.models import Q

from zhouqiao.accounts.models import MemberRole
from zhouqiao.core.models import RegionLevel


def org_members(organisation):
    return get_user_model().objects.filter(memberships__organisation=organisation, is_active=True)


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
