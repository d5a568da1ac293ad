"""Duplicate and novelty checking (查重/查新, 002#22, 001#13): the records already held that are
most like a new text, with how alike they are, the terms they share and a near-duplicate flag.

The corpus is the search index restricted to achievements, demands and imported patents. The index
holds only what an anonymous visitor may see (see ``indexing``), so a result can never show
confidential demand text, whoever runs the check. Candidates come from the "more like this"
ranking (BM25, re-ranked when a semantic model is fitted); each is then scored on its own:

``similarity`` (0–1) = 0.6 × text cosine + 0.4 × estimated shingle Jaccard, where

* text cosine is the cosine of the two texts' sublinear tf vectors over the analyzer's terms and
  character bigrams (idf-weighted with the fitted semantic model's tables when there is one) —
  "they talk about the same things";
* shingle Jaccard is the MinHash estimate of the overlap of their character 3-shingle sets —
  "they are written with the same sentences".

1.0 means the same text; a copy with small edits scores about 0.9; texts on the same topic in
their own words typically 0.2–0.5. A pair whose Jaccard reaches ``NEAR_DUPLICATE`` is flagged
疑似重复 whatever its blended score. The check is deterministic and needs no network.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime

from django.utils.translation import gettext as _

from zhouqiao.core.errors import NotFound, PermissionDenied, ValidationFailed
from zhouqiao.search import indexing
from zhouqiao.search.analysis import get_analyzer
from zhouqiao.search.models import DocumentKind, SearchDocument
from zhouqiao.search.ranking import SIMILAR_CANDIDATES, features
from zhouqiao.search.similarity import NEAR_DUPLICATE, estimated_jaccard, minhash

CHECKED_KINDS = (DocumentKind.ACHIEVEMENT, DocumentKind.DEMAND, DocumentKind.PATENT)
TEXT_WEIGHT, SHINGLE_WEIGHT = 0.6, 0.4
MIN_SIMILARITY = 0.05
MAX_TEXT = 20_000
OVERLAP_SHOWN = 10


@dataclass
class Subject:
    """What is checked: a pasted text, or a held record as the person checking may see it."""

    title: str
    text: str
    keywords: str = ""
    kind: str = ""
    object_id: int | None = None
    record: object = None

    @property
    def body(self) -> str:
        return indexing._join(self.keywords, self.text)


@dataclass
class Similar:
    document: SearchDocument
    similarity: float
    cosine: float
    jaccard: float
    overlap: list[str]

    @property
    def near_duplicate(self) -> bool:
        return self.jaccard >= NEAR_DUPLICATE

    @property
    def percent(self) -> int:
        return round(self.similarity * 100)


@dataclass
class Check:
    subject: Subject
    checked_at: datetime
    corpus_size: int
    results: list[Similar] = field(default_factory=list)

    @property
    def near_duplicates(self) -> list[Similar]:
        return [r for r in self.results if r.near_duplicate]

    @property
    def conclusion(self) -> str:
        dups = self.near_duplicates
        if dups:
            return _("发现 %(n)d 条疑似重复记录（最高相似度 %(p)d%%），建议人工复核后再提交或受理。") % {
                "n": len(dups),
                "p": max(r.percent for r in dups),
            }
        if self.results and self.results[0].similarity >= 0.5:
            return _("未发现疑似重复记录，但存在相似度较高（%(p)d%%）的记录，请对照说明创新点。") % {
                "p": self.results[0].percent
            }
        return _("在本平台收录的 %(n)d 条成果、需求和专利中，未发现疑似重复或高度相似的记录。") % {
            "n": self.corpus_size
        }


# -- what is checked ----------------------------------------------------------------------------
def pasted(title: str, text: str, keywords: str = "") -> Subject:
    title, text, keywords = (title or "").strip(), (text or "").strip(), (keywords or "").strip()
    if not title and not text:
        raise ValidationFailed(_("请填写要查重的名称或内容。"))
    if len(title) + len(text) + len(keywords) > MAX_TEXT:
        raise ValidationFailed(_("内容过长：名称、内容和关键词合计不能超过 %(n)d 字。") % {"n": MAX_TEXT})
    return Subject(title=title[:255], text=text, keywords=keywords)


def may_check_records(user) -> bool:
    """Government staff may check any record they can see; others only their organisation's."""
    from zhouqiao.accounts import scope

    return scope.is_business_staff(user)


def record_subject(user, kind: str, pk: int) -> Subject:
    """A held achievement or demand as ``user`` may see it, built like its index text, so an
    unchanged copy of another record scores as a copy. Owners' members and government staff only."""
    from zhouqiao.catalog import access
    from zhouqiao.catalog.models import Achievement, Demand

    if not getattr(user, "is_authenticated", False):
        raise PermissionDenied(_("请先登录。"), code="unauthenticated", status=401)
    models = {DocumentKind.ACHIEVEMENT: Achievement, DocumentKind.DEMAND: Demand}
    if kind not in models:
        raise NotFound(_("只能对科技成果或技术需求查重。"))
    record = models[kind].objects.select_related("owner", "region", "industry").filter(pk=pk).first()
    if record is None:
        raise NotFound(_("记录不存在或您无权查看。"))
    if not (access.may_edit(user, record) or may_check_records(user)):
        raise PermissionDenied(_("只有成果或需求所属机构的成员和科技管理部门工作人员可以查重。"))
    if kind == DocumentKind.ACHIEVEMENT:
        f = access.achievement_fields(user, record)
        if f is None:
            raise NotFound(_("记录不存在或您无权查看。"))
        ip_numbers = " ".join(i["number"] for i in f["ip_items"] if i["number"])
        text = indexing._join(f["abstract"], f["problem"], f["advantages"], f["scenarios"], ip_numbers)
    else:
        f = access.demand_fields(user, record)
        if f is None:
            raise NotFound(_("记录不存在或您无权查看。"))
        text = indexing._join(f["summary"], f.get("problem"), f.get("indicators"))
    return Subject(
        title=f["title"], text=text, keywords="、".join(f["keywords"]), kind=kind, object_id=pk, record=record
    )


# -- scoring ------------------------------------------------------------------------------------
def _plain_vector(terms: list[str], text: str) -> dict[str, float]:
    """Sublinear tf over words and bigrams, each part normalised, as ranking does with idf."""
    out = {}
    for counter in features(terms, text):
        part = {f: 1 + math.log(c) for f, c in counter.items()}
        norm = math.sqrt(sum(v * v for v in part.values())) or 1.0
        out.update({f: v / norm / math.sqrt(2) for f, v in part.items()})
    return out


def _cosines(model, query: tuple[list[str], str], items: list[tuple[list[str], str]]) -> list[float]:
    if model is not None:
        (q,), _dense = model.vectors([query])
        docs, _dense = model.vectors(items)
    else:
        q, docs = _plain_vector(*query), [_plain_vector(*i) for i in items]
    qn = math.sqrt(sum(v * v for v in q.values()))
    out = []
    for d in docs:
        dn = math.sqrt(sum(v * v for v in d.values()))
        dot = sum(v * d.get(k, 0.0) for k, v in q.items())
        out.append(min(1.0, dot / (qn * dn)) if qn and dn else 0.0)
    return out


def _overlap(words: list[str], doc_terms: set[str]) -> list[str]:
    """The shared words (``words``: the subject's, as its text reads) in the subject's order,
    without the sub-words of a longer shared word."""
    shared = [t for t in dict.fromkeys(words) if t in doc_terms and len(t) > 1]
    whole = [t for t in shared if not any(t != o and t in o for o in shared)]
    # The analyzer folds case: a shared abbreviation reads as one again (trl → TRL, ai → AI).
    return [t.upper() if t.isascii() and t.isalpha() and len(t) <= 6 else t for t in whole[:OVERLAP_SHOWN]]


def check(subject: Subject, *, now: datetime, limit: int = 20) -> Check:
    analyzer = get_analyzer()
    corpus = SearchDocument.objects.filter(kind__in=CHECKED_KINDS)
    result = Check(subject=subject, checked_at=now, corpus_size=corpus.count())
    full = subject.title + "\n" + subject.text
    terms = analyzer.index_terms(subject.title) + analyzer.index_terms(subject.body)
    words = [
        t for t in analyzer.terms(subject.title) + analyzer.terms(subject.body) if analyzer.reads_as_word(t)
    ]
    if not terms:
        return result
    excluded = set()
    if subject.kind and subject.object_id is not None:
        excluded = set(
            SearchDocument.objects.filter(kind=subject.kind, object_id=subject.object_id).values_list(
                "pk", flat=True
            )
        )
    ranker = indexing.ranker()
    # No e5 vector: every candidate is kept and scored below on its own, so a re-ranking's order
    # would not change the result — encoding the text would only cost time.
    hits = ranker.similar(full, limit=SIMILAR_CANDIDATES, exclude=excluded, terms=terms)
    docs = corpus.in_bulk([pk for pk, _score in hits])
    candidates = [docs[pk] for pk, _score in hits if pk in docs]
    if not candidates:
        return result
    items = [((d.title_terms + " " + d.terms).split(), d.title + "\n" + d.text) for d in candidates]
    cosines = _cosines(ranker.model, (terms, full), items)
    signature = minhash(subject.title + subject.body)
    scored = []
    for doc, (doc_terms, _text), cos in zip(candidates, items, cosines, strict=True):
        jaccard = estimated_jaccard(signature, doc.minhash)
        similarity = round(TEXT_WEIGHT * cos + SHINGLE_WEIGHT * jaccard, 4)
        if similarity < MIN_SIMILARITY and jaccard < NEAR_DUPLICATE:
            continue
        scored.append(Similar(doc, similarity, round(cos, 4), jaccard, _overlap(words, set(doc_terms))))
    scored.sort(key=lambda s: (-s.near_duplicate, -s.similarity, s.document.pk))
    result.results = scored[:limit]
    return result
