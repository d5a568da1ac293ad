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


# 1万亿元: above any contract, subsidy or bid the market sees. Amounts stay below it, which is
# what MoneyField(14, 2) holds (999,999,999,999.99): 10¹² itself would overflow the column.
MAX_AMOUNT = Decimal(10) ** 12


class AmountError(ValueError):
    """A typed amount that is not money; the message is the Chinese sentence a clerk reads."""


_TYPED_UNITS = {"万": Decimal(10_000), "亿": Decimal(100_000_000)}


def parse_amount(value, *, allow_zero: bool = True, units: bool = False) -> Decimal:
    """The one parser for amounts a person or a client types (forms, API schemas, CLI).

    Refuses what `to_yuan` would round or overflow: more than two decimal places (340000.001 is
    refused, not rounded), exponents, negatives, and anything from MAX_AMOUNT (10¹² 元) up.
    ``units`` (forms people fill in): "50万", "1.2亿", "500000元" are read as yuan — the figure
    before the unit is parsed by the same rules, then multiplied.
    """
    if units and isinstance(value, str):
        text = value.strip().removesuffix("元").strip()
        factor = _TYPED_UNITS.get(text[-1:]) if text else None
        if factor is not None:
            figure = text[:-1].strip().replace(",", "").replace("，", "")
            try:
                scaled = Decimal(figure) * factor if "e" not in figure.lower() else None
            except InvalidOperation:
                scaled = None
            if scaled is None or not scaled.is_finite():
                raise AmountError(_("金额须以数字书写，例如 350000、350000.50 或 35万"))
            return parse_amount(scaled.normalize(), allow_zero=allow_zero)
        value = text
    if isinstance(value, bool) or isinstance(value, float):
        raise AmountError(_("金额须以数字书写，例如 350000 或 350000.50"))
    if isinstance(value, Decimal) and value.is_finite() and abs(value.as_tuple().exponent) <= 30:
        text = format(value, "f")  # a Decimal computed or read elsewhere: its digits, not 1E+4
    else:
        text = str(value).strip().replace(",", "").replace("，", "")
    if not text:
        raise AmountError(_("请填写金额"))
    try:
        amount = Decimal(text)
    except InvalidOperation as exc:
        raise AmountError(_("金额须以数字书写，例如 350000 或 350000.50")) from exc
    if not amount.is_finite() or "e" in text.lower():
        raise AmountError(_("金额须以数字书写，例如 350000 或 350000.50"))
    if amount < 0:
        raise AmountError(_("金额不能为负数"))
    if amount == 0 and not allow_zero:
        raise AmountError(_("金额须大于零"))
    if amount >= MAX_AMOUNT:
        raise AmountError(_("金额须小于1万亿元"))
    if amount.as_tuple().exponent < -2:
        raise AmountError(_("金额最多保留两位小数（到分）"))
    return amount.quantize(FEN)


def parse_signed_amount(value, *, allow_zero: bool = False) -> Decimal:
    """`parse_amount` for a correction that may go either way (a pool adjustment: 调减为负数).
    The same bounds apply to the magnitude."""
    if isinstance(value, (bool, float)):
        return parse_amount(value)
    if isinstance(value, Decimal) and value.is_finite() and value < 0:
        return -parse_amount(-value, allow_zero=allow_zero)
    if isinstance(value, Decimal):
        return parse_amount(value, allow_zero=allow_zero)
    text = "" if value is None else str(value).strip()
    negative = text.startswith("-")
    amount = parse_amount(text[1:] if negative else text, allow_zero=allow_zero)
    return -amount if negative else amount


class MoneyField(models.DecimalField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_digits", 14)
        kwargs.setdefault("decimal_places", 2)
        super().__init__(*args, **kwargs)


WAN = Decimal(10_000)
YI = Decimal(100_000_000)


UNITS = {"万": (WAN, "%(n)s万元"), "亿": (YI, "%(n)s亿元")}


def format_yuan(value, unit: str | None = None) -> str:
    """An amount with its unit, as a clerk reads it: 500000 → "50万元", 1.2e8 → "1.2亿元",
    1234.5 → "1,234.50元", 8000 → "8,000元" (under 1万元, fen only when there are some); an amount
    of 1万元 or more that does not divide into whole 百元 keeps its yuan and fen.
    Nothing at all reads "0元" (not "0.00元": no fen to show). In English: "500,000.00 yuan"
    (no 万 there), "0 yuan".

    ``unit`` ("万" or "亿") fixes the unit for a table column, so that every figure in it reads
    alike: 2812900 → "281.29万元", 1023200 → "102.32万元", 2250320 → "225.03万元" (two decimals,
    rounded half-up, thousands separated); nothing at all "0万元". English keeps whole yuan."""
    if value in (None, ""):
        return ""
    amount = Decimal(value)
    chinese = (get_language() or "zh").startswith("zh")
    if unit is not None and chinese:
        divisor, words = UNITS[unit]
        if amount == 0:
            return _(words) % {"n": "0"}
        return _(words) % {"n": f"{(amount / divisor).quantize(FEN, rounding=ROUND_HALF_UP):,f}"}
    if amount == 0:
        return _("%(n)s元") % {"n": "0"}
    if chinese and abs(amount) >= YI and amount % 1_000_000 == 0:
        return _("%(n)s亿元") % {"n": f"{(amount / YI).normalize():f}"}
    if chinese and abs(amount) >= WAN and amount % 100 == 0:
        return _("%(n)s万元") % {"n": f"{(amount / WAN).normalize():f}"}
    if chinese and abs(amount) < WAN and amount % 1 == 0:
        # a small whole amount beside 万 amounts: 8,000元, 400元, not 8,000.00元
        return _("%(n)s元") % {"n": f"{amount:,.0f}"}
    return _("%(n)s元") % {"n": f"{amount:,.2f}"}


DIGITS = "零壹贰叁肆伍陆柒捌玖"
SMALL_UNITS = ("仟", "佰", "拾", "")


def _capitals_below_10k(n: int) -> str:
    """1…9999 in capitals: one 零 for any run of inner zeros, none for trailing zeros, and 壹拾
    (not 拾) for ten, as bills and certificates write it."""
    out, zero = [], False
    for digit, unit in zip(f"{n:04d}", SMALL_UNITS, strict=True):
        if digit == "0":
            zero = bool(out)
            continue
        if zero:
            out.append("零")
            zero = False
        out.append(DIGITS[int(digit)] + unit)
    return "".join(out)


def _capitals_integer(n: int) -> str:
    """A positive whole number of yuan: 亿 and 万 groups, with 零 where a group starts with zeros."""
    if n >= 100_000_000:
        high, low, unit, width = *divmod(n, 100_000_000), "亿", 8
    elif n >= 10_000:
        high, low, unit, width = *divmod(n, 10_000), "万", 4
    else:
        return _capitals_below_10k(n)
    text = _capitals_integer(high) + unit
    if low:
        text += ("零" if low < 10 ** (width - 1) else "") + _capitals_integer(low)
    return text


def amount_in_capitals(value: Decimal) -> str:
    """An amount in Chinese financial capitals (大写), rounded half-up to the fen, following the
    rules for filling in bills (《正确填写票据和结算凭证的基本规定》): 元 ends with 整; nothing after
    角 or 分; 零 after 元 when the 角 is zero but the 分 is not; an amount below one yuan has no 元.

    120000000 → 壹亿贰仟万元整; 100100 → 壹拾万零壹佰元整; 1000000.50 → 壹佰万元伍角;
    16409.02 → 壹万陆仟肆佰零玖元零贰分; 0.05 → 伍分; 0 → 零元整.
    """
    amount = to_yuan(value)
    if amount < 0:
        raise ValueError("a negative amount has no capitals")
    fen_total = int(amount * 100)
    yuan, cents = divmod(fen_total, 100)
    jiao, fen = divmod(cents, 10)
    if yuan >= 10**16:
        raise ValueError("amount too large")
    if not fen_total:
        return "零元整"
    text = _capitals_integer(yuan) + "元" if yuan else ""
    if not cents:
        return text + "整"
    if jiao:
        text += DIGITS[jiao] + "角"
    elif yuan:
        text += "零"
    if fen:
        text += DIGITS[fen] + "分"
    return text
