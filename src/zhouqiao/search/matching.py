"""Two-way matching with reasons (精准对接, 004#17): for a demand the achievements and the
institutions that hold them; for an achievement the demands and their enterprises.

Score = text relevance (the "more like this" ranking, with the e5 signal when the ``semantic``
extra is installed, rescaled to 0–1) + taxonomy overlap (industry, IPC, discipline) + readiness
fit + region proximity (same county > city > province > elsewhere) + transfer-mode compatibility
+ price vs. budget. Both sides are read from the index, which holds public views only, so no
reason can quote confidential text. The expert registry does not exist yet (community app), so
experts are not matched.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from zhouqiao.search import embeddings, indexing
from zhouqiao.search.models import DocumentKind, SearchDocument

WEIGHTS = {"text": 0.5, "industry": 0.15, "region": 0.1, "mode": 0.1, "price": 0.1, "readiness": 0.05}
MIN_READINESS_FOR_DEMANDS = 6  # a demand asks for something usable: pilot scale or later (TRL ≥ 6)


@dataclass
class Match:
    document: SearchDocument
    score: float
    reasons: list[str]

    @property
    def reason(self) -> str:
        return "；".join(self.reasons)


def _region_score(a: str, b: str) -> tuple[float, str]:
    if not a or not b:
        return 0.0, ""
    if a == b:
        return 1.0, _("同一县（区）")
    if a[:4] == b[:4]:
        return 0.7, _("同一城市")
    if a[:2] == b[:2]:
        return 0.4, _("同一省份")
    return 0.0, ""


def _modes(value: str) -> set[str]:
    return {m for m in value.split(",") if m}


def match(kind: str, object_id: int, limit: int = 10) -> list[Match]:
    source = SearchDocument.objects.filter(kind=kind, object_id=object_id).first()
    if source is None:
        return []
    target = DocumentKind.DEMAND if kind == DocumentKind.ACHIEVEMENT else DocumentKind.ACHIEVEMENT
    ranker = indexing.ranker()
    terms = (source.title_terms + " " + source.terms).split()
    hits = ranker.similar(
        source.title + "\n" + source.text,
        limit=200,
        exclude={source.pk},
        terms=terms,
        # Only a fitted model re-ranks; without one the vector would go unused.
        vector=embeddings.document_vector(source) if ranker.embeddings and ranker.model else None,
    )
    docs = SearchDocument.objects.in_bulk([pk for pk, _ in hits])
    candidates = [(docs[pk], s) for pk, s in hits if pk in docs and docs[pk].kind == target]
    if not candidates:
        return []
    top, bottom = max(s for _, s in candidates), min(s for _, s in candidates)
    source_terms = set(terms)
    out = []
    for doc, s in candidates:
        reasons, score = [], WEIGHTS["text"] * ((s - bottom) / (top - bottom) if top > bottom else 1.0)
        common = [
            t
            for t in dict.fromkeys((doc.title_terms + " " + doc.terms).split())
            if t in source_terms and len(t) > 1
        ]
        keywords = [
            k for k in doc.keywords.split("、") if k and k in source.title + source.text + source.keywords
        ]
        shown = (keywords or common)[:4]
        if shown:
            reasons.append(_("共同关键词：%(words)s") % {"words": "、".join(shown)})
        if source.industry_code and doc.industry_code:
            if source.industry_code == doc.industry_code:
                score += WEIGHTS["industry"]
                reasons.append(_("行业相同"))
            elif source.industry_code[:2] == doc.industry_code[:2]:
                score += WEIGHTS["industry"] / 2
                reasons.append(_("同属一个行业大类"))
        if source.patent_class and doc.patent_class and source.patent_class[:4] == doc.patent_class[:4]:
            score += WEIGHTS["industry"] / 2
            reasons.append(_("IPC 分类相同"))
        r, label = _region_score(source.region_code, doc.region_code)
        if label:
            score += WEIGHTS["region"] * r
            reasons.append(label)
        shared_modes = _modes(source.modes) & _modes(doc.modes)
        if shared_modes:
            score += WEIGHTS["mode"]
            reasons.append(_("转化方式相符"))
        achievement, demand = (source, doc) if kind == DocumentKind.ACHIEVEMENT else (doc, source)
        if achievement.readiness and achievement.readiness >= MIN_READINESS_FOR_DEMANDS:
            score += WEIGHTS["readiness"]
            reasons.append(_("成熟度 %(n)d 级满足需求") % {"n": achievement.readiness})
        if demand.price_max is not None and achievement.price_min is not None:
            if achievement.price_min <= demand.price_max:
                score += WEIGHTS["price"]
                reasons.append(_("价格在预算之内"))
        out.append(Match(doc, round(score, 4), reasons))
    out.sort(key=lambda m: -m.score)
    return out[:limit]


@dataclass
class MatchedOrganisation:
    org_id: int
    name: str
    records: int
    best: Match


def organisations(matches: list[Match]) -> list[MatchedOrganisation]:
    """The institutions (for a demand) or enterprises (for an achievement) behind the matched
    records, best first: who to contact, not only what."""
    by_org: dict[int, MatchedOrganisation] = {}
    for m in matches:
        org_id = m.document.org_id
        if org_id is None:
            continue
        if org_id in by_org:
            by_org[org_id].records += 1
        else:
            by_org[org_id] = MatchedOrganisation(org_id, m.document.org_name, 1, m)
    return list(by_org.values())
