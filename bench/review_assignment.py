"""Reviewer assignment at scale: 1,000 applications, 3,000 experts, 5 reviewers each, cap 8 per
expert, through the product's own path (``programs.assignment.run`` — the task's body: load the
call, build the conflict index, the profiles and the relevance matrix, solve the LP, write the
assignments under the call's lock).

Text is real: applications are CSL papers (title, abstract, keywords; ``BENCH_REVIEW_CORPUS``,
default ../shared/data/csl/csl_2k.jsonl), each expert's profile is the keywords and titles of three
other papers of one CSL discipline. Organisations (300) are synthetic: each application has a lead
and 0–2 partners; each expert an organisation, and one in ten a declared conflict with an
organisation and one in twenty with a person of some team; joint applications count as
collaborations (programs.collaborations), so the conflict rules have work to do.

Figures:

* ``conflicts`` — written pairs that ``community.conflicts`` refuses (must be 0), and
  ``over_cap`` — experts above the cap (must be 0);
* ``relevance_vs_random`` — mean relevance of the assigned pairs ÷ that of a random conflict-free
  assignment within the same caps (goal ≥ 1.5);
* ``time_vs_scoring`` — wall time of the whole assignment ÷ the time to compute the relevance
  scores alone (expert and application profiles + ``community.matching.relevance_matrix``, with
  the analyzer's term cache emptied first, as the run has it) (goal ≤ 3).

    python -m bench review_assignment
"""

import json
import os
import random
import tempfile
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from django.db import connection
from django.test.utils import override_settings

from bench.common import production_settings, write_result

APPLICATIONS = int(os.environ.get("BENCH_REVIEW_APPLICATIONS", "1000"))
EXPERTS = int(os.environ.get("BENCH_REVIEW_EXPERTS", "3000"))
REVIEWERS, CAP, ORGS = 5, 8, 300
CORPUS = Path(
    os.environ.get(
        "BENCH_REVIEW_CORPUS", Path(__file__).resolve().parents[2] / "shared/data/csl/csl_2k.jsonl"
    )
)
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂"


def _papers() -> list[dict]:
    with CORPUS.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle]


def _person(rng) -> str:
    return rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN)


def build(now, rng):
    """The call, organisations, accepted applications and approved experts (bulk inserts)."""
    from zhouqiao.accounts.models import Organisation, User
    from zhouqiao.community.models import Expert, ExpertConflict, ExpertStatus
    from zhouqiao.core.models import Region
    from zhouqiao.programs.models import Application, Call, Partner, TeamMember
    from zhouqiao.programs.states import ApplicationStatus, CallStatus

    for code, name, level, parent in (
        ("220000", "吉林省", "province", None),
        ("220100", "长春市", "city", "220000"),
        ("220102", "南关区", "county", "220100"),
    ):
        Region.objects.get_or_create(code=code, defaults={"name": name, "level": level, "parent_id": parent})
    from zhouqiao.accounts.credit_code import make

    orgs = Organisation.objects.bulk_create(
        Organisation(
            name=f"评测机构{i:03d}", kind="enterprise" if i % 3 else "university", region_id="220102",
            credit_code=make("91220102" + str(i).zfill(9)), status="verified", created_at=now,
        )
        for i in range(ORGS)
    )  # fmt: skip
    user = User.objects.create(username="bench_applicant", password_changed_at=now)
    call = Call.objects.create(
        title="评测指南", jurisdiction_id="220000", guide="评测", budget=Decimal("100000000"),
        opens_at=now - timedelta(days=60), closes_at=now - timedelta(days=1),
        project_start=date(2027, 1, 1), project_end=date(2028, 12, 31),
        rubric=[{"name": "综合", "weight": 100, "max_score": 10}], reviewers_per_application=REVIEWERS,
        load_cap=CAP, status=CallStatus.REVIEW, created_at=now,
    )  # fmt: skip
    papers = _papers()
    rng.shuffle(papers)
    for_apps = papers[:APPLICATIONS]
    apps = Application.objects.bulk_create(
        Application(
            call=call, lead=rng.choice(orgs), applicant=user, title=p["title"][:128], summary=p["abstract"].strip(),
            plan="", keywords="、".join(p["keywords"])[:255], requested_amount=Decimal("500000"),
            project_start=date(2027, 1, 1), project_end=date(2028, 12, 31), status=ApplicationStatus.ACCEPTED,
            submitted_at=now - timedelta(days=10), created_at=now - timedelta(days=20),
        )
        for p in for_apps
    )  # fmt: skip
    partners, team = [], []
    for a in apps:
        for other in rng.sample(orgs, rng.randint(0, 2)):
            if other.pk != a.lead_id:
                partners.append(Partner(application=a, organisation=other))
        team += [TeamMember(application=a, name=_person(rng)) for _ in range(3)]
    Partner.objects.bulk_create(partners, ignore_conflicts=True)
    TeamMember.objects.bulk_create(team)
    by_discipline: dict[str, list[dict]] = {}
    for p in papers:
        by_discipline.setdefault(p["discipline"], []).append(p)
    disciplines = list(by_discipline)
    experts = []
    for i in range(EXPERTS):
        pool = by_discipline[disciplines[i % len(disciplines)]]
        picked = rng.sample(pool, min(3, len(pool)))
        experts.append(
            Expert(
                name=_person(rng),
                organisation=rng.choice(orgs),
                title="教授",
                keywords="、".join(dict.fromkeys(k for p in picked for k in p["keywords"]))[:255],
                profile="；".join(p["title"] for p in picked),
                region_id="220102",
                jurisdiction_id="220000",
                status=ExpertStatus.APPROVED,
                created_at=now,
            )  # fmt: skip
        )
    experts = Expert.objects.bulk_create(experts)
    names = [t.name for t in team]
    conflicts = [ExpertConflict(expert=e, organisation=rng.choice(orgs)) for e in experts[::10]]
    conflicts += [ExpertConflict(expert=e, person_name=rng.choice(names)) for e in experts[::20]]
    ExpertConflict.objects.bulk_create(conflicts)
    return call


def scoring_seconds(call) -> float:
    from zhouqiao.community import matching
    from zhouqiao.programs import assignment

    matching._terms.cache_clear()
    started = time.perf_counter()
    apps = list(call.applications.order_by("pk"))
    items = assignment.application_profiles(apps)
    profiles = matching.expert_profiles(assignment.expert_pool())
    matching.relevance_matrix(items, profiles)
    return time.perf_counter() - started


def random_baseline(call, rng) -> float:
    """Mean relevance of a random conflict-free assignment within the same caps."""
    from zhouqiao.community import conflicts, matching
    from zhouqiao.programs import assignment

    apps = list(call.applications.prefetch_related("partners", "team").order_by("pk"))
    experts = list(assignment.expert_pool())
    index = conflicts.ConflictIndex.build(experts, now=_now())
    relevance = matching.relevance_matrix(
        assignment.application_profiles(apps), matching.expert_profiles(experts)
    )
    load = [0] * len(experts)
    order = list(range(len(experts)))
    total, count = 0.0, 0
    for i, app in enumerate(apps):
        party = assignment.party_of(app)
        rng.shuffle(order)
        got = 0
        for j in order:
            if load[j] < CAP and index.allows(experts[j].pk, party):
                load[j] += 1
                total += relevance[i, j]
                count += 1
                got += 1
                if got == REVIEWERS:
                    break
    return total / count


def _now():
    from django.utils import timezone

    return timezone.now()


def check(call) -> dict:
    from django.db.models import Count

    from zhouqiao.community import conflicts
    from zhouqiao.community.models import Expert
    from zhouqiao.programs import assignment
    from zhouqiao.programs.models import ReviewAssignment

    rows = list(
        ReviewAssignment.objects.filter(call=call).values_list("application_id", "expert_id", "relevance")
    )
    apps = {a.pk: a for a in call.applications.prefetch_related("partners", "team")}
    index = conflicts.ConflictIndex.build(Expert.objects.filter(pk__in={e for _a, e, _r in rows}), now=_now())
    bad = sum(1 for a, e, _r in rows if not index.allows(e, assignment.party_of(apps[a])))
    over = (
        ReviewAssignment.objects.filter(call=call)
        .values("expert")
        .annotate(n=Count("pk"))
        .filter(n__gt=CAP)
        .count()
    )
    per_app = ReviewAssignment.objects.filter(call=call).values("application").annotate(n=Count("pk"))
    short = sum(1 for r in per_app if r["n"] < REVIEWERS) + (len(apps) - len(per_app))
    return {
        "pairs": len(rows),
        "conflicts": bad,
        "over_cap": over,
        "applications_short": short,
        "mean_relevance": sum(r for _a, _e, r in rows) / len(rows) if rows else 0.0,
    }


def run() -> None:
    from zhouqiao.community import matching
    from zhouqiao.programs import assignment
    from zhouqiao.programs.models import ReviewAssignment

    production_settings()
    rng = random.Random(2026)
    settings_dict = connection.settings_dict
    with tempfile.TemporaryDirectory() as tmp:
        if connection.vendor == "sqlite":
            settings_dict.setdefault("TEST", {})["NAME"] = str(Path(tmp) / "bench.sqlite3")
        old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
        try:
            with override_settings(MEDIA_ROOT=Path(tmp) / "media"):
                built = time.perf_counter()
                call = build(_now(), rng)
                built = time.perf_counter() - built
                scorings, walls, plans = [], [], []
                for _round in range(2):  # alternate on a shared machine; the fastest of each counts
                    scorings.append(scoring_seconds(call))
                    ReviewAssignment.objects.filter(call=call).delete()
                    matching._terms.cache_clear()
                    started = time.perf_counter()
                    plans.append(assignment.run(call_id=call.pk, actor=None, now=_now()))
                    walls.append(time.perf_counter() - started)
                scorings.append(scoring_seconds(call))
                figures = check(call)
                baseline = random_baseline(call, rng)
        finally:
            connection.creation.destroy_test_db(old_name, verbosity=0)
    scoring, wall = min(scorings), min(walls)
    ratio_relevance = figures["mean_relevance"] / baseline if baseline else None
    write_result(
        "review_assignment",
        {
            "database": connection.vendor,
            "conflicts": figures["conflicts"],
            "relevance_vs_random": round(ratio_relevance, 3),
            "time_vs_scoring": round(wall / scoring, 3),
            "figures": {
                "applications": APPLICATIONS,
                "experts": EXPERTS,
                "reviewers_per_application": REVIEWERS,
                "cap": CAP,
                "pairs_written": figures["pairs"],
                "over_cap": figures["over_cap"],
                "applications_short": figures["applications_short"],
                "mean_relevance_assigned": round(figures["mean_relevance"], 4),
                "mean_relevance_random": round(baseline, 4),
                "assignment_seconds": round(wall, 2),
                "assignment_seconds_all_runs": [round(w, 2) for w in walls],
                "scoring_seconds": round(scoring, 2),
                "scoring_seconds_all_runs": [round(s, 2) for s in scorings],
                "lp_arcs": plans[-1]["arcs"],
                "setup_seconds": round(built, 1),
            },
            "goal": "conflicts == 0, relevance_vs_random >= 1.5, time_vs_scoring <= 3",
            "met": figures["conflicts"] == 0
            and figures["over_cap"] == 0
            and ratio_relevance >= 1.5
            and wall / scoring <= 3,
        },
    )
