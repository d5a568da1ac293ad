"""Scanned documents people upload — a broker's certificate, an organisation's licence, the
materials of a policy application: PDF, JPG or PNG, recognised by their first bytes (never by the
name or the declared type), at most 10 MB each. One check for every such upload."""

from django.utils.translation import gettext as _

from zhouqiao.core.errors import ValidationFailed

MAX_SCAN_BYTES = 10 * 1024 * 1024
SCAN_KINDS = {b"%PDF-": "pdf", b"\xff\xd8\xff": "jpg", b"\x89PNG\r\n\x1a\n": "png"}
CONTENT_TYPES = {"pdf": "application/pdf", "jpg": "image/jpeg", "png": "image/png"}


def scan_kind(content: bytes, *, field: str, label: str) -> str:
    """ "pdf", "jpg" or "png" by the first bytes of ``content``; otherwise, or when it is empty or
    over 10 MB, refused in Chinese naming ``label`` (the document, or the file's name) under the
    form field ``field``."""
    if not content or len(content) > MAX_SCAN_BYTES:
        message = _("%(label)s不能为空，且不超过10MB。") % {"label": label}
        raise ValidationFailed(message, detail={field: [message]})
    for magic, kind in SCAN_KINDS.items():
        if content.startswith(magic):
            return kind
    message = _("%(label)s须为PDF、JPG或PNG文件。") % {"label": label}
    raise ValidationFailed(message, detail={field: [message]})


def read_scan(upload) -> tuple[bytes, str] | None:
    """An uploaded file as the services take it: (content, original name), or None. A file over the
    limit is not read: its empty content is refused by :func:`scan_kind`."""
    if not upload:
        return None
    if upload.size > MAX_SCAN_BYTES:
        return (b"", upload.name)
    return (upload.read(), upload.name)


def content_type(kind: str) -> str:
    return CONTENT_TYPES.get(kind, "application/octet-stream")
