"""Policy YAML cases (OpenFisca style), collected by pytest: one test per case.

A case file (tests/policy/cases/*.yaml) has ``defaults`` (a calculator input) and ``cases``; each
case overrides top-level keys of the defaults with ``input`` and states either the exact set of
entitlements it expects in ``output`` (order does not matter; every computed entitlement must be
listed), or ``error: <field>`` for input the calculator must refuse. Event cases give ``event``
instead (``{date, event, applicant: {type, region}}``).
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
            yield PolicyCase.from_parent(self, name=case["name"], case=case, defaults=defaults)


class CaseMismatch(AssertionError):
    pass


def _normalise(entry: dict) -> tuple:
    return (entry["rule"], entry["beneficiary"], str(entry["amount"]), bool(entry.get("automatic", True)))


class PolicyCase(pytest.Item):
    def __init__(self, *, case, defaults, **kwargs):
        super().__init__(**kwargs)
        self.case = case
        self.defaults = defaults

    def runtest(self):
        case = self.case
        if "event" in case:
            ev = case["event"]
            facts = engine.EventFacts(
                date=dt.date.fromisoformat(str(ev["date"])),
                event=ev["event"],
                applicant=engine.Party(type=ev["applicant"]["type"], region=str(ev["applicant"]["region"])),
            )
            got = [r.as_dict() for r in engine.evaluate_event(facts)]
        else:
            data = {**self.defaults, **case.get("input", {})}
            if "error" in case:
                with pytest.raises(engine.CaseError) as info:
                    engine.calculate(data)
                if info.value.field.split(".")[0] != case["error"].split(".")[0]:
                    raise CaseMismatch(f"expected an error on {case['error']}, got {info.value.field}")
                return
            got = engine.calculate(data)
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
        for entry in got:
            assert entry["clause"] and entry["trace"]["parameters"] is not None

    def repr_failure(self, excinfo):
        if isinstance(excinfo.value, CaseMismatch):
            return f"{self.path.name} · {self.name}\n{excinfo.value}"
        return super().repr_failure(excinfo)

    def reportinfo(self):
        return self.path, 0, f"policy case: {self.name}"


from tests.contracts.fixtures import *  # noqa: E402, F403
