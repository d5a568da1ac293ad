from django import template

from zhouqiao.community.institutions import access

register = template.Library()


@register.simple_tag
def institutions_nav(user) -> dict:
    return {"reviewer": access.is_reviewer(user), "ranking": access.sees_ranking(user)}


@register.filter
def flag(value) -> str:
    from django.utils.translation import gettext as _

    return _("是") if value is True else _("否") if value is False else str(value)
