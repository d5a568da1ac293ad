"""Bulk import of achievements and demands from .xlsx / .csv (how the lists arrive: from
universities and bureaus, as Excel).

1. ``start_import`` checks the file (type by magic bytes, size, zip bomb), stores it and creates an
   :class:`ImportJob`; the job runs as a django-tasks task (``tasks.run_import``).
2. ``run_import_job`` reads every row (openpyxl read-only mode), validates it with the same rules as
   the forms (``validation``; codes resolved through dicts loaded once) and counts progress.
3. If any row is wrong, the job ends ``invalid`` with a report (row, column, Chinese message) and
   nothing is written. Otherwise every row is written in one transaction (on SQLite one prepared
   INSERT per table run by ``executemany``, on PostgreSQL ``bulk_create`` batches): all or nothing.

Imported records belong to the importing organisation and start as drafts — or, when asked and the
organisation is verified, as submitted, straight into its region's review queue. One audit record
per job names the count and the id range (a per-row audit record would double the write cost).
"""

import csv
import gc
import io
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from zhouqiao.catalog import files
from zhouqiao.catalog.models import (
    Achievement,
    Demand,
    ImportJob,
    ImportKind,
    IntellectualProperty,
    pack_modes,
)
from zhouqiao.catalog.services import member_organisation
from zhouqiao.catalog.spreadsheets import COLUMNS, header_map, normalise_header
from zhouqiao.catalog.states import RecordStatus
from zhouqiao.catalog.validation import LABELS, Lookups, clean_achievement, clean_demand, clean_ip_item
from zhouqiao.core import audit
from zhouqiao.core.errors import PermissionDenied, ValidationFailed

BATCH = 2000
PREPARED_TYPES = {"DateField", "DateTimeField", "DecimalField", "JSONField", "UUIDField", "TimeField"}
PROGRESS_EVERY = 2000
MAX_REPORTED_ERRORS = 500
MAX_ROWS = 200_000
IP_FIELDS = {
    "ip_kind": "kind",
    "ip_number": "number",
    "ip_status": "status",
    "ip_filed_on": "filed_on",
    "ip_granted_on": "granted_on",
}


@dataclass(slots=True)
class RowResult:
    """One validated row: the record's column values and its related values, or the errors."""

    row: int
    values: tuple | None = None  # the record's columns in ``Table.names`` order
    key_industries: list = field(default_factory=list)
    ip: dict | None = None
    errors: list = field(default_factory=list)  # [(column header, message)]


class Table:
    """A model's columns in field order (the primary key left to the database) and the one row
    tuple per record that validation builds and the writer inserts."""

    def __init__(self, model):
        self.model = model
        self.fields = [f for f in model._meta.concrete_fields if not f.primary_key]
        self.names = [f.attname for f in self.fields]
        self.defaults = {f.attname: f.get_default() for f in self.fields}

    def row(self, values: dict) -> tuple:
        unknown = values.keys() - self.defaults.keys()
        if unknown:
            raise TypeError(f"unexpected fields {sorted(unknown)}")
        defaults = self.defaults
        return tuple([values[n] if n in values else defaults[n] for n in self.names])


TABLES = {"achievement": Table(Achievement), "demand": Table(Demand)}
IP_TABLE = Table(IntellectualProperty)
HEADER_OF = {kind: {f: h for f, h, _r, _n in columns} for kind, columns in COLUMNS.items()}


def validate_row(
    kind: str, row_number: int, raw: dict, *, lookups: Lookups, owner, now, status, job=None
) -> RowResult:
    """Validate one row (field → cell value) and build the unsaved record. Never raises on bad data."""
    headers = HEADER_OF[kind]
    result = RowResult(row=row_number)
    if kind == ImportKind.ACHIEVEMENT:
        cleaned, errors = clean_achievement(raw, lookups)
        ip_raw = {target: raw.get(source) for source, target in IP_FIELDS.items()}
        if any(v not in (None, "") for v in ip_raw.values()):
            ip, ip_errors = clean_ip_item(ip_raw)
            for target, messages in ip_errors.items():
                errors.setdefault(f"ip_{target}", []).extend(messages)
            result.ip = ip
    else:
        cleaned, errors = clean_demand(raw, lookups, as_of=timezone.localdate(now))
    if errors:
        for name, messages in errors.items():
            header = headers.get(name, str(LABELS.get(name, name)))
            result.errors.extend((header, m) for m in messages)
        return result
    result.key_industries = cleaned.pop("key_industries")
    common = {
        "owner_id": owner.pk,
        "region_id": owner.region_id,
        "created_at": now,
        "updated_at": now,
        "status": status,
        "submitted_at": now if status == RecordStatus.SUBMITTED else None,
        "import_job_id": job.pk if job else None,
        "created_by_id": job.created_by_id if job else None,
    }
    cleaned["industry_id"] = cleaned.pop("industry")
    if kind == ImportKind.ACHIEVEMENT:
        cleaned["transfer_modes"] = pack_modes(cleaned["transfer_modes"])
        cleaned["patent_class_id"] = cleaned.pop("patent_class")
        cleaned["discipline_id"] = cleaned.pop("discipline")
    else:
        cleaned["cooperation_modes"] = pack_modes(cleaned["cooperation_modes"])
    cleaned.update(common)
    result.values = TABLES[kind].row(cleaned)
    return result


# --- Reading ---------------------------------------------------------------------------------------


def _rows_xlsx(source):
    wb = load_workbook(source, read_only=True, data_only=True)
    try:
        ws = wb.worksheets[0]
        yield ws.max_row
        yield from ws.iter_rows(values_only=True)
    finally:
        wb.close()


def _rows_csv(source):
    if hasattr(source, "read"):
        source.seek(0)
        raw = source.read()
    else:
        with open(source, "rb") as handle:
            raw = handle.read()
    try:
        content = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            content = raw.decode("gb18030")  # what Excel saves as "CSV" on a Chinese Windows
        except UnicodeDecodeError as exc:
            raise ValidationFailed(
                _("CSV 文件编码无法识别，请另存为 UTF-8 编码。"), code="bad_encoding"
            ) from exc
    yield content.count("\n") + 1
    try:
        yield from csv.reader(io.StringIO(content))
    except csv.Error as exc:
        raise ValidationFailed(_("CSV 文件格式不正确：%(e)s") % {"e": exc}, code="bad_csv") from exc


def read_rows(source, file_format: str):
    """Yield the approximate row count, then each row as a tuple of cell values. ``source`` is a
    path or an open binary file (an upload)."""
    return _rows_xlsx(source) if file_format == "xlsx" else _rows_csv(source)


def _columns(kind: str, header_row) -> dict[int, str]:
    """Column index → field, from the header row; refuses a file without the required columns."""
    known = header_map(kind)
    index = {}
    for position, value in enumerate(header_row or ()):
        name = normalise_header(value)
        if name in known and known[name] not in index.values():
            index[position] = known[name]
    missing = [
        header for fld, header, required, _n in COLUMNS[kind] if required and fld not in index.values()
    ]
    if missing:
        raise ValidationFailed(
            _("表头缺少必填列：%(cols)s。请使用平台提供的导入模板。") % {"cols": "、".join(missing)},
            code="bad_header",
        )
    return index


# --- Running a job -----------------------------------------------------------------------------------


def _progress(job_id, **values) -> None:
    ImportJob.objects.filter(pk=job_id).update(**values)


def _finish(job, now, status, **values) -> ImportJob:
    values.update(status=status, finished_at=now)
    _progress(job.pk, **values)
    for key, value in values.items():
        setattr(job, key, value)
    return job


@contextmanager
def _collector_paused():
    """Pause Python's cyclic garbage collector while rows are validated: up to 200,000 validated
    rows stay alive until the write, and the collector would walk them again and again (a third
    of the validation overhead at 100,000 rows) though they hold no reference cycles. Reference
    counting still frees everything else at once."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def validate_file(job: ImportJob, *, now, on_progress=None) -> tuple[list[RowResult], list[dict], int]:
    """Read and validate every row; return (good rows, error report, error count)."""
    from zhouqiao.accounts.models import Organisation

    owner = Organisation.objects.get(pk=job.owner_id)
    status = RecordStatus.SUBMITTED if job.submit_for_review and owner.is_verified else RecordStatus.DRAFT
    lookups = Lookups()
    rows = read_rows(files.stored_path("imports", job.stored_name), job.file_format)
    approximate = next(rows) or 0
    columns = _columns(job.kind, next(rows, None))
    if on_progress:
        on_progress(total_rows=max(0, approximate - 1))
    good, report, error_count = [], [], 0
    row_number = 1
    with _collector_paused():
        for row_number, values in enumerate(rows, start=2):
            if row_number - 1 > MAX_ROWS:
                raise ValidationFailed(
                    _("一次最多导入 %(n)s 行，请拆分文件。") % {"n": MAX_ROWS}, code="too_many_rows"
                )
            raw = {fld: values[i] for i, fld in columns.items() if i < len(values)}
            if all(v is None or (isinstance(v, str) and not v.strip()) for v in raw.values()):
                continue
            result = validate_row(
                job.kind, row_number, raw, lookups=lookups, owner=owner, now=now, status=status, job=job
            )
            if result.errors:
                error_count += len(result.errors)
                for column, message in result.errors:
                    if len(report) < MAX_REPORTED_ERRORS:
                        report.append({"row": row_number, "column": column, "message": message})
            else:
                good.append(result)
            if on_progress and row_number % PROGRESS_EVERY == 0:
                on_progress(checked_rows=row_number - 1)
    if not good and not error_count:
        raise ValidationFailed(_("文件中没有数据行。"), code="empty")
    return good, report, error_count


def _insert(table: Table, rows: list[tuple]) -> list[int] | None:
    """Insert row tuples (``table.names`` order) inside the caller's transaction; on PostgreSQL
    return the new ids in row order (SQLite's executemany cannot)."""
    if not rows:
        return []
    if connection.vendor == "sqlite":
        # Django's bulk_create on SQLite is held to 999 variables per statement (~28 achievements
        # of 35 columns per INSERT: 3,500 statements for 100,000 rows). One prepared INSERT run by
        # executemany() is the same SQL, several times faster. Values the SQLite driver cannot
        # take as they are (aware datetimes, dates, decimals) go through the field's own
        # get_db_prep_save, exactly as the ORM would send them.
        prep = [(i, f) for i, f in enumerate(table.fields) if f.get_internal_type() in PREPARED_TYPES]
        if prep:
            rows = [list(r) for r in rows]
            for row in rows:
                for i, f in prep:
                    if row[i] is not None:
                        row[i] = f.get_db_prep_save(row[i], connection)
        quote = connection.ops.quote_name
        sql = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608 (quoted names from the model)  # nosec B608
            quote(table.model._meta.db_table),
            ", ".join(quote(f.column) for f in table.fields),
            ", ".join(["%s"] * len(table.fields)),
        )
        with connection.cursor() as cursor:
            cursor.executemany(sql, rows)
        return None
    # PostgreSQL has no such limit: bulk_create sends BATCH rows per statement.
    model, names = table.model, table.names
    created = model.objects.bulk_create(
        [model(**dict(zip(names, r, strict=True))) for r in rows], batch_size=BATCH
    )
    return [o.pk for o in created]


@transaction.atomic(durable=True)
def write_rows(job: ImportJob, good: list[RowResult], *, now) -> list[int]:
    """Write every validated row, all or nothing: the records, then their key industries and IP
    items, which need the records' new ids."""
    model = Achievement if job.kind == ImportKind.ACHIEVEMENT else Demand
    ids = _insert(TABLES[job.kind], [r.values for r in good])
    if ids is None:
        # SQLite: read the ids back by import job. AUTOINCREMENT ids only grow and this transaction
        # holds the write lock, so id order is row order.
        ids = list(model.objects.filter(import_job=job).order_by("pk").values_list("pk", flat=True))
    if len(ids) != len(good):  # another writer used this job: refuse rather than mislink
        raise RuntimeError(f"import job {job.pk}: {len(ids)} rows found, {len(good)} written")
    link_table, fk = Table(model.key_industries.through), f"{model._meta.model_name}_id"
    links, ips = [], []
    for pk, r in zip(ids, good, strict=True):
        links.extend(link_table.row({fk: pk, "keyindustry_id": slug}) for slug in r.key_industries)
        if r.ip:
            ips.append(IP_TABLE.row({"achievement_id": pk, **r.ip}))
    _insert(link_table, links)
    _insert(IP_TABLE, ips)
    audit.record(
        f"{job.kind}.import",
        actor=job.created_by,
        target=job,
        region_code=job.owner.region_id,
        after={
            "count": len(ids),
            "first_id": ids[0] if ids else None,
            "last_id": ids[-1] if ids else None,
            "file": job.original_name,
            "status": good[0].values[TABLES[job.kind].names.index("status")] if good else "",
        },
        now=now,
    )
    ImportJob.objects.filter(pk=job.pk).update(written_rows=len(ids))
    return ids


def run_import_job(job_id: int, *, now) -> ImportJob:
    """Validate, then write all or nothing; the job row carries status and progress throughout."""
    from zhouqiao.catalog.states import ImportStatus

    job = ImportJob.objects.select_related("owner", "created_by").get(pk=job_id)
    if job.status != ImportStatus.PENDING:
        return job
    _progress(job.pk, status=ImportStatus.VALIDATING)
    try:
        good, report, error_count = validate_file(
            job, now=now, on_progress=lambda **v: _progress(job.pk, **v)
        )
    except ValidationFailed as exc:
        return _finish(
            job,
            now,
            ImportStatus.INVALID,
            errors=[{"row": 0, "column": "", "message": str(exc.message)}],
            error_count=1,
        )
    checked = len(good) + len({e["row"] for e in report})
    if error_count:
        return _finish(
            job,
            now,
            ImportStatus.INVALID,
            errors=report,
            error_count=error_count,
            checked_rows=max(checked, job.checked_rows),
            total_rows=max(checked, job.total_rows),
        )
    _progress(job.pk, status=ImportStatus.WRITING, checked_rows=len(good), total_rows=len(good))
    try:
        write_rows(job, good, now=now)
    except Exception as exc:  # a database error: the transaction rolled back, nothing was written
        _finish(
            job,
            now,
            ImportStatus.FAILED,
            errors=[{"row": 0, "column": "", "message": _("写入失败，未导入任何数据。")}],
            error_count=1,
            message=str(exc)[:500],
        )
        raise
    return _finish(
        job, now, ImportStatus.SUCCEEDED, written_rows=len(good), checked_rows=len(good), total_rows=len(good)
    )


def start_import(*, actor, owner_id: int, kind: str, upload, submit: bool = False, now) -> ImportJob:
    """Check and store the file and create the job (the caller enqueues ``tasks.run_import``)."""
    if kind not in ImportKind.values:
        raise ValidationFailed(_("导入类型不正确。"))
    owner = member_organisation(actor, owner_id, kind)
    if submit and not owner.is_verified:
        raise PermissionDenied(_("所属机构尚未通过认证，只能导入为草稿。"))
    file_format = files.check_import(upload)
    stored, _size, _digest = files.store(upload, "imports", file_format)
    with transaction.atomic(durable=True):
        job = ImportJob.objects.create(
            kind=kind,
            owner=owner,
            created_by=actor,
            original_name=files.safe_display_name(upload.name),
            stored_name=stored,
            file_format=file_format,
            created_at=now,
            submit_for_review=submit,
        )
        audit.record(
            "import.start",
            actor=actor,
            target=job,
            region_code=owner.region_id,
            after={"kind": kind, "file": job.original_name, "submit": submit},
            now=now,
        )
    return job
