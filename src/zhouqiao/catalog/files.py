"""Uploaded files: a file must be what its extension claims (magic bytes), within its size limit,
and — for Office Open XML — not a zip bomb. Files are stored under MEDIA_ROOT with server-generated
names; the user's file name is kept only as text for Content-Disposition.

Limits are settings (bytes): ``CATALOG_ATTACHMENT_MAX_BYTES`` (20 MiB), ``CATALOG_IMPORT_MAX_BYTES``
(50 MiB), ``CATALOG_IMPORT_MAX_UNPACKED_BYTES`` (1 GiB declared uncompressed) and
``CATALOG_IMPORT_MAX_RATIO`` (200: an honest 100,000-row sheet packs about 10–30 to 1).
"""

import hashlib
import os
import uuid
import zipfile
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _

from zhouqiao.core.errors import ValidationFailed

OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP = b"PK\x03\x04"
# extension → (content type, magic check, OOXML main part that must be inside the zip)
ATTACHMENT_TYPES = {
    "pdf": ("application/pdf", b"%PDF-", None),
    "doc": ("application/msword", OLE, None),
    "xls": ("application/vnd.ms-excel", OLE, None),
    "ppt": ("application/vnd.ms-powerpoint", OLE, None),
    "docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ZIP,
        "word/document.xml",
    ),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ZIP, "xl/workbook.xml"),
    "pptx": (
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        ZIP,
        "ppt/presentation.xml",
    ),
    "png": ("image/png", b"\x89PNG\r\n\x1a\n", None),
    "jpg": ("image/jpeg", b"\xff\xd8\xff", None),
    "jpeg": ("image/jpeg", b"\xff\xd8\xff", None),
}
IMPORT_TYPES = {"xlsx", "csv"}


def limit(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def refused(message, code="bad_file") -> ValidationFailed:
    return ValidationFailed(message, code=code, detail={"file": [str(message)]})


def extension(filename: str) -> str:
    return Path(filename or "").suffix.lower().lstrip(".")


def _read_all(upload) -> bytes:
    upload.seek(0)
    return upload.read()


def check_size(upload, max_bytes: int) -> None:
    if upload.size > max_bytes:
        raise refused(_("文件过大：不能超过 %(mb)s MB。") % {"mb": max_bytes // (1024 * 1024)}, "too_large")
    if upload.size == 0:
        raise refused(_("文件是空的。"), "empty")


def check_zip(path_or_file, *, main_part: str | None, max_unpacked: int, max_ratio: int) -> None:
    """Refuse a zip container that is not the claimed Office file or whose declared uncompressed
    size would blow up the reader — checked on the central directory, before anything is unpacked."""
    try:
        with zipfile.ZipFile(path_or_file) as archive:
            members = archive.infolist()
            names = {m.filename for m in members}
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise refused(_("文件已损坏或不是有效的 Office 文件。"), "bad_zip") from exc
    if main_part and (main_part not in names or "[Content_Types].xml" not in names):
        raise refused(_("文件内容与扩展名不符。"), "type_mismatch")
    if len(members) > 10000:
        raise refused(_("文件结构异常（包含的部件过多），已拒绝。"), "zip_bomb")
    unpacked = sum(m.file_size for m in members)
    packed = sum(m.compress_size for m in members) or 1
    if unpacked > max_unpacked or unpacked / packed > max_ratio:
        raise refused(_("文件解压后体积异常（疑似压缩炸弹），已拒绝。"), "zip_bomb")
    for m in members:
        if m.file_size > max_unpacked or (m.compress_size and m.file_size / m.compress_size > max_ratio):
            raise refused(_("文件解压后体积异常（疑似压缩炸弹），已拒绝。"), "zip_bomb")


def check_attachment(upload) -> tuple[str, str]:
    """Return (extension, content type) of an acceptable attachment, or raise in Chinese."""
    ext = extension(upload.name)
    if ext not in ATTACHMENT_TYPES:
        raise refused(
            _("只能上传 PDF、Office 文档（doc/docx/xls/xlsx/ppt/pptx）或图片（png/jpg）。"), "bad_type"
        )
    check_size(upload, limit("CATALOG_ATTACHMENT_MAX_BYTES", 20 * 1024 * 1024))
    content_type, magic, main_part = ATTACHMENT_TYPES[ext]
    upload.seek(0)
    head = upload.read(16)
    if not head.startswith(magic):
        raise refused(_("文件内容与扩展名不符。"), "type_mismatch")
    if magic == ZIP:
        upload.seek(0)
        check_zip(
            upload,
            main_part=main_part,
            max_unpacked=limit("CATALOG_IMPORT_MAX_UNPACKED_BYTES", 1 << 30),
            max_ratio=limit("CATALOG_IMPORT_MAX_RATIO", 200),
        )
    upload.seek(0)
    return ext, content_type


def check_import(upload) -> str:
    """Return the format ("xlsx" or "csv") of an acceptable import file, or raise in Chinese."""
    ext = extension(upload.name)
    if ext not in IMPORT_TYPES:
        raise refused(_("只能导入 .xlsx 或 .csv 文件（旧版 .xls 请在 Excel 中另存为 .xlsx）。"), "bad_type")
    check_size(upload, limit("CATALOG_IMPORT_MAX_BYTES", 50 * 1024 * 1024))
    upload.seek(0)
    head = upload.read(4096)
    upload.seek(0)
    if ext == "xlsx":
        if not head.startswith(ZIP):
            raise refused(_("文件内容与扩展名不符：这不是 .xlsx 文件。"), "type_mismatch")
        check_zip(
            upload,
            main_part="xl/workbook.xml",
            max_unpacked=limit("CATALOG_IMPORT_MAX_UNPACKED_BYTES", 1 << 30),
            max_ratio=limit("CATALOG_IMPORT_MAX_RATIO", 200),
        )
    elif b"\x00" in head or head.startswith((ZIP, OLE, b"%PDF")):
        raise refused(_("文件内容与扩展名不符：这不是 CSV 文本文件。"), "type_mismatch")
    upload.seek(0)
    return ext


def media_dir(kind: str) -> Path:
    path = Path(settings.MEDIA_ROOT) / "catalog" / kind
    path.mkdir(parents=True, exist_ok=True)
    return path


def store(upload, kind: str, ext: str) -> tuple[str, int, str]:
    """Write the upload under a random name; return (stored name, size, sha256)."""
    name = f"{uuid.uuid4().hex}.{ext}"
    digest = hashlib.sha256()
    size = 0
    target = media_dir(kind) / name
    upload.seek(0)
    with open(target, "xb") as handle:
        for chunk in (
            upload.chunks() if hasattr(upload, "chunks") else iter(lambda: upload.read(1 << 20), b"")
        ):
            digest.update(chunk)
            size += len(chunk)
            handle.write(chunk)
    return name, size, digest.hexdigest()


def stored_path(kind: str, name: str) -> Path:
    if "/" in name or "\\" in name or name.startswith("."):
        raise refused(_("文件名不正确。"))
    return media_dir(kind) / name


def discard(kind: str, name: str) -> None:
    try:
        os.remove(stored_path(kind, name))
    except FileNotFoundError:
        pass


def safe_display_name(name: str) -> str:
    base = os.path.basename((name or "").replace("\\", "/")).strip().replace("\x00", "")
    return (base or "file")[:200]
