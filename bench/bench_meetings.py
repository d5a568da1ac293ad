"""One-to-one meeting scheduling at a matchmaking fair, through the product's own scheduler
(``zhouqiao.community.events.scheduler.schedule``, the function ``events.meetings.solve`` calls).

Instance (seeded, synthetic): 300 enterprises × 300 research teams, 3,000 interest pairs (each an
enterprise–team pair; 30% mutual; popularity skewed, 1 / rank^0.9, so the popular teams are asked
for more meetings than there are slots), 12 slots of 20 minutes, 40 tables. Scores as the product scores
them (``events.meetings``): 10 × (level of each side, 1 or 2) + region proximity (0–3). A fifth of
the participants come only in the morning (slots 1–6), a fifth only in the afternoon, a tenth for
a two-hour window.

Figures:

* ``conflicts`` — violations in the solver's schedule (double-booked person, a table used twice,
  a slot over 40 meetings, a meeting outside someone's availability): goal 0;
* ``score_vs_lp_bound`` — its total score ÷ the LP relaxation's optimum (an upper bound on any
  schedule): goal ≥ 0.97;
* ``greedy_vs_lp_bound`` — the same for the greedy baseline (mutual first, then by score, earliest
  feasible slot).

    python -m bench meetings
"""

import os
import random
import time

from bench.common import write_result

ENTERPRISES = int(os.environ.get("BENCH_MEETINGS_ENTERPRISES", "300"))
TEAMS = int(os.environ.get("BENCH_MEETINGS_TEAMS", "300"))
PAIRS = int(os.environ.get("BENCH_MEETINGS_PAIRS", "3000"))
SLOTS, TABLES, MUTUAL_SHARE, SEED = 12, 40, 0.3, 19


def instance(rng):
    from zhouqiao.community.events.scheduler import Candidate

    counties = ["220102", "220104", "220106", "220173", "220183", "220203", "220204", "220281"]
    region = {}
    people_e = [f"e{i}" for i in range(ENTERPRISES)]
    people_t = [f"t{i}" for i in range(TEAMS)]
    for p in people_e + people_t:
        region[p] = rng.choice(counties)
    # Interest is skewed, as at real fairs: a few teams and enterprises draw much of it (weight
    # 1 / rank^0.9), so the popular ones have more requests than slots.
    weight_e = [1 / (i + 1) ** 0.9 for i in range(ENTERPRISES)]
    weight_t = [1 / (i + 1) ** 0.9 for i in range(TEAMS)]
    pairs = {}
    while len(pairs) < PAIRS:
        a = rng.choices(people_e, weight_e)[0]
        b = rng.choices(people_t, weight_t)[0]
        if (a, b) in pairs:
            continue
        mutual = rng.random() < MUTUAL_SHARE
        la = rng.choice((1, 1, 2))
        lb = rng.choice((1, 2)) if mutual else 0
        ra, rb = region[a], region[b]
        proximity = 3 if ra == rb else 2 if ra[:4] == rb[:4] else 1
        pairs[(a, b)] = Candidate(a, b, 10 * (la + lb) + proximity, mutual)
    availability = {}
    for p in people_e + people_t:
        draw = rng.random()
        if draw < 0.2:
            availability[p] = set(range(0, SLOTS // 2))
        elif draw < 0.4:
            availability[p] = set(range(SLOTS // 2, SLOTS))
        elif draw < 0.5:  # a two-hour window somewhere in the day
            first = rng.randrange(0, SLOTS - 5)
            availability[p] = set(range(first, first + 6))
    return list(pairs.values()), availability


def run() -> None:
    from zhouqiao.community.events import scheduler

    candidates, availability = instance(random.Random(SEED))
    started = time.perf_counter()
    bound = scheduler.lp_bound(candidates, slots=SLOTS, tables=TABLES, availability=availability)
    lp_seconds = time.perf_counter() - started
    solved = scheduler.schedule(candidates, slots=SLOTS, tables=TABLES, availability=availability)
    base = scheduler.greedy(candidates, slots=SLOTS, tables=TABLES, availability=availability)
    conflicts = scheduler.conflicts(candidates, solved.placements, tables=TABLES, availability=availability)
    write_result(
        "meetings",
        {
            "conflicts": conflicts,
            "score_vs_lp_bound": round(solved.score / bound, 4),
            "greedy_vs_lp_bound": round(base.score / bound, 4),
            "goal": {"conflicts": 0, "score_vs_lp_bound": ">= 0.97"},
            "instance": {
                "enterprises": ENTERPRISES,
                "research_teams": TEAMS,
                "interest_pairs": len(candidates),
                "mutual_pairs": sum(1 for c in candidates if c.mutual),
                "slots": SLOTS,
                "tables": TABLES,
                "participants_with_partial_availability": len(availability),
                "seed": SEED,
            },
            "solver": {
                "engine": "HiGHS via scipy.optimize.milp (score + a mutual-first bonus per mutual meeting)",
                "score": solved.score,
                "meetings": len(solved.placements),
                "mutual_meetings": solved.mutual,
                "proved_optimal": solved.optimal,
                "seconds": round(solved.seconds, 2),
                **solved.stats,
            },
            "greedy": {
                "score": base.score,
                "meetings": len(base.placements),
                "mutual_meetings": base.mutual,
                "conflicts": scheduler.conflicts(
                    candidates, base.placements, tables=TABLES, availability=availability
                ),
                "seconds": round(base.seconds, 4),
            },
            "lp_bound": {"score": round(bound, 2), "seconds": round(lp_seconds, 2)},
        },
    )
