"""/api/v1/search/saved… and /api/v1/search/notifications…: the signed-in user's saved searches,
demand subscriptions and notifications. Another user's rows answer 404, as if absent."""

from datetime import datetime

from ninja import Router, Schema, Status

from zhouqiao.accounts.auth import signed_in_user
from zhouqiao.core import clock
from zhouqiao.search import selectors, services

router = Router(tags=["search"])


class SavedIn(Schema):
    name: str = ""
    query: str = ""
    kind: str = ""
    demand_id: int | None = None


class SavedOut(Schema):
    id: int
    name: str
    query: str
    kind: str
    demand_id: int | None
    created_at: datetime


class NotificationOut(Schema):
    id: int
    message: str
    kind: str | None
    object_id: int | None
    saved_search_id: int | None
    created_at: datetime
    read_at: datetime | None


class ReadIn(Schema):
    ids: list[int] | None = None


def _saved(s) -> dict:
    return {
        "id": s.pk,
        "name": s.name,
        "query": s.query,
        "kind": s.kind,
        "demand_id": s.demand_id,
        "created_at": s.created_at,
    }


def _notification(n) -> dict:
    return {
        "id": n.pk,
        "message": n.message,
        "kind": n.document.kind if n.document else None,
        "object_id": n.document.object_id if n.document else None,
        "saved_search_id": n.saved_search_id,
        "created_at": n.created_at,
        "read_at": n.read_at,
    }


@router.get("/saved", response=list[SavedOut], summary="我的保存检索与需求订阅")
def saved_list(request):
    return [_saved(s) for s in selectors.saved_searches_of(signed_in_user(request))]


@router.post(
    "/saved", response={201: SavedOut}, summary="保存检索（或以 demand_id 订阅本机构需求的匹配成果）"
)
def saved_create(request, payload: SavedIn):
    user = signed_in_user(request)
    if payload.demand_id is not None:
        saved = services.subscribe_demand(actor=user, demand_id=payload.demand_id, now=clock.now())
    else:
        saved = services.save_search(
            actor=user, name=payload.name, query=payload.query, kind=payload.kind, now=clock.now()
        )
    return Status(201, _saved(saved))


@router.delete("/saved/{pk}", response={204: None}, summary="删除保存检索或订阅")
def saved_delete(request, pk: int):
    services.delete_saved_search(actor=signed_in_user(request), saved_search_id=pk, now=clock.now())
    return Status(204, None)


@router.get("/notifications", response=list[NotificationOut], summary="我的消息（最新 100 条）")
def notification_list(request, unread: bool = False):
    rows = selectors.notifications_of(signed_in_user(request), unread_only=unread)[:100]
    return [_notification(n) for n in rows]


@router.post("/notifications/read", summary="标为已读（不给 ids 则全部）")
def notification_read(request, payload: ReadIn):
    marked = services.mark_read(actor=signed_in_user(request), notification_ids=payload.ids, now=clock.now())
    return {"marked": marked, "unread": selectors.unread_count(request.user)}
