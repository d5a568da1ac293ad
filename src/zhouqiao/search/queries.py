"""Search over the index: keywords, facets with counts, highlighted snippets, sorting, pages and
"did you mean". The index holds only public views of published records (see models), so every
result, snippet and facet count is one a stranger may see."""

from __future__ import annotations

import html
import re
import time
from collections import Counter
from dataclasses import dataclass, field

from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Q
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from zhouqiao.search import indexing
from zhouqiao.search.analysis import get_analyzer, normalise
from zhouqiao.search.backends import backend_for
from zhouqiao.search.models import DocumentKind, PriceBand, SearchDocument

MAX_MATCHES = 2000
PAGE_SIZE = 20
SORTS = {"relevance": _("相关度"), "newest": _("最新发布"), "readiness": _("成熟度")}
SNIPPET = 60


@dataclass
class Filters:
    kind: str = ""
    region: str = ""
    industry: str = ""
    key_industry: str = ""  # a KeyIndustry slug (汽车, 新材料 …): the home page's industry chips
    readiness: int | None = None
    mode: str = ""
    price_band: str = ""
    org_kind: str = ""


@dataclass
class SearchResult:
    query: str
    page: object
    total: int
    facets: dict = field(default_factory=dict)
    suggestion: str = ""
    snippets: dict = field(default_factory=dict)


def _filtered(qs, f: Filters):
    from zhouqiao.core.models import Region

    if f.kind:
        qs = qs.filter(kind=f.kind)
    if f.region:
        region = Region.objects.filter(code=f.region).first()
        prefix = region.scope_prefix if region else f.region
        qs = qs.filter(region_code__startswith=prefix)
    if f.industry:
        qs = qs.filter(industry_code__startswith=f.industry)
    if f.key_industry:
        qs = qs.filter(key_industry_q(f.key_industry))
    if f.readiness:
        qs = qs.filter(readiness__gte=f.readiness)
    if f.mode:
        qs = qs.filter(Q(modes=f.mode) | Q(modes__startswith=f.mode + ",") | Q(modes__contains="," + f.mode))
    if f.price_band:
        qs = qs.filter(price_band=f.price_band)
    if f.org_kind:
        qs = qs.filter(org_kind=f.org_kind)
    return qs


def key_industry_q(slug: str) -> Q:
    """Achievements and demands tagged with the key industry; other documents (organisations,
    instruments, patents) whose industry code lies in one of its GB/T 4754 divisions."""
    from zhouqiao.catalog.models import Achievement, Demand
    from zhouqiao.core.models import KeyIndustry

    tagged = Q(
        kind=DocumentKind.ACHIEVEMENT,
        object_id__in=Achievement.key_industries.through.objects.filter(keyindustry_id=slug).values(
            "achievement_id"
        ),
    ) | Q(
        kind=DocumentKind.DEMAND,
        object_id__in=Demand.key_industries.through.objects.filter(keyindustry_id=slug).values("demand_id"),
    )
    divisions = list(
        KeyIndustry.divisions.through.objects.filter(keyindustry_id=slug).values_list(
            "industry_id", flat=True
        )
    )
    if divisions:
        in_division = Q()
        for code in divisions:
            in_division |= Q(industry_code__startswith=code)
        tagged |= ~Q(kind__in=[DocumentKind.ACHIEVEMENT, DocumentKind.DEMAND]) & in_division
    return tagged


# The columns the facets count, fetched once for the whole (bounded) result set and counted here:
# one query instead of one GROUP BY per facet over the match list.
FACET_COLUMNS = ("kind", "region_code", "industry_code", "readiness", "modes", "price_band", "org_kind")


def _ranked(values, labels: dict | None = None, top: int | None = 30) -> list[dict]:
    """Counts of the non-empty values, most frequent first (ties by value)."""
    counts = Counter(v for v in values if v != "")
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return [
        {"value": v, "label": str((labels or {}).get(v, v)), "count": n}
        for v, n in (ranked[:top] if top else ranked)
    ]


# Region and industry names are reference data (changed only by ``load_reference``): the facets
# read them once per process and code, and again after this long, instead of two queries a search.
REFERENCE_TTL = 300  # seconds
_names_cache: dict = {"at": None, "Region": {}, "Industry": {}}


def _names(model, codes: list[str]) -> dict[str, str]:
    """``{code: name}`` of the ``model`` rows (Region or Industry) with these codes."""
    at = _names_cache["at"]
    if at is None or time.monotonic() - at > REFERENCE_TTL:
        _names_cache.update({"at": time.monotonic(), "Region": {}, "Industry": {}})
    known = _names_cache[model.__name__]
    missing = [c for c in codes if c not in known]
    if missing:
        known.update(model.objects.filter(code__in=missing).order_by().values_list("code", "name"))
    return {c: known[c] for c in codes if c in known}


def _region_facet(codes: list[str], selected: str) -> list[dict]:
    """Counts one level below the selected region (province → cities → counties)."""
    from zhouqiao.core.models import Region

    region = Region.objects.filter(code=selected).first() if selected else None
    width = 6 if region and region.level != "province" else 4
    rows = _ranked([c[:width] for c in codes if c], top=None)
    names = _names(Region, [r["value"].ljust(6, "0") for r in rows])
    for r in rows:
        code = r["value"].ljust(6, "0")
        r["value"], r["label"] = code, names.get(code, r["value"])
    return rows


def _has_mode(modes: str, value: str) -> bool:
    return modes == value or modes.startswith(value + ",") or ("," + value) in modes


def facets(rows: list[tuple], f: Filters) -> dict:
    """Facet counts over ``rows``: the result set's ``FACET_COLUMNS`` values, one tuple per document."""
    from zhouqiao.accounts.models import OrganisationKind
    from zhouqiao.catalog.models import TransferMode
    from zhouqiao.core.models import Industry

    kind, region, industry, readiness, modes, price, org_kind = (list(c) for c in zip(*rows, strict=True))
    industry_rows = _ranked([c[:2] for c in industry])
    names = _names(Industry, [r["value"] for r in industry_rows])
    for r in industry_rows:
        r["label"] = names.get(r["value"], r["value"])
    mode_counts = []
    for value, label in TransferMode.choices:
        n = sum(1 for m in modes if _has_mode(m, value))
        if n:
            mode_counts.append({"value": value, "label": str(label), "count": n})
    trl = sorted(Counter(r for r in readiness if r is not None).items())
    return {
        "kind": _ranked(kind, dict(DocumentKind.choices)),
        "region": _region_facet(region, f.region),
        "industry": industry_rows,
        "readiness": [{"value": r, "label": _("%(n)s 级") % {"n": r}, "count": n} for r, n in trl],
        "mode": mode_counts,
        "price_band": _ranked(price, dict(PriceBand.choices)),
        "org_kind": _ranked(org_kind, dict(OrganisationKind.choices)),
    }


def _in_token(c: str) -> bool:
    return c.isascii() and (c.isalnum() or c in "._-/")


def _token_start(text: str, start: int, hit: int) -> int:
    """``start`` moved off the middle of a number or Latin token ("…1207A 采用"): back to the
    token's start if it is short, else past it (never past the first hit)."""
    if not (_in_token(text[start - 1]) and _in_token(text[start])):
        return start
    back = start
    while back > 0 and start - back < 24 and _in_token(text[back - 1]):
        back -= 1
    if back == 0 or not _in_token(text[back - 1]):
        return back
    while start < hit and _in_token(text[start]):
        start += 1
    return start


def snippet(text: str, words: list[str], width: int = SNIPPET) -> str:
    """A window of the public text around the first query word, words wrapped in <mark>."""
    plain = text or ""
    low = normalise(plain)
    hits = [low.find(w) for w in words if w and low.find(w) >= 0]
    start = max(0, min(hits) - width // 3) if hits else 0
    if start:
        start = _token_start(plain, start, min(hits))
    window = plain[start : start + width]
    out = html.escape(window)
    for w in sorted({w for w in words if w}, key=len, reverse=True):
        out = re.sub(
            re.escape(html.escape(w)), lambda m: f"<mark>{m.group(0)}</mark>", out, flags=re.IGNORECASE
        )
    prefix = "…" if start else ""
    suffix = "…" if start + width < len(plain) else ""
    return mark_safe(prefix + out + suffix)  # noqa: S308 - the text is escaped above  # nosec B308 B703


def _join_public(doc) -> str:
    return f"{doc.keywords}｜{doc.text}" if doc.keywords else doc.text


# "at" is None until the first load: time.monotonic() counts from an unspecified point (often the
# machine's boot), so comparing it with 0 would keep an empty vocabulary for the first five minutes.
_vocab_cache: dict = {"at": None, "terms": []}
VOCABULARY_TTL = 300  # seconds


def _vocabulary() -> list[tuple[str, int]]:
    at = _vocab_cache["at"]
    if at is None or time.monotonic() - at > VOCABULARY_TTL:
        with connection.cursor() as cursor:
            _vocab_cache["terms"] = backend_for(connection).vocabulary(cursor)
        _vocab_cache["at"] = time.monotonic()
    return _vocab_cache["terms"]


def _distance(a: str, b: str) -> int:
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


def did_you_mean(query: str) -> str:
    """Replace each query term missing from the index by the closest indexed term (edit distance
    ≤ 1, ≤ 2 for longer words; then the same length; then the most frequent) sharing at least one
    character; "" if nothing changes."""
    terms = get_analyzer().terms(query)
    vocab = _vocabulary()
    known = {t for t, _ in vocab}
    out, changed = [], False
    for term in terms:
        if term in known:
            out.append(term)
            continue
        limit = 1 if len(term) <= 3 else 2
        best = None
        for cand, df in vocab:
            if abs(len(cand) - len(term)) > limit or not set(cand) & set(term):
                continue
            dist = _distance(term, cand)
            key = (dist, abs(len(cand) - len(term)), -df)
            if dist <= limit and (best is None or key < best[1]):
                best = (cand, key)
        if best:
            out.append(best[0])
            changed = True
        else:
            out.append(term)
    return " ".join(out) if changed else ""


def search(
    query: str,
    filters: Filters | None = None,
    *,
    sort: str = "relevance",
    page: int = 1,
    per_page: int = PAGE_SIZE,
) -> SearchResult:
    f = filters or Filters()
    query = (query or "").strip()[:200]
    qs = _filtered(SearchDocument.objects.all(), f)
    if query:
        ranker = indexing.ranker(rescoring=False)  # typed words: BM25 and n-grams, no re-score
        hits = ranker.search(query, limit=MAX_MATCHES, candidates=MAX_MATCHES)
        order = {pk: i for i, (pk, _) in enumerate(hits)}
        qs = qs.filter(pk__in=list(order))
        # In the ranker's order below: the table's default ordering would only sort them in SQL first.
        rows = list(qs.order_by().values_list("pk", *FACET_COLUMNS))
        ids = [r[0] for r in rows]
        if sort == "newest":
            ids = list(qs.order_by("-published_at", "-id").values_list("pk", flat=True))
        elif sort == "readiness":
            ids = list(qs.order_by("-readiness", "-published_at").values_list("pk", flat=True))
        else:
            ids.sort(key=order.__getitem__)
    else:
        ordering = ("-readiness", "-published_at") if sort == "readiness" else ("-published_at", "-id")
        rows = list(qs.order_by(*ordering).values_list("pk", *FACET_COLUMNS)[:MAX_MATCHES])
        ids = [r[0] for r in rows]
    paginator = Paginator(ids, per_page)
    page_obj = paginator.get_page(page)
    # Only what a result shows: the stored terms and signature stay in the database.
    docs = (
        SearchDocument.objects.defer("title_terms", "terms", "minhash")
        .order_by()
        .in_bulk(list(page_obj.object_list))
    )
    page_obj.object_list = [docs[i] for i in page_obj.object_list if i in docs]
    # The ranker's analyzer: get_analyzer() checks the synonym version with two queries each time.
    words = (
        [w for w in re.split(r"\s+", normalise(query)) if w] + ranker.analyzer.terms(query) if query else []
    )
    result = SearchResult(
        query=query,
        page=page_obj,
        total=paginator.count,
        facets=facets([r[1:] for r in rows], f) if rows else {},
        snippets={d.pk: snippet(_join_public(d), words) for d in page_obj.object_list},
    )
    if query and not ids:
        result.suggestion = did_you_mean(query)
    return result
