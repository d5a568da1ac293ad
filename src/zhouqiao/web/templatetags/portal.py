from django import template
from django.conf import settings
from django.urls import get_script_prefix, get_urlconf

from zhouqiao.accounts.masking import mask_id_number, mask_phone

register = template.Library()


@register.filter
def masked_phone(value):
    return mask_phone(value or "")


@register.filter
def masked_id(value):
    return mask_id_number(value or "")


# What a visitor who is not signed in sees in the menu and strip depends only on the page (and the
# URLconf): built once per process and page instead of reversing some fifteen URL names on every
# request. Signed-in users' links depend on their duties and memberships: built for each request.
_VISITOR_NAV: dict[tuple, dict] = {}


@register.simple_tag(takes_context=True)
def portal_nav(context):
    """The top menu and the current function's strip for the user of this request.

    Safe where there is no request or no user (an error page rendered without context)."""
    from zhouqiao.web import navigation

    request = context.get("request")
    user = getattr(request, "user", None) if request is not None else None
    match = getattr(request, "resolver_match", None) if request is not None else None
    view_name = match.view_name if match else None
    if user is not None and not user.is_authenticated:
        key = (view_name, get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF)
        nav = _VISITOR_NAV.get(key)
        if nav is None:
            nav = _VISITOR_NAV[key] = {
                "menu": navigation.menu(user, view_name),
                "strip": navigation.strip(user, view_name),
            }
        return nav
    return {"menu": navigation.menu(user, view_name), "strip": navigation.strip(user, view_name)}
