from django import template

from zhouqiao.insights.targets.selectors import number

register = template.Library()


@register.filter
def figure(value):
    """A target or actual as people write it (no trailing zeros, thousands separated)."""
    return number(value)
