from django import template

from zhouqiao.accounts import scope
from zhouqiao.accounts.models import Duty

register = template.Library()


@register.simple_tag
def program_officer(user) -> bool:
    """Whether the user holds the program officer duty anywhere (shows the registry's staff pages)."""
    return bool(getattr(user, "is_authenticated", False)) and scope.has_duty(user, Duty.PROGRAM_OFFICER)


@register.simple_tag
def my_expert_link(user) -> bool:
    """Whether "我的专家信息" leads somewhere for this user: an expert record, an invitation waiting,
    or an organisation to apply with (an expert names their organisation)."""
    if not getattr(user, "is_authenticated", False):
        return False
    from zhouqiao.community.models import Expert, ExpertInvitation, InvitationStatus

    return (
        bool(scope.organisation_ids(user))
        or Expert.objects.filter(user=user).exists()
        or ExpertInvitation.objects.filter(user=user, status=InvitationStatus.PENDING).exists()
    )
