"""Reviewer assignment (评审专家分配) for a project call: conflict-free, within each expert's load
cap, with the best relevance overall.

The problem is the transportation LP of OpenReview's matcher and TPMS (research brief §4):

    maximise   Σ relevance[i, j] · x[i, j]
    subject to Σ_j x[i, j] = need[i]             every application gets its reviewers
               Σ_i x[i, j] ≤ capacity[j]         the call's load cap less what the expert holds
               0 ≤ x[i, j] ≤ 1, x = 0 on a conflict (the arc does not exist)

Its constraint matrix is totally unimodular (a bipartite incidence matrix), so a vertex solution —
what HiGHS' simplex returns — is integral: the LP *is* the integer assignment. ``scipy.optimize.
linprog(method="highs")`` solves it; a fractional answer (never seen) falls back to ``milp``.

Only promising arcs enter the LP: per application the ``CANDIDATES`` most relevant experts who are
free of conflict (conflicts are checked walking down the relevance order, so most of the 3M pairs
of 1,000 × 3,000 are never examined). If the restricted LP is infeasible (too many applications
want the same few experts), the candidate lists are widened and it is solved again, down to every
arc. Relevance comes from ``community.matching`` (text + discipline + industry), conflicts from
``community.conflicts`` — the same functions the pages use to explain a choice.

Writes happen in one durable transaction that locks the call row and re-checks every pair against
the loads as they are then (so two staff assigning or swapping at once cannot overfill an expert):
the plan is computed outside it, the check and the insert inside.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
from django.db import transaction
from django.db.models import Count
from django.utils.translation import gettext as _

from zhouqiao.community import conflicts, matching
from zhouqiao.core import audit
from zhouqiao.core.errors import Conflict, InvalidTransition, PermissionDenied, ValidationFailed
from zhouqiao.core.locking import lock
from zhouqiao.programs.models import Application, Call, Recusal, ReviewAssignment
from zhouqiao.programs.states import ApplicationStatus, AssignmentRun, CallStatus

CANDIDATES = 40  # arcs per application in the first LP (≥ 4 × reviewers per application)
EPSILON = 1e-6  # every allowed arc is worth a little: an expert with no overlap still beats none


# -- the pure part ------------------------------------------------------------------------------
@dataclass
class Plan:
    pairs: list[tuple[int, int]]  # (item index, expert index)
    relevance: np.ndarray
    short: list[int]  # items that could not get all their reviewers
    arcs: int
    widened: int


def candidate_arcs(relevance: np.ndarray, allowed, need: np.ndarray, capacity: np.ndarray, per_item: int):
    """For each item, the ``per_item`` most relevant experts with capacity left for whom
    ``allowed(i, j)`` holds, walking down the relevance order. Returns (rows, cols)."""
    n_items, n_experts = relevance.shape
    rows, cols = [], []
    usable = capacity > 0
    for i in range(n_items):
        if need[i] <= 0:
            continue
        scores = np.where(usable, relevance[i], -np.inf)
        window = min(n_experts, per_item * 3)
        taken = 0
        seen = 0
        while taken < per_item and seen < n_experts:
            part = (
                np.argpartition(-scores, window - 1)[:window] if window < n_experts else np.arange(n_experts)
            )
            part = part[np.argsort(-scores[part], kind="stable")]
            for j in part[seen:]:
                seen += 1
                if not usable[j]:
                    continue
                if allowed(i, int(j)):
                    rows.append(i)
                    cols.append(int(j))
                    taken += 1
                    if taken == per_item:
                        break
            if window >= n_experts:
                break
            window = min(n_experts, window * 3)
    return np.asarray(rows, dtype=np.int64), np.asarray(cols, dtype=np.int64)


def _solve_lp(rows, cols, weights, need, capacity, n_items, n_experts):
    from scipy import sparse
    from scipy.optimize import linprog

    n = len(rows)
    arcs = np.arange(n)
    a_eq = sparse.csr_matrix((np.ones(n), (rows, arcs)), shape=(n_items, n))
    a_ub = sparse.csr_matrix((np.ones(n), (cols, arcs)), shape=(n_experts, n))
    keep_items = np.flatnonzero(need > 0)
    used_experts = np.unique(cols)
    result = linprog(
        -(weights + EPSILON),
        A_ub=a_ub[used_experts],
        b_ub=capacity[used_experts],
        A_eq=a_eq[keep_items],
        b_eq=need[keep_items],
        bounds=(0, 1),
        method="highs",
    )
    if result.status != 0:
        return None
    x = result.x
    if np.any(np.abs(x - np.round(x)) > 1e-6):  # not a vertex: solve the integer programme
        from scipy.optimize import Bounds, LinearConstraint, milp

        constraints = [
            LinearConstraint(a_eq[keep_items], need[keep_items], need[keep_items]),
            LinearConstraint(a_ub[used_experts], 0, capacity[used_experts]),
        ]
        result = milp(
            -(weights + EPSILON), constraints=constraints, integrality=np.ones(n), bounds=Bounds(0, 1)
        )
        if result.status != 0:
            return None
        x = result.x
    return x > 0.5


def solve(relevance: np.ndarray, allowed, need, capacity, *, per_item: int = CANDIDATES) -> Plan:
    """The best conflict-free assignment within the capacities (see the module docstring)."""
    relevance = np.asarray(relevance, dtype=np.float64)
    n_items, n_experts = relevance.shape
    need = np.asarray(need, dtype=np.int64).copy()
    capacity = np.asarray(capacity, dtype=np.int64)
    widened = 0
    per_item = max(per_item, int(need.max(initial=0)) * 4)
    while True:
        rows, cols = candidate_arcs(relevance, allowed, need, capacity, per_item)
        short = [i for i in range(n_items) if need[i] > np.count_nonzero(rows == i)]
        if short and per_item >= n_experts:
            # Not enough conflict-free experts with capacity for these: they get what there is.
            for i in short:
                need[i] = np.count_nonzero(rows == i)
        if len(rows) == 0 or need.sum() == 0:
            return Plan([], relevance, short, 0, widened)
        chosen = _solve_lp(rows, cols, relevance[rows, cols], need, capacity, n_items, n_experts)
        if chosen is not None:
            pairs = list(zip(rows[chosen].tolist(), cols[chosen].tolist(), strict=True))
            return Plan(pairs, relevance, short, len(rows), widened)
        if per_item >= n_experts:
            # Capacities cannot cover every need: give as many as possible, items in order.
            return _greedy(relevance, rows, cols, need, capacity, widened)
        per_item = min(n_experts, per_item * 4)
        widened += 1


def _greedy(relevance, rows, cols, need, capacity, widened) -> Plan:
    left = capacity.copy()
    got = np.zeros(len(need), dtype=np.int64)
    pairs = []
    for k in np.argsort(-relevance[rows, cols], kind="stable"):
        i, j = rows[k], cols[k]
        if got[i] < need[i] and left[j] > 0:
            pairs.append((int(i), int(j)))
            got[i] += 1
            left[j] -= 1
    short = [i for i in range(len(need)) if got[i] < need[i]]
    return Plan(pairs, relevance, short, len(rows), widened)


# -- profiles -------------------------------------------------------------------------------------
def application_profiles(applications) -> list[matching.ItemProfile]:
    return [
        matching.ItemProfile(
            text=" ".join([a.title, a.keywords, a.keywords, a.summary, a.plan]),
            disciplines=frozenset([a.discipline_id]) if a.discipline_id else frozenset(),
            industries=frozenset([a.industry_id]) if a.industry_id else frozenset(),
        )
        for a in applications
    ]


def party_of(application) -> conflicts.Party:
    return conflicts.Party.of(
        [application.lead_id, *(p.organisation_id for p in application.partners.all())],
        [m.name for m in application.team.all()],
    )


# -- who may review online: ONE rule for calls, replacements and challenges ----------------------
def reviewers():
    """Experts who can review online: approved in the registry and holding an active platform
    account (a review is written and submitted by the expert, signed in). Every place that picks,
    offers or accepts a reviewer — the call's assignment run, 更换专家, the challenge panel and its
    suggestions — starts from here or asks :func:`reviewer_problem`."""
    from zhouqiao.community.models import Expert, ExpertStatus

    return Expert.objects.filter(status=ExpertStatus.APPROVED, user__isnull=False, user__is_active=True)


def reviewer_problem(expert) -> str | None:
    """Why ``expert`` cannot be made a reviewer (Chinese), or None. The same rule as :func:`reviewers`."""
    from zhouqiao.community.models import ExpertStatus

    if expert is None or expert.status != ExpertStatus.APPROVED:
        return _("请选择已入库的专家。")
    if expert.user_id is None or not expert.user.is_active:
        return _("该专家尚未开通平台账户，无法在线评审。")
    return None


def expert_pool():
    """The experts an automatic pick draws from: reviewers who say they are available."""
    return reviewers().filter(available=True).order_by("pk")


def ranked(item: matching.ItemProfile, pool, *, limit: int, keep_unrelated: bool = False) -> list[tuple]:
    """``pool`` (Expert rows) best fit for ``item`` first: ``[(expert, score, why)]``; experts with no
    relevance at all are left out unless ``keep_unrelated``."""
    pool = list(pool)
    if not pool:
        return []
    profiles = matching.expert_profiles(pool)
    scores = matching.relevance_matrix([item], profiles)[0]
    order = [k for k in np.argsort(-scores, kind="stable") if keep_unrelated or scores[k] > 0][:limit]
    return [(pool[k], float(scores[k]), matching.explain(item, profiles[k])) for k in order]


def loads(call_id: int) -> dict[int, int]:
    return dict(
        ReviewAssignment.objects.filter(call_id=call_id)
        .values("expert_id")
        .annotate(n=Count("pk"))
        .values_list("expert_id", "n")
    )


# -- the run ---------------------------------------------------------------------------------------
def start(*, actor, now, call_id: int) -> Call:
    """Queue the assignment (the task ``programs.tasks.assign_reviewers`` runs it). One at a time."""
    from zhouqiao.programs import services

    with transaction.atomic(durable=True):
        call = lock(Call.objects, call_id)
        services.require_officer(actor, call)
        if call.status != CallStatus.REVIEW:
            raise InvalidTransition(_("只有评审中的指南可以分配评审专家。"))
        if call.assignment_run in (AssignmentRun.QUEUED, AssignmentRun.RUNNING):
            raise Conflict(_("专家分配正在进行中，请等待完成。"), code="assignment_running")
        if not call.applications.filter(status=ApplicationStatus.ACCEPTED).exists():
            raise InvalidTransition(_("还没有通过形式审查的申报书。"))
        call.assignment_run = AssignmentRun.QUEUED
        call.assignment_done, call.assignment_total, call.assignment_message = 0, 100, ""
        call.save(
            update_fields=["assignment_run", "assignment_done", "assignment_total", "assignment_message"]
        )
        audit.record("programs.assignment.started", actor=actor, target=call, now=now)
    return call


def _progress(call_id: int, percent: int, run: str = AssignmentRun.RUNNING, message: str = "") -> None:
    Call.objects.filter(pk=call_id).update(
        assignment_run=run, assignment_done=percent, assignment_message=message[:255]
    )


def run(*, call_id: int, actor=None, now: dt.datetime) -> dict:
    """Assign reviewers to every accepted application of the call that lacks some. Returns figures."""
    try:
        return _run(call_id=call_id, actor=actor, now=now)
    except Exception as exc:
        message = getattr(exc, "message", None) or _("分配未完成，请稍后重试。")
        _progress(call_id, 0, AssignmentRun.FAILED, str(message))
        raise


def _run(*, call_id: int, actor, now) -> dict:
    call = Call.objects.get(pk=call_id)
    _progress(call_id, 5)
    applications = list(
        call.applications.filter(status=ApplicationStatus.ACCEPTED)
        .prefetch_related("partners", "team")
        .order_by("pk")
    )
    held = {}
    for a_id, e_id in ReviewAssignment.objects.filter(call=call).values_list("application_id", "expert_id"):
        held.setdefault(a_id, set()).add(e_id)
    recused = {}
    for a_id, e_id in Recusal.objects.filter(call=call).values_list("application_id", "expert_id"):
        recused.setdefault(a_id, set()).add(e_id)
    experts = list(expert_pool())
    index = conflicts.ConflictIndex.build(experts, now=now)
    _progress(call_id, 15)
    items = application_profiles(applications)
    profiles = matching.expert_profiles(experts)
    relevance = matching.relevance_matrix(items, profiles)
    _progress(call_id, 55)
    current = loads(call_id)
    expert_ids = [e.pk for e in experts]
    capacity = np.array([max(0, call.load_cap - current.get(pk, 0)) for pk in expert_ids], dtype=np.int64)
    need = np.array(
        [max(0, call.reviewers_per_application - len(held.get(a.pk, ()))) for a in applications],
        dtype=np.int64,
    )
    parties = [party_of(a) for a in applications]

    def allowed(i: int, j: int) -> bool:
        a_id = applications[i].pk
        return (
            expert_ids[j] not in held.get(a_id, ())
            and expert_ids[j] not in recused.get(a_id, ())
            and index.allows(expert_ids[j], parties[i])
        )

    plan = solve(relevance, allowed, need, capacity)
    _progress(call_id, 80)
    written = write(
        call_id=call_id,
        pairs=[(applications[i].pk, expert_ids[j], float(relevance[i, j])) for i, j in plan.pairs],
        actor=actor,
        now=now,
    )
    short = len(plan.short)
    # The call's figures as they now are (a top-up run adds only what was missing: "共0人次" after
    # one was wrong), and what this run added.
    total = ReviewAssignment.objects.filter(call_id=call_id).count()
    message = (
        _("已为%(n)d份申报书分配评审专家，共%(t)d人次（本次新增%(p)d人次）。")
        % {"n": len(applications), "t": total, "p": written}
        if not short
        else _(
            "已分配评审专家共%(t)d人次（本次新增%(p)d人次）；有%(s)d份申报书可用的无回避专家不足，请补充专家后再次分配。"
        )
        % {"t": total, "p": written, "s": short}
    )
    _progress(call_id, 100, AssignmentRun.DONE, message)
    return {"assigned": written, "applications": len(applications), "short": short, "arcs": plan.arcs}


def write(*, call_id: int, pairs: list[tuple[int, int, float]], actor, now) -> int:
    """Insert planned pairs under the call's lock, re-checking caps and duplicates as they are now.
    A pair that no longer fits (someone swapped meanwhile) is skipped; a later run tops it up."""
    with transaction.atomic(durable=True):
        call = lock(Call.objects, call_id)
        if call.status != CallStatus.REVIEW:
            raise InvalidTransition(_("指南已不在评审阶段。"))
        current = loads(call_id)
        existing = set(
            ReviewAssignment.objects.filter(call_id=call_id).values_list("application_id", "expert_id")
        )
        have = {}
        for a_id, _e in existing:
            have[a_id] = have.get(a_id, 0) + 1
        rows = []
        for application_id, expert_id, relevance in pairs:
            if (application_id, expert_id) in existing:
                continue
            if (
                current.get(expert_id, 0) >= call.load_cap
                or have.get(application_id, 0) >= call.reviewers_per_application
            ):
                continue
            current[expert_id] = current.get(expert_id, 0) + 1
            have[application_id] = have.get(application_id, 0) + 1
            existing.add((application_id, expert_id))
            rows.append(
                ReviewAssignment(
                    call_id=call_id,
                    application_id=application_id,
                    expert_id=expert_id,
                    relevance=relevance,
                    assigned_at=now,
                    assigned_by=actor,
                )  # fmt: skip
            )
        ReviewAssignment.objects.bulk_create(rows, batch_size=500)
        Recusal.objects.filter(
            call_id=call_id, application_id__in={r.application_id for r in rows}, replaced_at=None
        ).update(replaced_at=now)
        audit.record(
            "programs.assignment.written", actor=actor, target=call, after={"pairs": len(rows)}, now=now
        )
        _notify_reviewers(call, rows, now)
    return len(rows)


def _notify_reviewers(call, rows, now) -> None:
    from django.urls import reverse

    from zhouqiao.community.models import Expert
    from zhouqiao.notifications.services import notify

    users = {}
    for e in (
        Expert.objects.filter(pk__in={r.expert_id for r in rows}).exclude(user=None).select_related("user")
    ):
        users[e.pk] = e.user
    for expert_id, user in users.items():
        notify(
            [user],
            kind="programs.review_assigned",
            title=_("您有新的项目评审任务：%(t)s") % {"t": call.title},
            url=reverse("programs:my_reviews"),
            key=f"programs:call:{call.pk}:expert:{expert_id}:assigned:{now.isoformat()}",
            now=now,
        )


# -- one change by hand ----------------------------------------------------------------------------
def swap(*, actor, now, assignment_id: int, expert_id: int) -> ReviewAssignment:
    """Replace the reviewer of one assignment with another expert: conflicts, the load cap and
    "one review per expert per application" enforced under the call's lock."""
    from zhouqiao.community.models import Expert
    from zhouqiao.programs import services

    old = ReviewAssignment.objects.select_related("call").get(pk=assignment_id)
    services.require_officer(actor, old.call)
    with transaction.atomic(durable=True):
        call = lock(Call.objects, old.call_id)
        assignment = ReviewAssignment.objects.select_related("application").get(pk=assignment_id)
        if call.status != CallStatus.REVIEW:
            raise InvalidTransition(_("指南已不在评审阶段，不能更换专家。"))
        if assignment.application.status != ApplicationStatus.ACCEPTED:
            raise InvalidTransition(_("已确定拟立项项目，不能再更换评审专家。"))
        if assignment.submitted_at:
            raise InvalidTransition(_("该专家已提交评审意见，不能更换。"))
        expert = Expert.objects.select_related("user").filter(pk=expert_id).first()
        problem = reviewer_problem(expert)
        if problem:
            raise ValidationFailed(problem, code="not_a_reviewer", detail={"expert": [problem]})
        if expert.pk == assignment.expert_id:
            return assignment
        application = Application.objects.prefetch_related("partners", "team").get(
            pk=assignment.application_id
        )
        reason = conflicts.ConflictIndex.build([expert], now=now).reason(expert.pk, party_of(application))
        if reason:
            raise ValidationFailed(
                _("该专家需回避：%(r)s。") % {"r": reason},
                code="conflict_of_interest",
                detail={"expert": [reason]},
            )
        if ReviewAssignment.objects.filter(application_id=application.pk, expert=expert).exists():
            raise ValidationFailed(_("该专家已在本申报书的评审名单中。"), code="already_assigned")
        if Recusal.objects.filter(application_id=application.pk, expert=expert).exists():
            raise ValidationFailed(_("该专家已申请对本申报书回避。"), code="recused")
        load = ReviewAssignment.objects.filter(call_id=call.pk, expert=expert).count()
        if load >= call.load_cap:
            raise ValidationFailed(
                _("该专家在本指南的评审任务已达上限（%(n)d项）。") % {"n": call.load_cap}, code="load_cap"
            )
        profile_item = application_profiles([application])[0]
        profile_expert = matching.expert_profiles([expert])[0]
        relevance = float(matching.relevance_matrix([profile_item], [profile_expert])[0, 0])
        before = {"expert": assignment.expert_id}
        assignment.expert = expert
        assignment.relevance = relevance
        assignment.assigned_at, assignment.assigned_by = now, actor
        assignment.save(update_fields=["expert", "relevance", "assigned_at", "assigned_by"])
        audit.record(
            "programs.assignment.swapped",
            actor=actor,
            target=application,
            before=before,
            after={"expert": expert.pk},
            now=now,
        )
        _notify_reviewers(call, [assignment], now)
    return assignment


def recuse(*, actor, now, assignment_id: int, reason: str) -> Recusal:
    """The assigned expert withdraws from one application (申请回避) with a reason: the assignment is
    removed (their load is freed, the application lacks a reviewer), the expert is kept off this
    application, the call's program officers are told (a notification; the call shows in their
    to-do "待分配评审专家" until the top-up assigns a replacement). Audited."""
    from django.urls import reverse

    from zhouqiao.accounts.models import Duty
    from zhouqiao.notifications import recipients
    from zhouqiao.notifications.services import notify

    reason = (reason or "").strip()
    if len(reason) < 5:
        raise ValidationFailed(
            _("请写明回避理由（至少5个字）。"),
            code="invalid",
            detail={"reason": [_("请写明回避理由（至少5个字）。")]},
        )
    row = ReviewAssignment.objects.select_related("expert").filter(pk=assignment_id).first()
    if row is None or row.expert.user_id != getattr(actor, "pk", None):
        raise PermissionDenied(_("只能对分配给本人的评审申请回避。"))
    with transaction.atomic(durable=True):
        call = lock(Call.objects, row.call_id)
        assignment = (
            ReviewAssignment.objects.select_related("application", "expert").filter(pk=assignment_id).first()
        )
        if assignment is None:
            raise InvalidTransition(_("该评审任务已不存在（可能已被更换）。"))
        if assignment.expert.user_id != actor.pk:
            raise PermissionDenied(_("只能对分配给本人的评审申请回避。"))
        application = assignment.application
        if call.status != CallStatus.REVIEW or application.status != ApplicationStatus.ACCEPTED:
            raise InvalidTransition(_("评审已结束，不能再申请回避。"))
        if assignment.submitted_at:
            raise InvalidTransition(_("您已提交评审意见，不能再申请回避；如有利益冲突请联系项目管理人员。"))
        recusal = Recusal.objects.create(
            call=call, application=application, expert=assignment.expert, reason=reason, recused_at=now
        )
        assignment.delete()
        audit.record(
            "programs.review.recused",
            actor=actor,
            target=application,
            before={"expert": recusal.expert_id},
            reason=reason,
            now=now,
        )
        notify(
            recipients.staff(Duty.PROGRAM_OFFICER, call.jurisdiction_id),
            kind="programs.review_recused",
            title=_("评审专家申请回避，请补充分配评审专家：%(t)s") % {"t": application.title},
            url=reverse("programs:call_detail", args=[call.pk]),
            key=f"programs:recusal:{recusal.pk}",
            now=now,
            body=_("%(n)s：%(r)s") % {"n": recusal.expert.name, "r": reason},
        )
    return recusal


def why(assignment: ReviewAssignment) -> str:
    """Why this expert was chosen, in Chinese (``community.matching.explain``)."""
    item = application_profiles([assignment.application])[0]
    profile = matching.expert_profiles([assignment.expert])[0]
    return matching.explain(item, profile)


def swap_candidates(application: Application, *, now, limit: int = 8) -> list[tuple]:
    """Experts who could replace a reviewer: conflict-free, under the cap, not already on the
    application, best relevance first — ``[(expert, score, reason)]``."""
    call = application.call
    current = loads(call.pk)
    on_it = set(application.assignments.values_list("expert_id", flat=True))
    on_it |= set(application.recusals.values_list("expert_id", flat=True))
    pool = [
        e
        for e in expert_pool().select_related("organisation")
        if e.pk not in on_it and current.get(e.pk, 0) < call.load_cap
    ]
    if not pool:
        return []
    index = conflicts.ConflictIndex.build(pool, now=now)
    party = party_of(application)
    pool = [e for e in pool if index.allows(e.pk, party)]
    item = application_profiles([application])[0]
    return ranked(item, pool, limit=limit, keep_unrelated=True)
