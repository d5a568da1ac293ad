"""Unified social credit code (统一社会信用代码), GB 32100-2015.

18 characters from a 31-character alphabet (digits and capital letters without I, O, Z, S, V):
registration authority (1), organisation kind (1), administrative division code (6 digits),
organisation code (9, the last of which is that code's own GB 11714 check character) and a check
character computed over the first 17 with weights 3^i mod 31.
"""

import re

from django.utils.translation import gettext as _

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
_SHAPE = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$")


class InvalidCreditCode(ValueError):
    pass


def check_character(first17: str) -> str:
    total = sum(ALPHABET.index(ch) * weight for ch, weight in zip(first17, WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def normalise(code: str) -> str:
    return (code or "").strip().upper()


def validate(code: str) -> str:
    """Return the normalised code, or raise InvalidCreditCode with a Chinese message."""
    code = normalise(code)
    if len(code) != 18:
        raise InvalidCreditCode(_("统一社会信用代码应为18位，当前为%(n)d位。") % {"n": len(code)})
    if not _SHAPE.match(code):
        raise InvalidCreditCode(
            _("统一社会信用代码含有不允许的字符（不使用 I、O、Z、S、V），或第3至8位不是行政区划代码。")
        )
    if check_character(code[:17]) != code[17]:
        raise InvalidCreditCode(_("统一社会信用代码校验位不正确，请核对后重新输入。"))
    return code


def make(first17: str) -> str:
    """Complete a 17-character prefix with its check character (for demo data and tests)."""
    return first17 + check_character(first17)
