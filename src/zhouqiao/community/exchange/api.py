"""/api/v1/exchange: published notices (filters: region, kind, year) and public questions; asking
and answering a question through the same services as the pages."""

from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema, Status

from zhouqiao.accounts.auth import signed_in_user
from zhouqiao.community.exchange import rules, services
from zhouqiao.community.exchange.models import Question
from zhouqiao.core import clock
from zhouqiao.core.bounds import Page, Year
from zhouqiao.core.models import Region

router = Router(tags=["咨询问答与通知公告"])


def notice_out(n, *, detail: bool = False) -> dict:
    out = {
        "id": n.pk,
        "kind": n.kind,
        "kind_name": n.get_kind_display(),
        "title": n.title,
        "number": n.number,
        "region": n.region_id,
        "publisher": n.publisher,
        "publish_at": n.publish_at.isoformat(),
    }
    if detail:
        out["body"] = n.body
        out["attachments"] = [
            {"id": a.pk, "name": a.original_name, "size": a.size} for a in n.attachments.all()
        ]
    return out


def question_out(q) -> dict:
    return {
        "id": q.pk,
        "kind": q.kind,
        "target": str(q.target_pk),
        "subject": q.subject,
        "question": q.body if q.status != "hidden" else "",
        "status": q.status,
        "answer": q.answer if q.status == "answered" else "",
        "answered_as": q.answered_as,
        "asked_at": q.asked_at.isoformat(),
    }


@router.get("/notices", response=list[dict])
def list_notices(request, paging: Query[Page], region: str = "", kind: str = "", year: Year | None = None):
    """Published notices, newest first; ``region`` matches its subtree."""
    rows = rules.published_notices(clock.now()).select_related("region")
    if region:
        found = Region.objects.filter(code=region[:6]).first()
        rows = rows.filter(region__code__startswith=found.scope_prefix) if found else rows.none()
    if kind:
        rows = rows.filter(kind=kind[:12])
    if year:
        rows = rows.filter(publish_at__year=year)
    return [notice_out(n) for n in paging.slice(rows.order_by("-publish_at", "-pk"))]


@router.get("/notices/{notice_id}", response=dict)
def get_notice(request, notice_id: int):
    notice = get_object_or_404(rules.published_notices(clock.now()), pk=notice_id)
    return notice_out(notice, detail=True)


@router.get("/questions", response=list[dict])
def list_questions(request, paging: Query[Page], kind: str = "", target: str = "", year: Year | None = None):
    rows = rules.visible_questions(request.user).exclude(status="hidden")
    if kind:
        rows = rows.filter(kind=kind[:12])
        if target:
            found = rules.target(request.user, kind, target[:80])
            rows = rows.filter(**found.link) if found else rows.none()
    if year:
        rows = rows.filter(asked_at__year=year)
    return [question_out(q) for q in paging.slice(rows.order_by("-asked_at", "-pk"))]


class AskIn(Schema):
    kind: str
    target: str
    body: str


class AnswerIn(Schema):
    answer: str


@router.post("/questions", response={201: dict})
def ask(request, payload: AskIn):
    user = signed_in_user(request)
    question = services.ask(
        actor=user, kind=payload.kind[:12], target=payload.target[:80], body=payload.body, now=clock.now()
    )
    return Status(201, question_out(question))


@router.post("/questions/{question_id}/answer", response=dict)
def answer(request, question_id: int, payload: AnswerIn):
    user = signed_in_user(request)
    get_object_or_404(Question, pk=question_id)
    return question_out(
        services.answer(actor=user, question_id=question_id, text=payload.answer, now=clock.now())
    )
