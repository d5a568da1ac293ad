"""Two-way matching for one-to-one meetings: who should meet whom, with what score, about what.

A participant is an approved registration with an organisation (one per organisation: its first
approved registration speaks for it). Each side's interest in the other is the highest level it
marked on the other's achievements, demands or on the organisation itself (1 感兴趣, 2 非常希望洽谈).

    score = 10 × (level of A in B + level of B in A) + region proximity (3 same county,
            2 same city, 1 same province)

so a mutual pair (both levels ≥ 1) scores at least 20; the scheduler then holds as many mutual
pairs as it can before anything else (``scheduler.schedule``). The subject of a meeting is the
achievement or demand the stronger interest named (first side's first), for the negotiation a
meeting may open afterwards.
"""

from dataclasses import dataclass

from django.db.models import Q

from zhouqiao.community.events import scheduler
from zhouqiao.community.events.models import Event, Interest, Meeting, Registration
from zhouqiao.community.events.states import RegistrationStatus

LEVEL_WEIGHT = 10


def _proximity(a: str, b: str) -> int:
    if not a or not b:
        return 0
    if a == b:
        return 3
    if a[:4] == b[:4]:
        return 2
    if a[:2] == b[:2]:
        return 1
    return 0


def participants(event: Event) -> dict[int, Registration]:
    """organisation id → the registration that speaks for it."""
    found: dict[int, Registration] = {}
    for registration in (
        Registration.objects.select_related("organisation")
        .filter(event=event, status=RegistrationStatus.APPROVED, organisation__isnull=False)
        .order_by("pk")
    ):
        found.setdefault(registration.organisation_id, registration)
    return found


def participant_orgs(event: Event) -> set[int]:
    return set(
        Registration.objects.filter(
            event=event, status=RegistrationStatus.APPROVED, organisation__isnull=False
        ).values_list("organisation_id", flat=True)
    )


@dataclass
class Proposal:
    first: Registration
    second: Registration
    score: int
    mutual: bool
    achievement_id: int | None
    demand_id: int | None


def proposals(event: Event) -> list[Proposal]:
    """Every pair where at least one side marked interest in the other."""
    people = participants(event)
    wants: dict[tuple[int, int], tuple[int, Interest]] = {}  # (from org, to org) → (level, interest)
    for interest in Interest.objects.filter(registration__event=event).select_related("registration"):
        source = interest.registration.organisation_id
        if source not in people or interest.target_id not in people or source == interest.target_id:
            continue
        key = (source, interest.target_id)
        if key not in wants or interest.level > wants[key][0]:
            wants[key] = (interest.level, interest)
    pairs: dict[tuple[int, int], Proposal] = {}
    for source, target in wants:
        a, b = sorted((source, target), key=lambda o: people[o].pk)
        if (a, b) in pairs:
            continue
        la, ia = wants.get((a, b), (0, None))
        lb, ib = wants.get((b, a), (0, None))
        subject = max(
            (x for x in ((la, ia), (lb, ib)) if x[1] is not None and (x[1].achievement_id or x[1].demand_id)),
            key=lambda x: x[0],
            default=(0, None),
        )[1]
        first, second = people[a], people[b]
        pairs[(a, b)] = Proposal(
            first=first,
            second=second,
            score=LEVEL_WEIGHT * (la + lb)
            + _proximity(first.organisation.region_id, second.organisation.region_id),
            mutual=la > 0 and lb > 0,
            achievement_id=subject.achievement_id if subject else None,
            demand_id=subject.demand_id if subject and not subject.achievement_id else None,
        )
    return sorted(pairs.values(), key=lambda p: (p.first.pk, p.second.pk))


def solve(event: Event, found: list[Proposal]) -> scheduler.Schedule:
    candidates = [scheduler.Candidate(p.first.pk, p.second.pk, p.score, p.mutual) for p in found]
    availability = {}
    for p in found:
        for r in (p.first, p.second):
            if r.availability:
                availability[r.pk] = r.available_slots()
    return scheduler.schedule(
        candidates, slots=event.slot_count, tables=event.tables, availability=availability
    )


def fingerprint(event: Event, found: list[Proposal]) -> tuple:
    """What the solve depended on: the pairs, their scores and subjects, each side's availability
    and the event's slots and tables."""
    return (
        event.slot_count,
        event.tables,
        tuple(
            (
                p.first.pk,
                p.second.pk,
                p.score,
                p.mutual,
                p.achievement_id,
                p.demand_id,
                tuple(p.first.availability or ()),
                tuple(p.second.availability or ()),
            )
            for p in found
        ),
    )


def plan(event: Event) -> tuple[list[Proposal], scheduler.Schedule]:
    """Read the proposals and solve (no lock held: the solve may take seconds on a large fair)."""
    found = proposals(event)
    for p in found:  # available_slots reads the event's slot count
        p.first.event = p.second.event = event
    return found, solve(event, found)


def write_schedule(event: Event, found: list[Proposal], result: scheduler.Schedule) -> list[Meeting]:
    """Replace the event's (unpublished) meetings with the solved schedule (inside the caller's
    transaction, under the event's lock)."""
    Meeting.objects.filter(event=event).delete()
    rows = []
    for placement in result.placements:
        p = found[placement.candidate]
        rows.append(
            Meeting(
                event=event,
                first=p.first,
                second=p.second,
                slot=placement.slot,
                table=placement.table,
                score=p.score,
                mutual=p.mutual,
                achievement_id=p.achievement_id,
                demand_id=p.demand_id,
            )
        )
    return Meeting.objects.bulk_create(rows)


def personal_schedule(event: Event, registration: Registration) -> list[dict]:
    """One participant's meetings in slot order, with the slot's times and the other side."""
    times = event.slot_times()
    rows = []
    for m in (
        Meeting.objects.filter(event=event)
        .filter(Q(first=registration) | Q(second=registration))
        .select_related("first__organisation", "second__organisation", "achievement", "demand", "negotiation")
        .order_by("slot")
    ):
        start, end = times[m.slot] if m.slot < len(times) else (None, None)
        rows.append({"meeting": m, "other": m.other(registration), "start": start, "end": end})
    return rows
