"""Portal search (/search/) and matches: parse → one selector → render."""

from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from zhouqiao.accounts.models import OrganisationKind
from zhouqiao.catalog.models import TransferMode
from zhouqiao.core.models import KeyIndustry
from zhouqiao.ops.ratelimit import ratelimit
from zhouqiao.search import matching, queries
from zhouqiao.search.models import DocumentKind, PriceBand


def _int(value, default=None):
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def filters_from(params) -> queries.Filters:
    return queries.Filters(
        kind=params.get("kind", "") if params.get("kind", "") in DocumentKind.values else "",
        region=params.get("region", "")[:6],
        industry=params.get("industry", "")[:4],
        key_industry=params.get("key_industry", "")[:40],
        readiness=_int(params.get("readiness")),
        mode=params.get("mode", "") if params.get("mode", "") in TransferMode.values else "",
        price_band=params.get("price_band", "") if params.get("price_band", "") in PriceBand.values else "",
        org_kind=params.get("org_kind", "") if params.get("org_kind", "") in OrganisationKind.values else "",
    )


# The kinds' labels by value, still lazy (translated when shown): ``get_kind_display`` rebuilds the
# choices for every result.
KIND_LABELS = dict(DocumentKind.choices)
FACET_KEYS = ("kind", "region", "industry", "key_industry", "readiness", "mode", "price_band", "org_kind")


@ratelimit("search", methods=("GET",))
def search_page(request):
    sort = request.GET.get("sort", "relevance")
    result = queries.search(
        request.GET.get("q", ""),
        filters_from(request.GET),
        sort=sort if sort in queries.SORTS else "relevance",
        page=_int(request.GET.get("page"), 1),
    )
    facet_titles = {
        "kind": _("类型"),
        "region": _("地区"),
        "industry": _("行业"),
        "readiness": _("成熟度（不低于）"),
        "mode": _("转化方式"),
        "price_band": _("价格/预算"),
        "org_kind": _("机构类型"),
    }
    params = request.GET.copy()
    params.pop("page", None)
    facet_links = []
    for key, rows in result.facets.items():
        links = []
        for row in rows:
            p = params.copy()
            p[key] = row["value"]
            links.append(
                {**row, "query": p.urlencode(), "active": str(request.GET.get(key, "")) == str(row["value"])}
            )
        if links:
            clear = params.copy()
            clear.pop(key, None)
            facet_links.append(
                {"key": key, "title": facet_titles[key], "rows": links, "clear": clear.urlencode()}
            )
    rows = [
        {
            "doc": d,
            "kind_label": KIND_LABELS.get(d.kind, d.kind),
            "url": d.get_absolute_url(),
            "matches_url": reverse("search:matches", args=[d.kind, d.object_id])
            if d.kind in (DocumentKind.ACHIEVEMENT, DocumentKind.DEMAND)
            else "",
            "snippet": result.snippets.get(d.pk, ""),
        }
        for d in result.page.object_list
    ]
    slug = request.GET.get("key_industry", "")
    key_industry = KeyIndustry.objects.filter(slug=slug).first() if slug else None
    if key_industry is not None:
        clear = params.copy()
        clear.pop("key_industry", None)
        key_industry = {"name": key_industry.name, "clear": clear.urlencode()}
    return render(
        request,
        "search/search.html",
        {
            "result": result,
            "page": result.page,
            "rows": rows,
            "facets": facet_links,
            "sorts": queries.SORTS,
            "key_industry": key_industry,
            "active_filters": sum(1 for key in FACET_KEYS if request.GET.get(key)),
            "sort": sort,
        },
    )


def matches_page(request, kind: str, pk: int):
    if kind not in (DocumentKind.ACHIEVEMENT, DocumentKind.DEMAND):
        raise Http404
    from zhouqiao.search.models import SearchDocument

    source = SearchDocument.objects.filter(kind=kind, object_id=pk).first()
    if source is None:
        raise Http404
    matches = matching.match(kind, pk)
    return render(
        request,
        "search/matches.html",
        {"source": source, "matches": matches, "organisations": matching.organisations(matches)},
    )
