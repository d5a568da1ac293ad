"""/api/v1/programs: project calls, the reviewer's own assignments (blind where the call is), and
the officer's reviewer swap.

A reviewer of a blind call gets the application without ``lead``, ``partners``, ``team`` names,
``applicant`` or original attachment names — the fields are absent, not empty."""

from django.shortcuts import get_object_or_404
from django.urls import reverse
from ninja import Router, Schema

from zhouqiao.accounts.auth import signed_in_user
from zhouqiao.core import clock
from zhouqiao.core.errors import NotFound
from zhouqiao.programs import assignment as assigning
from zhouqiao.programs import selectors
from zhouqiao.programs.models import Application, ReviewAssignment

router = Router(tags=["科技计划项目"])


def _call_out(call) -> dict:
    return {
        "id": call.pk,
        "title": call.title,
        "status": call.status,
        "status_label": str(call.get_status_display()),
        "budget": str(call.budget),
        "opens_at": call.opens_at.isoformat(),
        "closes_at": call.closes_at.isoformat(),
        "blind": call.blind,
        "rubric": call.rubric,
        "url": reverse("programs:call_detail", args=[call.pk]),
    }


@router.get("/calls")
def list_calls(request):
    return [_call_out(c) for c in selectors.visible_calls(request.user).order_by("-opens_at", "-pk")[:200]]


@router.get("/calls/{pk}")
def get_call(request, pk: int):
    call = get_object_or_404(selectors.visible_calls(request.user), pk=pk)
    return _call_out(call) | {"guide": call.guide, "categories": call.categories}


def application_out(application: Application, *, blind: bool) -> dict:
    out = {
        "id": application.pk,
        "code": application.code,
        "call": application.call_id,
        "title": application.title,
        "category": application.category,
        "keywords": application.keywords,
        "summary": application.summary,
        "plan": application.plan,
        "requested_amount": str(application.requested_amount),
        "project_start": application.project_start.isoformat(),
        "project_end": application.project_end.isoformat(),
        "status": application.status,
        "milestones": [{"due": m.due.isoformat(), "title": m.title} for m in application.milestones.all()],
        "budget_lines": [{"item": b.item, "amount": str(b.amount)} for b in application.budget_lines.all()],
        "team": [
            ({} if blind else {"name": m.name}) | {"title": m.title, "role": m.role}
            for m in application.team.all()
        ],
        "attachments": [
            {
                "name": selectors.attachment_name(application, a, blind=blind),
                "url": reverse("programs:attachment_download", args=[a.pk]),
            }
            for a in application.attachments.all()
        ],
    }
    if not blind:
        out["lead"] = {"id": application.lead_id, "name": application.lead.name}
        out["partners"] = [
            {"id": p.organisation_id, "name": p.organisation.name, "role": p.role}
            for p in application.partners.select_related("organisation")
        ]
    return out


@router.get("/applications/{pk}")
def get_application(request, pk: int):
    application = get_object_or_404(Application.objects.select_related("call", "lead"), pk=pk)
    role = selectors.role_for(request.user, application)
    if role is None:
        raise NotFound("记录不存在或您无权查看。")
    return application_out(application, blind=selectors.blind_for(request.user, application, role))


@router.get("/reviews")
def my_reviews(request):
    user = signed_in_user(request)
    rows = selectors.my_assignments(user).select_related("application__lead")
    return [
        {
            "id": a.pk,
            "call": a.call.title,
            "submitted": a.submitted_at is not None,
            "total": str(a.total) if a.total is not None else None,
            "application": application_out(a.application, blind=a.call.blind),
        }
        for a in rows
    ]


class SwapIn(Schema):
    expert_id: int


@router.post("/assignments/{pk}/swap")
def swap(request, pk: int, payload: SwapIn):
    user = signed_in_user(request)
    if not ReviewAssignment.objects.filter(pk=pk).exists():
        raise NotFound("记录不存在或您无权查看。")
    a = assigning.swap(actor=user, now=clock.now(), assignment_id=pk, expert_id=payload.expert_id)
    return {"id": a.pk, "application": a.application_id, "expert": a.expert_id}
