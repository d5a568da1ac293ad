from decimal import Decimal

from django import template
from django.utils.translation import gettext as _

register = template.Library()

ACTIONS = {
    "create": "创建",
    "update": "修改内容",
    "submitted": "提交审核",
    "returned": "退回修改",
    "published": "审核通过并发布",
    "closed": "关闭",
    "expired": "到期自动关闭",
    "attach": "上传附件",
    "detach": "删除附件",
    "invite": "邀请机构",
    "uninvite": "取消邀请",
    "import": "批量导入",
}


@register.filter
def yuan(value) -> str:
    """500000 → "50万元"; 1234.5 → "1,234.50元"."""
    if value in (None, ""):
        return ""
    amount = Decimal(value)
    if amount >= 10000 and amount % 100 == 0:
        wan = (amount / 10000).normalize()
        return _("%(n)s万元") % {"n": f"{wan:f}"}
    return _("%(n)s元") % {"n": f"{amount:,.2f}"}


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
    suffix = (action or "").rsplit(".", 1)[-1]
    return _(ACTIONS[suffix]) if suffix in ACTIONS else action


@register.filter
def filesize(size) -> str:
    size = int(size or 0)
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f} MB"
    return f"{max(1, size // 1024)} KB"
