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

import csv
import dataclasses
import datetime as dt
import json
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
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
    "costs",
}
# The keys each party object may carry (anything else, e.g. ``seller.regoin``, is refused).
PARTY_KEYS = {
    "seller": {"type", "region"},
    "buyer": {"type", "region"},
    "broker": {"region"},
    "transfer_institution": {"registered", "region"},
}
# Technology contracts that convert a result (技术开发、转让、许可、入股), as opposed to 咨询 / 服务.
CONVERSION_TYPES = ("技术开发", "技术转让", "技术许可", "技术入股")

# Document status (ruling 1): a package grants only while its document is 施行 on the date.
DRAFT, IN_FORCE, REPEALED = "征求意见稿", "施行", "废止"
DOCUMENT_STATUSES = (DRAFT, IN_FORCE, REPEALED)
DRAFT_NOTE = "依据征求意见稿，仅供参考"
# What a result is: money the government pays on registration, a reviewed application with a
# ceiling, or the unit's own income distribution (002#15 / 003#17: a floor, not public money).
KIND_ENTITLEMENT, KIND_APPLICATION, KIND_DISTRIBUTION = "entitlement", "application", "income_distribution"

# Chinese names of the calculator's fields: every refusal names its field in words a clerk reads
# (the API also keys its ``detail`` by the field path).
FIELD_LABELS = {
    "": "输入",
    "date": "登记日期",
    "contract_type": "合同类型",
    "contract_amount": "合同成交额",
    "technology_amount": "技术交易额",
    "costs": "成果转化成本",
    "seller": "卖方",
    "buyer": "买方",
    "broker": "技术经纪人",
    "transfer_institution": "技术转移机构",
    "consumed": "本年已享受金额",
    "type": "类型",
    "region": "所在地区",
    "registered": "是否已纳入市级备案",
}
BENEFICIARY_LABELS = {
    "seller": "卖方",
    "buyer": "买方",
    "broker": "技术经纪人",
    "transfer_institution": "技术转移机构",
    "registrant": "合同登记方",
    "inventors": "成果完成人",
}


def field_label(path: str) -> str:
    """``seller.region`` → 卖方所在地区; ``consumed.seller.001#15`` → 本年已享受金额（卖方，001#15）."""
    parts = path.split(".") if path else [""]
    if parts[0] == "consumed" and len(parts) > 1:
        who = BENEFICIARY_LABELS.get(parts[1], parts[1])
        rest = "，".join([who, *parts[2:]])
        return f"{FIELD_LABELS['consumed']}（{rest}）"
    return "".join(FIELD_LABELS.get(part, part) for part in parts)


class CaseError(ValueError):
    """Bad calculator input; ``field`` names the offending key (a dotted path), ``message`` says
    what is wrong in Chinese and names the field by its Chinese label."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field
        self.message = message


def _refuse(path: str, what: str) -> CaseError:
    return CaseError(path, f"“{field_label(path)}”{what}")


# --- regions --------------------------------------------------------------------------------

REGIONS_CSV = Path(__file__).resolve().parent.parent / "core" / "data" / "regions.csv"


@cache
def known_regions() -> frozenset[str]:
    """The codes of the regions reference table (``core/data/regions.csv``, the rows loaded into
    ``core_region``): the engine checks a region against them without the ORM."""
    with open(REGIONS_CSV, encoding="utf-8", newline="") as handle:
        return frozenset(row["code"] for row in csv.DictReader(handle))


def region_prefix(code: str) -> str:
    """GB/T 2260: 22xxxx is the province 220000, 2201xx the city 220100, 220104 a county."""
    code = str(code)
    if code.endswith("0000"):
        return code[:2]
    if code.endswith("00"):
        return code[:4]
    return code


def within(region: str | None, jurisdiction: str) -> bool:
    if jurisdiction == ANYWHERE:
        return bool(region)
    return bool(region) and str(region).startswith(region_prefix(jurisdiction))


ANYWHERE = "any"  # applies_to: any — wherever the beneficiary is based (001#19's broker)


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
    costs: Decimal = Decimal("0.00")  # the seller unit's stated costs (net income, 002#15 / 003#17)

    @property
    def net_income(self) -> Decimal:
        """Income less the costs the university states (002#15 转让净收入, 003#17 净收益)."""
        return max(self.technology_amount - self.costs, Decimal("0.00"))

    @property
    def registration_region(self) -> str | None:
        """Where the contract is registered: the seller registers it where it is (合同登记方)."""
        return self.seller.region

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
            "costs": money_str(self.costs),
            "net_income": money_str(self.net_income),
            "registration_region": self.registration_region,
            "seller": party(self.seller),
            "buyer": party(self.buyer),
            "broker": party(self.broker),
            "transfer_institution": party(self.transfer_institution),
            "consumed": {b: {c: money_str(a) for c, a in cl.items()} for b, cl in self.consumed.items()},
        }


def money_str(value: Decimal) -> str:
    return str(Decimal(value).quantize(FEN, rounding=ROUND_HALF_UP))


def _amount(raw, name: str) -> Decimal:
    """Amounts go through the one bounded parser (``core.money.parse_amount``: ≤ 10¹² 元, two
    places, no exponent); its Chinese sentence is kept, prefixed with the field's name."""
    from zhouqiao.core.money import AmountError, parse_amount

    if raw is None or isinstance(raw, (dict, list)):
        raise _refuse(name, '应为金额，如 "800000.00"。')
    try:
        return parse_amount(raw)
    except AmountError as exc:
        raise _refuse(name, f"：{exc}。") from exc


def _region(raw, name: str, region_exists) -> str:
    if not isinstance(raw, str) or not (len(raw.strip()) == 6 and raw.strip().isdigit()):
        raise _refuse(name, '应为6位行政区划代码（GB/T 2260），如 "220104"。')
    code = raw.strip()
    if not region_exists(code):
        raise _refuse(name, f"不是行政区划表中的地区：{code}。")
    return code


def _party(raw, name: str, *, typed: bool, optional: bool, region_exists) -> Party | None:
    if raw is None and optional:
        return None
    if not isinstance(raw, dict):
        raise _refuse(name, "应为对象。")
    unknown = sorted(str(k) for k in raw if k not in PARTY_KEYS[name])
    if unknown:
        path = f"{name}.{unknown[0]}"
        raise CaseError(path, f"“{field_label(name)}”中有不认识的字段：{'、'.join(unknown)}。")
    kind = None
    if typed:
        kind = raw.get("type")
        if not isinstance(kind, str) or kind not in ORGANISATION_TYPES:
            raise _refuse(f"{name}.type", f"应为：{'、'.join(ORGANISATION_TYPES)}。")
    registered = None
    if name == "transfer_institution":
        registered = raw.get("registered", False)
        if not isinstance(registered, bool):
            raise _refuse(f"{name}.registered", "应为 true 或 false。")
        kind = "transfer_institution"
    region = _region(raw.get("region"), f"{name}.region", region_exists)
    return Party(type=kind, region=region, registered=registered)


def _date_value(raw) -> dt.date:
    if not isinstance(raw, str) or len(raw) != 10:
        raise _refuse("date", '应为日期字符串，如 "2024-06-01"。')
    try:
        return dt.date.fromisoformat(raw)
    except ValueError as exc:
        raise _refuse("date", '应为日期字符串，如 "2024-06-01"。') from exc


def consumable_clauses(pkgs=None) -> dict[str, list[str]]:
    """beneficiary → the clauses of contract rules paying it (what ``consumed`` may name)."""
    out: dict[str, list[str]] = {}
    for rule in all_rules(pkgs):
        if rule.trigger == "contract":
            clauses = out.setdefault(rule.beneficiary, [])
            if rule.clause not in clauses:
                clauses.append(rule.clause)
    return out


def _consumed(raw, pkgs) -> dict:
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise _refuse("consumed", "应为对象：{受益方: {条款: 金额}}。")
    allowed = consumable_clauses(pkgs)
    consumed: dict = {}
    for beneficiary, clauses in raw.items():
        path = f"consumed.{beneficiary}"
        if beneficiary not in BENEFICIARIES:
            raise CaseError(
                path,
                f"“{field_label('consumed')}”的受益方应为：{'、'.join(BENEFICIARIES)}（不认识 {beneficiary}）。",
            )
        if not isinstance(clauses, dict):
            raise _refuse(path, "应为对象：{条款: 金额}。")
        known = allowed.get(beneficiary, [])
        for clause, value in clauses.items():
            if clause not in known:
                raise CaseError(
                    f"{path}.{clause}",
                    f"“{field_label(path)}”中的条款 {clause} 不是向该受益方支付的条款；"
                    f"可填：{'、'.join(known) or '无'}。",
                )
            consumed.setdefault(beneficiary, {})[clause] = _amount(value, f"{path}.{clause}")
    return consumed


def parse_case(data, *, region_exists=None, pkgs=None) -> ContractFacts:
    """Validate the calculator input (see README.md) into frozen facts. Unknown keys (at any
    depth), wrong types, regions not in the regions table, clauses in ``consumed`` that no package
    pays that beneficiary, and amounts outside ``parse_amount``'s bound are refused with a
    :class:`CaseError` naming the field."""
    region_exists = region_exists or (lambda code: code in known_regions())
    if not isinstance(data, dict):
        raise CaseError("", "输入应为 JSON 对象。")
    unknown = sorted(str(k) for k in data if k not in CASE_KEYS)
    if unknown:
        raise CaseError(unknown[0], f"不认识的字段：{'、'.join(unknown)}。")
    date = _date_value(data.get("date"))
    contract_type = data.get("contract_type")
    if not isinstance(contract_type, str) or contract_type not in CONTRACT_TYPES:
        raise _refuse("contract_type", f"应为：{'、'.join(CONTRACT_TYPES)}。")
    contract_amount = _amount(data.get("contract_amount"), "contract_amount")
    technology_amount = _amount(
        data.get("technology_amount", data.get("contract_amount")), "technology_amount"
    )
    if technology_amount > contract_amount:
        raise _refuse("technology_amount", "不能大于合同成交额。")
    costs = _amount(data["costs"], "costs") if data.get("costs") is not None else Decimal("0.00")
    if costs > technology_amount:
        raise _refuse("costs", "不能大于技术交易额。")
    facts = {
        "seller": _party(
            data.get("seller"), "seller", typed=True, optional=False, region_exists=region_exists
        ),
        "buyer": _party(data.get("buyer"), "buyer", typed=True, optional=False, region_exists=region_exists),
        "broker": _party(
            data.get("broker"), "broker", typed=False, optional=True, region_exists=region_exists
        ),
        "transfer_institution": _party(
            data.get("transfer_institution"),
            "transfer_institution",
            typed=False,
            optional=True,
            region_exists=region_exists,
        ),
    }
    return ContractFacts(
        date=date,
        contract_type=contract_type,
        contract_amount=contract_amount,
        technology_amount=technology_amount,
        consumed=_consumed(data.get("consumed"), pkgs),
        costs=costs,
        **facts,
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
    kind: str = KIND_ENTITLEMENT  # or KIND_DISTRIBUTION (002#15 / 003#17, the unit's own money)
    supersedes: str | None = None  # 择优 in place of another rule for the same contract (001#16)
    evidence: tuple = ()  # what the applicant attaches (an application's evidence list)
    determination: str = ""  # what the reviewer must record when granting (002#5 重大、成功转化)
    seed_line: str = ""  # where the clause stands in the seed text (e.g. "001:36")
    # Who pays (and so reviews) the money: the issuing jurisdiction (default), or the
    # beneficiary's own county-level bureau (``county``: 001#20's 10万 县（市）区后补助).
    payer: str = "issuer"
    # The maintainers' note on how the clause is encoded: never shown on a page (users read
    # ``interpretation``, which is plain-language only).
    note: str = ""

    def parameter(self, name: str, as_of: dt.date):
        """The dated value of ``name`` on ``as_of`` and the date it took effect, or (None, None)."""
        best = None
        for entry in self.parameters.get(name, ()):
            start = _date(entry["from"])
            if start <= as_of and (best is None or start >= best[1]):
                best = (entry["value"], start)
        return best if best else (None, None)

    def cap_period(self, as_of: dt.date) -> str:
        """How the rule's cap (``annual_cap``) is counted (ruling 4): ``year`` — per beneficiary
        per calendar year, what ``consumed`` counts (default) — or ``contract`` (per contract)."""
        value = self.parameter("cap_period", as_of)[0]
        return "contract" if value == "contract" else "year"

    def has_annual_cap(self, as_of: dt.date) -> bool:
        return self.parameter("annual_cap", as_of)[0] is not None and self.cap_period(as_of) == "year"

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
    number: str = ""  # 文号 (a draft for comment has none)
    issued: dt.date | None = None
    # (date, status, adopting document number): the latest entry on or before a date gives the
    # document's status then. Shipped from the YAML; a bureau's approved change appends one.
    statuses: tuple = ()

    def status_on(self, as_of: dt.date) -> str | None:
        best = None
        for start, status, _number in self.statuses:
            if start <= as_of and (best is None or start >= best[0]):
                best = (start, status)
        return best[1] if best else None

    def in_force(self, as_of: dt.date) -> bool:
        return self.status_on(as_of) == IN_FORCE

    @property
    def effective_from(self) -> dt.date | None:
        starts = [start for start, status, _n in self.statuses if status == IN_FORCE]
        return min(starts) if starts else None

    @property
    def effective_to(self) -> dt.date | None:
        begin = self.effective_from
        if begin is None:
            return None
        ends = [start for start, status, _n in self.statuses if status == REPEALED and start > begin]
        return min(ends) - dt.timedelta(days=1) if ends else None

    @property
    def adopted_by(self) -> str:
        """The number of the document that put it in force (the bureau's adoption), if any."""
        entries = [(start, n) for start, status, n in self.statuses if status == IN_FORCE and n]
        return max(entries)[1] if entries else ""

    def current_status(self, as_of: dt.date) -> str:
        return self.status_on(as_of) or DRAFT


def _date(value) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


def _statuses(doc: dict, pkg_from: dt.date) -> tuple:
    """The shipped status history: a draft from the package's ``valid_from`` (the public
    calculator computes under it, marked); a document in force from ``effective_from`` until
    ``effective_to``."""
    if doc.get("history"):  # written by ``zhouqiao policy export`` after a bureau's changes
        return tuple((_date(h["from"]), h["status"], h.get("number", "")) for h in doc["history"])
    status = doc.get("status", IN_FORCE)
    if status not in DOCUMENT_STATUSES:  # a package error (kept under python -O, unlike an assert)
        raise ValueError(f"unknown document status {status!r}")
    if status == DRAFT or not doc.get("effective_from"):
        entries = [(pkg_from, DRAFT, "")]
    else:
        entries = [(_date(doc["effective_from"]), IN_FORCE, doc.get("number", ""))]
    if doc.get("effective_to"):
        entries.append((_date(doc["effective_to"]) + dt.timedelta(days=1), REPEALED, ""))
    if status == REPEALED and not doc.get("effective_to"):  # pragma: no cover - a package error
        raise ValueError("a repealed document needs effective_to")
    return tuple(entries)


PAYER_ISSUER, PAYER_COUNTY = "issuer", "county"


def _payer(raw: dict) -> str:
    payer = raw.get("payer", PAYER_ISSUER)
    if payer not in (PAYER_ISSUER, PAYER_COUNTY):  # pragma: no cover - a package error
        raise ValueError(f"rule {raw['id']}: unknown payer {payer!r}")
    return payer


def payer_region(rule: Rule, beneficiary_region: str | None) -> str:
    """The jurisdiction that pays a rule's money to a beneficiary in ``beneficiary_region`` — and
    whose bureau therefore reviews the claim: the issuing jurisdiction, or, for a clause the county
    pays (``payer: county``), the beneficiary's own county-level region (县（市）区、开发区: a code
    not ending in 00). A beneficiary registered at city level has no county: the issuer pays."""
    region = str(beneficiary_region or "")
    if (
        rule.payer == PAYER_COUNTY
        and len(region) == 6
        and region_prefix(region) == region
        and within(region, rule.issuer_jurisdiction)
    ):
        return region
    return rule.issuer_jurisdiction


def _load(path: Path) -> Package:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    pkg_from = _date(raw["valid_from"])
    doc = raw.get("document", {})
    rules = []
    for r in raw["rules"]:
        if r["beneficiary"] not in BENEFICIARIES + ("applicant",):
            raise ValueError(f"rule {r['id']}: unknown beneficiary {r['beneficiary']!r}")
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
                parameters={k: list(v) for k, v in r.get("parameters", {}).items()},
                interpretation=(r.get("interpretation") or "").strip(),
                exclusive_group=r.get("exclusive_group"),
                paid_as=r.get("paid_as", "cash"),
                once=bool(r.get("once", False)),
                kind=r.get("kind", KIND_ENTITLEMENT),
                supersedes=r.get("supersedes"),
                evidence=tuple(r.get("evidence", ())),
                determination=(r.get("determination") or "").strip(),
                seed_line=str(r.get("seed_line", "")),
                payer=_payer(r),
                note=(r.get("note") or "").strip(),
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
        number=doc.get("number", ""),
        issued=_date(doc["issued"]) if doc.get("issued") else None,
        statuses=_statuses(doc, pkg_from),
    )


@cache
def shipped_packages() -> tuple[Package, ...]:
    """The YAML packages as shipped: the defaults a bureau's approved changes add to."""
    return tuple(_load(p) for p in sorted(PACKAGE_DIR.glob("*.yaml")))


def packages() -> tuple[Package, ...]:
    return shipped_packages()


# --- a bureau's changes (ruling "a bureau edits its own parameters") -------------------------

DOCUMENT_PARAMETER = "status"  # a change with no rule: the document's status from a date


@dataclass(frozen=True)
class Change:
    """One approved, dated value: ``rule`` empty and ``name == "status"`` for the document's
    status (施行 / 废止), else a parameter of the rule (rate, caps, threshold, amount…)."""

    package: str
    rule: str
    name: str
    value: str
    effective_from: dt.date
    number: str = ""  # the adopting document's number


def apply_changes(changes, pkgs=None) -> tuple[Package, ...]:
    """The packages with each change appended to its dated list: from its effective date the
    latest entry wins, earlier dates keep the earlier value (pure; no ORM)."""
    pkgs = pkgs if pkgs is not None else shipped_packages()
    by_package: dict[str, list[Change]] = {}
    for change in changes:
        by_package.setdefault(change.package, []).append(change)
    out = []
    for pkg in pkgs:
        mine = sorted(by_package.get(pkg.id, []), key=lambda c: c.effective_from)
        if not mine:
            out.append(pkg)
            continue
        statuses = list(pkg.statuses)
        per_rule: dict[str, list[Change]] = {}
        for change in mine:
            if not change.rule:
                statuses.append((change.effective_from, change.value, change.number))
            else:
                per_rule.setdefault(change.rule, []).append(change)
        rules = []
        for rule in pkg.rules:
            edits = per_rule.get(rule.id)
            if not edits:
                rules.append(rule)
                continue
            params = {k: list(v) for k, v in rule.parameters.items()}
            for change in edits:
                params.setdefault(change.name, []).append(
                    {
                        "from": change.effective_from.isoformat(),
                        "value": change.value,
                        "number": change.number,
                    }
                )
            rules.append(dataclasses.replace(rule, parameters=params))
        number = next((n for _s, st, n in sorted(statuses, reverse=True) if st == IN_FORCE and n), pkg.number)
        out.append(dataclasses.replace(pkg, rules=tuple(rules), statuses=tuple(statuses), number=number))
    return tuple(out)


def all_rules(pkgs=None) -> list[Rule]:
    return [rule for pkg in (pkgs if pkgs is not None else packages()) for rule in pkg.rules]


def event_rules(pkgs=None) -> list[Rule]:
    """Rules triggered by an event (a certification, an award…) rather than a contract: the
    beneficiary claims them with an application (the platform cannot see the event itself)."""
    return [r for r in all_rules(pkgs) if r.trigger != "contract"]


# Events the platform records itself: a 揭榜挂帅 challenge's market acceptance (programs.challenges)
# and a funded project's acceptance (programs.projects). Their rules are claimed from that record,
# never with a free-standing application form, so nobody claims one without the acceptance behind it.
PLATFORM_EVENTS = frozenset({"challenge_accepted", "funded_project_accepted"})


def claimable_event_rules(pkgs=None) -> list[Rule]:
    """The event rules an organisation claims with the application form (see PLATFORM_EVENTS)."""
    return [r for r in event_rules(pkgs) if r.trigger not in PLATFORM_EVENTS]


def rule_by_id(rule_id: str, pkgs=None) -> Rule | None:
    return next((r for r in all_rules(pkgs) if r.id == rule_id), None)


def package_by_id(package_id: str, pkgs=None) -> Package | None:
    return next((p for p in (pkgs if pkgs is not None else packages()) if p.id == package_id), None)


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
    document_status: str = IN_FORCE
    minimum: Decimal | None = None  # an event rule's range (003#28: 100–500万)

    @property
    def draft(self) -> bool:
        return self.document_status != IN_FORCE

    @property
    def kind(self) -> str:
        if self.rule.kind == KIND_DISTRIBUTION:
            return KIND_DISTRIBUTION
        return KIND_ENTITLEMENT if self.automatic else KIND_APPLICATION

    def as_dict(self) -> dict:
        out = {
            "rule": self.rule.id,
            "clause": self.rule.clause,
            "beneficiary": self.beneficiary,
            "amount": money_str(self.amount),
            "automatic": self.automatic,
            "trace": self.trace,
            # fields added by issue 16 (the six above keep their names and meaning)
            "kind": self.kind,
            "document_status": self.document_status,
            "draft": self.draft,
            "note": DRAFT_NOTE if self.draft else "",
        }
        if self.minimum is not None:
            out["minimum"] = money_str(self.minimum)
        return out


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


REGION_CONDITION = "applies_to"  # the fact name unmet_conditions gives for the rule's region


def unmet_conditions(rule: Rule, facts, party, as_of: dt.date | None = None) -> list[dict]:
    """The conditions a party does not meet, in the package's own form (so ``describe`` can put
    them in words): ``{"fact": "applies_to", "within": <code>}`` for the rule's region, then each
    failing condition. Empty when the rule applies to the party (dates aside). The same checks
    ``_evaluate_rule`` makes."""
    as_of = as_of or rule.valid_from
    if party is None:
        return [{"fact": REGION_CONDITION, "within": rule.applies_to}]
    unmet = []
    if not within(party.region, rule.applies_to):
        unmet.append({"fact": REGION_CONDITION, "within": rule.applies_to})
    for cond in rule.conditions:
        ok, _line = _check(rule, cond, facts, as_of, {})
        if not ok:
            unmet.append(cond)
    return unmet


def may_claim(rule: Rule, applicant: Party) -> bool:
    """May an organisation of this type and region claim this event rule at all (the region and
    unit-type conditions; the document's and the rule's dates are checked on the event date by
    ``evaluate_event``)? The application form lists only such rules; the service checks it too."""
    facts = EventFacts(date=rule.valid_from, event=rule.trigger, applicant=applicant)
    return not unmet_conditions(rule, facts, applicant)


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
    period = rule.cap_period(as_of)
    if "cap_period" in rule.parameters:
        _resolve(rule, "$cap_period", as_of, used)
    if annual_cap is not None and period == "contract":
        if raw > annual_cap:
            raw = annual_cap
            steps.append(f"每份合同上限 {annual} → {raw}")
        annual_cap = None
    elif annual_cap is not None:
        remaining = max(annual_cap - consumed, Decimal(0))
        steps.append(f"年度上限 {annual} − 本年已享 {money_str(consumed)} = 可享 {money_str(remaining)}")
        raw = min(raw, remaining)
    minimum = None
    if "minimum" in rule.parameters:
        low = _resolve(rule, "$minimum", as_of, used)
        minimum = Decimal(str(low)) if low is not None else None
        if minimum is not None:
            steps.append(f"区间 {money_str(minimum)}–{money_str(raw)}")
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
        "cap_period": period if annual is not None else None,
    }
    if rule.supersedes:
        trace["supersedes_rule"] = rule.supersedes
    return Result(
        rule=rule,
        beneficiary=rule.beneficiary,
        amount=amount,
        automatic=rule.automatic,
        annual_cap=annual_cap,
        trace=trace,
        minimum=minimum,
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


def _documents(pkgs, as_of: dt.date, drafts: bool):
    """(package, status) for every package whose document may pay on ``as_of``: in force, or —
    only for the public calculator (``drafts=True``) — a draft for comment, marked."""
    for pkg in pkgs if pkgs is not None else packages():
        status = pkg.status_on(as_of)
        if status == IN_FORCE or (drafts and status == DRAFT):
            yield pkg, status


def evaluate_contract(facts: ContractFacts, pkgs=None, *, drafts: bool = False) -> list[Result]:
    """Every result a contract triggers under the documents in force on ``facts.date`` (and,
    with ``drafts``, under drafts for comment: the calculator's marked, for-reference results)."""
    results = []
    for pkg, status in _documents(pkgs, facts.date, drafts):
        for rule in pkg.rules:
            if rule.trigger != "contract" or not rule.valid_on(facts.date):
                continue
            party = facts.lookup(BENEFICIARY_PARTY[rule.beneficiary])
            consumed = facts.consumed.get(rule.beneficiary, {}).get(rule.clause, Decimal(0))
            result = _evaluate_rule(rule, facts, facts.date, party, consumed)
            if result is not None:
                result.document_status = status
                result.trace["facts"] = facts.as_dict()
                result.trace["document_status"] = status
                results.append(result)
    results = _exclusive(results)
    results.sort(key=lambda r: (clause_key(r.rule.clause), r.beneficiary, r.rule.id))
    return results


# Why a rule pays a party nothing (``check_party``).
APPLIES, NOT_IN_FORCE, NOT_VALID, UNMET, NOTHING_LEFT = "", "document", "date", "conditions", "nothing_left"


@dataclass(frozen=True)
class Check:
    """One contract rule paying a party, checked against a contract: its result, or why not."""

    rule: Rule
    result: Result | None
    reason: str = APPLIES  # APPLIES, or NOT_IN_FORCE / NOT_VALID / UNMET / NOTHING_LEFT
    unmet: tuple = ()  # the conditions not met (``unmet_conditions``), when UNMET


def check_party(
    facts: ContractFacts, party: str, results: list[Result], pkgs=None, *, drafts: bool = False
) -> list[Check]:
    """Every contract rule paying ``party`` (``seller`` also as registrant and for its inventors),
    in clause order: the result ``evaluate_contract`` gave for it, or why it pays nothing — the
    document is not in force on the date, the rule is outside its dates, conditions unmet (the
    same checks as ``_evaluate_rule``), or nothing is left (a cap already used, or a more local
    clause paying the same money). The calculator shows this for the user's own side."""
    found = {(r.rule.id, r.beneficiary): r for r in results}
    usable = {pkg.id for pkg, _status in _documents(pkgs, facts.date, drafts)}
    checks = []
    for pkg in pkgs if pkgs is not None else packages():
        for rule in pkg.rules:
            if rule.trigger != "contract" or BENEFICIARY_PARTY.get(rule.beneficiary) != party:
                continue
            result = found.get((rule.id, rule.beneficiary))
            if result is not None:
                checks.append(Check(rule, result))
            elif pkg.id not in usable:
                checks.append(Check(rule, None, NOT_IN_FORCE))
            elif not rule.valid_on(facts.date):
                checks.append(Check(rule, None, NOT_VALID))
            else:
                unmet = unmet_conditions(rule, facts, facts.lookup(party), facts.date)
                checks.append(Check(rule, None, UNMET if unmet else NOTHING_LEFT, tuple(unmet)))
    checks.sort(key=lambda c: (clause_key(c.rule.clause), c.rule.id))
    return checks


@dataclass(frozen=True)
class EventFacts:
    date: dt.date
    event: str
    applicant: Party

    def lookup(self, path: str):
        head, _, rest = path.partition(".")
        value = getattr(self, head)
        return getattr(value, rest) if rest else value


def evaluate_event(facts: EventFacts, pkgs=None, *, drafts: bool = False) -> list[Result]:
    """Rules triggered by an event other than a contract (a certification, an award): each pays a
    fixed amount or sets the ceiling (and minimum) of an application; only under documents in
    force on the event date."""
    results = []
    for pkg, status in _documents(pkgs, facts.date, drafts):
        for rule in pkg.rules:
            if rule.trigger != facts.event or not rule.valid_on(facts.date):
                continue
            result = _evaluate_rule(rule, facts, facts.date, facts.applicant, Decimal(0))
            if result is not None:
                result.document_status = status
                result.trace["document_status"] = status
                results.append(result)
    results.sort(key=lambda r: (clause_key(r.rule.clause), r.rule.id))
    return results


def calculate(data, *, pkgs=None, region_exists=None) -> list[dict]:
    """The 政策计算器: calculator input (dict) → list of result dicts (see README.md). Computes
    under drafts for comment too; each such result says so (``draft``, ``note``)."""
    facts = parse_case(data, region_exists=region_exists, pkgs=pkgs)
    return [r.as_dict() for r in evaluate_contract(facts, pkgs, drafts=True)]


def dumps(results: list[dict]) -> str:
    return json.dumps(results, ensure_ascii=False, indent=2)
