"""The one way an amount is shown: ``{% load money %}{{ amount|yuan }}``."""

from django import template

from zhouqiao.core.money import format_yuan

register = template.Library()


@register.filter
def yuan(value) -> str:
    return format_yuan(value)
