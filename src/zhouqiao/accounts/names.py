"""Usernames and display names: NFKC-normalised, visible characters only, look-alikes refused.

A name may not carry characters a reader cannot see (zero-width spaces, bidi overrides, tabs,
other control or format characters): ``province_staff\\u200b`` would look exactly like the real
``province_staff`` in audit records and member lists. Two names are *confusable* when their keys
are equal: the key is the NFKC form, case-folded, with invisibles removed and the common Cyrillic
and Greek look-alikes of Latin letters mapped to them.
"""

import re
import unicodedata

from django.utils.translation import gettext as _

# Unicode categories that are never shown as a glyph: control, format (zero-width, bidi marks and
# overrides), surrogate, private use, unassigned, line and paragraph separators.
INVISIBLE_CATEGORIES = {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"}
USERNAME_RE = re.compile(r"^[\w.@+-]+\Z")

# Letters drawn like Latin ones (after casefold): Cyrillic and Greek.
_LOOKALIKES = str.maketrans(
    {
        "а": "a",
        "в": "b",
        "с": "c",
        "е": "e",
        "һ": "h",
        "і": "i",
        "ј": "j",
        "к": "k",
        "м": "m",
        "н": "h",
        "о": "o",
        "р": "p",
        "т": "t",
        "ѕ": "s",
        "у": "y",
        "х": "x",
        "ԁ": "d",
        "ԛ": "q",
        "ԝ": "w",
        "α": "a",
        "β": "b",
        "ε": "e",
        "ι": "i",
        "κ": "k",
        "ν": "v",
        "ο": "o",
        "ρ": "p",
        "τ": "t",
        "υ": "u",
        "χ": "x",
    }
)


class InvalidName(ValueError):
    pass


def has_invisible(text: str) -> bool:
    return any(unicodedata.category(c) in INVISIBLE_CATEGORIES for c in text)


def strip_invisible(text: str) -> str:
    return "".join(c for c in text if unicodedata.category(c) not in INVISIBLE_CATEGORIES)


def key(username: str) -> str:
    """The comparison key of a username: equal keys mean the names look alike."""
    folded = unicodedata.normalize("NFKC", strip_invisible(username or "")).casefold()
    return folded.translate(_LOOKALIKES).replace("_", "").replace("-", "").replace(".", "")


def clean_username(raw: str) -> str:
    """The stored form of a username, or ``InvalidName`` with a Chinese reason."""
    name = unicodedata.normalize("NFKC", raw or "").strip()
    if has_invisible(name) or any(c.isspace() for c in name):
        raise InvalidName(_("用户名不能包含空格、制表符或不可见字符。"))
    if not name or len(name) > 150:
        raise InvalidName(_("请填写用户名（不超过150个字符）。"))
    if not USERNAME_RE.match(name):
        raise InvalidName(_("用户名只能包含文字、数字和 @ . + - _ 符号。"))
    return name


def clean_display_name(raw: str, *, max_length: int = 64) -> str:
    """NFKC, trimmed, single spaces; no invisible characters or tabs."""
    name = unicodedata.normalize("NFKC", raw or "").strip()
    if has_invisible(name) or "\t" in name:
        raise InvalidName(_("姓名不能包含制表符或不可见字符。"))
    name = " ".join(name.split())
    if len(name) > max_length:
        raise InvalidName(_("姓名不能超过%(n)d个字符。") % {"n": max_length})
    return name
