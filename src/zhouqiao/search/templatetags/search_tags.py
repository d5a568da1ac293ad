from django import template

register = template.Library()


@register.simple_tag
def may_edit_synonyms(user) -> bool:
    from zhouqiao.search import services

    return services.may_edit_synonyms(user)
