from django import template
from django.urls import reverse

from zhouqiao.accounts.models import OrganisationKind
from zhouqiao.insights.enterprises import access

register = template.Library()


@register.simple_tag
def enterprise_profile_url(user, org) -> str:
    """The profile's address when ``user`` (staff of the enterprise's region) may open it, else ''."""
    if org.kind != OrganisationKind.ENTERPRISE or not access.can_view(user, org.region_id):
        return ""
    return reverse("enterprise_profiles:profile", args=[org.pk])


@register.filter
def figure_value(values, code):
    """A profile figure for a page: amounts through the one money format, the rest as numbers."""
    from zhouqiao.core.money import format_yuan
    from zhouqiao.insights.enterprises.states import MONEY_FIGURES

    value = values.get(code, 0) if hasattr(values, "get") else values
    if code in MONEY_FIGURES:
        return format_yuan(value)
    value = value or 0
    return f"{value:.2f}".rstrip("0").rstrip(".") if value % 1 else f"{int(value)}"
