"""How well an expert fits an item (a demand, an application, a proposal), and why.

Relevance is text similarity plus field bonuses:

* **text** — TF-IDF cosine over the search analyzer's index terms (jieba with the domain dictionary
  and synonyms, as search uses), sub-linear term frequency, smoothed IDF over the items and experts
  being compared; in [0, 1];
* **discipline** (GB/T 13745) — :data:`DISCIPLINE_SAME` when an item discipline and an expert
  discipline are the same or one contains the other (code prefix: ``460`` 机械工程 contains
  ``4602515`` 焊接工艺与设备), :data:`DISCIPLINE_NEAR` when they only share the first-level
  discipline (``46015`` and ``46025``, both under ``460``);
* **industry** (GB/T 4754) — :data:`INDUSTRY_SAME` for the same or containing code (``36`` contains
  ``3670``), :data:`INDUSTRY_NEAR` for a shared division (first two digits).

Region plays no part in relevance (callers filter by region if they want to; for review, a local
expert is not a better one). Everything is vectorised with ``scipy.sparse``: 1,000 items × 3,000
experts costs a few sparse products, not 3M Python calls; the analyzer's terms are memoised per text.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from scipy import sparse

DISCIPLINE_SAME = 0.3
DISCIPLINE_NEAR = 0.15
INDUSTRY_SAME = 0.2
INDUSTRY_NEAR = 0.1

# Code lengths of the levels: GB/T 13745 (3 / 5 / 7 digits), GB/T 4754 (2 / 3 / 4 digits).
_DISCIPLINE_LEVELS = (3, 5, 7)
_INDUSTRY_LEVELS = (2, 3, 4)


@dataclass(frozen=True)
class ExpertProfile:
    id: int
    text: str
    disciplines: frozenset[str]
    industries: frozenset[str]
    region: str


@dataclass(frozen=True)
class ItemProfile:
    text: str
    disciplines: frozenset[str] = frozenset()
    industries: frozenset[str] = frozenset()
    region: str = ""


# -- profiles from rows -----------------------------------------------------------------------------


def _chunks(ids: list[int], size: int = 900):
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def expert_profiles(experts) -> list[ExpertProfile]:
    """Profiles of Expert rows (a queryset or an iterable of Expert), in the given order.

    Text = keywords (twice: they are what the expert says they know), title, profile and the names
    of their disciplines and industries. Three queries plus one per 900 experts for the fields.
    """
    from zhouqiao.community.models import Expert

    rows = list(
        experts.values_list("pk", "keywords", "title", "profile", "region_id")
        if hasattr(experts, "values_list")
        else ((e.pk, e.keywords, e.title, e.profile, e.region_id) for e in experts)
    )
    ids = [r[0] for r in rows]
    disciplines: dict[int, list[tuple[str, str]]] = {}
    industries: dict[int, list[tuple[str, str]]] = {}
    d_through = Expert.disciplines.through
    i_through = Expert.industries.through
    for chunk in _chunks(ids):
        for expert_id, code, name in d_through.objects.filter(expert_id__in=chunk).values_list(
            "expert_id", "discipline_id", "discipline__name"
        ):
            disciplines.setdefault(expert_id, []).append((code, name))
        for expert_id, code, name in i_through.objects.filter(expert_id__in=chunk).values_list(
            "expert_id", "industry_id", "industry__name"
        ):
            industries.setdefault(expert_id, []).append((code, name))
    out = []
    for pk, keywords, title, profile, region in rows:
        d = disciplines.get(pk, [])
        i = industries.get(pk, [])
        text = " ".join(
            [keywords, keywords, title, profile, *(name for _, name in d), *(name for _, name in i)]
        )
        out.append(
            ExpertProfile(
                id=pk,
                text=text,
                disciplines=frozenset(code for code, _ in d),
                industries=frozenset(code for code, _ in i),
                region=region or "",
            )
        )
    return out


def demand_profile(demand) -> ItemProfile:
    """The profile of a catalog Demand (its public text, keywords and industry)."""
    parts = [demand.title, demand.summary, demand.problem, demand.indicators, demand.keywords]
    return ItemProfile(
        text=" ".join(p for p in parts if p),
        industries=frozenset([demand.industry_id]) if getattr(demand, "industry_id", None) else frozenset(),
        region=getattr(demand, "region_id", "") or "",
    )


# -- text ---------------------------------------------------------------------------------------------


@lru_cache(maxsize=20000)
def _terms(text: str) -> tuple[str, ...]:
    from zhouqiao.search.analysis import get_analyzer

    return tuple(get_analyzer().index_terms(_SAMPLE_MARK.sub(" ", text or "")))


def _tfidf(texts: Sequence[str]) -> tuple[sparse.csr_matrix, dict[str, int], np.ndarray]:
    vocab: dict[str, int] = {}
    indptr = [0]
    indices: list[int] = []
    data: list[float] = []
    for text in texts:
        counts: dict[int, int] = {}
        for term in _terms(text):
            j = vocab.setdefault(term, len(vocab))
            counts[j] = counts.get(j, 0) + 1
        indices.extend(counts)
        data.extend(1.0 + math.log(c) for c in counts.values())
        indptr.append(len(indices))
    matrix = sparse.csr_matrix(
        (np.asarray(data, dtype=np.float64), np.asarray(indices, dtype=np.int64), np.asarray(indptr)),
        shape=(len(texts), max(len(vocab), 1)),
    )
    n = len(texts)
    df = np.bincount(matrix.indices, minlength=matrix.shape[1])
    idf = np.log((1.0 + n) / (1.0 + df)) + 1.0
    matrix = matrix @ sparse.diags(idf)
    norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    matrix = sparse.diags(1.0 / norms) @ matrix
    return sparse.csr_matrix(matrix), vocab, idf


# -- codes --------------------------------------------------------------------------------------------


def _ancestors(code: str, levels: tuple[int, ...]) -> set[str]:
    return {code[:k] for k in levels if k < len(code)} | {code}


def _code_bonus(
    left: Sequence[frozenset[str]],
    right: Sequence[frozenset[str]],
    levels: tuple[int, ...],
    same: float,
    near: float,
) -> np.ndarray:
    """``same`` where a left and a right code are equal or one contains the other, else ``near``
    where they share the first level, else 0 — as a dense (len(left), len(right)) array."""
    index: dict[str, int] = {}
    top_index: dict[str, int] = {}

    def matrices(sets):
        own_r, own_c, anc_r, anc_c, top_r, top_c = [], [], [], [], [], []
        for row, codes in enumerate(sets):
            for code in codes:
                if not code:
                    continue
                own_r.append(row)
                own_c.append(index.setdefault(code, len(index)))
                for a in _ancestors(code, levels):
                    anc_r.append(row)
                    anc_c.append(index.setdefault(a, len(index)))
                top_r.append(row)
                top_c.append(top_index.setdefault(code[: levels[0]], len(top_index)))
        return (own_r, own_c), (anc_r, anc_c), (top_r, top_c)

    l_own, l_anc, l_top = matrices(left)
    r_own, r_anc, r_top = matrices(right)
    if not index:
        return np.zeros((len(left), len(right)))

    def build(pairs, rows, cols):
        r, c = pairs
        m = sparse.csr_matrix((np.ones(len(r)), (r, c)), shape=(rows, cols))
        m.data[:] = 1.0  # duplicates summed to >1: indicator only
        return m

    n_codes, n_tops = len(index), len(top_index)
    related = build(l_own, len(left), n_codes) @ build(r_anc, len(right), n_codes).T
    related = related + build(l_anc, len(left), n_codes) @ build(r_own, len(right), n_codes).T
    shared_top = build(l_top, len(left), n_tops) @ build(r_top, len(right), n_tops).T
    related_dense = related.toarray() > 0
    top_dense = shared_top.toarray() > 0
    return np.where(related_dense, same, np.where(top_dense, near, 0.0))


# -- relevance ----------------------------------------------------------------------------------------


def relevance_matrix(items: Sequence[ItemProfile], experts: Sequence[ExpertProfile]) -> np.ndarray:
    """Relevance of every expert to every item: shape (len(items), len(experts)), values ≥ 0."""
    if not items or not experts:
        return np.zeros((len(items), len(experts)))
    matrix, _, _ = _tfidf([i.text for i in items] + [e.text for e in experts])
    left, right = matrix[: len(items)], matrix[len(items) :]
    scores = (left @ right.T).toarray()
    scores += _code_bonus(
        [i.disciplines for i in items],
        [e.disciplines for e in experts],
        _DISCIPLINE_LEVELS,
        DISCIPLINE_SAME,
        DISCIPLINE_NEAR,
    )
    scores += _code_bonus(
        [i.industries for i in items],
        [e.industries for e in experts],
        _INDUSTRY_LEVELS,
        INDUSTRY_SAME,
        INDUSTRY_NEAR,
    )
    np.clip(scores, 0.0, None, out=scores)
    return scores


# -- explanation --------------------------------------------------------------------------------------


def _related(a: str, b: str) -> bool:
    return a.startswith(b) or b.startswith(a)


def _field_reason(item_codes, expert_codes, top_len: int, names: dict[str, str], same_label, near_label):
    same = sorted(
        {min(a, b, key=len) for a in item_codes for b in expert_codes if a and b and _related(a, b)}
    )
    if same:
        return same_label % {"names": "、".join(names.get(c, c) for c in same[:3])}
    near = sorted(
        {a[:top_len] for a in item_codes for b in expert_codes if a and b and a[:top_len] == b[:top_len]}
    )
    if near:
        return near_label % {"names": "、".join(names.get(c, c) for c in near[:3])}
    return ""


# Words too general to be a reason on their own (they still count, weakly, in the similarity),
# among them the kinds of organisation ("寻求高校院所合作" says who is asked, not what about).
GENERIC = frozenset(
    "技术 开发 设备 系统 方法 应用 工艺 问题 攻关 合作 研究 产品 生产 企业 项目 提高 降低 关键 需求 方案 新型 制造 大型"
    " 高校 院所 高校院所 科研院所 高等院校 大学 学院 研究院 研究所 单位 机构 公司 企事业".split()
)
# The demo data's marker (“（演示数据）” after a sample's text) is no content: it is taken out of
# every text before matching, so it neither counts in the similarity nor becomes a reason.
_SAMPLE_MARK = re.compile(r"[（(]?\s*演示数据\s*[）)]?")
_SEPARATORS = re.compile(r"[\s,，、;；。.:：/（）()\[\]【】]+")


def _shared_keywords(item: ItemProfile, expert: ExpertProfile, limit: int = 3) -> list[str]:
    """What the two texts share, readably: first the expert's own phrases (keywords are short
    pieces between separators) found verbatim in the item, then shared analyzer terms."""
    from zhouqiao.search.analysis import normalise

    item_text = normalise(_SAMPLE_MARK.sub(" ", item.text))
    candidates: list[str] = []
    for piece in _SEPARATORS.split(normalise(_SAMPLE_MARK.sub(" ", expert.text))):
        if 2 <= len(piece) <= 12 and piece in item_text and piece not in candidates and piece not in GENERIC:
            candidates.append(piece)
    item_terms = set(_terms(item.text))
    shared = [
        t for t in dict.fromkeys(_terms(expert.text)) if t in item_terms and len(t) > 1 and t not in GENERIC
    ]
    shared.sort(key=lambda t: -len(t))  # 碳化硅 before 硅
    chosen: list[str] = []
    candidates.sort(key=lambda t: -len(t))  # the expert's longest phrase first
    for term in [*candidates, *shared]:
        if any(term in c for c in chosen):  # 功率 adds nothing beside 功率器件
            continue
        chosen.append(term)
        if len(chosen) == limit:
            break
    return chosen


def explain(item: ItemProfile, expert: ExpertProfile) -> str:
    """Why this expert fits this item, in Chinese: "学科相同：机械工程；关键词：碳化硅、功率器件"."""
    from django.utils.translation import gettext as _

    from zhouqiao.core.models import Discipline, Industry

    d_codes = {c for a in item.disciplines for c in (a, a[:3])} | {
        c for b in expert.disciplines for c in (b, b[:3])
    }
    i_codes = {c for a in item.industries for c in (a, a[:2])} | {
        c for b in expert.industries for c in (b, b[:2])
    }
    d_names = dict(Discipline.objects.filter(code__in=d_codes).values_list("code", "name")) if d_codes else {}
    i_names = dict(Industry.objects.filter(code__in=i_codes).values_list("code", "name")) if i_codes else {}
    parts = [
        _field_reason(
            item.disciplines,
            expert.disciplines,
            3,
            d_names,
            _("学科相同：%(names)s"),
            _("学科相近：%(names)s"),
        ),
        _field_reason(
            item.industries, expert.industries, 2, i_names, _("行业相同：%(names)s"), _("行业相近：%(names)s")
        ),
    ]
    words = _shared_keywords(item, expert)
    if words:
        parts.append(_("关键词：%(words)s") % {"words": "、".join(words)})
    parts = [p for p in parts if p]
    return "；".join(parts) if parts else _("研究方向相近")


# -- the query staff and enterprises use --------------------------------------------------------------


def experts_for(item: ItemProfile, *, limit: int = 10, exclude_ids: Iterable[int] = ()):
    """Approved, available experts who fit ``item``, best first: ``[(expert, score, reason)]``.

    Experts with no relevance at all (score 0) are left out.
    """
    from zhouqiao.community.models import Expert, ExpertStatus

    candidates = Expert.objects.filter(status=ExpertStatus.APPROVED, available=True).exclude(
        pk__in=list(exclude_ids)
    )
    profiles = expert_profiles(candidates)
    if not profiles:
        return []
    scores = relevance_matrix([item], profiles)[0]
    order = [i for i in np.argsort(-scores, kind="stable")[:limit] if scores[i] > 0]
    chosen = [profiles[i] for i in order]
    rows = Expert.objects.select_related("organisation").in_bulk([p.id for p in chosen])
    return [(rows[p.id], float(scores[i]), explain(item, p)) for i, p in zip(order, chosen, strict=True)]


def demands_for_expert(expert, *, limit: int = 5):
    """The other way round: published demands an expert could help with, best first, as
    ``[(search document, score, reason)]``. Candidates come from the search index (which holds
    what an anonymous visitor may read, so no reason quotes confidential text) and are re-scored
    with :func:`relevance_matrix`."""
    from zhouqiao.search import indexing
    from zhouqiao.search.models import DocumentKind, SearchDocument

    [profile] = expert_profiles([expert])
    if not profile.text.strip():
        return []
    hits = indexing.ranker(rescoring=False).similar(profile.text, limit=200)
    docs = list(SearchDocument.objects.filter(pk__in=[pk for pk, _ in hits], kind=DocumentKind.DEMAND))
    if not docs:
        return []
    items = [
        ItemProfile(
            text=" ".join([d.title, d.text, d.keywords]),
            industries=frozenset([d.industry_code]) if d.industry_code else frozenset(),
            disciplines=frozenset([d.discipline_code]) if d.discipline_code else frozenset(),
        )
        for d in docs
    ]
    scores = relevance_matrix(items, [profile])[:, 0]
    order = [i for i in np.argsort(-scores, kind="stable")[:limit] if scores[i] > 0]
    return [(docs[i], float(scores[i]), explain(items[i], profile)) for i in order]
