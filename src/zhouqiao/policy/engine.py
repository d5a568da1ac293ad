"""The policy engine: rules as data (YAML packages, one per seed document), evaluated by pure
Python with Decimal. No ORM, no clock: every call gets its facts and its ``as_of`` date.

A package (``packages/<seed>.yaml``) holds rules; a rule says which clause it implements, who
issued it and where it applies, when it is valid, who benefits, its conditions, its formula
(``rate × base``), its per-item and annual caps and whether it pays automatically (免申即享) or
only after an application and review. Parameters are dated: ``[{from: 2023-01-01, value: …}]``,
the latest ``from`` on or before ``as_of`` wins. See README.md in this folder for the schema.

Every result carries a trace of the parameters and facts it used.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import cache
from pathlib import Path

import yaml

FEN = Decimal("0.01")
PACKAGE_DIR = Path(__file__).with_name("packages")

ORGANISATION_TYPES = (
    "enterprise",
    "university",
    "institute",
    "new_rd_institution",
    "transfer_institution",
    "service_provider",
    "investor",
    "government",
)
CONTRACT_TYPES = ("技术开发", "技术转让", "技术许可", "技术咨询", "技术服务", "技术入股")
BENEFICIARIES = ("seller", "buyer", "broker", "transfer_institution", "registrant", "inventors")
# Who stands behind each beneficiary of a contract: the registrant is the seller (the seller side
# applies for registration), the inventors belong to the seller unit.
BENEFICIARY_PARTY = {
    "seller": "seller",
    "buyer": "buyer",
    "broker": "broker",
    "transfer_institution": "transfer_institution",
    "registrant": "seller",
    "inventors": "seller",
}
CASE_KEYS = {
    "date",
    "contract_type",
    "contract_amount",
    "technology_amount",
    "seller",
    "buyer",
    "broker",
    "transfer_institution",
    "consumed",
}


class CaseError(ValueError):
    """Bad calculator input; ``field`` names the offending key."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field
        self.message = message


# --- regions --------------------------------------------------------------------------------


def region_prefix(code: str) -> str:
    """GB/T 2260: 22xxxx is the province 220000, 2201xx the city 220100, 220104 a county."""
    code = str(code)
    if code.endswith("0000"):
        return code[:2]
    if code.endswith("00"):
        return code[:4]
    return code


def within(region: str | None, jurisdiction: str) -> bool:
    return bool(region) and str(region).startswith(region_prefix(jurisdiction))


# --- facts ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Party:
    type: str | None = None
    region: str | None = None
    registered: bool | None = None


@dataclass(frozen=True)
class ContractFacts:
    date: dt.date
    contract_type: str
    contract_amount: Decimal
    technology_amount: Decimal
    seller: Party
    buyer: Party
    broker: Party | None = None
    transfer_institution: Party | None = None
    consumed: dict = field(default_factory=dict)  # {beneficiary: {clause: Decimal}}

    def lookup(self, path: str):
        head, _, rest = path.partition(".")
        value = getattr(self, head)
        if rest:
            return None if value is None else getattr(value, rest)
        return value

    def as_dict(self) -> dict:
        def party(p):
            return None if p is None else {k: v for k, v in vars(p).items() if v is not None}

        return {
            "date": self.date.isoformat(),
            "contract_type": self.contract_type,
            "contract_amount": money_str(self.contract_amount),
            "technology_amount": money_str(self.technology_amount),
            "seller": party(self.seller),
            "buyer": party(self.buyer),
            "broker": party(self.broker),
            "transfer_institution": party(self.transfer_institution),
            "consumed": {b: {c: money_str(a) for c, a in cl.items()} for b, cl in self.consumed.items()},
        }


def money_str(value: Decimal) -> str:
    return str(Decimal(value).quantize(FEN, rounding=ROUND_HALF_UP))


def _amount(raw, name: str) -> Decimal:
    if isinstance(raw, float):
        raw = repr(raw)
    if isinstance(raw, bool) or raw is None:
        raise CaseError(name, f'“{name}”应为金额字符串，如 "800000.00"。')
    try:
        value = Decimal(str(raw).strip())
    except InvalidOperation as exc:
        raise CaseError(name, f"“{name}”不是有效金额：{raw!r}。") from exc
    if not value.is_finite() or value < 0:
        raise CaseError(name, f"“{name}”应为不小于零的金额。")
    if value != value.quantize(FEN):
        raise CaseError(name, f"“{name}”最多保留两位小数（精确到分）。")
    return value.quantize(FEN)


def _region(raw, name: str) -> str:
    code = str(raw or "").strip()
    if not (len(code) == 6 and code.isdigit()):
        raise CaseError(name, f"“{name}”应为6位行政区划代码（GB/T 2260）。")
    return code


def _party(raw, name: str, *, typed: bool, optional: bool) -> Party | None:
    if raw is None and optional:
        return None
    if not isinstance(raw, dict):
        raise CaseError(name, f"“{name}”应为对象。")
    kind = None
    if typed:
        kind = raw.get("type")
        if kind not in ORGANISATION_TYPES:
            raise CaseError(f"{name}.type", f"“{name}.type”应为：{'、'.join(ORGANISATION_TYPES)}。")
    registered = None
    if name == "transfer_institution":
        registered = raw.get("registered", False)
        if not isinstance(registered, bool):
            raise CaseError(f"{name}.registered", "“transfer_institution.registered”应为 true 或 false。")
        kind = "transfer_institution"
    return Party(type=kind, region=_region(raw.get("region"), f"{name}.region"), registered=registered)


def parse_case(data: dict) -> ContractFacts:
    """Validate the calculator input (see README.md) into frozen facts."""
    if not isinstance(data, dict):
        raise CaseError("", "输入应为 JSON 对象。")
    unknown = sorted(set(data) - CASE_KEYS)
    if unknown:
        raise CaseError(unknown[0], f"不认识的字段：{'、'.join(unknown)}。")
    try:
        date = dt.date.fromisoformat(str(data.get("date", "")))
    except ValueError as exc:
        raise CaseError("date", '“date”应为日期，如 "2024-06-01"。') from exc
    contract_type = data.get("contract_type")
    if contract_type not in CONTRACT_TYPES:
        raise CaseError("contract_type", f"“contract_type”应为：{'、'.join(CONTRACT_TYPES)}。")
    contract_amount = _amount(data.get("contract_amount"), "contract_amount")
    technology_amount = _amount(
        data.get("technology_amount", data.get("contract_amount")), "technology_amount"
    )
    if technology_amount > contract_amount:
        raise CaseError("technology_amount", "技术交易额不能大于合同成交额。")
    consumed_raw = data.get("consumed") or {}
    if not isinstance(consumed_raw, dict):
        raise CaseError("consumed", "“consumed”应为对象：{受益方: {条款: 金额}}。")
    consumed: dict = {}
    for beneficiary, clauses in consumed_raw.items():
        if beneficiary not in BENEFICIARIES or not isinstance(clauses, dict):
            raise CaseError("consumed", f"“consumed”的受益方应为：{'、'.join(BENEFICIARIES)}。")
        consumed[beneficiary] = {
            str(clause): _amount(value, f"consumed.{beneficiary}.{clause}")
            for clause, value in clauses.items()
        }
    return ContractFacts(
        date=date,
        contract_type=contract_type,
        contract_amount=contract_amount,
        technology_amount=technology_amount,
        seller=_party(data.get("seller"), "seller", typed=True, optional=False),
        buyer=_party(data.get("buyer"), "buyer", typed=True, optional=False),
        broker=_party(data.get("broker"), "broker", typed=False, optional=True),
        transfer_institution=_party(
            data.get("transfer_institution"), "transfer_institution", typed=False, optional=True
        ),
        consumed=consumed,
    )


# --- packages -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Rule:
    id: str
    clause: str
    title: str
    quote: str
    package: str
    issuer_jurisdiction: str
    applies_to: str
    valid_from: dt.date
    valid_to: dt.date | None
    trigger: str  # "contract" or an event name (see README)
    beneficiary: str
    automatic: bool
    conditions: tuple
    formula: dict | None
    fixed_amount: str | None
    parameters: dict
    interpretation: str
    exclusive_group: str | None
    paid_as: str
    once: bool = False  # an event rule paid at most once per beneficiary (一次性)

    def parameter(self, name: str, as_of: dt.date):
        """The dated value of ``name`` on ``as_of`` and the date it took effect, or (None, None)."""
        best = None
        for entry in self.parameters.get(name, ()):
            start = _date(entry["from"])
            if start <= as_of and (best is None or start >= best[1]):
                best = (entry["value"], start)
        return best if best else (None, None)

    def valid_on(self, as_of: dt.date) -> bool:
        return self.valid_from <= as_of and (self.valid_to is None or as_of <= self.valid_to)


@dataclass(frozen=True)
class Package:
    id: str
    title: str
    issuer: str
    jurisdiction: str
    valid_from: dt.date
    valid_from_note: str
    seed: str
    rules: tuple
    constants: dict
    short_title: str = ""  # how pages cite the document: 《short_title》第十五条 (describe.py)


def _date(value) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


def _load(path: Path) -> Package:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    pkg_from = _date(raw["valid_from"])
    rules = []
    for r in raw["rules"]:
        assert r["beneficiary"] in BENEFICIARIES + ("applicant",), r["id"]
        rules.append(
            Rule(
                id=r["id"],
                clause=r["clause"],
                title=r["title"],
                quote=r.get("quote", ""),
                package=raw["package"],
                issuer_jurisdiction=raw["jurisdiction"],
                applies_to=r.get("applies_to", raw["jurisdiction"]),
                valid_from=_date(r.get("valid_from", pkg_from)),
                valid_to=_date(r["valid_to"]) if r.get("valid_to") else None,
                trigger=r.get("trigger", "contract"),
                beneficiary=r["beneficiary"],
                automatic=bool(r["automatic"]),
                conditions=tuple(r.get("conditions", ())),
                formula=r.get("formula"),
                fixed_amount=r.get("fixed_amount"),
                parameters=r.get("parameters", {}),
                interpretation=(r.get("interpretation") or "").strip(),
                exclusive_group=r.get("exclusive_group"),
                paid_as=r.get("paid_as", "cash"),
                once=bool(r.get("once", False)),
            )
        )
    return Package(
        id=raw["package"],
        title=raw["title"],
        issuer=raw["issuer"],
        jurisdiction=raw["jurisdiction"],
        valid_from=pkg_from,
        valid_from_note=raw.get("valid_from_note", ""),
        seed=raw["seed"],
        rules=tuple(rules),
        constants=raw.get("constants", {}),
        short_title=raw.get("short_title") or raw["title"],
    )


@cache
def packages() -> tuple[Package, ...]:
    return tuple(_load(p) for p in sorted(PACKAGE_DIR.glob("*.yaml")))


def all_rules() -> list[Rule]:
    return [rule for pkg in packages() for rule in pkg.rules]


def event_rules() -> list[Rule]:
    """Rules triggered by an event (a certification, an award…) rather than a contract: the
    beneficiary claims them with an application (the platform cannot see the event itself)."""
    return [r for r in all_rules() if r.trigger != "contract"]


def rule_by_id(rule_id: str) -> Rule | None:
    return next((r for r in all_rules() if r.id == rule_id), None)


def constant(name: str, as_of: dt.date):
    """A package-level dated constant (e.g. the yearly innovation voucher pool, 001#23)."""
    for pkg in packages():
        if name in pkg.constants:
            entries = [e for e in pkg.constants[name]["values"] if _date(e["from"]) <= as_of]
            if entries:
                return max(entries, key=lambda e: _date(e["from"]))["value"]
    return None


# --- evaluation -----------------------------------------------------------------------------


@dataclass
class Result:
    rule: Rule
    beneficiary: str
    amount: Decimal  # rounded half-up to the fen, once, after every cap
    automatic: bool
    annual_cap: Decimal | None
    trace: dict

    def as_dict(self) -> dict:
        return {
            "rule": self.rule.id,
            "clause": self.rule.clause,
            "beneficiary": self.beneficiary,
            "amount": money_str(self.amount),
            "automatic": self.automatic,
            "trace": self.trace,
        }


def _resolve(rule: Rule, value, as_of, used: dict):
    if isinstance(value, str) and value.startswith("$"):
        name = value[1:]
        resolved, since = rule.parameter(name, as_of)
        used[name] = {"value": resolved, "from": since.isoformat() if since else None}
        return resolved
    return value


def _check(rule: Rule, cond: dict, facts, as_of, used: dict) -> tuple[bool, str]:
    fact = cond["fact"]
    actual = facts.lookup(fact)
    for op in ("eq", "in", "not_in", "within", "gt", "ge", "lt", "le", "present"):
        if op in cond:
            expected = _resolve(rule, cond[op], as_of, used)
            break
    else:  # pragma: no cover - a malformed package fails its own tests
        raise ValueError(f"{rule.id}: condition without operator: {cond}")
    if op == "present":
        ok = (actual is not None) == bool(expected)
    elif actual is None:
        ok = False
    elif op == "eq":
        ok = actual == expected
    elif op == "in":
        ok = actual in expected
    elif op == "not_in":
        ok = actual not in expected
    elif op == "within":
        ok = within(actual, str(expected))
    else:
        left, right = Decimal(actual), Decimal(str(expected))
        ok = {"gt": left > right, "ge": left >= right, "lt": left < right, "le": left <= right}[op]
    shown = money_str(actual) if isinstance(actual, Decimal) else actual
    return ok, f"{fact} {op} {expected}: {shown} → {'满足' if ok else '不满足'}"


def _evaluate_rule(rule: Rule, facts, as_of: dt.date, party, consumed: Decimal) -> Result | None:
    used: dict = {}
    checks = []
    if party is None or not within(party.region, rule.applies_to):
        return None
    for cond in rule.conditions:
        ok, line = _check(rule, cond, facts, as_of, used)
        checks.append(line)
        if not ok:
            return None
    steps = []
    if rule.formula:
        base_name = rule.formula["base"]
        base = facts.lookup(base_name)
        rate = Decimal(str(_resolve(rule, "$" + rule.formula["rate"], as_of, used)))
        raw = base * rate
        steps.append(f"{base_name} {money_str(base)} × {rate} = {raw}")
    else:
        raw = Decimal(str(_resolve(rule, "$" + rule.fixed_amount, as_of, used)))
        steps.append(f"定额 {money_str(raw)}")
    per_item = _resolve(rule, "$per_item_cap", as_of, used) if "per_item_cap" in rule.parameters else None
    if per_item is not None and raw > Decimal(str(per_item)):
        raw = Decimal(str(per_item))
        steps.append(f"单项上限 {per_item} → {raw}")
    annual = _resolve(rule, "$annual_cap", as_of, used) if "annual_cap" in rule.parameters else None
    annual_cap = Decimal(str(annual)) if annual is not None else None
    if annual_cap is not None:
        remaining = max(annual_cap - consumed, Decimal(0))
        steps.append(f"年度上限 {annual} − 本年已享 {money_str(consumed)} = 可享 {money_str(remaining)}")
        raw = min(raw, remaining)
    amount = raw.quantize(FEN, rounding=ROUND_HALF_UP)
    steps.append(f"四舍五入到分 → {money_str(amount)}")
    if amount <= 0:
        return None
    trace = {
        "package": rule.package,
        "rule_title": rule.title,
        "quote": rule.quote,
        "valid_from": rule.valid_from.isoformat(),
        "valid_to": rule.valid_to.isoformat() if rule.valid_to else None,
        "issuer_jurisdiction": rule.issuer_jurisdiction,
        "applies_to": rule.applies_to,
        "beneficiary_region": party.region,
        "parameters": used,
        "conditions": checks,
        "steps": steps,
        "interpretation": rule.interpretation,
    }
    return Result(
        rule=rule,
        beneficiary=rule.beneficiary,
        amount=amount,
        automatic=rule.automatic,
        annual_cap=annual_cap,
        trace=trace,
    )


def clause_key(clause: str) -> tuple[str, int]:
    """``001#9`` sorts before ``001#15``."""
    seed, _, item = clause.partition("#")
    return seed, int(item) if item.isdigit() else 0


def _exclusive(results: list[Result]) -> list[Result]:
    """Rules of one ``exclusive_group`` describe the same money for the same beneficiary (e.g. the
    inventors' ≥70% share in 002#15 and 003#17): keep the most local one (longest jurisdiction
    prefix), then the larger amount, and name the others in its trace."""
    kept, groups = [], {}
    for r in results:
        if r.rule.exclusive_group:
            groups.setdefault((r.rule.exclusive_group, r.beneficiary), []).append(r)
        else:
            kept.append(r)
    for group in groups.values():
        group.sort(key=lambda r: (len(region_prefix(r.rule.applies_to)), r.amount), reverse=True)
        winner = group[0]
        if len(group) > 1:
            winner.trace["supersedes"] = [f"{r.rule.id} ({r.rule.clause})" for r in group[1:]]
        kept.append(winner)
    return kept


def evaluate_contract(facts: ContractFacts) -> list[Result]:
    """Every entitlement a contract triggers, across every package in force on ``facts.date``."""
    results = []
    for rule in all_rules():
        if rule.trigger != "contract" or not rule.valid_on(facts.date):
            continue
        party = facts.lookup(BENEFICIARY_PARTY[rule.beneficiary])
        consumed = facts.consumed.get(rule.beneficiary, {}).get(rule.clause, Decimal(0))
        result = _evaluate_rule(rule, facts, facts.date, party, consumed)
        if result is not None:
            result.trace["facts"] = facts.as_dict()
            results.append(result)
    results = _exclusive(results)
    results.sort(key=lambda r: (clause_key(r.rule.clause), r.beneficiary, r.rule.id))
    return results


@dataclass(frozen=True)
class EventFacts:
    date: dt.date
    event: str
    applicant: Party

    def lookup(self, path: str):
        head, _, rest = path.partition(".")
        value = getattr(self, head)
        return getattr(value, rest) if rest else value


def evaluate_event(facts: EventFacts) -> list[Result]:
    """Rules triggered by an event other than a contract (a certification, an award): each pays a
    fixed amount or sets the ceiling of an application."""
    results = []
    for rule in all_rules():
        if rule.trigger != facts.event or not rule.valid_on(facts.date):
            continue
        result = _evaluate_rule(rule, facts, facts.date, facts.applicant, Decimal(0))
        if result is not None:
            results.append(result)
    results.sort(key=lambda r: (clause_key(r.rule.clause), r.rule.id))
    return results


def calculate(data: dict) -> list[dict]:
    """The 政策计算器: calculator input (dict) → list of result dicts (see README.md)."""
    return [r.as_dict() for r in evaluate_contract(parse_case(data))]


def dumps(results: list[dict]) -> str:
    return json.dumps(results, ensure_ascii=False, indent=2)
