"""Search benchmark.

1. Quality: ``search-eval`` on the CSL corpus (production ranking vs. plain BM25 in the same run).
   Goals: discipline P@10 ≥ 1.3 × baseline; MRR@10 and keyword nDCG@10 ≥ baseline.
2. Scale: BENCH_SEARCH_DOCS synthetic achievements (default 1,000,000; text sampled from the CSL
   vocabulary) written into a throwaway test database of the configured vendor (SQLite, or
   PostgreSQL under scripts/with-postgres.sh); p50/p95 of GET /api/v1/search vs. the raw FTS
   query it runs, and index build docs/s vs. jieba segmentation alone.
   Goals: API p95 ≤ 5 × raw p95; indexing ≥ 0.5 × segmentation speed.
"""

import json
import os
import random
import tempfile
import time
from pathlib import Path

import numpy as np

from bench.common import write_result

CORPUS = Path(
    os.environ.get(
        "BENCH_SEARCH_CORPUS", Path(__file__).resolve().parents[2] / "shared/data/csl/csl_2k.jsonl"
    )
)
QUERIES = 200


def quality() -> dict:
    from zhouqiao.search import evaluation

    return evaluation.run(str(CORPUS), progress=lambda m: print(m, flush=True))


def _vocabulary() -> list[str]:
    import jieba

    words = []
    for line in CORPUS.read_text(encoding="utf-8").splitlines():
        r = json.loads(line)
        words.extend(w for w in jieba.lcut(r["abstract"]) if len(w) >= 2 and w.strip())
    return words


def scale(n_docs: int) -> dict:
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_databases, teardown_databases
    from django.utils import timezone

    from zhouqiao.search import indexing
    from zhouqiao.search.analysis import get_analyzer
    from zhouqiao.search.backends import backend_for
    from zhouqiao.search.models import SearchDocument

    if connection.vendor == "sqlite":
        tmp = tempfile.mkdtemp(prefix="zq-bench-")
        connection.settings_dict.setdefault("TEST", {})["NAME"] = os.path.join(tmp, "bench.sqlite3")
    old = setup_databases(verbosity=0, interactive=False)
    try:
        rng = random.Random(7)
        words = _vocabulary()
        analyzer = get_analyzer()
        now = timezone.now()

        def text(k):
            return "".join(rng.choice(words) for _ in range(k))

        sample = [text(60) for _ in range(3000)]
        t0 = time.perf_counter()
        for s in sample:
            analyzer.segment(s)
        seg_rate = len(sample) / (time.perf_counter() - t0)
        print(f"segmentation {seg_rate:.0f} docs/s", flush=True)

        t0 = time.perf_counter()
        batch = 2000
        for start in range(0, n_docs, batch):
            docs = []
            for i in range(start, min(n_docs, start + batch)):
                fields = {
                    "title": text(5),
                    "text": text(55),
                    "keywords": "、".join(rng.sample(words, 3)),
                    "region_code": rng.choice(["220102", "220104", "220183", "220204"]),
                    "readiness": rng.randint(1, 9),
                    "price_band": "negotiable",
                    "published_at": now,
                }
                docs.append(
                    SearchDocument(
                        kind="achievement",
                        object_id=i + 1,
                        **indexing._document_values("achievement", fields, analyzer, now),
                    )
                )
            indexing.write_documents(docs)
            if (start // batch) % 25 == 0:
                print(f"indexed {start + len(docs)}/{n_docs}", flush=True)
        index_rate = n_docs / (time.perf_counter() - t0)
        indexing.fit_semantic_model(now=now)

        backend = backend_for(connection)
        queries = [" ".join(rng.sample(words, rng.choice([1, 2]))) for _ in range(QUERIES)]
        raw, api = [], []
        client = Client()
        from zhouqiao.search.queries import MAX_MATCHES

        for q in queries:
            terms = analyzer.terms(q)
            t = time.perf_counter()
            with connection.cursor() as cursor:
                backend.match(cursor, terms, MAX_MATCHES)
            raw.append((time.perf_counter() - t) * 1000)
            t = time.perf_counter()
            response = client.get("/api/v1/search", {"q": q})
            api.append((time.perf_counter() - t) * 1000)
            assert response.status_code == 200
        figures = {
            "vendor": connection.vendor,
            "documents": n_docs,
            "segmentation_docs_per_s": round(seg_rate, 1),
            "index_docs_per_s": round(index_rate, 1),
            "index_vs_segmentation": round(index_rate / seg_rate, 3),
            "raw_query_p50_ms": round(float(np.percentile(raw, 50)), 2),
            "raw_query_p95_ms": round(float(np.percentile(raw, 95)), 2),
            "api_p50_ms": round(float(np.percentile(api, 50)), 2),
            "api_p95_ms": round(float(np.percentile(api, 95)), 2),
        }
        figures["api_p95_vs_raw_p95"] = round(figures["api_p95_ms"] / figures["raw_query_p95_ms"], 3)
        print(figures, flush=True)
        return figures
    finally:
        teardown_databases(old, verbosity=0)


def run() -> None:
    figures = {}
    if os.environ.get("BENCH_SEARCH_PART", "all") in ("all", "quality"):
        figures["quality"] = quality()
    if os.environ.get("BENCH_SEARCH_PART", "all") in ("all", "scale"):
        figures["scale"] = scale(int(os.environ.get("BENCH_SEARCH_DOCS", "1000000")))
    q = figures.get("quality", {})
    figures["goal"] = {
        "discipline_p@10_ratio >= 1.3": q.get("ratio", {}).get("discipline_p@10"),
        "mrr@10_ratio >= 1.0": q.get("ratio", {}).get("mrr@10"),
        "keyword_ndcg@10_ratio >= 1.0": q.get("ratio", {}).get("keyword_ndcg@10"),
        "api_p95 <= 5 x raw_p95": figures.get("scale", {}).get("api_p95_vs_raw_p95"),
        "index >= 0.5 x segmentation": figures.get("scale", {}).get("index_vs_segmentation"),
    }
    name = (
        "search"
        if os.environ.get("BENCH_SEARCH_PART", "all") != "scale"
        else f"search_scale_{figures['scale']['vendor']}"
    )
    write_result(name, figures)
