from django import template
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhouqiao.catalog.audit_actions import AUDIT_ACTIONS
from zhouqiao.core.money import format_yuan

register = template.Library()

ACTIONS = {
    "create": gettext_lazy("创建"),
    "update": gettext_lazy("修改内容"),
    "submitted": gettext_lazy("提交审核"),
    "returned": gettext_lazy("退回修改"),
    "published": gettext_lazy("审核通过并发布"),
    "closed": gettext_lazy("关闭"),
    "expired": gettext_lazy("到期自动关闭"),
    "attach": gettext_lazy("上传附件"),
    "detach": gettext_lazy("删除附件"),
    "invite": gettext_lazy("邀请机构"),
    "uninvite": gettext_lazy("取消邀请"),
    "import": gettext_lazy("批量导入"),
}


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


@register.filter
def action_text(action: str) -> str:
    """The Chinese name of an audit action (never the code itself)."""
    if action in AUDIT_ACTIONS:
        return AUDIT_ACTIONS[action]
    suffix = (action or "").rsplit(".", 1)[-1]
    return ACTIONS.get(suffix, _("其他操作"))


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
