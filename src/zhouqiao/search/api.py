"""GET /api/v1/search — the portal search as JSON (public index only)."""

from ninja import Router, Schema

from zhouqiao.accounts.auth import signed_in_user
from zhouqiao.core import clock
from zhouqiao.ops.ratelimit import ratelimit
from zhouqiao.search import matching, novelty, queries
from zhouqiao.search.api_alerts import router as alerts_router
from zhouqiao.search.views import _int, filters_from

router = Router(tags=["search"])
router.add_router("", alerts_router)  # /saved… (api_alerts)


def _doc(d, snippet=""):
    return {
        "kind": d.kind,
        "id": d.object_id,
        "title": d.title,
        "url": d.get_absolute_url() or None,
        "snippet": str(snippet),
        "organisation": d.org_name,
        "region_code": d.region_code,
        "readiness": d.readiness,
        "price_band": d.price_band,
        "published_at": d.published_at.isoformat() if d.published_at else None,
    }


@router.get("", summary="全文检索（成果、需求、机构、共享仪器）")
@ratelimit("search", methods=("GET",))
def search(
    request,
    q: str = "",
    kind: str = "",
    region: str = "",
    industry: str = "",
    readiness: int | None = None,
    mode: str = "",
    price_band: str = "",
    org_kind: str = "",
    sort: str = "relevance",
    page: int = 1,
):
    result = queries.search(
        q, filters_from(request.GET), sort=sort if sort in queries.SORTS else "relevance", page=_int(page, 1)
    )
    return {
        "query": result.query,
        "total": result.total,
        "page": result.page.number,
        "pages": result.page.paginator.num_pages,
        "suggestion": result.suggestion,
        "facets": result.facets,
        "results": [_doc(d, result.snippets.get(d.pk, "")) for d in result.page.object_list],
    }


@router.get("/matches/{kind}/{pk}", summary="精准对接：带理由的匹配结果")
def matches(request, kind: str, pk: int):
    return {
        "results": [
            {**_doc(m.document), "score": m.score, "reason": m.reason} for m in matching.match(kind, pk)
        ]
    }


class NoveltyIn(Schema):
    title: str = ""
    text: str = ""
    keywords: str = ""


def _novelty(check: novelty.Check) -> dict:
    return {
        "checked_at": check.checked_at.isoformat(),
        "corpus_size": check.corpus_size,
        "conclusion": check.conclusion,
        "near_duplicates": len(check.near_duplicates),
        "results": [
            {
                "kind": r.document.kind,
                "id": r.document.object_id,
                "title": r.document.title,
                "organisation": r.document.org_name,
                "patent_number": r.document.keywords if r.document.kind == "patent" else None,
                "similarity": r.similarity,
                "text_cosine": r.cosine,
                "shingle_jaccard": r.jaccard,
                "overlap": r.overlap,
                "near_duplicate": r.near_duplicate,
            }
            for r in check.results
        ],
    }


@router.post("/novelty", summary="查重/查新：与已收录成果、需求、专利比对的相似记录")
@ratelimit("novelty", methods=None)
def novelty_text(request, payload: NoveltyIn):
    signed_in_user(request)
    subject = novelty.pasted(payload.title, payload.text, payload.keywords)
    return _novelty(novelty.check(subject, now=clock.now()))


@router.get("/novelty/{kind}/{pk}", summary="查重/查新：对已有的成果或需求（所属机构成员和工作人员）")
@ratelimit("novelty", methods=None)
def novelty_record(request, kind: str, pk: int):
    subject = novelty.record_subject(signed_in_user(request), kind, pk)
    return _novelty(novelty.check(subject, now=clock.now()))
