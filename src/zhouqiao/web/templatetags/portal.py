from django import template

from zhouqiao.accounts.masking import mask_id_number, mask_phone

register = template.Library()


@register.filter
def masked_phone(value):
    return mask_phone(value or "")


@register.filter
def masked_id(value):
    return mask_id_number(value or "")


@register.simple_tag(takes_context=True)
def portal_nav(context):
    """The top menu and the current function's strip for the user of this request.

    Safe where there is no request or no user (an error page rendered without context)."""
    from zhouqiao.web import navigation

    request = context.get("request")
    user = getattr(request, "user", None) if request is not None else None
    match = getattr(request, "resolver_match", None) if request is not None else None
    view_name = match.view_name if match else None
    return {"menu": navigation.menu(user, view_name), "strip": navigation.strip(user, view_name)}
