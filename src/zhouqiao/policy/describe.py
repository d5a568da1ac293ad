"""Rules in words a clerk reads: the one place that turns the engine's structured data (document,
clause, beneficiary, conditions, formula, caps, trace) into Chinese.

Nothing here decides anything: the engine decides, this module only says what it decided. Every
page (rule list, calculator, entitlement and application pages) renders through it, so a new
rule written in the YAML schema is described without writing a sentence for it.

    cite("001#15")                → 《长春市进一步加快科技创新发展的若干政策措施》第十五条
    condition({"fact": "contract_amount", "gt": "$threshold"}, rule, as_of) → 技术合同金额超过50万元
    caps(rule, as_of)             → ["单项最高100万元"]
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from zhouqiao.core.money import format_yuan
from zhouqiao.policy import engine

# --- vocabulary ------------------------------------------------------------------------------

BENEFICIARY_CHOICES = [
    ("seller", gettext_lazy("卖方（成果输出单位）")),
    ("buyer", gettext_lazy("买方（成果承接企业）")),
    ("broker", gettext_lazy("技术经纪（理）人")),
    ("transfer_institution", gettext_lazy("技术转移机构")),
    ("registrant", gettext_lazy("合同登记方（卖方）")),
    ("inventors", gettext_lazy("成果完成人（团队）")),
    ("applicant", gettext_lazy("申请单位")),
]
BENEFICIARIES = dict(BENEFICIARY_CHOICES)

ORGANISATION_TYPES = {
    "enterprise": gettext_lazy("企业"),
    "university": gettext_lazy("高校"),
    "institute": gettext_lazy("科研院所"),
    "new_rd_institution": gettext_lazy("新型研发机构"),
    "transfer_institution": gettext_lazy("技术转移机构"),
    "service_provider": gettext_lazy("科技服务机构"),
    "investor": gettext_lazy("投资机构"),
    "government": gettext_lazy("政府部门"),
}

# The subject of a fact path, as the sentence starts ("卖方为高校或科研院所").
PARTIES = {
    "seller": gettext_lazy("卖方"),
    "buyer": gettext_lazy("买方"),
    "broker": gettext_lazy("技术经纪人"),
    "transfer_institution": gettext_lazy("技术转移机构"),
    "applicant": gettext_lazy("申请单位"),
}
AMOUNTS = {
    "contract_amount": gettext_lazy("技术合同金额"),
    "technology_amount": gettext_lazy("技术交易额"),
    "net_income": gettext_lazy("净收入（技术交易额减单位申报的成本）"),
}
COMPARISONS = {
    "gt": gettext_lazy("%(what)s超过%(value)s"),
    "ge": gettext_lazy("%(what)s达到%(value)s（含）以上"),
    "lt": gettext_lazy("%(what)s低于%(value)s"),
    "le": gettext_lazy("%(what)s不超过%(value)s"),
    "eq": gettext_lazy("%(what)s等于%(value)s"),
}
# Regions the packages name; anything else is looked up in the regions table.
JURISDICTIONS = {
    "220000": gettext_lazy("吉林省"),
    "220100": gettext_lazy("长春市"),
    "220200": gettext_lazy("吉林市"),
}

DIGITS = "零一二三四五六七八九"


def chinese_number(n: int) -> str:
    """1–99 as written in a document: 9 → 九, 15 → 十五, 20 → 二十, 33 → 三十三."""
    if n < 10:
        return DIGITS[n]
    tens, ones = divmod(n, 10)
    head = "" if tens == 1 else DIGITS[tens]
    return head + "十" + (DIGITS[ones] if ones else "")


def beneficiary(code: str) -> str:
    return str(BENEFICIARIES.get(code, _("受益方")))


def organisation_type(code) -> str:
    return str(ORGANISATION_TYPES.get(code, _("其他单位")))


def region_name(code) -> str:
    code = str(code or "")
    if code == engine.ANYWHERE:
        return _("任何地区")
    if code in JURISDICTIONS:
        return str(JURISDICTIONS[code])
    from zhouqiao.core.models import Region

    region = Region.objects.filter(code=code).first() if code else None
    return region.name if region else _("所填地区")


def percent(rate) -> str:
    value = (Decimal(str(rate)) * 100).normalize()
    return f"{value:f}%"


def _or(words: list[str]) -> str:
    words = [str(w) for w in words]
    if len(words) <= 1:
        return "".join(words)
    return _("%(head)s或%(last)s") % {"head": "、".join(words[:-1]), "last": words[-1]}


# --- documents and clauses -------------------------------------------------------------------


def package(package_id: str) -> engine.Package | None:
    return next((p for p in engine.packages() if p.id == package_id), None)


@dataclass(frozen=True)
class Citation:
    text: str  # 《长春市进一步加快科技创新发展的若干政策措施》第十五条
    code: str  # 001#15, only as a small reference
    document: str  # the full title

    def __str__(self) -> str:
        return self.text


def article_number(clause: str) -> int:
    """ "001#24" → 24: for listing clauses in the document's article order (第四条 before 第十二条)."""
    item = str(clause).partition("#")[2]
    digits = "".join(ch for ch in item if ch.isdigit())
    return int(digits) if digits else 0


def cite(clause: str) -> Citation:
    seed, _sep, item = str(clause).partition("#")
    pkg = package(seed)
    name = pkg.short_title if pkg else _("政策文件")
    chinese = (get_language() or "zh").startswith("zh")
    number = chinese_number(int(item)) if chinese else item
    article = _("第%(n)s条") % {"n": number} if item.isdigit() else ""
    return Citation(text=f"《{name}》{article}", code=str(clause), document=pkg.title if pkg else "")


# --- conditions, formula, caps --------------------------------------------------------------


def _value(rule: engine.Rule, raw, as_of: dt.date):
    if isinstance(raw, str) and raw.startswith("$"):
        return rule.parameter(raw[1:], as_of)[0]
    return raw


def condition(cond: dict, rule: engine.Rule, as_of: dt.date) -> str:
    """One YAML condition in words."""
    fact = cond["fact"]
    op = next(o for o in ("eq", "in", "not_in", "within", "gt", "ge", "lt", "le", "present") if o in cond)
    value = _value(rule, cond[op], as_of)
    head, _dot, attribute = fact.partition(".")
    subject = str(PARTIES.get(head, ""))
    if fact == "registration_region":
        return _("合同在%(where)s登记") % {"where": region_name(value)}
    if fact == "contract_type":
        types = [str(t) for t in value] if isinstance(value, list) else [str(value)]
        if op == "not_in":
            return _("合同类型不是%(types)s") % {"types": _or(types)}
        return _("合同类型为%(types)s") % {"types": _or(types)}
    if fact in AMOUNTS:
        return str(COMPARISONS[op]) % {"what": AMOUNTS[fact], "value": format_yuan(value)}
    if attribute == "type":
        kinds = [organisation_type(v) for v in (value if isinstance(value, list) else [value])]
        if op == "not_in":
            return _("%(who)s不是%(kinds)s") % {"who": subject, "kinds": _or(kinds)}
        return _("%(who)s为%(kinds)s") % {"who": subject, "kinds": _or(kinds)}
    if attribute == "region":
        return _("%(who)s在%(where)s") % {"who": subject, "where": region_name(value)}
    if attribute == "registered":
        return (
            _("%(who)s已纳入市级备案") % {"who": subject} if value else _("%(who)s未备案") % {"who": subject}
        )
    if op == "present":
        return _("有%(who)s参与") % {"who": subject} if value else _("无%(who)s参与") % {"who": subject}
    if fact == "date":
        return _("登记日期满足条件")
    return _("其他条件")  # pragma: no cover - every fact of the schema is named above


def where(rule: engine.Rule) -> str:
    """The rule's own region condition (``applies_to``)."""
    if rule.trigger != "contract":
        who = PARTIES["applicant"]
    elif rule.beneficiary == "broker":
        who = _("技术经纪人执业地")
    else:
        who = PARTIES[engine.BENEFICIARY_PARTY[rule.beneficiary]]
    if rule.applies_to == engine.ANYWHERE:
        return _("%(who)s不限") % {"who": who}
    return _("%(who)s在%(where)s") % {"who": who, "where": region_name(rule.applies_to)}


def conditions(rule: engine.Rule, as_of: dt.date) -> list[str]:
    return [where(rule), *(condition(c, rule, as_of) for c in rule.conditions)]


def unmet(cond: dict, rule: engine.Rule, as_of: dt.date) -> str:
    """A condition ``engine.unmet_conditions`` found unmet, as what the clause requires."""
    if cond.get("fact") == engine.REGION_CONDITION:
        return where(rule)
    return condition(cond, rule, as_of)


def why_not(check: engine.Check, as_of: dt.date) -> str:
    """Why a clause pays this party nothing, in words (the calculator's own-side list)."""
    if check.reason == engine.NOT_IN_FORCE:
        pkg = package(check.rule.package)
        title = pkg.short_title if pkg else ""
        return _("《%(doc)s》在该日期未施行（或已废止）") % {"doc": title}
    if check.reason == engine.NOT_VALID:
        return _("该条款在该日期不适用（不在有效期内）")
    if check.reason == engine.UNMET:
        return _("要求%(what)s，本合同不符合") % {
            "what": _("；").join(unmet(c, check.rule, as_of) for c in check.unmet)
        }
    return _("本年度上限已用完，或同一笔钱由更具体的条款支付")


def formula(rule: engine.Rule, as_of: dt.date) -> str:
    """按技术合同金额的3%计算 / 定额10万元 / 最高300万元."""
    if rule.formula:
        rate = rule.parameter(rule.formula["rate"], as_of)[0]
        base = AMOUNTS.get(rule.formula["base"], _("金额"))
        if rate is None:
            return ""
        return _("按%(base)s的%(rate)s计算") % {"base": base, "rate": percent(rate)}
    amount = rule.parameter(rule.fixed_amount or "amount", as_of)[0]
    if amount is None:
        return ""
    if rule.automatic:
        return _("定额%(amount)s") % {"amount": format_yuan(amount)}
    minimum = rule.parameter("minimum", as_of)[0]
    if minimum is not None:
        return _("%(low)s至%(high)s，经评审核定") % {"low": format_yuan(minimum), "high": format_yuan(amount)}
    return _("最高%(amount)s，经评审核定") % {"amount": format_yuan(amount)}


def caps(rule: engine.Rule, as_of: dt.date) -> list[str]:
    words = []
    per_item = rule.parameter("per_item_cap", as_of)[0]
    if per_item is not None:
        words.append(_("单项最高%(amount)s") % {"amount": format_yuan(per_item)})
    annual = rule.parameter("annual_cap", as_of)[0]
    if annual is not None:
        if rule.cap_period(as_of) == "contract":
            words.append(_("每份合同最高%(amount)s") % {"amount": format_yuan(annual)})
        else:
            words.append(_("每个受益方每年最高%(amount)s") % {"amount": format_yuan(annual)})
    return words


def way(rule: engine.Rule) -> str:
    if rule.kind == engine.KIND_DISTRIBUTION:
        return _("收益分配（单位自有资金，不低于）")
    if rule.trigger == "contract":
        return _("免申即享") if rule.automatic else _("申请评审（最高）")
    return _("凭证明申报（定额）") if rule.automatic else _("申报评审")


def result_way(result) -> str:
    """How a computed result is paid, for the calculator and the contract page."""
    return way(result.rule)


def document_status(pkg: engine.Package, as_of: dt.date) -> str:
    """施行（自2014年1月1日起，依据…） / 征求意见稿（尚未施行，不予兑现） / 废止."""
    status = pkg.status_on(as_of)
    if status == engine.IN_FORCE:
        start = pkg.effective_from
        words = (
            _("施行（自%(d)s起）") % {"d": f"{start.year}年{start.month}月{start.day}日"}
            if start
            else _("施行")
        )
        if pkg.adopted_by:
            words += _("，依据%(n)s") % {"n": pkg.adopted_by}
        return words
    if status == engine.REPEALED:
        return _("已废止")
    return _("征求意见稿（尚未施行：计算器结果仅供参考，登记后不予兑现）")


def change_summary(change) -> str:
    """《文件》第十五条 上限：100万元 → 150万元（自2025年1月1日起）."""
    pkg = package(change.package)
    if change.rule_id:
        rule = engine.rule_by_id(change.rule_id, (pkg,)) if pkg else None
        where_ = f"{cite(rule.clause).text}{rule.title}" if rule else change.rule_id
    else:
        where_ = f"《{pkg.short_title}》" if pkg else change.package
    d = change.effective_from
    return _("%(where)s %(name)s：%(old)s → %(new)s（自%(d)s起）") % {
        "where": where_,
        "name": parameter_label(change.name),
        "old": parameter_value(change.name, change.previous_value) or _("无"),
        "new": parameter_value(change.name, change.value),
        "d": f"{d.year}年{d.month}月{d.day}日",
    }


def parameter_label(name: str) -> str:
    from zhouqiao.policy.parameters import PARAMETER_LABELS

    return str(PARAMETER_LABELS.get(name, _("参数")))


def parameter_value(name: str, value) -> str:
    """A parameter's value in words: 3% / 100万元 / 每份合同 / 施行."""
    from zhouqiao.policy.parameters import CAP_PERIODS, MONEY_PARAMETERS

    if value in (None, ""):
        return ""
    if name == "rate":
        return percent(value)
    if name in MONEY_PARAMETERS:
        return format_yuan(value)
    if name == "cap_period":
        return str(CAP_PERIODS.get(str(value), value))
    return str(value)


@dataclass(frozen=True)
class RuleText:
    rule: engine.Rule
    citation: Citation
    beneficiary: str
    conditions: list
    formula: str
    caps: list
    way: str


def rule_text(rule: engine.Rule, as_of: dt.date) -> RuleText:
    return RuleText(
        rule=rule,
        citation=cite(rule.clause),
        beneficiary=beneficiary(rule.beneficiary),
        conditions=conditions(rule, as_of),
        formula=formula(rule, as_of),
        caps=caps(rule, as_of),
        way=way(rule),
    )


# --- a computed result (calculator, entitlement, application) ---------------------------------


def _fact(facts: dict, path: str):
    head, _dot, rest = path.partition(".")
    value = facts.get(head)
    if rest:
        return value.get(rest) if isinstance(value, dict) else None
    return value


def _actual(path: str, value) -> str:
    if value is None:
        return _("无")
    if path in AMOUNTS:
        return format_yuan(value)
    if path.endswith(".type"):
        return organisation_type(value)
    if path.endswith(".region") or path == "registration_region":
        return region_name(value)
    if path.endswith(".registered"):
        return _("已备案") if value else _("未备案")
    return str(value)


def explain(rule: engine.Rule | None, trace: dict, amount=None) -> list[str]:
    """Why a result came out as it did, in words: each condition with the value it met, then
    the computation with its caps. ``trace`` is the engine's (stored on entitlements and
    applications); its facts are the contract's or the event's."""
    if rule is None:
        return []
    used = {
        n: p["value"] for n, p in (trace.get("parameters") or {}).items() if p and p.get("value") is not None
    }
    if used:  # the values the engine actually used (a bureau's change may have replaced the shipped ones)
        rule = dataclasses.replace(
            rule,
            parameters={
                **rule.parameters,
                **{n: [{"from": "1900-01-01", "value": v}] for n, v in used.items()},
            },
        )
    facts = trace.get("facts") or {}
    try:
        as_of = dt.date.fromisoformat(str(facts.get("date") or facts.get("event_date")))
    except ValueError:
        as_of = rule.valid_from
    lines = []
    party = engine.BENEFICIARY_PARTY.get(rule.beneficiary, "applicant")
    region = _fact(facts, f"{party}.region") or trace.get("beneficiary_region")
    lines.append(_("%(cond)s（%(actual)s）") % {"cond": where(rule), "actual": region_name(region)})
    for cond in rule.conditions:
        actual = _actual(cond["fact"], _fact(facts, cond["fact"]))
        lines.append(_("%(cond)s（%(actual)s）") % {"cond": condition(cond, rule, as_of), "actual": actual})
    if rule.formula:
        base_path = rule.formula["base"]
        base = _fact(facts, base_path)
        rate = rule.parameter(rule.formula["rate"], as_of)[0]
        if base is not None and rate is not None:
            try:
                raw = Decimal(str(base)) * Decimal(str(rate))
            except InvalidOperation:
                raw = None
            if raw is not None:
                lines.append(
                    _("%(base)s%(value)s × %(rate)s = %(raw)s")
                    % {
                        "base": AMOUNTS.get(base_path, base_path),
                        "value": format_yuan(base),
                        "rate": percent(rate),
                        "raw": format_yuan(raw.quantize(engine.FEN)),
                    }
                )
    else:
        lines.append(formula(rule, as_of))
    lines.extend(caps(rule, as_of))
    consumed = (facts.get("consumed") or {}).get(rule.beneficiary, {}).get(rule.clause)
    if consumed and rule.parameter("annual_cap", as_of)[0] is not None:
        lines.append(_("本年已享%(amount)s") % {"amount": format_yuan(consumed)})
    if amount is not None and rule.kind == engine.KIND_DISTRIBUTION:
        lines.append(_("单位分配给成果完成人（团队）不低于%(amount)s") % {"amount": format_yuan(amount)})
    elif amount is not None:
        lines.append(_("核定%(amount)s") % {"amount": format_yuan(amount)})
    return lines
