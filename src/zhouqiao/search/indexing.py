"""Keeping the index in step with the records.

The catalog and accounts services call :func:`sync_after_commit` inside their transaction; once it
commits, the ``search.tasks.sync_record`` task runs :func:`index_record` (a worker in production,
at once with the immediate backend). A record that has just been published is also checked
against saved searches and demand subscriptions (``announce``); an edit is not.

``index_record`` writes the public view of a published record (or removes it when the record is
not — or no longer — published, or is an invited-only demand); ``remove_record`` removes it.
Both run in their own transaction, so the document row and the full-text row change together
(and, with the ``semantic`` extra, its e5 vector: see ``embeddings``).
``rebuild`` is what ``zhouqiao reindex`` and the staff task run.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from django.contrib.auth.models import AnonymousUser
from django.db import connection, transaction

from zhouqiao.search import embeddings
from zhouqiao.search.analysis import get_analyzer, grams
from zhouqiao.search.backends import FulltextRow, backend_for
from zhouqiao.search.models import DocumentKind, PriceBand, SearchDocument, SemanticModelRecord
from zhouqiao.search.ranking import Ranker, SemanticModel
from zhouqiao.search.similarity import minhash

MODEL_SAMPLE = 20_000


def price_band(low: Decimal | None, high: Decimal | None) -> str:
    value = high if high is not None else low
    if value is None:
        return PriceBand.NEGOTIABLE
    for limit, band in (
        (100_000, PriceBand.UNDER_100K),
        (1_000_000, PriceBand.UNDER_1M),
        (10_000_000, PriceBand.UNDER_10M),
    ):
        if value < limit:
            return band
    return PriceBand.OVER_10M


def _join(*parts) -> str:
    return "\n".join(str(p) for p in parts if p)


def _achievement(pk: int) -> dict | None:
    from zhouqiao.catalog.access import achievement_fields
    from zhouqiao.catalog.models import Achievement
    from zhouqiao.catalog.states import RecordStatus

    a = Achievement.objects.select_related("owner", "region", "industry", "discipline").filter(pk=pk).first()
    if a is None or a.status != RecordStatus.PUBLISHED:
        return None
    f = achievement_fields(AnonymousUser(), a)
    if f is None:
        return None
    ip_numbers = " ".join(i["number"] for i in f["ip_items"] if i["number"])
    return {
        "title": f["title"],
        "text": _join(f["abstract"], f["problem"], f["advantages"], f["scenarios"], ip_numbers),
        "keywords": "、".join(f["keywords"]),
        "region_code": f["region_code"],
        "industry_code": f["industry_code"],
        "patent_class": f["patent_class"],
        "discipline_code": f["discipline"],
        "readiness": f["readiness"],
        "modes": ",".join(f["transfer_modes"]),
        "price_band": price_band(f["price_min"], f["price_max"]),
        "price_min": f["price_min"],
        "price_max": f["price_max"],
        "org_id": f["owner_id"],
        "org_kind": a.owner.kind,
        "org_name": f["owner_name"],
        "published_at": f["published_at"],
    }


def _demand(pk: int) -> dict | None:
    from zhouqiao.catalog.access import FULL, demand_fields
    from zhouqiao.catalog.models import Demand

    d = Demand.objects.select_related("owner", "region", "industry").filter(pk=pk).first()
    if d is None:
        return None
    # What an anonymous visitor sees, and nothing more: None for unpublished and invited-only demands.
    f = demand_fields(AnonymousUser(), d)
    if f is None:
        return None
    details = _join(f.get("problem"), f.get("indicators")) if f["access"] == FULL else ""
    return {
        "title": f["title"],
        "text": _join(f["summary"], details),
        "keywords": "、".join(f["keywords"]),
        "region_code": f["region_code"],
        "industry_code": f["industry_code"],
        "modes": ",".join(f["cooperation_modes"]),
        "price_band": price_band(f["budget_min"], f["budget_max"]),
        "price_min": f["budget_min"],
        "price_max": f["budget_max"],
        "org_id": f["owner_id"],
        "org_kind": d.owner.kind,
        "org_name": f["owner_name"],
        "published_at": f["published_at"],
    }


def _organisation(pk: int) -> dict | None:
    from zhouqiao.accounts.models import Organisation

    o = Organisation.objects.filter(pk=pk).first()
    if o is None or not o.is_verified:
        return None
    return {
        "title": o.name,
        "text": o.description,
        "region_code": o.region_id,
        "org_id": o.pk,
        "org_kind": o.kind,
        "org_name": o.name,
        "published_at": o.verified_at,
    }


def _instrument(pk: int) -> dict | None:
    """A listed instrument of a verified owner, as the public instrument page shows it (no contact)."""
    from zhouqiao.facilities.models import Instrument

    i = Instrument.objects.listed().select_related("owner").filter(pk=pk).first()
    if i is None:
        return None
    return {
        "title": i.name,
        "text": _join(
            i.get_category_display(),
            i.model_number,
            i.manufacturer,
            i.description,
            i.capabilities,
            i.location,
        ),
        "keywords": i.model_number[:255],
        "region_code": i.owner.region_id,
        "org_id": i.owner_id,
        "org_kind": i.owner.kind,
        "org_name": i.owner.name,
        "published_at": i.created_at,
    }


def _patent(pk: int) -> dict | None:
    from zhouqiao.search.models import PatentRecord

    p = PatentRecord.objects.filter(pk=pk).first()
    return patent_fields(p) if p is not None else None


def patent_fields(p) -> dict:
    return {
        "title": p.title,
        "text": _join(p.number, p.abstract, p.applicant),
        "keywords": p.number,
        "patent_class": p.ipc[:16],
        "org_name": p.applicant[:128],
    }


BUILDERS: dict[str, Callable[[int], dict | None]] = {
    DocumentKind.ACHIEVEMENT: _achievement,
    DocumentKind.DEMAND: _demand,
    DocumentKind.ORGANISATION: _organisation,
    DocumentKind.PATENT: _patent,
    DocumentKind.INSTRUMENT: _instrument,
}


def _document_values(kind: str, fields: dict, analyzer, now) -> dict:
    body = _join(fields.get("keywords", ""), fields.get("text", ""))
    values = {k: v for k, v in fields.items() if k != "text" and v is not None}
    values.update(
        text=fields.get("text", ""),
        title=fields["title"][:255],
        title_terms=analyzer.segment(fields["title"]),
        terms=analyzer.segment(body),
        minhash=minhash(fields["title"] + body),
        indexed_at=now,
    )
    return values


def fulltext_row(doc: SearchDocument) -> FulltextRow:
    """The document's rows in the full-text indexes: its word terms, and the n-grams of its title
    and of its keywords and text (what the record shows)."""
    return FulltextRow(
        doc.pk, doc.title_terms, doc.terms, grams(doc.title), grams(_join(doc.keywords, doc.text))
    )


def sync_after_commit(kind: str, pk: int, *, announce: bool = False) -> None:
    """Once the current transaction commits, bring the index in line with ``kind``/``pk`` (in a
    task). ``announce``: the record has just become public, so notify matching saved searches."""
    from zhouqiao.search import tasks

    transaction.on_commit(lambda: tasks.sync_record.enqueue(str(kind), pk, announce), robust=True)


def index_record(kind: str, pk: int, *, now=None, announce: bool = False) -> SearchDocument | None:
    """Bring the index in line with record ``kind``/``pk``: write its public view, or remove it.
    With ``announce``, a record written to the index is checked against saved searches."""
    from zhouqiao.core import clock

    now = now or clock.now()
    fields = BUILDERS[kind](pk)
    if fields is None:
        remove_record(kind, pk)
        return None
    values = _document_values(kind, fields, get_analyzer(), now)
    text = embeddings.passage(values["title"], values["text"], values.get("keywords", ""))
    vector = embeddings.pending(kind, pk, text)
    backend = backend_for(connection)
    with transaction.atomic():
        doc, _ = SearchDocument.objects.update_or_create(kind=kind, object_id=pk, defaults=values)
        with connection.cursor() as cursor:
            backend.put(cursor, [fulltext_row(doc)])
        embeddings.save(doc, text, vector)
    if announce:
        _after_index(doc)
    return doc


def remove_record(kind: str, pk: int) -> None:
    backend = backend_for(connection)
    with transaction.atomic():
        ids = list(SearchDocument.objects.filter(kind=kind, object_id=pk).values_list("pk", flat=True))
        if ids:
            with connection.cursor() as cursor:
                backend.delete(cursor, ids)
            SearchDocument.objects.filter(pk__in=ids).delete()


def reindex_containing(words: list[str], *, now) -> int:
    """Rewrite the documents whose public text holds any of ``words`` (a synonym group changed,
    so their terms must be folded afresh). Returns how many were rewritten."""
    from django.db.models import Q

    query = Q(pk__in=[])
    for word in {w.strip() for w in words if w and w.strip()}:
        query |= Q(title__icontains=word) | Q(text__icontains=word) | Q(keywords__icontains=word)
    found = list(SearchDocument.objects.filter(query).values_list("kind", "object_id"))
    for kind, pk in found:
        index_record(kind, pk, now=now)
    return len(found)


def refresh_owned(org_pk: int, *, now) -> int:
    """Rewrite what a change of organisation ``org_pk`` reaches: its indexed records that still
    carry an old name, and its instruments (listed only while it is verified)."""
    from zhouqiao.accounts.models import Organisation
    from zhouqiao.facilities.models import Instrument

    name = Organisation.objects.filter(pk=org_pk).values_list("name", flat=True).first()
    stale = (
        SearchDocument.objects.filter(org_id=org_pk)
        .exclude(kind=DocumentKind.ORGANISATION)
        .exclude(org_name=name or "")
        .values_list("kind", "object_id")
    )
    instruments = Instrument.objects.filter(owner_id=org_pk).values_list("pk", flat=True)
    rows = set(stale) | {(DocumentKind.INSTRUMENT.value, pk) for pk in instruments}
    for kind, pk in sorted(rows):
        index_record(kind, pk, now=now)
    return len(rows)


def _after_index(doc: SearchDocument) -> None:
    """New published records are checked against saved searches (notifications)."""
    from zhouqiao.search import alerts

    alerts.notify_new_document(doc)


def sources() -> dict[str, list[int]]:
    from zhouqiao.accounts.models import Organisation
    from zhouqiao.accounts.states import VerificationStatus
    from zhouqiao.catalog.models import Achievement, Demand
    from zhouqiao.catalog.states import RecordStatus
    from zhouqiao.facilities.models import Instrument
    from zhouqiao.search.models import PatentRecord

    return {
        DocumentKind.ACHIEVEMENT: list(
            Achievement.objects.filter(status=RecordStatus.PUBLISHED).values_list("pk", flat=True)
        ),
        DocumentKind.DEMAND: list(
            Demand.objects.filter(status=RecordStatus.PUBLISHED).values_list("pk", flat=True)
        ),
        DocumentKind.ORGANISATION: list(
            Organisation.objects.filter(status=VerificationStatus.VERIFIED).values_list("pk", flat=True)
        ),
        DocumentKind.PATENT: list(PatentRecord.objects.values_list("pk", flat=True)),
        DocumentKind.INSTRUMENT: list(Instrument.objects.listed().values_list("pk", flat=True)),
    }


def rebuild(*, now, progress: Callable[[int, int], None] = lambda done, total: None, batch: int = 500) -> int:
    """Empty the index and write every indexable record again; then refit the semantic model.
    Stored e5 vectors are kept for the documents whose text is unchanged; none is computed here
    (``zhouqiao reindex`` then embeds the rest)."""
    backend = backend_for(connection)
    todo = [(kind, pk) for kind, pks in sources().items() for pk in pks]
    kept = embeddings.snapshot()
    with transaction.atomic():
        with connection.cursor() as cursor:
            backend.clear(cursor)
        SearchDocument.objects.all().delete()
    analyzer = get_analyzer()
    written = 0
    for start in range(0, len(todo), batch):
        chunk = todo[start : start + batch]
        docs = []
        for kind, pk in chunk:
            fields = BUILDERS[kind](pk)
            if fields is not None:
                docs.append(
                    SearchDocument(kind=kind, object_id=pk, **_document_values(kind, fields, analyzer, now))
                )
        write_documents(docs)
        written += len(docs)
        progress(start + len(chunk), len(todo))
    if kept:
        embeddings.embed_missing(reuse=kept)
    fit_semantic_model(now=now)
    return written


def write_documents(docs: list[SearchDocument]) -> None:
    """Insert new documents and their full-text rows in one transaction.

    Plain rows go straight to the driver — ``executemany`` on SQLite, ``COPY`` on PostgreSQL —
    instead of ``bulk_create``, which prepares every value of every row through the field API
    and (on SQLite) is held to ~40 rows a statement: that was most of the write time at scale."""
    if not docs:
        return
    backend = backend_for(connection)
    with transaction.atomic():
        if connection.vendor == "postgresql":
            _copy_postgres(docs)
        else:
            _insert_sqlite(docs)
        with connection.cursor() as cursor:
            backend.add(cursor, [fulltext_row(d) for d in docs])


# Values the drivers take as they are; anything else (datetimes, decimals, JSON) goes through the field.
_NATIVE = frozenset({str, int, type(None)})


def _columns() -> tuple[list, str, str]:
    fields = [f for f in SearchDocument._meta.concrete_fields if not f.primary_key]
    quote = connection.ops.quote_name
    return fields, quote(SearchDocument._meta.db_table), ", ".join(quote(f.column) for f in fields)


def _rows(docs: list[SearchDocument], fields: list) -> list[list]:
    prepare = [
        (f.attname, f.get_internal_type() == "JSONField", lambda v, f=f: f.get_db_prep_save(v, connection))
        for f in fields
    ]

    def row(doc):
        values = []
        for name, force, prep in prepare:
            value = getattr(doc, name)
            values.append(prep(value) if force or type(value) not in _NATIVE else value)
        return values

    return [row(d) for d in docs]


def _insert_sqlite(docs: list[SearchDocument]) -> None:
    """One ``executemany``, then the new ids read back by (kind, object_id)."""
    fields, table, columns = _columns()
    by_key = {(d.kind, d.object_id): d for d in docs}
    insert = f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * len(fields))})"  # noqa: S608 (names from the model)  # nosec B608
    with connection.cursor() as cursor:
        cursor.executemany(insert, _rows(docs, fields))
        for kind in {d.kind for d in docs}:
            ids = [d.object_id for d in docs if d.kind == kind]
            for start in range(0, len(ids), 900):
                chunk = ids[start : start + 900]
                marks = ", ".join(["%s"] * len(chunk))
                cursor.execute(
                    f"SELECT id, object_id FROM {table} WHERE kind = %s AND object_id IN ({marks})",  # noqa: S608 (names from the model)  # nosec B608
                    [str(kind), *chunk],
                )
                for pk, object_id in cursor.fetchall():
                    by_key[(kind, object_id)].pk = pk


def _copy_postgres(docs: list[SearchDocument]) -> None:
    """Ids drawn from the table's sequence, then one ``COPY``."""
    fields, table, columns = _columns()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
            [SearchDocument._meta.db_table, len(docs)],
        )
        for doc, (pk,) in zip(docs, cursor.fetchall(), strict=True):
            doc.pk = pk
        rows = _rows(docs, fields)
        with cursor.cursor.copy(f"COPY {table} (id, {columns}) FROM STDIN") as copy:
            for doc, row in zip(docs, rows, strict=True):
                copy.write_row([doc.pk, *row])


def fit_semantic_model(*, now, sample: int = MODEL_SAMPLE) -> SemanticModelRecord | None:
    rows = list(
        SearchDocument.objects.order_by("?").values_list("title_terms", "terms", "title", "text")[:sample]
    )
    if len(rows) < 20:
        SemanticModelRecord.objects.all().delete()
        return None
    model = SemanticModel.fit([((tt + " " + t).split(), title + "\n" + text) for tt, t, title, text in rows])
    record = SemanticModelRecord.objects.create(created_at=now, documents=len(rows), payload=model.dumps())
    SemanticModelRecord.objects.exclude(pk=record.pk).delete()
    return record


_model_cache: dict[int, SemanticModel] = {}


def semantic_model() -> SemanticModel | None:
    pk = SemanticModelRecord.objects.order_by("-id").values_list("pk", flat=True).first()
    if pk is None:
        return None
    if pk not in _model_cache:
        _model_cache.clear()
        _model_cache[pk] = SemanticModel.loads(bytes(SemanticModelRecord.objects.get(pk=pk).payload))
    return _model_cache[pk]


def fetch_stored(ids: list[int]) -> dict[int, tuple[list[str], str]]:
    rows = SearchDocument.objects.filter(pk__in=ids).values_list(
        "pk", "title_terms", "terms", "title", "text"
    )
    return {pk: ((tt + " " + t).split(), title + "\n" + text) for pk, tt, t, title, text in rows}


def ranker(*, rescoring: bool = True) -> Ranker:
    """The request's ranker; it reads stored e5 vectors when the ``semantic`` extra is installed
    (the caller passes the query's vector to ``similar``). ``rescoring=False`` for a caller that
    only calls ``search`` (typed words, which the semantic model never re-scores): the model is
    not looked up."""
    return Ranker(
        backend_for(connection),
        connection,
        get_analyzer(),
        fetch_stored,
        semantic_model() if rescoring else None,
        embeddings=embeddings.stored_vectors if embeddings.enabled() and rescoring else None,
    )
