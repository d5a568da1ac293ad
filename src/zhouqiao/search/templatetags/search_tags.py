from django import template

from zhouqiao.search import selectors

register = template.Library()


@register.simple_tag
def unread_notifications(user) -> int:
    """How many unread notifications the signed-in user has (0 for a visitor: no query)."""
    return selectors.unread_count(user)


@register.simple_tag
def may_edit_synonyms(user) -> bool:
    from zhouqiao.search import services

    return services.may_edit_synonyms(user)
