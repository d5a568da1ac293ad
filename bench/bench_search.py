"""Search benchmark.

1. Quality: ``search-eval`` on the CSL corpus (production ranking vs. plain BM25 in the same run).
   Goals: discipline P@10 ≥ 1.3 × baseline; MRR@10 and keyword nDCG@10 ≥ baseline.
2. Scale: BENCH_SEARCH_DOCS synthetic achievements (default 1,000,000; text sampled from the CSL
   vocabulary, facet fields drawn at random; the first BENCH_SEARCH_INDEXED (default 100,000)
   written through the product's indexing path, the rest copies of their rows under new ids) in a
   throwaway test database of the configured vendor (SQLite, or PostgreSQL under scripts/with-postgres.sh); p50/p95 of
   GET /api/v1/search vs. the raw FTS query it runs (``backend.match``, the API's first step: FTS5
   ``MATCH … ORDER BY bm25 LIMIT`` / ``tsv @@ q ORDER BY ts_rank LIMIT``), and index build
   docs/s (fields → committed document and full-text rows) vs. jieba segmentation alone (the
   analyzer segmenting the same titles and bodies, timed on every ``SEG_EVERY``-th batch, between
   the index batches, so both see the same machine load).
   Goals: API p95 ≤ 5 × raw p95; indexing ≥ 0.5 × segmentation speed; PostgreSQL's API p95 ≤ 2 ×
   SQLite's on the same corpus (run both side by side: ``BENCH_SEARCH_PART=scale`` once per database;
   ``PG_INCLUDE=deploy/postgresql/zhouqiao.conf`` runs PostgreSQL with the production settings
   instead of the test cluster's; each entry records the settings it ran with).

BENCH_SEARCH_PART: ``all`` (default: quality, then scale on SQLite and on PostgreSQL through
scripts/with-postgres.sh), ``quality``, or ``scale`` (the configured database only). Each part
merges its section into bench/results/search.json (``scale`` holds one entry per database).
"""

import json
import os
import random
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from bench.common import RESULTS, write_result

CORPUS = Path(
    os.environ.get(
        "BENCH_SEARCH_CORPUS", Path(__file__).resolve().parents[2] / "shared/data/csl/csl_2k.jsonl"
    )
)
QUERIES = 200
WARMUP = 10
BATCH = 2000
SEG_EVERY = 10
# Documents written through the product path (indexing speed); the rest of the corpus are copies.
INDEXED = int(os.environ.get("BENCH_SEARCH_INDEXED", "100000"))
ROOT = Path(__file__).resolve().parents[1]


def quality() -> dict:
    """The whole corpus, then its first and last halves on their own (a check that the figures do
    not hold on one sample only). e5 vectors are memoised by text, so the halves reuse the
    embeddings of the whole run instead of computing them again."""
    from zhouqiao.search import evaluation
    from zhouqiao.search.ranking import e5_encoder

    def say(message):
        print(message, flush=True)

    encoder = e5_encoder()
    if encoder is not None:
        seen: dict[str, np.ndarray] = {}
        raw = encoder

        def encoder(texts):
            missing = [t for t in dict.fromkeys(texts) if t not in seen]
            if missing:
                seen.update(zip(missing, raw(missing), strict=True))
            return np.array([seen[t] for t in texts])

    figures = evaluation.run(str(CORPUS), progress=say, encoder=encoder)
    lines = [line for line in CORPUS.read_text(encoding="utf-8").splitlines() if line.strip()]
    half = len(lines) // 2
    figures["splits"] = {}
    with tempfile.TemporaryDirectory(prefix="zq-bench-") as tmp:
        for name, part in ((f"first_{half}", lines[:half]), (f"last_{len(lines) - half}", lines[half:])):
            path = Path(tmp) / f"{name}.jsonl"
            path.write_text("\n".join(part) + "\n", encoding="utf-8")
            say(f"== split {name}")
            figures["splits"][name] = evaluation.run(str(path), progress=say, encoder=encoder)
    return figures


def _vocabulary() -> list[str]:
    import jieba

    words = []
    for line in CORPUS.read_text(encoding="utf-8").splitlines():
        r = json.loads(line)
        words.extend(w for w in jieba.lcut(r["abstract"]) if len(w) >= 2 and w.strip())
    return words


def _percentiles(values: list[float]) -> tuple[float, float]:
    return round(float(np.percentile(values, 50)), 2), round(float(np.percentile(values, 95)), 2)


def scale(n_docs: int) -> dict:
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_databases, teardown_databases
    from django.utils import timezone

    from zhouqiao.accounts.models import OrganisationKind
    from zhouqiao.catalog.models import TransferMode
    from zhouqiao.search import indexing
    from zhouqiao.search.analysis import get_analyzer
    from zhouqiao.search.backends import backend_for
    from zhouqiao.search.models import PriceBand, SearchDocument
    from zhouqiao.search.queries import MAX_MATCHES

    # As in production: DEBUG off, so no cursor logs every query (raw and API alike).
    settings.DEBUG = False
    if connection.vendor == "sqlite":
        tmp = tempfile.mkdtemp(prefix="zq-bench-")
        connection.settings_dict.setdefault("TEST", {})["NAME"] = os.path.join(tmp, "bench.sqlite3")
    old = setup_databases(verbosity=0, interactive=False)
    try:
        rng = random.Random(7)
        words = _vocabulary()
        analyzer = get_analyzer()
        now = timezone.now()
        modes = TransferMode.values
        org_kinds = OrganisationKind.values
        bands = PriceBand.values

        def text(k):
            return "".join(rng.choice(words) for _ in range(k))

        def fields():
            return {
                "title": text(5),
                "text": text(55),
                "keywords": "、".join(rng.sample(words, 3)),
                "region_code": rng.choice(["220102", "220104", "220183", "220204", "220303", "220402"]),
                "industry_code": rng.choice(["C26", "C27", "C35", "C38", "C39", "I65", "M73"]),
                "readiness": rng.randint(1, 9),
                "modes": ",".join(rng.sample(modes, rng.randint(1, 2))),
                "price_band": rng.choice(bands),
                "org_kind": rng.choice(org_kinds),
                "org_name": text(2),
                "published_at": now,
            }

        indexed = min(n_docs, INDEXED)
        seg_seconds = seg_docs = index_seconds = 0.0
        for b, start in enumerate(range(0, indexed, BATCH)):
            batch = [fields() for _ in range(min(BATCH, indexed - start))]
            if b % SEG_EVERY == 0:
                t = time.perf_counter()
                for f in batch:
                    analyzer.segment(f["title"])
                    analyzer.segment(indexing._join(f["keywords"], f["text"]))
                seg_seconds += time.perf_counter() - t
                seg_docs += len(batch)
            t = time.perf_counter()
            indexing.write_documents(
                [
                    SearchDocument(
                        kind="achievement",
                        object_id=start + i + 1,
                        **indexing._document_values("achievement", f, analyzer, now),
                    )
                    for i, f in enumerate(batch)
                ]
            )
            index_seconds += time.perf_counter() - t
            if b % 25 == 0:
                print(
                    f"indexed {start + len(batch)}/{indexed}: {(start + len(batch)) / index_seconds:.0f} docs/s,"
                    f" segmentation {seg_docs / seg_seconds:.0f} docs/s",
                    flush=True,
                )
        _replicate(indexed, n_docs)
        t = time.perf_counter()
        indexing.fit_semantic_model(now=now)
        fit_seconds = time.perf_counter() - t
        seg_rate, index_rate = seg_docs / seg_seconds, indexed / index_seconds
        print(f"index {index_rate:.0f} docs/s, segmentation {seg_rate:.0f} docs/s", flush=True)

        backend = backend_for(connection)
        queries = [" ".join(rng.sample(words, rng.choice([1, 2]))) for _ in range(WARMUP + QUERIES)]
        raw, api = [], []
        client = Client()

        def raw_query(q):
            terms = analyzer.index_terms(q)  # the terms Ranker.search sends to the index
            t = time.perf_counter()
            with connection.cursor() as cursor:
                backend.match(cursor, terms, MAX_MATCHES)
            return (time.perf_counter() - t) * 1000

        def api_call(q):
            t = time.perf_counter()
            response = client.get("/api/v1/search", {"q": q}, secure=True)  # as behind TLS (DEBUG off)
            elapsed = (time.perf_counter() - t) * 1000
            assert response.status_code == 200, response.content[:500]
            return elapsed

        for i, q in enumerate(queries):
            # Alternate which runs first, so neither always finds the pages the other just read.
            if i % 2:
                a, r = api_call(q), raw_query(q)
            else:
                r, a = raw_query(q), api_call(q)
            if i >= WARMUP:
                raw.append(r)
                api.append(a)
        raw_p50, raw_p95 = _percentiles(raw)
        api_p50, api_p95 = _percentiles(api)
        figures = {
            "vendor": connection.vendor,
            "documents": n_docs,
            "indexed_through_the_product_path": indexed,
            "queries": QUERIES,
            "segmentation_docs_per_s": round(seg_rate, 1),
            "index_docs_per_s": round(index_rate, 1),
            "index_vs_segmentation": round(index_rate / seg_rate, 3),
            "semantic_model_fit_s": round(fit_seconds, 1),
            "raw_query_p50_ms": raw_p50,
            "raw_query_p95_ms": raw_p95,
            "api_p50_ms": api_p50,
            "api_p95_ms": api_p95,
            "api_p95_vs_raw_p95": round(api_p95 / raw_p95, 3),
            "load_average": round(os.getloadavg()[0], 2),
        }
        if connection.vendor == "postgresql":
            figures["server_settings"] = _server_settings()
        print(figures, flush=True)
        return figures
    finally:
        teardown_databases(old, verbosity=0)


def _server_settings() -> dict:
    """The settings that decide whether the search tables stay in memory, and those tables' sizes."""
    from django.db import connection

    with connection.cursor() as cursor:
        settings = {}
        for name in ("shared_buffers", "effective_cache_size", "work_mem"):
            cursor.execute(f"SHOW {name}")  # noqa: S608 (names from this tuple)
            settings[name] = cursor.fetchone()[0]
        for table in ("search_fts", "search_grams"):
            cursor.execute("SELECT pg_size_pretty(pg_total_relation_size(%s))", [table])
            settings[f"{table}_size"] = cursor.fetchone()[0]
    return settings


def _replicate(indexed: int, n_docs: int) -> None:
    """Grow the corpus from the ``indexed`` documents written through the product path to
    ``n_docs`` by copying their rows — the document and its full-text rows — under new ids, so
    every posting list is as long as in a corpus of ``n_docs`` (indexing speed is measured on the
    first ``indexed``; the queries run on all ``n_docs``)."""
    from django.db import connection, transaction

    from zhouqiao.search.models import SearchDocument

    if n_docs <= indexed:
        return
    columns = ", ".join(
        f.column for f in SearchDocument._meta.concrete_fields if f.column not in ("id", "object_id")
    )
    key = "rowid" if connection.vendor == "sqlite" else "id"
    fulltext = {
        "sqlite": {"search_fts": "title, body", "search_grams": "title, body"},
        "postgresql": {"search_fts": "tsv, norm", "search_grams": "grams, norm"},
    }[connection.vendor]
    with connection.cursor() as cursor:
        cursor.execute("SELECT max(id) FROM search_document")
        top = cursor.fetchone()[0]
    for copy in range(1, -(-n_docs // indexed)):
        offset, take = top * copy, min(indexed, n_docs - indexed * copy)
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO search_document (id, object_id, {columns}) SELECT id + %s, object_id + %s,"
                f" {columns} FROM search_document WHERE id <= %s ORDER BY id LIMIT %s",
                [offset, offset, top, take],
            )
            for table, values in fulltext.items():
                cursor.execute(
                    f"INSERT INTO {table} ({key}, {values}) SELECT {key} + %s, {values} FROM {table}"
                    f" WHERE {key} <= %s ORDER BY {key} LIMIT %s",
                    [offset, top, take],
                )
        print(f"copied to {indexed * copy + take}/{n_docs}", flush=True)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT setval(pg_get_serial_sequence('search_document', 'id'), (SELECT max(id) FROM search_document))"
            )
            cursor.execute("ANALYZE")


NOTE = (
    "quality: zhouqiao search-eval on csl_2k. scale: one entry per database, BENCH_SEARCH_DOCS synthetic"
    " achievements (text sampled from the CSL vocabulary): the first BENCH_SEARCH_INDEXED written through"
    " the product's indexing path (indexing speed, against jieba segmentation timed in the same process),"
    " the rest copies of their rows under new ids (query latency). PostgreSQL uses the narrow tables"
    " search_fts(id, tsv, norm) and search_grams(id, grams, norm), each with a GIN index; norm is the"
    " stored length normaliser of the rank. Each entry gives the machine's load average at its end"
    " (2 CPUs shared with other work); the goal block compares the two entries."
)


def _goal(figures: dict) -> dict:
    q = figures.get("quality", {}).get("ratio", {})
    goal = {
        "discipline_p@10_ratio >= 1.3": q.get("discipline_p@10"),
        "mrr@10_ratio >= 1.0": q.get("mrr@10"),
        "keyword_ndcg@10_ratio >= 1.0": q.get("keyword_ndcg@10"),
    }
    for vendor, s in figures.get("scale", {}).items():
        goal[f"api_p95 <= 5 x raw_p95 ({vendor})"] = s.get("api_p95_vs_raw_p95")
        goal[f"index >= 0.5 x segmentation ({vendor})"] = s.get("index_vs_segmentation")
    scale = figures.get("scale", {})
    if {"sqlite", "postgresql"} <= scale.keys():
        goal["api_p95 postgresql <= 2 x api_p95 sqlite"] = round(
            scale["postgresql"]["api_p95_ms"] / scale["sqlite"]["api_p95_ms"], 3
        )
    return goal


def _merge(section: str, value: dict, vendor: str | None = None) -> None:
    """Write one section into search.json, keeping the others (quality and scale are run apart)."""
    path = RESULTS / "search.json"
    figures = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    for key in ("name", "ran_at", "machine", "goal"):
        figures.pop(key, None)
    if vendor:
        scale_figures = figures.get(section) if isinstance(figures.get(section), dict) else {}
        scale_figures = {k: v for k, v in scale_figures.items() if k in ("sqlite", "postgresql")}
        scale_figures[vendor] = value
        figures[section] = scale_figures
    else:
        figures[section] = value
    figures["note"] = NOTE
    figures["goal"] = _goal(figures)
    write_result("search", figures)


def run() -> None:
    from django.db import connection

    part = os.environ.get("BENCH_SEARCH_PART", "all")
    if part in ("all", "quality"):
        _merge("quality", quality())
    if part in ("all", "scale"):
        figures = scale(int(os.environ.get("BENCH_SEARCH_DOCS", "1000000")))
        figures["ran_at"] = datetime.now(UTC).isoformat(timespec="seconds")
        _merge("scale", figures, vendor=connection.vendor)
    if part == "all" and connection.vendor != "postgresql":
        subprocess.run(
            [str(ROOT / "scripts" / "with-postgres.sh"), sys.executable, "-m", "bench", "bench_search"],
            check=True,
            cwd=ROOT,
            env={**os.environ, "BENCH_SEARCH_PART": "scale"},
        )
