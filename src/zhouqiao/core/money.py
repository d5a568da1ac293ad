"""Money is Decimal yuan with two places, rounded half-up to the fen once."""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext as _

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


WAN = Decimal(10_000)
YI = Decimal(100_000_000)


def format_yuan(value) -> str:
    """An amount with its unit, as a clerk reads it: 500000 → "50万元", 1.2e8 → "1.2亿元",
    1234.5 → "1,234.50元"; an amount that does not divide into whole 百元 keeps its yuan and fen.
    In English: "500,000.00 yuan" (no 万 there)."""
    if value in (None, ""):
        return ""
    amount = Decimal(value)
    chinese = (get_language() or "zh").startswith("zh")
    if chinese and abs(amount) >= YI and amount % 1_000_000 == 0:
        return _("%(n)s亿元") % {"n": f"{(amount / YI).normalize():f}"}
    if chinese and abs(amount) >= WAN and amount % 100 == 0:
        return _("%(n)s万元") % {"n": f"{(amount / WAN).normalize():f}"}
    return _("%(n)s元") % {"n": f"{amount:,.2f}"}
