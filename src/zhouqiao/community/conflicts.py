"""Conflicts of interest (回避): who must not review whom.

An expert must not review an application or proposal (a :class:`Party`) when

1. the expert's own organisation is one of the party's organisations (同一法人单位 — NSFC
   Regulations 2024 Art. 20(3));
2. the expert declared one of the party's organisations as a conflict (``ExpertConflict.organisation``);
3. the expert declared one of the party's team members as a conflict (``ExpertConflict.person_name``,
   compared after NFKC folding and stripping);
4. the expert's organisation worked with one of the party's organisations on or after
   ``now - N years``: a technology contract, a market deal, a joint application or proposal.

``N`` is the setting ``ZHOUQIAO_CONFLICT_YEARS`` (default 3, as government procurement's Art. 16;
no Jilin text was found, so it is a setting, not a constant — see research/review-and-challenges.md).

Collaborations come from a registry: any app registers a function with :func:`collaboration_source`
that yields the organisation pairs it knows about. ``community`` registers technology contracts and
market deals below; ``programs`` registers joint applications and proposals. A source module is
imported when Django loads the app (``models.py``), or lives in ``<app>/collaborations.py``, which
:func:`sources` imports on first use.

Decisions where the texts are silent (documented here, tested in tests/community/test_conflicts.py):

* A technology contract counts from the moment it leaves draft (submitted, returned, registered,
  refused or reversed), dated by its signing date (``signed_on``): a draft only its author has seen
  is no evidence of anything, while a refused registration still means the parties signed a contract.
* A market deal counts from ``agreed_at``, whatever its source (negotiation, listing, auction).
* The expert's own name in the party's team is not a separate rule: names are not unique (王伟), and
  a team member's organisation is in the party already.
"""

from __future__ import annotations

import datetime as dt
import threading
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

__all__ = [
    "ConflictIndex",
    "Party",
    "collaboration_source",
    "conflict_years",
    "normalise_name",
    "sources",
]


def normalise_name(name: str) -> str:
    """A person's name as conflicts compare it: NFKC-folded, without spaces."""
    return "".join(unicodedata.normalize("NFKC", name or "").split())


@dataclass(frozen=True)
class Party:
    """Who is behind an application or proposal."""

    organisation_ids: frozenset[int]  # lead + every partner / co-applicant organisation
    people: frozenset[str] = frozenset()  # team members' names (normalised with normalise_name)

    @classmethod
    def of(cls, organisation_ids: Iterable[int], people: Iterable[str] = ()) -> Party:
        """A party from loose values: ids de-duplicated, names normalised, blanks dropped."""
        return cls(
            organisation_ids=frozenset(int(pk) for pk in organisation_ids if pk is not None),
            people=frozenset(n for n in (normalise_name(p) for p in people) if n),
        )


# -- the registry of collaboration sources ----------------------------------------------------------


@dataclass(frozen=True)
class _Source:
    fn: Callable[[set[int], dt.datetime], Iterable[tuple[int, int]]]
    label: object  # str or lazy str


_sources: dict[str, _Source] = {}
_discovered = False
_discover_lock = threading.Lock()


def collaboration_source(fn=None, *, label: str | None = None):
    """Register ``fn(organisation_ids: set[int], since: datetime) -> iterable of (org_a, org_b)``.

    ``fn`` yields the pairs of organisations that worked together on or after ``since`` where at
    least one of the pair is in ``organisation_ids`` (it may yield more; extra pairs are ignored).
    ``label`` names the kind of collaboration in the Chinese reason (技术合同, 联合申报 …); it
    defaults to ``fn.label`` or 合作. Use as ``@collaboration_source`` or
    ``@collaboration_source(label=_("联合申报"))``. Registering the same function twice is harmless.
    """

    def register(func):
        key = f"{func.__module__}.{func.__qualname__}"
        _sources[key] = _Source(fn=func, label=label or getattr(func, "label", None) or _l("合作"))
        return func

    if fn is None:
        return register
    return register(fn)


def sources() -> list[_Source]:
    global _discovered
    if not _discovered:
        with _discover_lock:
            if not _discovered:
                autodiscover_modules("collaborations")
                _discovered = True
    return list(_sources.values())


def conflict_years() -> int:
    return int(getattr(settings, "ZHOUQIAO_CONFLICT_YEARS", 3))


def _years_before(moment: dt.datetime, years: int) -> dt.datetime:
    try:
        return moment.replace(year=moment.year - years)
    except ValueError:  # 29 February
        return moment.replace(year=moment.year - years, day=28)


# -- community's own sources -----------------------------------------------------------------------


def _chunks(ids: set[int], size: int = 2000):
    ordered = sorted(ids)
    for start in range(0, len(ordered), size):
        yield ordered[start : start + size]


def _contract_pairs(organisation_ids: set[int], since: dt.datetime):
    from django.db.models import Q

    from zhouqiao.contracts.models import Contract
    from zhouqiao.contracts.states import ContractStatus

    for chunk in _chunks(organisation_ids):
        yield from (
            Contract.objects.filter(Q(seller_id__in=chunk) | Q(buyer_id__in=chunk))
            .exclude(status=ContractStatus.DRAFT)
            .filter(signed_on__gte=timezone.localdate(since))
            .values_list("seller_id", "buyer_id")
        )


collaboration_source(_contract_pairs, label=_l("技术合同"))


def _deal_pairs(organisation_ids: set[int], since: dt.datetime):
    from django.db.models import Q

    from zhouqiao.market.models import Deal

    for chunk in _chunks(organisation_ids):
        yield from (
            Deal.objects.filter(Q(seller_id__in=chunk) | Q(buyer_id__in=chunk))
            .filter(agreed_at__gte=since)
            .values_list("seller_id", "buyer_id")
        )


collaboration_source(_deal_pairs, label=_l("技术交易"))


# -- the index ---------------------------------------------------------------------------------------


class ConflictIndex:
    """Everything needed to decide conflicts for a set of experts, loaded once.

    ``build`` costs a fixed number of queries (experts, declared conflicts, one per collaboration
    source); ``reason`` then runs in memory, so an assignment over thousands of pairs stays cheap.
    """

    def __init__(self, *, organisation_of, declared_orgs, declared_people, partners, years):
        self._organisation_of: dict[int, int] = organisation_of
        self._declared_orgs: dict[int, set[int]] = declared_orgs
        self._declared_people: dict[int, set[str]] = declared_people
        self._partners: dict[int, dict[int, str]] = partners  # org -> {partner org: label}
        self.years = years

    @classmethod
    def build(cls, experts, *, now) -> ConflictIndex:
        from zhouqiao.community.models import Expert, ExpertConflict

        if hasattr(experts, "values_list") and getattr(experts, "model", None) is Expert:
            organisation_of = dict(experts.values_list("pk", "organisation_id"))
        else:
            organisation_of = {e.pk: e.organisation_id for e in experts}
        declared_orgs: dict[int, set[int]] = defaultdict(set)
        declared_people: dict[int, set[str]] = defaultdict(set)
        ids = list(organisation_of)
        for start in range(0, len(ids), 900):  # SQLite's variable limit
            rows = ExpertConflict.objects.filter(expert_id__in=ids[start : start + 900]).values_list(
                "expert_id", "organisation_id", "person_name"
            )
            for expert_id, org_id, person in rows:
                if org_id is not None:
                    declared_orgs[expert_id].add(org_id)
                name = normalise_name(person)
                if name:
                    declared_people[expert_id].add(name)

        years = conflict_years()
        since = _years_before(now, years)
        own = set(organisation_of.values())
        partners: dict[int, dict[int, str]] = defaultdict(dict)
        if own:
            for source in sources():
                for a, b in source.fn(set(own), since):
                    if a is None or b is None or a == b:
                        continue
                    if a in own:
                        partners[a].setdefault(b, source.label)
                    if b in own:
                        partners[b].setdefault(a, source.label)
        return cls(
            organisation_of=organisation_of,
            declared_orgs=dict(declared_orgs),
            declared_people=dict(declared_people),
            partners=dict(partners),
            years=years,
        )

    def reason(self, expert_id: int, party: Party) -> str | None:
        """Why the expert must not review this party (Chinese), or None when they may."""
        org = self._organisation_of.get(expert_id)
        if org is None:
            raise KeyError(expert_id)
        orgs = party.organisation_ids
        if org in orgs:
            return _("本人所在单位为申报单位")
        if self._declared_orgs.get(expert_id, set()) & orgs:
            return _("申报单位为本人申报的回避单位")
        if party.people:
            people = self._declared_people.get(expert_id)
            if people and people & party.people:
                return _("申报团队成员为本人申报的回避人员")
        partners = self._partners.get(org)
        if partners:
            for other in sorted(orgs):
                label = partners.get(other)
                if label:
                    return _("近%(years)s年与申报单位有合作（%(kind)s）") % {
                        "years": self.years,
                        "kind": label,
                    }
        return None

    def allows(self, expert_id: int, party: Party) -> bool:
        return self.reason(expert_id, party) is None
