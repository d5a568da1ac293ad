"""Policy YAML cases (OpenFisca style), collected by pytest: one test per case.

A case file (tests/policy/cases/*.yaml) has ``defaults`` (a calculator input) and ``cases``; each
case overrides top-level keys of the defaults with ``input`` and states either the exact set of
entitlements it expects in ``output`` (order does not matter; every computed entitlement must be
listed), or ``error: <field>`` for input the calculator must refuse. Event cases give ``event``
instead (``{date, event, applicant: {type, region}}``).

Issue 16 adds, per case (or per file, for ``changes``):

- ``mode``: ``calculator`` (default: the public calculator, which computes under drafts for
  comment and marks them) or ``registration`` (what registering grants: documents in force only);
- ``changes``: a bureau's approved, dated changes (``{package, rule, name, value, from, number}``,
  ``rule`` empty for the document's status), so a case runs against edited values as well as the
  shipped ones;
- in ``output`` entries, ``draft``, ``kind`` and ``minimum`` are checked when given;
- ``seed``: the seed line the case rests on (required for the rulings' cases: name ``ruling N``).
"""

import datetime as dt

import pytest
import yaml

from zhouqiao.policy import engine


def pytest_collect_file(parent, file_path):
    if file_path.suffix == ".yaml" and file_path.parent.name == "cases":
        return PolicyCaseFile.from_parent(parent, path=file_path)
    return None


class PolicyCaseFile(pytest.File):
    def collect(self):
        raw = yaml.safe_load(self.path.read_text(encoding="utf-8"))
        defaults = raw.get("defaults", {})
        for case in raw["cases"]:
            case = {**case, "changes": [*raw.get("changes", []), *case.get("changes", [])]}
            yield PolicyCase.from_parent(self, name=case["name"], case=case, defaults=defaults)


class CaseMismatch(AssertionError):
    pass


def _normalise(entry: dict) -> tuple:
    return (entry["rule"], entry["beneficiary"], str(entry["amount"]), bool(entry.get("automatic", True)))


def _changes(raw: list) -> tuple:
    return engine.apply_changes(
        [
            engine.Change(
                package=str(c["package"]),
                rule=c.get("rule", ""),
                name=c["name"],
                value=str(c["value"]),
                effective_from=dt.date.fromisoformat(str(c["from"])),
                number=c.get("number", ""),
            )
            for c in raw
        ]
    )


class PolicyCase(pytest.Item):
    def __init__(self, *, case, defaults, **kwargs):
        super().__init__(**kwargs)
        self.case = case
        self.defaults = defaults

    def runtest(self):
        case = self.case
        if case["name"].startswith("ruling") and not case.get("seed"):
            raise CaseMismatch("a ruling's case cites the seed line it rests on (seed: …)")
        pkgs = _changes(case["changes"])
        drafts = case.get("mode", "calculator") == "calculator"
        if "event" in case:
            ev = case["event"]
            facts = engine.EventFacts(
                date=dt.date.fromisoformat(str(ev["date"])),
                event=ev["event"],
                applicant=engine.Party(type=ev["applicant"]["type"], region=str(ev["applicant"]["region"])),
            )
            got = [r.as_dict() for r in engine.evaluate_event(facts, pkgs, drafts=drafts)]
        else:
            data = {**self.defaults, **case.get("input", {})}
            if "error" in case:
                with pytest.raises(engine.CaseError) as info:
                    engine.calculate(data, pkgs=pkgs)
                if info.value.field != case["error"] and info.value.field.split(".")[0] != case["error"]:
                    raise CaseMismatch(f"expected an error on {case['error']}, got {info.value.field}")
                return
            facts = engine.parse_case(data, pkgs=pkgs)
            got = [r.as_dict() for r in engine.evaluate_contract(facts, pkgs, drafts=drafts)]
        expected = sorted(
            _normalise(
                {"automatic": True, **e, "amount": f"{engine.money_str(engine.Decimal(str(e['amount'])))}"}
            )
            for e in case["output"]
        )
        actual = sorted(_normalise(e) for e in got)
        if expected != actual:
            raise CaseMismatch(
                "expected:\n  "
                + "\n  ".join(map(str, expected))
                + "\ngot:\n  "
                + "\n  ".join(map(str, actual))
            )
        by_key = {(e["rule"], e["beneficiary"]): e for e in got}
        for e in case["output"]:
            for extra in ("draft", "kind", "minimum", "note"):
                if extra in e and str(by_key[(e["rule"], e["beneficiary"])].get(extra)) != str(e[extra]):
                    raise CaseMismatch(
                        f"{e['rule']}: expected {extra}={e[extra]!r}, "
                        f"got {by_key[(e['rule'], e['beneficiary'])].get(extra)!r}"
                    )
        for entry in got:
            assert entry["clause"] and entry["trace"]["parameters"] is not None

    def repr_failure(self, excinfo):
        if isinstance(excinfo.value, CaseMismatch):
            return f"{self.path.name} · {self.name}\n{excinfo.value}"
        return super().repr_failure(excinfo)

    def reportinfo(self):
        return self.path, 0, f"policy case: {self.name}"


from tests.contracts.fixtures import *  # noqa: E402, F403
