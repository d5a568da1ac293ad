"""Patent pool API at /api/v1/programs/patent-pool: the public pool, the owner's offer and the
officer's decision — the same services as the pages."""

from ninja import Query, Router, Schema, Status

from zhouqiao.accounts.auth import signed_in_user
from zhouqiao.core import clock
from zhouqiao.core.bounds import Page
from zhouqiao.programs.patent_pool import selectors, services

router = Router(tags=["专利收储与运营"])


class OfferIn(Schema):
    reason: str
    asking_price: str | None = None


class AcquireIn(Schema):
    price: str
    reason: str


class RefuseIn(Schema):
    reason: str


def pooled_out(p) -> dict:
    return {
        "id": p.pk,
        "number": p.patent.number,
        "title": p.patent.title,
        "field": p.patent.industry.name if p.patent.industry_id else p.patent.ipc,
        "pool": p.pool.name,
        "status": p.status,
        "status_label": str(p.get_status_display()),
        "listing_id": p.listing_id if p.status == "listed" else None,
        "listing_price": str(p.listing.price) if p.status == "listed" and p.listing_id else None,
        "holder": p.pool.holder.name if p.pool.holder_id else None,
        "licence_terms": p.licence_terms,
    }


def case_out(c) -> dict:
    return {
        "id": c.pk,
        "patent": c.patent.number,
        "title": c.patent.title,
        "origin": c.origin,
        "status": c.status,
        "status_label": str(c.get_status_display()),
        "asking_price": str(c.asking_price) if c.asking_price is not None else None,
        "price": str(c.price) if c.price is not None else None,
        "decision_reason": c.decision_reason,
    }


@router.get("/patents", summary="专利池中可许可、可转让的专利（公开）")
def list_pool(request, paging: Query[Page], q: str = "", status: str = ""):
    return [
        pooled_out(p) for p in paging.slice(selectors.available_patents({"q": q[:100], "status": status}))
    ]


@router.post(
    "/tracked/{patent_id}/offer", response={201: dict}, summary="申请收储拟放弃的发明专利（专利权人的管理员）"
)
def offer(request, patent_id: int, payload: OfferIn):
    case = services.offer_patent(
        actor=signed_in_user(request),
        patent_id=patent_id,
        reason=payload.reason,
        asking_price=payload.asking_price,
        now=clock.now(),
    )
    return Status(201, case_out(case))


@router.post("/cases/{case_id}/acquire", summary="决定收储（辖区项目管理人员）")
def acquire(request, case_id: int, payload: AcquireIn):
    pooled = services.acquire(
        actor=signed_in_user(request),
        case_id=case_id,
        price=payload.price,
        reason=payload.reason,
        now=clock.now(),
    )
    return case_out(pooled.case)


@router.post("/cases/{case_id}/refuse", summary="不予收储（辖区项目管理人员）")
def refuse(request, case_id: int, payload: RefuseIn):
    case = services.refuse(
        actor=signed_in_user(request), case_id=case_id, reason=payload.reason, now=clock.now()
    )
    return case_out(case)
