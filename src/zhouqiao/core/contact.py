"""Personal contact details in text that everybody can read (public questions and answers).

One check, used by the forms (as a field validator), by the services (which the API calls) and by
the tests: a mainland mobile number (11 digits starting 13–19, also written 138 0013 8000 or
138-0013-8000), a landline with its area code (0431-88886666, 043188886666, 010 1234 5678) or an
e-mail address. Full-width characters are folded first (１３８… and ＠ count too). Numbers that are
part of a longer run of digits or of an identifier (a patent number CN1234567A, a contract number)
are not contact details; neither are years or amounts.
"""

from __future__ import annotations

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# A digit run must not continue an identifier on either side (letters or digits, ASCII only:
# a Chinese character right before the number, as in 电话13800138000, does not protect it).
_BEFORE = r"(?<![0-9A-Za-z])"
_AFTER = r"(?![0-9])"
_SEP = r"[ \-]?"

MOBILE = re.compile(_BEFORE + r"(?:\+?86" + _SEP + r")?1[3-9]\d" + _SEP + r"\d{4}" + _SEP + r"\d{4}" + _AFTER)
LANDLINE = re.compile(
    _BEFORE + r"(?:\(0\d{2,3}\)|（0\d{2,3}）|0\d{2,3})" + _SEP + r"(?:\d{7,8}|\d{3,4}[ \-]\d{4})" + _AFTER
)
EMAIL = re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}")

KINDS = (
    ("mobile", MOBILE, gettext_lazy("手机号码")),
    ("landline", LANDLINE, gettext_lazy("固定电话")),
    ("email", EMAIL, gettext_lazy("电子邮箱")),
)


def _fold(text: str) -> str:
    # NFKC turns full-width digits, letters, ＠ and （） into their ASCII forms.
    return unicodedata.normalize("NFKC", text or "")


def contact_details(text: str) -> list[str]:
    """The kinds of contact details found in ``text`` (``mobile``, ``landline``, ``email``)."""
    folded = _fold(text)
    found = []
    for code, pattern, _label in KINDS:
        if pattern.search(folded):
            found.append(code)
    # An e-mail's local part may be all digits (13800138000@qq.com): that is an e-mail, and the
    # phone number inside it is reported too, which is right.
    return found


def contact_message(text: str) -> str | None:
    """The Chinese error for public text holding contact details, ``None`` when there are none."""
    found = contact_details(text)
    if not found:
        return None
    labels = "、".join(str(label) for code, _pattern, label in KINDS if code in found)
    return _(
        "问答内容对所有人公开，不能包含%(kinds)s等联系方式。需要与对方联系时，"
        "请通过平台的“洽谈”功能沟通（洽谈内容仅双方可见）。"
    ) % {"kinds": labels}


def validate_no_contact_details(value: str) -> None:
    """Django field validator (forms): refuses text with contact details."""
    message = contact_message(value)
    if message:
        raise ValidationError(message, code="contact_details")
