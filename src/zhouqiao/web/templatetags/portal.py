from django import template
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import get_script_prefix, get_urlconf
from django.utils.translation import get_language

from zhouqiao.accounts.masking import mask_id_number, mask_phone

register = template.Library()


@register.filter
def masked_phone(value):
    return mask_phone(value or "")


@register.filter
def masked_id(value):
    return mask_id_number(value or "")


# The menu and strip depend only on the page, the URLconf and which of the guarded links they show
# (navigation.LINK_ALLOWED) the user may open: built once per process for each such combination
# instead of reversing some fifteen URL names on every request. The key holds every input, so a
# kept copy is never another person's or out of date (duties or memberships that change change it).
_NAV: dict[tuple, dict] = {}


def _kept_nav(context) -> tuple[tuple, dict]:
    from zhouqiao.web import navigation

    request = context.get("request")
    user = getattr(request, "user", None) if request is not None else None
    match = getattr(request, "resolver_match", None) if request is not None else None
    view_name = match.view_name if match else None
    key = (
        view_name,
        get_script_prefix(),
        get_urlconf() or settings.ROOT_URLCONF,
        navigation.permissions(user, view_name),
    )
    nav = _NAV.get(key)
    if nav is None:
        nav = _NAV[key] = {
            "menu": navigation.menu(user, view_name),
            "strip": navigation.strip(user, view_name),
        }
    return key, nav


@register.simple_tag(takes_context=True)
def portal_nav(context):
    """The top menu and the current function's strip for the user of this request.

    Safe where there is no request or no user (an error page rendered without context)."""
    return _kept_nav(context)[1]


# Their HTML (web/partials/nav.html) is as much a function of the same key and the language.
_NAV_HTML: dict[tuple, str] = {}


@register.simple_tag(takes_context=True)
def portal_nav_html(context):
    """The page header's menu and strip, rendered once per process for each kept nav and language."""
    key, nav = _kept_nav(context)
    html_key = (key, get_language())
    html = _NAV_HTML.get(html_key)
    if html is None:
        html = _NAV_HTML[html_key] = render_to_string(
            "web/partials/nav.html", {"nav": nav, "view_name": key[0]}
        )
    return html  # render_to_string gives SafeString


@register.simple_tag
def uses_contract_registration(user) -> bool:
    """Whether 技术合同认定登记 is a page this person works with: they may apply to register a
    contract (catalog.posting) or register them (a registrar)."""
    from zhouqiao.accounts import scope
    from zhouqiao.accounts.models import Duty
    from zhouqiao.catalog import posting

    if not getattr(user, "is_authenticated", False):
        return False
    return scope.has_duty(user, Duty.REGISTRAR) or posting.may_post_any(user, posting.CONTRACT)
