"""Ranking: BM25 candidates from the database index, re-ranked by a corpus-fitted dense signal.

Two query shapes share one pipeline:

* ``search(text)`` — typed keywords: the analyzer's terms go to the index (BM25 / ts_rank), and
  the best ``CANDIDATES`` are re-scored;
* ``similar(text)`` — "more like this", matching and 查重: the query is built from the document's
  most distinctive terms (tf-idf top-k), BM25 fetches ``SIMILAR_CANDIDATES`` candidates, and those
  are re-scored.

The re-score fuses, after z-normalising each signal over the candidate list:

1. the index's own BM25 score;
2. tf-idf cosine over a joint feature space — the analyzer's terms plus character bigrams of the
   text (bigrams catch what segmentation splits differently: 预浸料 vs 预浸 料);
3. LSA: the same tf-idf vector projected on the top singular vectors of the corpus matrix
   (truncated SVD), which finds topical neighbours that share few exact words.

The :class:`SemanticModel` (idf tables and SVD components) is fitted from the held documents
themselves by ``zhouqiao reindex`` (on a sample when the corpus is large) — no downloaded weights.
Without a fitted model the ranking is plain BM25. Weights were chosen on the CSL evaluation
corpus (``zhouqiao search-eval``) and are deliberately round numbers.
"""

from __future__ import annotations

import io
import math
import re
from collections import Counter
from collections.abc import Callable, Iterable

import numpy as np

from zhouqiao.search.analysis import normalise

CANDIDATES = 100
SIMILAR_CANDIDATES = 200
SIMILAR_QUERY_TERMS = 40
LSA_DIMENSIONS = 80
# Fusion weights (z-scores): BM25, tf-idf cosine, LSA cosine.
SEARCH_WEIGHTS = (1.0, 0.2, 0.1)
SIMILAR_WEIGHTS = (0.1, 0.3, 0.7)

_CJK_RUN = re.compile(r"[\u3400-\u9fffa-z0-9]+")


def char_bigrams(text: str) -> list[str]:
    out = []
    for run in _CJK_RUN.findall(normalise(text)):
        out.extend("#" + run[i : i + 2] for i in range(len(run) - 1))
    return out


def features(terms: Iterable[str], text: str) -> tuple[Counter, Counter]:
    return Counter(terms), Counter(char_bigrams(text))


class SemanticModel:
    """idf for words and bigrams, and SVD components over the joint tf-idf space."""

    def __init__(
        self, words: dict[str, int], bigrams: dict[str, int], idf: np.ndarray, components: np.ndarray, n: int
    ):
        self.words = words  # term -> column
        self.bigrams = bigrams  # "#xy" -> column (after the word columns)
        self.idf = idf
        self.components = components  # (columns, k)
        self.n = n

    # -- fitting ------------------------------------------------------------------------------
    @classmethod
    def fit(cls, docs: list[tuple[list[str], str]], k: int = LSA_DIMENSIONS, max_bigrams: int = 60_000):
        """Fit on ``(terms, text)`` pairs. Features seen in one document only are dropped."""
        from scipy.sparse import csr_matrix
        from scipy.sparse.linalg import svds

        n = len(docs)
        wdf, bdf = Counter(), Counter()
        feats = [features(t, x) for t, x in docs]
        for w, b in feats:
            wdf.update(w.keys())
            bdf.update(b.keys())
        words = {t: i for i, t in enumerate(sorted(t for t, c in wdf.items() if c >= 2))}
        kept_bigrams = sorted((g for g, c in bdf.items() if c >= 2), key=lambda g: (-bdf[g], g))[:max_bigrams]
        bigrams = {g: len(words) + i for i, g in enumerate(sorted(kept_bigrams))}
        df = np.zeros(len(words) + len(bigrams))
        for t, i in words.items():
            df[i] = wdf[t]
        for g, i in bigrams.items():
            df[i] = bdf[g]
        idf = np.log(n / np.maximum(df, 1)).astype(np.float32)
        model = cls(words, bigrams, idf, np.zeros((len(df), 0), dtype=np.float32), n)
        rows, cols, vals = [], [], []
        for r, (w, b) in enumerate(feats):
            for col, val in model._weights(w, b):
                rows.append(r)
                cols.append(col)
                vals.append(val)
        matrix = csr_matrix((vals, (rows, cols)), shape=(n, len(df)), dtype=np.float32)
        k = max(1, min(k, min(matrix.shape) - 1))
        _, _, vt = svds(matrix, k=k, random_state=0)
        model.components = np.ascontiguousarray(vt.T.astype(np.float32))
        return model

    def _weights(self, w: Counter, b: Counter) -> list[tuple[int, float]]:
        """Sublinear tf-idf, each of the two parts L2-normalised, joined and normalised again."""
        out = []
        for counter, index in ((w, self.words), (b, self.bigrams)):
            part = [
                (index[f], (1 + math.log(c)) * float(self.idf[index[f]]))
                for f, c in counter.items()
                if f in index
            ]
            norm = math.sqrt(sum(v * v for _, v in part)) or 1.0
            out.extend((col, v / norm / math.sqrt(2)) for col, v in part)
        return out

    def vectors(self, items: list[tuple[list[str], str]]) -> tuple[list[dict[int, float]], np.ndarray]:
        """Sparse tf-idf vectors (dicts) and dense unit LSA vectors for ``(terms, text)`` items."""
        sparse = [dict(self._weights(*features(t, x))) for t, x in items]
        dense = np.zeros((len(items), self.components.shape[1]), dtype=np.float32)
        for r, vec in enumerate(sparse):
            if vec:
                cols = np.fromiter(vec.keys(), dtype=np.int64)
                vals = np.fromiter(vec.values(), dtype=np.float32)
                dense[r] = vals @ self.components[cols]
        norms = np.linalg.norm(dense, axis=1, keepdims=True)
        dense /= np.where(norms == 0, 1, norms)
        return sparse, dense

    def distinctive_terms(self, terms: list[str], k: int = SIMILAR_QUERY_TERMS) -> list[str]:
        """The document's top-k terms by tf-idf (unknown terms count as rare)."""
        counts = Counter(terms)
        top_idf = math.log(max(self.n, 2))

        def weight(t):
            col = self.words.get(t)
            return (1 + math.log(counts[t])) * (float(self.idf[col]) if col is not None else top_idf)

        return sorted(counts, key=lambda t: (-weight(t), t))[:k]

    # -- storage ------------------------------------------------------------------------------
    def dumps(self) -> bytes:
        buf = io.BytesIO()
        np.savez_compressed(
            buf,
            words=np.array(list(self.words), dtype=object),
            bigrams=np.array(list(self.bigrams), dtype=object),
            idf=self.idf,
            components=self.components,
            n=np.array([self.n]),
        )
        return buf.getvalue()

    @classmethod
    def loads(cls, data: bytes) -> SemanticModel:
        z = np.load(io.BytesIO(data), allow_pickle=True)
        words = {t: i for i, t in enumerate(z["words"].tolist())}
        bigrams = {g: len(words) + i for i, g in enumerate(z["bigrams"].tolist())}
        return cls(words, bigrams, z["idf"], z["components"], int(z["n"][0]))


def _z(values: np.ndarray) -> np.ndarray:
    sd = values.std()
    return (values - values.mean()) / sd if sd > 0 else np.zeros_like(values)


def _dot(a: dict[int, float], b: dict[int, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(v * b.get(k, 0.0) for k, v in a.items())


Fetch = Callable[[list[int]], dict[int, tuple[list[str], str]]]


class Ranker:
    """BM25 candidates from ``backend`` on ``connection``; ``fetch(ids)`` returns each candidate's
    stored ``(terms, text)`` for the re-score."""

    def __init__(self, backend, connection, analyzer, fetch: Fetch, model: SemanticModel | None = None):
        self.backend = backend
        self.connection = connection
        self.analyzer = analyzer
        self.fetch = fetch
        self.model = model

    def _match(self, terms: list[str], limit: int) -> list[tuple[int, float]]:
        with self.connection.cursor() as cursor:
            return self.backend.match(cursor, terms, limit)

    def search(self, text: str, limit: int = 10, candidates: int = CANDIDATES) -> list[tuple[int, float]]:
        """The best ``limit`` matches; only the first ``CANDIDATES`` are re-scored, the rest keep
        their BM25 order behind them."""
        terms = self.analyzer.terms(text)
        hits = self._match(terms, max(limit, candidates))
        head = self._rerank(terms, text, hits[:CANDIDATES], SEARCH_WEIGHTS)
        return (head + hits[CANDIDATES:])[:limit]

    def similar(
        self, text: str, limit: int = 10, exclude: Iterable[int] = (), terms: list[str] | None = None
    ):
        terms = terms if terms is not None else self.analyzer.index_terms(text)
        query_terms = (
            self.model.distinctive_terms(terms)
            if self.model
            else list(dict.fromkeys(terms))[:SIMILAR_QUERY_TERMS]
        )
        excluded = set(exclude)
        hits = [
            h for h in self._match(query_terms, SIMILAR_CANDIDATES + len(excluded)) if h[0] not in excluded
        ]
        return self._rerank(terms, text, hits, SIMILAR_WEIGHTS)[:limit]

    def _rerank(self, terms, text, hits, weights) -> list[tuple[int, float]]:
        if self.model is None or len(hits) < 2:
            return hits
        ids = [h[0] for h in hits]
        stored = self.fetch(ids)
        items = [stored.get(i, ([], "")) for i in ids]
        (qs,), qd = self.model.vectors([(terms, text)])
        ds, dd = self.model.vectors(items)
        bm25 = np.array([h[1] for h in hits], dtype=np.float64)
        cosine = np.array([_dot(qs, d) for d in ds], dtype=np.float64)
        lsa = (dd @ qd[0]).astype(np.float64)
        fused = weights[0] * _z(bm25) + weights[1] * _z(cosine) + weights[2] * _z(lsa)
        order = np.argsort(-fused, kind="stable")
        return [(ids[i], float(fused[i])) for i in order]
