"""The patent corpus for 查新 (001#13): CSV import, all or nothing, upserting by patent number.

A file is UTF-8 (with or without BOM) with a header row naming the columns in English or Chinese:
number/专利号, title/名称, abstract/摘要, ipc/IPC, applicant/申请人, filed_on/申请日. Every line is
checked first; any error (reported by line, in Chinese) and nothing is written. Otherwise the
patents are created or updated and indexed (kind ``patent``) in the same transaction, so the next
查重/查新 includes them.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime

from django.db import connection, transaction
from django.utils.translation import gettext as _

from zhouqiao.core import audit
from zhouqiao.core.errors import ValidationFailed
from zhouqiao.search import indexing
from zhouqiao.search.analysis import get_analyzer
from zhouqiao.search.backends import backend_for
from zhouqiao.search.models import DocumentKind, PatentRecord, SearchDocument

MAX_ROWS = 100_000
MAX_ERRORS = 50
COLUMNS = {
    "number": "number",
    "专利号": "number",
    "申请号": "number",
    "title": "title",
    "名称": "title",
    "专利名称": "title",
    "abstract": "abstract",
    "摘要": "abstract",
    "ipc": "ipc",
    "ipc分类号": "ipc",
    "applicant": "applicant",
    "申请人": "applicant",
    "filed_on": "filed_on",
    "date": "filed_on",
    "申请日": "filed_on",
}
REQUIRED = ("number", "title")
LIMITS = {"number": 32, "title": 255, "ipc": 64, "applicant": 255}
LABELS = {"number": "专利号", "title": "名称", "ipc": "IPC", "applicant": "申请人"}
_DATE = re.compile(r"(\d{4})[-/.年]?(\d{1,2})[-/.月]?(\d{1,2})日?")


@dataclass
class ImportResult:
    created: int
    updated: int

    @property
    def total(self) -> int:
        return self.created + self.updated


def may_import(user) -> bool:
    """Province and city science and technology bureau staff maintain the corpus: the business
    duties, and the system administrator, who keeps the platform's reference data."""
    from zhouqiao.accounts import scope
    from zhouqiao.accounts.models import Duty

    duties = (*scope.BUSINESS_DUTIES, Duty.SYSTEM_ADMIN)
    return any(len(prefix) <= 4 for duty in duties for prefix in scope.prefixes(user, duty))


def _date(value: str) -> date | None:
    m = _DATE.fullmatch(value)
    if not m:
        raise ValueError
    return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))


def _number(value: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", value)).upper()


def parse(data: bytes) -> list[dict]:
    """The file's rows as clean dicts, or ValidationFailed with ``detail["errors"]`` by line."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationFailed(_("文件不是 UTF-8 编码，请另存为“CSV UTF-8”后重新上传。")) from None
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader, None)
    if not header or not any(h.strip() for h in header):
        raise ValidationFailed(_("文件为空或缺少表头行。"))
    keys = [COLUMNS.get(unicodedata.normalize("NFKC", h).strip().lower()) for h in header]
    missing = [LABELS[k] for k in REQUIRED if k not in keys]
    if missing:
        raise ValidationFailed(
            _("缺少必需的列：%(cols)s（可用列：专利号、名称、摘要、IPC、申请人、申请日）")
            % {"cols": "、".join(missing)}
        )
    rows, errors, seen = [], [], {}
    try:
        for values in reader:
            line = reader.line_num
            if not any(v.strip() for v in values):
                continue
            if len(rows) >= MAX_ROWS:
                raise ValidationFailed(_("一次最多导入 %(n)d 条专利。") % {"n": MAX_ROWS})
            row = dict.fromkeys(COLUMNS.values(), "")
            for key, value in zip(keys, values, strict=False):
                if key:
                    row[key] = value.strip()
            problems = []
            row["number"] = _number(row["number"])
            for key in REQUIRED:
                if not row[key]:
                    problems.append(_("%(col)s不能为空") % {"col": LABELS[key]})
            for key, limit in LIMITS.items():
                if len(row[key]) > limit:
                    problems.append(_("%(col)s超过 %(n)d 个字符") % {"col": LABELS[key], "n": limit})
            if row["filed_on"]:
                try:
                    row["filed_on"] = _date(row["filed_on"])
                except ValueError:
                    problems.append(
                        _("申请日“%(v)s”不是有效日期（应为 YYYY-MM-DD）") % {"v": row["filed_on"][:20]}
                    )
            else:
                row["filed_on"] = None
            if row["number"]:
                if row["number"] in seen:
                    problems.append(
                        _("专利号 %(no)s 与第 %(line)d 行重复")
                        % {"no": row["number"], "line": seen[row["number"]]}
                    )
                else:
                    seen[row["number"]] = line
            errors.extend({"line": line, "message": p} for p in problems)
            rows.append(row)
    except csv.Error as exc:
        errors.append({"line": reader.line_num, "message": _("CSV 格式错误：%(e)s") % {"e": exc}})
    if errors:
        raise ValidationFailed(
            _("文件有 %(n)d 处错误，未导入任何专利。") % {"n": len(errors)},
            detail={"errors": errors[:MAX_ERRORS], "count": len(errors)},
        )
    if not rows:
        raise ValidationFailed(_("文件中没有专利数据。"))
    return rows


def import_csv(data: bytes, *, actor, filename: str, now: datetime) -> ImportResult:
    rows = parse(data)
    fields = ("title", "abstract", "ipc", "applicant", "filed_on")
    with transaction.atomic():
        existing = {}
        numbers = [r["number"] for r in rows]
        for start in range(0, len(numbers), 1000):
            existing.update(PatentRecord.objects.in_bulk(numbers[start : start + 1000], field_name="number"))
        new, changed = [], []
        for row in rows:
            patent = existing.get(row["number"])
            if patent is None:
                new.append(PatentRecord(number=row["number"], **{f: row[f] for f in fields}))
                continue
            for f in fields:
                setattr(patent, f, row[f])
            changed.append(patent)
        PatentRecord.objects.bulk_create(new, batch_size=500)
        PatentRecord.objects.bulk_update(changed, fields, batch_size=500)
        _index([r["number"] for r in rows], now=now)
        result = ImportResult(created=len(new), updated=len(changed))
        audit.record(
            "search.patents_imported",
            actor=actor,
            actor_name="" if actor is not None else "manage.py import-patents",
            after={"file": filename[:200], "created": result.created, "updated": result.updated},
            region_code=_region_of(actor),
            now=now,
        )
    return result


def _region_of(actor) -> str:
    from zhouqiao.accounts import scope

    return scope.home_region_code(actor) if actor is not None else ""


def _index(numbers: list[str], *, now: datetime) -> None:
    """Replace the index documents of these patents (bulk, in the caller's transaction)."""
    analyzer = get_analyzer()
    backend = backend_for(connection)
    for start in range(0, len(numbers), 500):
        patents = list(PatentRecord.objects.filter(number__in=numbers[start : start + 500]))
        stale = list(
            SearchDocument.objects.filter(
                kind=DocumentKind.PATENT, object_id__in=[p.pk for p in patents]
            ).values_list("pk", flat=True)
        )
        if stale:
            with connection.cursor() as cursor:
                backend.delete(cursor, stale)
            SearchDocument.objects.filter(pk__in=stale).delete()
        indexing.write_documents(
            [
                SearchDocument(
                    kind=DocumentKind.PATENT,
                    object_id=p.pk,
                    **indexing._document_values(
                        DocumentKind.PATENT, indexing.patent_fields(p), analyzer, now
                    ),
                )
                for p in patents
            ]
        )
