"""What a registration certificate carries besides the contract: the registering organ, in whose
name it is issued, and a verification code that anyone may check on the public verification page.

The organ is the S&T bureau the registrar works for (their government organisation), not the
seller's district: a city bureau that registers a contract from one of its districts issues the
certificate as 长春市科学技术局技术合同认定登记机构. Both are frozen on the contract when it is
registered, so a later change of staff does not rewrite an issued certificate.
"""

import secrets

from django.utils.translation import gettext as _

# Crockford's base32: no I, L, O, U, so a code read aloud or typed from paper is not misread.
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 20  # 100 bits: not guessable, and short enough for a QR code and a phone call
SUFFIX = "技术合同认定登记机构"


def new_verification_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(text: str) -> str:
    """What a person types or reads (spaces, dashes, lower case, O for 0) → the stored code."""
    cleaned = "".join(ch for ch in str(text).upper() if ch.isalnum())
    return cleaned.translate(str.maketrans({"O": "0", "I": "1", "L": "1"}))[:CODE_LENGTH]


def grouped(code: str) -> str:
    """ABCD-EFGH-… for print."""
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


def registry_name(registrar, region_code: str, *, organisations, assignments) -> str:
    """The registering organ's name. ``organisations`` and ``assignments`` are the Organisation and
    StaffAssignment managers (passed in so that the migration can use its historical models)."""
    organ = (
        organisations.filter(memberships__user=registrar, kind="government").order_by("pk").first()
        if registrar is not None
        else None
    )
    if organ is not None:
        return f"{organ.name}{SUFFIX}"
    # No bureau on record: name the registrar's jurisdiction that covers the contract.
    for assignment in (
        assignments.filter(user=registrar, duty="registrar")
        .select_related("jurisdiction")
        .order_by("-jurisdiction__code")
        if registrar is not None
        else []
    ):
        region = assignment.jurisdiction
        prefix = {"province": region.code[:2], "city": region.code[:4]}.get(region.level, region.code)
        if region_code.startswith(prefix):
            return f"{region.name}{SUFFIX}"
    return _("技术合同认定登记机构")
