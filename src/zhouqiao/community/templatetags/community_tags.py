from django import template

from zhouqiao.accounts import scope
from zhouqiao.accounts.models import Duty

register = template.Library()


@register.simple_tag
def program_officer(user) -> bool:
    """Whether the user holds the program officer duty anywhere (shows the registry's staff pages)."""
    return bool(getattr(user, "is_authenticated", False)) and scope.has_duty(user, Duty.PROGRAM_OFFICER)
