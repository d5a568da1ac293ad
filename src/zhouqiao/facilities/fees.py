"""The fee of one use: the filed guide price of the booker's price group (the external price
when the group has none), stepped where the rule says so, rounded half-up to the fen once.

Pure: takes the rules, returns the fee and a trace a person can read.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from zhouqiao.core.money import FEN
from zhouqiao.facilities.states import PriceGroup, PriceUnit


@dataclass(frozen=True)
class FiledPrice:
    """A guide price as it stood when a booking was made (what the booker agreed to)."""

    group: str
    unit: str
    unit_price: Decimal
    step_after: int | None = None
    step_price: Decimal | None = None


def snapshot(rules) -> list[dict]:
    """The price rules as JSON, to keep on a booking."""
    return [
        {
            "group": r.group,
            "unit": r.unit,
            "unit_price": str(r.unit_price),
            "step_after": r.step_after,
            "step_price": None if r.step_price is None else str(r.step_price),
        }
        for r in rules
    ]


def from_snapshot(rows: list[dict]) -> list[FiledPrice]:
    return [
        FiledPrice(
            group=r["group"],
            unit=r["unit"],
            unit_price=Decimal(r["unit_price"]),
            step_after=r["step_after"],
            step_price=None if r["step_price"] is None else Decimal(r["step_price"]),
        )
        for r in rows
    ]


def compute_fee(rules, *, group: str, hours: Decimal, samples: int) -> tuple[Decimal, list[dict]]:
    by_key = {(r.group, r.unit): r for r in rules}
    total, trace = Decimal("0"), []
    for unit, quantity in ((PriceUnit.HOUR, Decimal(hours)), (PriceUnit.SAMPLE, Decimal(samples))):
        if quantity <= 0:
            continue
        rule = by_key.get((group, unit)) or by_key.get((PriceGroup.EXTERNAL, unit))
        if rule is None:
            continue
        if rule.step_after and quantity > rule.step_after:
            first, later = Decimal(rule.step_after), quantity - rule.step_after
        else:
            first, later = quantity, Decimal("0")
        amount = first * rule.unit_price + later * (rule.step_price if later else Decimal("0"))
        total += amount
        trace.append(
            {
                "unit": unit,
                "group": rule.group,
                "quantity": str(quantity),
                "unit_price": str(rule.unit_price),
                "step_after": rule.step_after,
                "step_price": str(rule.step_price) if later else None,
                "amount": str(amount.quantize(FEN, rounding=ROUND_HALF_UP)),
            }
        )
    return total.quantize(FEN, rounding=ROUND_HALF_UP), trace
