"""Personal numbers are masked on screen for anyone but their owner (138****1234)."""


def mask_phone(value: str) -> str:
    value = (value or "").strip()
    if len(value) < 7:
        return "*" * len(value)
    return f"{value[:3]}{'*' * (len(value) - 7)}{value[-4:]}"


def mask_id_number(value: str) -> str:
    value = (value or "").strip()
    if len(value) < 8:
        return "*" * len(value)
    return f"{value[:6]}{'*' * (len(value) - 10)}{value[-4:]}"


def shown_to(viewer, owner, value: str, mask=mask_phone) -> str:
    if viewer is not None and getattr(viewer, "is_authenticated", False) and owner is not None:
        if viewer.pk == owner.pk:
            return value
    return mask(value)
