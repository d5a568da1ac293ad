from django import template

from zhouqiao.core import clock
from zhouqiao.notifications import selectors
from zhouqiao.notifications.registry import label_of

register = template.Library()


@register.simple_tag
def unread_notifications(user) -> int:
    """How many unread messages the signed-in user has (0 for a visitor: no query)."""
    return selectors.unread_count(user)


@register.simple_tag(takes_context=True)
def todo_count(context) -> int:
    """How many items wait on the signed-in user (0 for a visitor: no query)."""
    request = context.get("request")
    if request is None or not request.user.is_authenticated:
        return 0
    return selectors.header_todo_count(request, now=clock.now())


@register.filter
def kind_label(code: str) -> str:
    return label_of(code)
