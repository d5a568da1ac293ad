"""The meeting scheduler on instances whose optimum is worked out by hand, a property test that
nobody is double-booked and no slot holds more meetings than tables, and bad input."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from zhouqiao.community.events.scheduler import (
    Candidate,
    ScheduleInputError,
    conflicts,
    greedy,
    lp_bound,
    schedule,
)


def _pairs(result, candidates):
    return {(candidates[p.candidate].a, candidates[p.candidate].b, p.slot) for p in result.placements}


def test_one_slot_one_table_holds_the_best_pair():
    # A–B 30, C–D 20, one slot, one table: only one meeting fits; optimum 30.
    cands = [Candidate("A", "B", 30), Candidate("C", "D", 20)]
    result = schedule(cands, slots=1, tables=1)
    assert result.score == 30
    assert _pairs(result, cands) == {("A", "B", 0)}


def test_a_person_in_demand_is_spread_over_slots():
    # A is wanted by B (30), C (25), D (20); two slots, two tables. A can meet only two of them
    # (one per slot); D–E (15) fills the free table. Hand optimum: 30 + 25 + 15 = 70.
    cands = [
        Candidate("A", "B", 30),
        Candidate("A", "C", 25),
        Candidate("A", "D", 20),
        Candidate("D", "E", 15),
    ]
    result = schedule(cands, slots=2, tables=2)
    assert result.score == 70
    met = {(candidates_a, b) for candidates_a, b, _s in _pairs(result, cands)}
    assert met == {("A", "B"), ("A", "C"), ("D", "E")}
    assert conflicts(cands, result.placements, tables=2) == 0


def test_greedy_is_beaten_where_the_optimum_is_known():
    # One table, two slots. B and C can only come to slot 0. Greedy seats the best pair A–X
    # (25) at slot 0 and then neither A–B nor X–C fits: 25. The optimum holds A–B (or X–C, 20)
    # at slot 0 and A–X at slot 1: 45, which the LP bound also gives.
    cands = [Candidate("A", "X", 25), Candidate("A", "B", 20), Candidate("X", "C", 20)]
    avail = {"B": {0}, "C": {0}}
    result = schedule(cands, slots=2, tables=1, availability=avail)
    assert result.score == 45
    assert conflicts(cands, result.placements, tables=1, availability=avail) == 0
    assert greedy(cands, slots=2, tables=1, availability=avail).score == 25
    assert lp_bound(cands, slots=2, tables=1, availability=avail) == pytest.approx(45)


def test_mutual_pairs_come_first_even_at_a_lower_score():
    # One slot, one table. A–B is one-sided with 30; C–D mutual with 21. Mutual first: C–D.
    cands = [Candidate("A", "B", 30, mutual=False), Candidate("C", "D", 21, mutual=True)]
    result = schedule(cands, slots=1, tables=1)
    assert result.mutual == 1
    assert _pairs(result, cands) == {("C", "D", 0)}


def test_a_triangle_needs_three_slots():
    # A, B, C all want to meet each other (10, 9, 9). Each slot holds one meeting of the three
    # (each person once per slot): two slots hold 10 + 9 = 19, three slots all 28.
    cands = [Candidate("A", "B", 10), Candidate("A", "C", 9), Candidate("B", "C", 9)]
    assert schedule(cands, slots=2, tables=2).score == 19
    assert schedule(cands, slots=3, tables=1).score == 28
    # B and C only at slot 0: one meeting among them all, the best one.
    assert schedule(cands, slots=2, tables=2, availability={"B": {0}, "C": {0}}).score == 10


def test_bad_input_is_refused():
    with pytest.raises(ScheduleInputError):
        schedule([Candidate("A", "A", 5)], slots=1, tables=1)
    with pytest.raises(ScheduleInputError):
        schedule([Candidate("A", "B", 5), Candidate("B", "A", 6)], slots=1, tables=1)
    with pytest.raises(ScheduleInputError):
        schedule([Candidate("A", "B", -1)], slots=1, tables=1)
    with pytest.raises(ScheduleInputError):
        schedule([Candidate("A", "B", 1)], slots=0, tables=1)
    assert schedule([], slots=3, tables=2).placements == []


pair_lists = st.lists(
    st.tuples(st.integers(0, 7), st.integers(8, 15), st.integers(0, 40), st.booleans()),
    min_size=0,
    max_size=30,
    unique_by=lambda t: (t[0], t[1]),
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    raw=pair_lists,
    slots=st.integers(1, 4),
    tables=st.integers(1, 4),
    gaps=st.dictionaries(st.integers(0, 15), st.sets(st.integers(0, 3), min_size=1), max_size=6),
)
def test_nobody_is_double_booked_and_no_slot_exceeds_the_tables(raw, slots, tables, gaps):
    cands = [Candidate(a, b, s, m) for a, b, s, m in raw]
    result = schedule(cands, slots=slots, tables=tables, availability=gaps)
    assert conflicts(cands, result.placements, tables=tables, availability=gaps) == 0
    busy = set()
    for p in result.placements:
        c = cands[p.candidate]
        for person in (c.a, c.b):
            assert (person, p.slot) not in busy
            busy.add((person, p.slot))
        assert 0 <= p.slot < slots and 1 <= p.table <= tables
    per_slot = {}
    for p in result.placements:
        per_slot[p.slot] = per_slot.get(p.slot, 0) + 1
    assert all(n <= tables for n in per_slot.values())
    # never worse than the greedy baseline on the solver's objective (score + the mutual bonus),
    # never above the LP bound of the score
    base = greedy(cands, slots=slots, tables=tables, availability=gaps)
    bonus = max((c.score for c in cands if not c.mutual), default=0) + 1
    assert result.score + bonus * result.mutual >= base.score + bonus * base.mutual
    assert result.score <= lp_bound(cands, slots=slots, tables=tables, availability=gaps) + 1e-6
