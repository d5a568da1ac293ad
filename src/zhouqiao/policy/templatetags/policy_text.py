"""Policy data in words on pages: ``{% load policy_text %}``.

{% cite e.clause %}            → 《…》第十五条 <small>001#15</small>
{{ e.beneficiary|beneficiary }} → 卖方（成果输出单位）
{% explain e as lines %}       → the conditions and computation of an entitlement or application
"""

from django import template
from django.utils.html import format_html

from zhouqiao.policy import describe, engine

register = template.Library()


@register.simple_tag
def cite(clause):
    c = describe.cite(clause)
    return format_html(
        '<span title="{}">{}</span> <small class="muted ref">{}</small>', c.document, c.text, c.code
    )


@register.filter
def citation(clause) -> str:
    return describe.cite(clause).text


@register.filter
def percent(ratio) -> str:
    """0.7000 → 70%, 0.125 → 12.5% (ratios are stored as fractions and shown as percentages)."""
    from decimal import Decimal, InvalidOperation

    try:
        value = (Decimal(str(ratio)) * 100).normalize()
    except (InvalidOperation, ValueError, TypeError):
        return ""
    return f"{value:f}%"


@register.filter
def beneficiary(code) -> str:
    return describe.beneficiary(code)


@register.simple_tag
def explain(item, amount=None):
    """``item`` has ``rule_id`` and ``trace`` (an entitlement or application) or is an engine
    result (``rule`` and ``trace``)."""
    rule = getattr(item, "rule", None)
    if not isinstance(rule, engine.Rule):
        rule = engine.rule_by_id(getattr(item, "rule_id", ""))
    return describe.explain(rule, getattr(item, "trace", {}) or {}, amount)


@register.simple_tag
def is_finance(user) -> bool:
    """Whether the finance desk link belongs in the policy menu for ``user``."""
    from zhouqiao.accounts import scope
    from zhouqiao.accounts.models import Duty

    return bool(getattr(user, "is_authenticated", False)) and scope.has_duty(user, Duty.FINANCE)


@register.filter
def way(rule) -> str:
    """免申即享 / 申请评审（最高） / 收益分配（单位自有资金，不低于） / …"""
    return describe.way(rule) if isinstance(rule, engine.Rule) else ""


@register.simple_tag
def is_policy_editor(user) -> bool:
    """Whether the policy parameters link belongs in the policy menu for ``user``."""
    from zhouqiao.accounts import scope
    from zhouqiao.accounts.models import Duty

    return bool(getattr(user, "is_authenticated", False)) and scope.has_duty(user, Duty.POLICY_EDITOR)
