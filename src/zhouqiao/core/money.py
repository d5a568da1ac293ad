"""Money is Decimal yuan with two places, rounded half-up to the fen once."""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.db import models

FEN = Decimal("0.01")


def to_yuan(value) -> Decimal:
    """Parse and round a yuan amount; refuses floats so that no binary fraction sneaks in."""
    if isinstance(value, float):
        raise TypeError("money must not be a float")
    try:
        amount = Decimal(str(value).strip().replace(",", ""))
    except (InvalidOperation, AttributeError) as exc:
        raise ValueError(f"not an amount: {value!r}") from exc
    if not amount.is_finite():
        raise ValueError(f"not an amount: {value!r}")
    return amount.quantize(FEN, rounding=ROUND_HALF_UP)


class MoneyField(models.DecimalField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_digits", 14)
        kwargs.setdefault("decimal_places", 2)
        super().__init__(*args, **kwargs)
