"""/api/v1/search/saved…: the signed-in user's saved searches and demand subscriptions. Another
user's rows answer 404, as if absent. (Their messages live in the one inbox of ``notifications``.)"""

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


def _saved(s) -> dict:
    return {
        "id": s.pk,
        "name": s.name,
        "query": s.query,
        "kind": s.kind,
        "demand_id": s.demand_id,
        "created_at": s.created_at,
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
