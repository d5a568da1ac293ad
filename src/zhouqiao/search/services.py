"""Writes about saved searches, demand subscriptions and the synonym list:
keyword-only arguments, ``actor`` and ``now``; one durable transaction with its audit record."""

from django.db import transaction
from django.utils.translation import gettext as _

from zhouqiao.accounts import scope
from zhouqiao.accounts.models import Duty
from zhouqiao.core import audit
from zhouqiao.core.errors import NotFound, PermissionDenied, ValidationFailed
from zhouqiao.core.locking import lock
from zhouqiao.search import analysis
from zhouqiao.search.models import DocumentKind, SavedSearch, Synonym

# Who keeps the synonym list: the provincial S&T bureau's reviewers and system administrators.
SYNONYM_DUTIES = (Duty.REVIEWER, Duty.SYSTEM_ADMIN)
MAX_SYNONYM_TERM = 50


def _invalid(field: str, message) -> ValidationFailed:
    return ValidationFailed(message, detail={field: [str(message)]})


def _signed_in(actor) -> None:
    if not getattr(actor, "is_authenticated", False):
        raise PermissionDenied(_("请先登录。"), code="unauthenticated", status=401)


def _saved_snapshot(saved: SavedSearch) -> dict:
    return audit.snapshot(saved, ["name", "query", "kind", "demand_id"])


# --- saved searches and demand subscriptions ---------------------------------------------------


@transaction.atomic(durable=True)
def save_search(*, actor, name: str, query: str, kind: str = "", now) -> SavedSearch:
    """Keep a query (and optionally a record kind); new published records that hold every term
    of the query notify the user."""
    _signed_in(actor)
    name, query, kind = (name or "").strip(), (query or "").strip(), (kind or "").strip()
    if not query or not analysis.get_analyzer().terms(query):
        raise _invalid("query", _("请先输入有意义的检索词再保存。"))
    if len(query) > 200:
        raise _invalid("query", _("检索词不能超过 200 字。"))
    if kind and kind not in DocumentKind.values:
        raise _invalid("kind", _("类型不正确。"))
    name = name or query
    if len(name) > 100:
        raise _invalid("name", _("名称不能超过 100 字。"))
    saved = SavedSearch.objects.create(user=actor, name=name, query=query, kind=kind, created_at=now)
    audit.record(
        "saved_search.create",
        actor=actor,
        target=saved,
        after=_saved_snapshot(saved),
        region_code=scope.home_region_code(actor),
        now=now,
    )
    return saved


@transaction.atomic(durable=True)
def subscribe_demand(*, actor, demand_id: int, now) -> SavedSearch:
    """A member of the demand's organisation subscribes it: new published achievements that match
    it well (alerts.SUBSCRIPTION_THRESHOLD) notify them. Matching reads the public index, so a
    subscription waits while its demand is unpublished or shown to invited organisations only."""
    from zhouqiao.catalog.models import Demand

    _signed_in(actor)
    demand = Demand.objects.select_related("owner").filter(pk=demand_id).first()
    if demand is None or not scope.is_member(actor, demand.owner):
        raise NotFound(_("记录不存在或您无权查看。"))
    if SavedSearch.objects.filter(user=actor, demand_id=demand.pk).exists():
        raise ValidationFailed(_("您已订阅该需求的匹配成果。"), code="already_subscribed")
    saved = SavedSearch.objects.create(
        user=actor,
        name=demand.title[:100],
        kind=DocumentKind.ACHIEVEMENT,
        demand_id=demand.pk,
        created_at=now,
    )
    audit.record(
        "saved_search.create",
        actor=actor,
        target=saved,
        after=_saved_snapshot(saved),
        region_code=demand.region_id,
        now=now,
    )
    return saved


@transaction.atomic(durable=True)
def delete_saved_search(*, actor, saved_search_id: int, now) -> None:
    """The owner deletes a saved search or subscription; for anyone else it does not exist."""
    _signed_in(actor)
    saved = SavedSearch.objects.filter(pk=saved_search_id, user=actor).first()
    if saved is None:
        raise NotFound(_("记录不存在或您无权查看。"))
    before = _saved_snapshot(saved)
    audit.record(
        "saved_search.delete",
        actor=actor,
        target=saved,
        before=before,
        region_code=scope.home_region_code(actor),
        now=now,
    )
    saved.delete()


# --- synonyms -----------------------------------------------------------------------------------


def may_edit_synonyms(user) -> bool:
    """Province-level staff (a jurisdiction prefix of two digits) with a content duty."""
    return any(len(prefix) == 2 for duty in SYNONYM_DUTIES for prefix in scope.prefixes(user, duty))


def _province_code(user) -> str:
    prefixes = sorted(p for duty in SYNONYM_DUTIES for p in scope.prefixes(user, duty) if len(p) == 2)
    return prefixes[0] + "0000" if prefixes else ""


def _check_synonym_staff(actor) -> None:
    if not may_edit_synonyms(actor):
        raise PermissionDenied(_("只有省级科技主管部门的审核员或系统管理员可以维护同义词。"))


def clean_terms(raw: str, *, exclude_pk=None) -> str:
    """``"碳纤维, CF，carbon fiber"`` → ``"碳纤维,CF,carbon fiber"``; at least two distinct terms,
    none of them already in another group (a term must fold to one canonical word)."""
    members = [t.strip() for t in (raw or "").replace("，", ",").replace("、", ",").split(",") if t.strip()]
    folded = [analysis.normalise(m) for m in members]
    if len(set(folded)) < 2:
        raise _invalid("terms", _("请至少填写两个不同的词，用逗号分隔。"))
    if len(set(folded)) != len(folded):
        raise _invalid("terms", _("同一组中有重复的词。"))
    if any(len(m) > MAX_SYNONYM_TERM for m in members):
        raise _invalid("terms", _("每个词不能超过 %(n)d 字。") % {"n": MAX_SYNONYM_TERM})
    terms = ",".join(members)
    if len(terms) > 255:
        raise _invalid("terms", _("同义词组合计不能超过 255 字。"))
    for other in Synonym.objects.exclude(pk=exclude_pk):
        clash = set(folded) & {analysis.normalise(m) for m in other.members}
        if clash:
            raise _invalid(
                "terms",
                _("「%(term)s」已在同义词组「%(group)s」中。")
                % {"term": sorted(clash)[0], "group": other.terms},
            )
    return terms


def _after_synonym_change(words: list[str]) -> None:
    """This process builds a fresh analyzer at once (others notice the changed version), and the
    documents that hold any of the words are re-segmented in a task."""
    from zhouqiao.search import tasks

    transaction.on_commit(analysis.invalidate)
    transaction.on_commit(lambda: tasks.reindex_containing.enqueue(sorted(set(words))), robust=True)


@transaction.atomic(durable=True)
def create_synonym(*, actor, terms: str, now) -> Synonym:
    _check_synonym_staff(actor)
    synonym = Synonym.objects.create(terms=clean_terms(terms))
    audit.record(
        "synonym.create",
        actor=actor,
        target=synonym,
        after={"terms": synonym.terms},
        region_code=_province_code(actor),
        now=now,
    )
    _after_synonym_change(synonym.members)
    return synonym


@transaction.atomic(durable=True)
def update_synonym(*, actor, synonym_id: int, terms: str, now) -> Synonym:
    _check_synonym_staff(actor)
    synonym = lock(Synonym.objects.all(), synonym_id)
    before = synonym.members
    synonym.terms = clean_terms(terms, exclude_pk=synonym.pk)
    synonym.save()
    audit.record(
        "synonym.update",
        actor=actor,
        target=synonym,
        before={"terms": ",".join(before)},
        after={"terms": synonym.terms},
        region_code=_province_code(actor),
        now=now,
    )
    _after_synonym_change(before + synonym.members)
    return synonym


@transaction.atomic(durable=True)
def delete_synonym(*, actor, synonym_id: int, now) -> None:
    _check_synonym_staff(actor)
    synonym = lock(Synonym.objects.all(), synonym_id)
    members = synonym.members
    audit.record(
        "synonym.delete",
        actor=actor,
        target=synonym,
        before={"terms": synonym.terms},
        region_code=_province_code(actor),
        now=now,
    )
    synonym.delete()
    _after_synonym_change(members)
