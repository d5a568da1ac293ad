"""Saved searches and demand subscriptions: a newly published record that matches puts a message in
the owner's inbox (``notifications.services.notify``; by e-mail too for those who opted in to the
kind, sent after commit).

Only records that have just become public are checked (``indexing.index_record(announce=True)``),
never edits, and a saved search is told about one record once (the inbox's one-message-per-key
constraint, keyed per saved search and record), so a task that runs twice notifies nobody twice.
"""

from django.utils.translation import gettext as _

from zhouqiao.notifications.services import notify
from zhouqiao.search import matching, todos
from zhouqiao.search.analysis import get_analyzer
from zhouqiao.search.models import DocumentKind, SavedSearch, SearchDocument

# A new achievement is worth telling a demand's subscriber about when its matching score for that
# demand (matching.match, 0–1: half text relevance among the candidates, half industry, IPC,
# region, transfer mode, price vs. budget and readiness fit) is at least this — i.e. it is the
# closest text or nearly so AND fits in most practical respects — and it holds at least one of
# the demand's keywords (or, for a demand without keywords, half its title's terms), since the
# text half is relative and would otherwise reward the best of poor candidates.
SUBSCRIPTION_THRESHOLD = 0.6
MATCH_CANDIDATES = 200


def matches(saved: SavedSearch, doc: SearchDocument) -> bool:
    """A query saved search matches a document holding every term of the query."""
    if saved.kind and saved.kind != doc.kind:
        return False
    wanted = set(get_analyzer().terms(saved.query))
    if not wanted:
        return False
    held = set((doc.title_terms + " " + doc.terms).split())
    return wanted <= held


def shared_keywords(demand: SearchDocument, achievement: SearchDocument) -> list[str]:
    analyzer = get_analyzer()
    held = set((achievement.title_terms + " " + achievement.terms).split())
    keywords = [k for k in demand.keywords.split("、") if k.strip()]
    if keywords:
        return [k for k in keywords if (terms := set(analyzer.terms(k))) and terms <= held]
    title = set(analyzer.terms(demand.title))
    return sorted(title & held) if title and len(title & held) * 2 >= len(title) else []


def well_matched(match: matching.Match, achievement: SearchDocument) -> bool:
    """See SUBSCRIPTION_THRESHOLD."""
    return match.score >= SUBSCRIPTION_THRESHOLD and bool(shared_keywords(match.document, achievement))


def _notify(saved: SavedSearch, doc: SearchDocument, message: str, kind: str) -> bool:
    return bool(
        notify(
            [saved.user],
            kind=kind,
            title=message,
            url=doc.get_absolute_url() or "",
            key=todos.alert_key(saved.pk, doc.kind, doc.object_id),
            now=doc.indexed_at,
        )
    )


def notify_new_document(doc: SearchDocument) -> int:
    """Notify every saved search and demand subscription that ``doc`` (just published) matches."""
    created = 0
    for saved in SavedSearch.objects.filter(demand_id__isnull=True).exclude(query="").select_related("user"):
        if matches(saved, doc):
            message = _("「%(name)s」有新的匹配：%(title)s") % {"name": saved.name, "title": doc.title}
            created += _notify(saved, doc, message, todos.ALERT)
    if doc.kind != DocumentKind.ACHIEVEMENT:
        return created
    subscriptions = list(SavedSearch.objects.filter(demand_id__isnull=False).select_related("user"))
    if not subscriptions:
        return created
    found = {
        m.document.object_id: m
        for m in matching.match(DocumentKind.ACHIEVEMENT, doc.object_id, limit=MATCH_CANDIDATES)
        if m.document.kind == DocumentKind.DEMAND
    }
    for saved in subscriptions:
        m = found.get(saved.demand_id)
        if m is None or not well_matched(m, doc):
            continue
        message = _("您订阅的需求「%(demand)s」有新的匹配成果：%(title)s（%(reason)s）") % {
            "demand": m.document.title,
            "title": doc.title,
            "reason": m.reason,
        }
        created += _notify(saved, doc, message, todos.DEMAND_MATCH)
    return created
