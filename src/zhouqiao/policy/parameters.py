"""The effective policy: the shipped YAML packages plus every approved, dated change a bureau
made to its own parameters (``ParameterChange``). Read side only; the writes (propose, approve,
reject) are in ``services.py``.

Every caller that evaluates rules for real (registration, event applications, the calculator
page, the API, the command line) takes its packages from :func:`effective_packages`; the engine
stays pure and receives them as an argument.
"""

from __future__ import annotations

import copy
import datetime as dt
from decimal import Decimal, InvalidOperation

import yaml
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhouqiao.core.money import AmountError, parse_amount
from zhouqiao.policy import engine

# The parameters a bureau may set, and what each is (for the form and the validation).
MONEY_PARAMETERS = ("annual_cap", "per_item_cap", "threshold", "amount", "ceiling", "minimum")
EDITABLE_PARAMETERS = ("rate", *MONEY_PARAMETERS, "cap_period")
PARAMETER_LABELS = {
    "rate": gettext_lazy("比例"),
    "annual_cap": gettext_lazy("上限"),
    "per_item_cap": gettext_lazy("单项上限"),
    "threshold": gettext_lazy("起点金额"),
    "amount": gettext_lazy("定额"),
    "ceiling": gettext_lazy("最高金额"),
    "minimum": gettext_lazy("最低金额"),
    "cap_period": gettext_lazy("上限计算方式"),
    engine.DOCUMENT_PARAMETER: gettext_lazy("文件状态"),
}
CAP_PERIODS = {"year": gettext_lazy("每个受益方每自然年"), "contract": gettext_lazy("每份合同")}


class ChangeValueError(ValueError):
    """A proposed value that is not valid for its parameter (Chinese message)."""


def approved_changes() -> list[engine.Change]:
    from zhouqiao.policy.models import ParameterChange

    return [
        engine.Change(
            package=c.package,
            rule=c.rule_id,
            name=c.name,
            value=c.value,
            effective_from=c.effective_from,
            number=c.adopting_document,
        )
        for c in ParameterChange.objects.approved().order_by("effective_from", "pk")
    ]


def effective_packages() -> tuple[engine.Package, ...]:
    """The shipped packages with the approved changes applied (one small query)."""
    return engine.apply_changes(approved_changes())


def region_exists(code: str) -> bool:
    """The calculator's regions are checked against the regions table (core reference data)."""
    from zhouqiao.core.models import Region

    return Region.objects.filter(code=code).exists()


def calculate(data) -> list[dict]:
    """The calculator (page, API, command line) under the effective parameters."""
    return engine.calculate(data, pkgs=effective_packages(), region_exists=region_exists)


def editable_parameters(rule: engine.Rule) -> list[str]:
    """What a bureau may change on ``rule``: the parameters it already has, plus the cap's
    counting period wherever there is a cap."""
    names = [n for n in EDITABLE_PARAMETERS if n in rule.parameters]
    if "annual_cap" in rule.parameters and "cap_period" not in names:
        names.append("cap_period")
    return names


def clean_value(name: str, raw) -> str:
    """The canonical text of a proposed value, or :class:`ChangeValueError`."""
    text = str(raw or "").strip()
    if name == engine.DOCUMENT_PARAMETER:
        if text not in (engine.IN_FORCE, engine.REPEALED):
            raise ChangeValueError(_("文件状态只能改为“施行”或“废止”。"))
        return text
    if name == "cap_period":
        if text not in CAP_PERIODS:
            raise ChangeValueError(_("上限计算方式应为“每个受益方每自然年”或“每份合同”。"))
        return text
    if name == "rate":
        try:
            value = Decimal(text.rstrip("%")) / (100 if text.endswith("%") else 1)
        except InvalidOperation as exc:
            raise ChangeValueError(_("比例应为0到1之间的小数，如 0.03，或百分数，如 3%。")) from exc
        if not value.is_finite() or value <= 0 or value > 1 or value.as_tuple().exponent < -6:
            raise ChangeValueError(_("比例应为0到1之间的小数（最多六位小数），如 0.03，或百分数，如 3%。"))
        return format(value.normalize(), "f")
    if name in MONEY_PARAMETERS:
        try:
            # as the current value reads (150万元) or in yuan (1500000)
            return str(parse_amount(text, allow_zero=False, units=True))
        except AmountError as exc:
            raise ChangeValueError(str(exc)) from exc
    raise ChangeValueError(_("该参数不能调整。"))


def current_value(pkg: engine.Package, rule: engine.Rule | None, name: str, as_of: dt.date) -> str:
    if rule is None:
        return pkg.status_on(as_of) or ""
    if name == "cap_period" and "cap_period" not in rule.parameters:
        return rule.cap_period(as_of)
    value = rule.parameter(name, as_of)[0]
    return "" if value is None else str(value)


def history(package_id: str, rule_id: str = "") -> list[dict]:
    """Every dated value of one rule (or of the document's status), oldest first: what was
    shipped, then each change (proposed, approved or rejected) with the value it replaced."""
    from zhouqiao.policy.models import ParameterChange

    pkg = engine.package_by_id(package_id, engine.shipped_packages())
    rows = []
    if pkg is None:
        return rows
    if rule_id:
        rule = engine.rule_by_id(rule_id, (pkg,))
        for name, entries in (rule.parameters if rule else {}).items():
            for entry in entries:
                rows.append(
                    {
                        "name": name,
                        "value": str(entry["value"]),
                        "from": engine._date(entry["from"]),
                        "change": None,
                    }
                )
    else:
        for start, status, _number in pkg.statuses:
            rows.append({"name": engine.DOCUMENT_PARAMETER, "value": status, "from": start, "change": None})
    changes = ParameterChange.objects.filter(package=package_id, rule_id=rule_id).select_related(
        "proposed_by", "decided_by"
    )
    for c in changes.order_by("effective_from", "pk"):
        rows.append({"name": c.name, "value": c.value, "from": c.effective_from, "change": c})
    rows.sort(key=lambda r: (r["name"], r["from"], r["change"].pk if r["change"] else 0))
    return rows


def export(pkgs=None) -> dict[str, str]:
    """``zhouqiao policy export``: each package's YAML as shipped, with the approved changes
    written into its dated parameter lists (and the document's status history), so the file
    loads back into the same effective parameters. {file name: YAML text}."""
    changes = approved_changes()
    out = {}
    for path in sorted(engine.PACKAGE_DIR.glob("*.yaml")):
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        raw = copy.deepcopy(raw)
        mine = [c for c in changes if c.package == raw["package"]]
        doc = raw.setdefault("document", {})
        status_changes = [c for c in mine if not c.rule]
        if status_changes:
            shipped = engine.package_by_id(raw["package"], engine.shipped_packages())
            doc["history"] = [
                {"from": start.isoformat(), "status": status, "number": number}
                for start, status, number in shipped.statuses
            ] + [
                {"from": c.effective_from.isoformat(), "status": c.value, "number": c.number}
                for c in status_changes
            ]
            live = engine.package_by_id(raw["package"], engine.apply_changes(changes))
            latest = max(live.statuses, key=lambda entry: entry[0])
            doc["status"] = latest[1]
            doc["effective_from"] = live.effective_from.isoformat() if live.effective_from else None
            doc["effective_to"] = live.effective_to.isoformat() if live.effective_to else None
            doc["number"] = live.adopted_by or doc.get("number", "")
        for rule in raw["rules"]:
            for c in (c for c in mine if c.rule == rule["id"]):
                entry = {"from": c.effective_from.isoformat(), "value": c.value}
                if c.number:
                    entry["number"] = c.number
                rule.setdefault("parameters", {}).setdefault(c.name, []).append(entry)
        out[path.name] = yaml.safe_dump(raw, allow_unicode=True, sort_keys=False, width=100)
    return out
