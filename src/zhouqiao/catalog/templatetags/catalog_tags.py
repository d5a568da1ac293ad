from django import template
from django.utils.translation import gettext as _

from zhouqiao.core.audit_labels import action_label
from zhouqiao.core.money import format_yuan

register = template.Library()


register.filter("yuan", format_yuan)
yuan = format_yuan


@register.filter
def price_text(data: dict) -> str:
    kind = data.get("price_kind")
    if kind == "fixed":
        return yuan(data["price_min"])
    if kind == "range":
        return f"{yuan(data['price_min'])} – {yuan(data['price_max'])}"
    return _("面议")


@register.filter
def budget_text(data: dict) -> str:
    low, high = data.get("budget_min"), data.get("budget_max")
    if low is None and high is None:
        return _("面议")
    if low is not None and high is not None:
        return yuan(low) if low == high else f"{yuan(low)} – {yuan(high)}"
    return _("不低于%(v)s") % {"v": yuan(low)} if low is not None else _("不超过%(v)s") % {"v": yuan(high)}


register.filter("action_text", action_label)


@register.simple_tag
def may_post(user, kind: str) -> bool:
    """Whether to offer 发布成果 / 发布需求 (``kind``: achievement or demand): the posting rule the
    services apply (catalog.posting)."""
    from zhouqiao.catalog import posting

    return posting.may_post_any(user, kind)


@register.filter
def filesize(size) -> str:
    size = int(size or 0)
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f} MB"
    return f"{max(1, size // 1024)} KB"


@register.simple_tag
def row_field(field, row: int, row_name: str = ""):
    """A repeating row's input named for the screen reader: 「第2项知识产权：申请日」."""
    label = _("第%(n)s项%(row)s：%(field)s") % {
        "n": row,
        "row": row_name or _("知识产权"),
        "field": field.label,
    }
    return field.as_widget(attrs={"aria-label": label})
