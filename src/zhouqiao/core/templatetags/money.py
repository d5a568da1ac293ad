"""The one way an amount is shown: ``{% load money %}{{ amount|yuan }}``."""

from django import template

from zhouqiao.core.money import format_yuan

register = template.Library()


@register.filter
def yuan(value, unit=None) -> str:
    """``{{ amount|yuan }}`` picks the unit per amount; ``{{ amount|yuan:"万" }}`` fixes it for a
    table column (every figure in 万元 with two decimals)."""
    return format_yuan(value, unit or None)
