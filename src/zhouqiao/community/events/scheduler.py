"""One-to-one meeting scheduler for matchmaking fairs (对接会一对一洽谈排程).

A pure function of plain data (no ORM), so the product, the tests and ``bench/bench_meetings.py``
run the same code:

* candidates — proposed pairs ``(a, b)`` of participants, each with an integer match score and
  whether the interest is mutual (both sides marked the other);
* ``slots`` time slots and ``tables`` tables per slot;
* each participant's availability (the slots they can attend; everything when not given).

A meeting is a binary variable ``x[pair, slot]`` (created only where both sides are available).
Constraints: a pair meets at most once; a participant is in at most one meeting per slot (nobody
in two places at once); a slot holds at most ``tables`` meetings. The integer programme is solved
with HiGHS (``scipy.optimize.milp``). Mutual-interest pairs come first, as b2match / ExpoPlatform
fill the preferred meetings first: the objective is the total match score plus, for each mutual
meeting, a bonus larger than any one-sided pair's score, so no schedule that trades a mutual
meeting for a one-sided one can be optimal. (A strictly lexicographic two-phase solve — first the
most mutual meetings, then the best score among those — was tried first: its second phase, with a
dense "at least N mutual" row, found no feasible point within 30 s on the bench instance, while
the bonus form solves it in seconds.) If HiGHS finds no schedule within the time limit, the greedy
schedule is returned, flagged as not optimal.

Tables are then numbered within each slot (tables are interchangeable; a participant who meets at
consecutive slots keeps the table where possible). ``lp_bound`` is the LP relaxation of the
match-score programme (an upper bound on any schedule's score) and ``greedy`` the baseline
the bench compares against.
"""

from __future__ import annotations

import time
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import csr_matrix


class ScheduleInputError(ValueError):
    """Bad solver input (the service turns it into a Chinese message)."""


@dataclass(frozen=True)
class Candidate:
    a: Hashable
    b: Hashable
    score: int
    mutual: bool = False


@dataclass(frozen=True)
class Placement:
    candidate: int  # index into the candidates list
    slot: int
    table: int  # 1-based


@dataclass
class Schedule:
    placements: list[Placement]
    score: int
    mutual: int
    optimal: bool
    seconds: float
    stats: dict = field(default_factory=dict)


def _check(candidates: list[Candidate], slots: int, tables: int) -> None:
    if slots < 1 or tables < 1:
        raise ScheduleInputError("slots and tables must be positive")
    seen = set()
    for c in candidates:
        if c.a == c.b:
            raise ScheduleInputError("a participant cannot meet themselves")
        if c.score < 0:
            raise ScheduleInputError("scores are not negative")
        key = frozenset((c.a, c.b))
        if key in seen:
            raise ScheduleInputError("a pair is proposed twice")
        seen.add(key)


class _Model:
    """The variables and constraint matrix shared by the MILP and its LP relaxation."""

    def __init__(self, candidates, slots, tables, availability):
        def free(p):
            if availability is None or p not in availability:
                return set(range(slots))
            return {s for s in availability[p] if 0 <= s < slots}

        cols: list[tuple[int, int]] = []
        for i, c in enumerate(candidates):
            both = free(c.a) & free(c.b)
            cols.extend((i, s) for s in sorted(both))
        self.cols = cols
        n = len(cols)
        people: dict = {}
        rows, data, col_idx = [], [], []
        row = 0
        # each pair at most once
        pair_row = {}
        for j, (i, _s) in enumerate(cols):
            if i not in pair_row:
                pair_row[i] = row
                row += 1
            rows.append(pair_row[i])
            col_idx.append(j)
            data.append(1)
        # each participant at most once per slot
        for j, (i, s) in enumerate(cols):
            c = candidates[i]
            for p in (c.a, c.b):
                key = (p, s)
                if key not in people:
                    people[key] = row
                    row += 1
                rows.append(people[key])
                col_idx.append(j)
                data.append(1)
        # each slot at most `tables` meetings
        slot_row = {}
        for j, (_i, s) in enumerate(cols):
            if s not in slot_row:
                slot_row[s] = row
                row += 1
            rows.append(slot_row[s])
            col_idx.append(j)
            data.append(1)
        self.n_rows = row
        upper = np.ones(row)
        for r in slot_row.values():
            upper[r] = tables
        self.upper = upper
        self.matrix = csr_matrix((data, (rows, col_idx)), shape=(row, max(n, 1))) if n else None
        self.score = np.array([candidates[i].score for i, _ in cols], dtype=float)
        self.mutual = np.array([1.0 if candidates[i].mutual else 0.0 for i, _ in cols])


def _solve(model: _Model, objective, extra=None, *, integral=True, time_limit=60.0, gap=1e-4):
    n = len(model.cols)
    constraints = [LinearConstraint(model.matrix, -np.inf, model.upper)]
    if extra is not None:
        constraints.append(extra)
    result = milp(
        c=-objective,
        constraints=constraints,
        bounds=Bounds(0, 1),
        integrality=np.ones(n) if integral else np.zeros(n),
        options={"time_limit": time_limit, "mip_rel_gap": gap, "disp": False},
    )
    if result.x is None:
        return None
    return result


def _tables(candidates, chosen: list[tuple[int, int]], tables: int) -> list[Placement]:
    """Number the tables within each slot; a participant keeps the table of their previous slot
    when it is free (less walking), otherwise the lowest free table."""
    by_slot: dict[int, list[int]] = {}
    for i, s in chosen:
        by_slot.setdefault(s, []).append(i)
    last_table: dict = {}
    placements = []
    for s in sorted(by_slot):
        free = set(range(1, tables + 1))
        assigned = {}
        for i in sorted(by_slot[s], key=lambda i: (str(candidates[i].a), str(candidates[i].b))):
            c = candidates[i]
            for p in (c.a, c.b):
                t = last_table.get(p)
                if t in free:
                    assigned[i] = t
                    free.discard(t)
                    break
        for i in sorted(by_slot[s], key=lambda i: (str(candidates[i].a), str(candidates[i].b))):
            if i not in assigned:
                t = min(free)
                free.discard(t)
                assigned[i] = t
        for i, t in assigned.items():
            c = candidates[i]
            last_table[c.a] = last_table[c.b] = t
            placements.append(Placement(candidate=i, slot=s, table=t))
    placements.sort(key=lambda p: (p.slot, p.table))
    return placements


def schedule(
    candidates: Iterable[Candidate],
    *,
    slots: int,
    tables: int,
    availability: Mapping[Hashable, Iterable[int]] | None = None,
    time_limit: float = 60.0,
    gap: float = 1e-4,
) -> Schedule:
    """The schedule maximising the total score with mutual-interest meetings first."""
    candidates = list(candidates)
    _check(candidates, slots, tables)
    started = time.perf_counter()
    avail = None if availability is None else {p: set(v) for p, v in availability.items()}
    model = _Model(candidates, slots, tables, avail)
    if not model.cols:
        return Schedule([], 0, 0, True, time.perf_counter() - started)
    # Mutual-interest pairs first: each mutual meeting earns a bonus above any one-sided meeting's
    # whole score, so the optimum never gives up a mutual meeting for a one-sided one.
    bonus = float(max((c.score for c in candidates if not c.mutual), default=0) + 1)
    # Earlier slots first, as a tie-break worth less than one score point in total (so it never
    # changes the score): schedules start on time instead of scattering over the day.
    slot_of = np.array([s for _i, s in model.cols], dtype=float)
    objective = (
        model.score
        + bonus * model.mutual
        - slot_of / (2.0 * slots * max(1, min(len(candidates), slots * tables)))
    )
    result = _solve(model, objective, time_limit=time_limit, gap=gap)
    if result is None:  # no schedule within the time limit: the greedy one, flagged as not optimal
        fallback = greedy(candidates, slots=slots, tables=tables, availability=avail)
        fallback.seconds = time.perf_counter() - started
        fallback.stats = {"variables": len(model.cols), "constraints": model.n_rows, "fallback": "greedy"}
        return fallback
    optimal = result.status == 0
    second = result
    chosen = [model.cols[j] for j, v in enumerate(second.x) if v > 0.5]
    placements = _tables(candidates, chosen, tables)
    return Schedule(
        placements=placements,
        score=sum(candidates[p.candidate].score for p in placements),
        mutual=sum(1 for p in placements if candidates[p.candidate].mutual),
        optimal=optimal,
        seconds=time.perf_counter() - started,
        stats={
            "variables": len(model.cols),
            "constraints": model.n_rows,
            "mip_gap": getattr(second, "mip_gap", None),
        },
    )


def lp_bound(candidates, *, slots: int, tables: int, availability=None) -> float:
    """The LP relaxation's optimum of the score-maximising programme: no schedule scores more."""
    candidates = list(candidates)
    _check(candidates, slots, tables)
    avail = None if availability is None else {p: set(v) for p, v in availability.items()}
    model = _Model(candidates, slots, tables, avail)
    if not model.cols:
        return 0.0
    result = _solve(model, model.score, integral=False, time_limit=600)
    if result is None:
        raise ScheduleInputError("the LP relaxation did not solve")
    return float(-result.fun)


def greedy(candidates, *, slots: int, tables: int, availability=None) -> Schedule:
    """Baseline: mutual pairs first, then by score, each in the earliest slot both sides can make
    with a free table."""
    candidates = list(candidates)
    _check(candidates, slots, tables)
    started = time.perf_counter()
    busy: set = set()
    used = [0] * slots
    chosen = []
    order = sorted(range(len(candidates)), key=lambda i: (-candidates[i].mutual, -candidates[i].score, i))
    for i in order:
        c = candidates[i]
        for s in range(slots):
            if used[s] >= tables or (c.a, s) in busy or (c.b, s) in busy:
                continue
            if availability is not None and (
                (c.a in availability and s not in availability[c.a])
                or (c.b in availability and s not in availability[c.b])
            ):
                continue
            busy.update({(c.a, s), (c.b, s)})
            used[s] += 1
            chosen.append((i, s))
            break
    placements = _tables(candidates, chosen, tables)
    return Schedule(
        placements=placements,
        score=sum(candidates[p.candidate].score for p in placements),
        mutual=sum(1 for p in placements if candidates[p.candidate].mutual),
        optimal=False,
        seconds=time.perf_counter() - started,
    )


def conflicts(candidates, placements: Iterable[Placement], *, tables: int, availability=None) -> int:
    """Count violations: a participant twice in one slot, a table used twice in a slot, a slot
    over the table count, a pair met twice, a meeting outside someone's availability."""
    candidates = list(candidates)
    count = 0
    seen_people, seen_tables, seen_pairs, per_slot = set(), set(), set(), {}
    for p in placements:
        c = candidates[p.candidate]
        for person in (c.a, c.b):
            if (person, p.slot) in seen_people:
                count += 1
            seen_people.add((person, p.slot))
            if availability is not None and person in availability and p.slot not in availability[person]:
                count += 1
        if (p.slot, p.table) in seen_tables or not 1 <= p.table <= tables:
            count += 1
        seen_tables.add((p.slot, p.table))
        if p.candidate in seen_pairs:
            count += 1
        seen_pairs.add(p.candidate)
        per_slot[p.slot] = per_slot.get(p.slot, 0) + 1
    count += sum(max(0, n - tables) for n in per_slot.values())
    return count
