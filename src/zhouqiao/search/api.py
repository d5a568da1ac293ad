"""GET /api/v1/search — the portal search as JSON (public index only)."""

from ninja import Router

from zhouqiao.search import matching, queries
from zhouqiao.search.views import _int, filters_from

router = Router(tags=["search"])


def _doc(d, snippet=""):
    return {
        "kind": d.kind,
        "id": d.object_id,
        "title": d.title,
        "snippet": str(snippet),
        "organisation": d.org_name,
        "region_code": d.region_code,
        "readiness": d.readiness,
        "price_band": d.price_band,
        "published_at": d.published_at.isoformat() if d.published_at else None,
    }


@router.get("", summary="全文检索（成果、需求、机构）")
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
