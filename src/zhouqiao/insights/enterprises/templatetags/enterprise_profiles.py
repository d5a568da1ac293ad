from django import template
from django.urls import reverse
from django.utils.translation import gettext as _

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
    """A profile figure for a page: amounts through the one money format (none at all reads 0元
    there), certificates as 是/否, the rest as numbers."""
    from zhouqiao.core.money import format_yuan
    from zhouqiao.insights.enterprises.states import MONEY_FIGURES, YES_NO_FIGURES

    value = values.get(code, 0) if hasattr(values, "get") else values
    value = value or 0
    if code in YES_NO_FIGURES:
        return _("是") if value >= 1 else _("否")
    if code in MONEY_FIGURES:
        return format_yuan(value)
    return f"{value:.2f}".rstrip("0").rstrip(".") if value % 1 else f"{int(value)}"


@register.filter
def figure_label(code) -> str:
    """A figure's name on a page: an amount's label without "（元）" (its value carries the unit)."""
    from zhouqiao.insights.enterprises.states import page_label

    return page_label(code)


@register.filter
def criterion_text(criterion) -> str:
    """A reserve criterion as a clerk reads it: 须为“是” for a certificate, else 不低于 <figure>."""
    from zhouqiao.insights.enterprises.states import YES_NO_FIGURES

    if criterion.figure in YES_NO_FIGURES:
        return _("须为“是”") if criterion.minimum >= 1 else _("不作要求")
    return _("不低于%(v)s") % {"v": figure_value(criterion.minimum, criterion.figure)}
