"""Two program officers swapping reviewers at once, over real HTTP against the live server, on
whichever database the suite runs on (run it under SQLite and under scripts/with-postgres.sh).

Twelve accepted applications each hold one reviewer. Both officers fire swaps together: twelve
put the same free expert (cap 2) on each application, four put an expert from the applicant's own
organisation on it. Afterwards the free expert holds exactly two reviews (the cap), the
conflicted expert none, every refusal is a Chinese 422 naming the cap or the conflict.

The negative control runs the same load with the swap's transaction and the call-row lock patched
away (every statement commits on its own) and the relevance computation between the count and the
write slowed a little, as a busy server would be: the cap is then exceeded.
"""

import datetime as dt

import pytest
from django.utils import timezone

from tests.factories import PASSWORD, OrganisationFactory, member_of, staff_in
from tests.live import logged_in_client, run_together
from tests.programs.conftest import call_fields, make_expert, submitted
from zhouqiao.accounts.models import Duty
from zhouqiao.programs import assignment, services
from zhouqiao.programs.models import Call, ReviewAssignment

pytestmark = pytest.mark.django_db(transaction=True)
APPLICATIONS, CAP = 12, 2


def _setup():
    now = timezone.now()
    first = staff_in("220100", Duty.PROGRAM_OFFICER, username="officer_a")
    staff_in("220100", Duty.PROGRAM_OFFICER, username="officer_b")
    call = services.create_call(
        actor=first, now=now, jurisdiction_id="220100",
        **call_fields(reviewers_per_application=1, load_cap=CAP),
    )  # fmt: skip
    services.publish_call(actor=first, now=now, call_id=call.pk)
    org = OrganisationFactory(name="并发申报企业", region_id="220104")
    applicant = member_of(org, username="conc_applicant")
    apps = [
        submitted(call, applicant, org, title=f"并发项目{i}", summary=f"互不相同的内容{i}" * (i + 3))
        for i in range(APPLICATIONS)
    ]
    for a in apps:
        services.formal_check(actor=first, now=now, application_id=a.pk, accept=True)
    Call.objects.filter(pk=call.pk).update(closes_at=now - dt.timedelta(minutes=1))
    services.start_review(actor=first, now=now, call_id=call.pk)
    rows = [
        ReviewAssignment.objects.create(
            call=call, application=a, expert=make_expert(f"原专家{i}"), assigned_at=now
        )
        for i, a in enumerate(apps)
    ]
    free = make_expert("热门专家")
    conflicted = make_expert("本单位专家", org)
    return call, rows, free, conflicted


def _storm(live_server, rows, free, conflicted):
    clients = [logged_in_client(live_server.url, u, PASSWORD) for u in ("officer_a", "officer_b")]
    calls = []
    for i, row in enumerate(rows):
        client = clients[i % 2]
        calls.append(
            lambda c=client, r=row: c.post(
                f"/api/v1/programs/assignments/{r.pk}/swap", json={"expert_id": free.pk}
            )
        )
        if i < 4:
            calls.append(
                lambda c=client, r=row: c.post(
                    f"/api/v1/programs/assignments/{r.pk}/swap", json={"expert_id": conflicted.pk}
                )
            )
    responses = run_together(calls)
    for client in clients:
        client.close()
    return responses


def _problems(call, responses, free, conflicted) -> list[str]:
    problems = []
    for r in responses:
        if isinstance(r, Exception):
            problems.append(f"request failed: {r!r}")
        elif r.status_code >= 500:
            problems.append(f"HTTP {r.status_code}")
        elif r.status_code != 200 and not any("\u4e00" <= ch <= "\u9fff" for ch in r.json()["message"]):
            problems.append(f"refusal without Chinese: {r.text[:200]}")
    held = ReviewAssignment.objects.filter(call=call, expert=free).count()
    if held > CAP:
        problems.append(f"expert holds {held} reviews, cap {CAP}")
    if ReviewAssignment.objects.filter(call=call, expert=conflicted).exists():
        problems.append("a conflicted expert was assigned")
    return problems


def test_concurrent_swaps_never_exceed_the_cap_or_create_a_conflict(live_server, reference):
    call, rows, free, conflicted = _setup()
    responses = _storm(live_server, rows, free, conflicted)
    assert _problems(call, responses, free, conflicted) == []
    codes = sorted(r.status_code for r in responses)
    assert codes.count(200) == CAP, codes
    refused = [r.json()["code"] for r in responses if r.status_code == 422]
    assert refused.count("conflict_of_interest") == 4
    assert set(refused) <= {"load_cap", "conflict_of_interest"}
    assert ReviewAssignment.objects.filter(call=call, expert=free).count() == CAP


def test_negative_control_without_the_lock_the_cap_is_exceeded(live_server, reference, monkeypatch):
    import time
    from contextlib import nullcontext
    from types import SimpleNamespace

    original = assignment.matching.relevance_matrix

    def slow(*args, **kwargs):
        time.sleep(0.3)
        return original(*args, **kwargs)

    monkeypatch.setattr(assignment, "lock", lambda queryset, pk: queryset.get(pk=pk))
    monkeypatch.setattr(assignment, "transaction", SimpleNamespace(atomic=lambda **kw: nullcontext()))
    monkeypatch.setattr(assignment.matching, "relevance_matrix", slow)
    call, rows, free, conflicted = _setup()
    responses = _storm(live_server, rows, free, conflicted)
    assert _problems(call, responses, free, conflicted) != []
