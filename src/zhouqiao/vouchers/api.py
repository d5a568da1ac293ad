"""/api/v1/vouchers: budgets, applications, vouchers, the provider directory, orders and redemption.

Every POST that moves money (pool creation and adjustment, approval, direct issue, revocation,
redemption claims, settlement) requires an ``Idempotency-Key`` header; a replay returns the first
response with ``Idempotent-Replayed: true``.
"""

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Status

from zhouqiao.accounts.auth import signed_in_user
from zhouqiao.core import clock
from zhouqiao.core.bounds import Page, Year
from zhouqiao.core.errors import PermissionDenied
from zhouqiao.vouchers import idempotency, ledger, orders, selectors, services
from zhouqiao.vouchers.exceptions import NOT_ALLOWED
from zhouqiao.vouchers.schemas import (
    AdjustIn,
    ApplicationIn,
    CertificationIn,
    CertificationRowIn,
    ClaimIn,
    IssueIn,
    OrderIn,
    PoolIn,
    ReasonIn,
    RelationIn,
    ServiceIn,
    SettleIn,
)
from zhouqiao.vouchers.serializers import (
    application_out,
    certification_out,
    entry_out,
    order_out,
    pool_out,
    service_out,
    voucher_out,
)

router = Router(tags=["vouchers"])


def once(request, response: HttpResponse, endpoint: str, payload, action, status: int = 200):
    """Run a money-moving action once per Idempotency-Key."""
    user = signed_in_user(request)
    code, body, replayed = idempotency.run_once(
        user=user,
        key=idempotency.key_from(request),
        endpoint=endpoint,
        payload=payload,
        action=lambda: (status, action(user)),
        now=clock.now(),
    )
    if replayed:
        response["Idempotent-Replayed"] = "true"
    return Status(code, body)


# --- pools -----------------------------------------------------------------------------------------------


@router.get("/pools", response=list[dict])
def list_pools(request, year: Year | None = None):
    qs = selectors.pools()
    if year:
        qs = qs.filter(year=year)
    return [pool_out(p) for p in qs[:200]]


@router.post("/pools", response={201: dict, 200: dict})
def create_pool(request, response: HttpResponse, payload: PoolIn):
    def action(user):
        return pool_out(
            services.create_pool(
                actor=user,
                jurisdiction_code=payload.jurisdiction,
                year=payload.year,
                budget=payload.budget,
                category=payload.category,
                name=payload.name,
                enterprise_ceiling=payload.enterprise_ceiling,
                voucher_share=payload.voucher_share,
                validity_days=payload.validity_days,
                now=clock.now(),
            )
        )

    return once(request, response, "pools.create", payload.dict(), action, status=201)


@router.post("/pools/{pool_id}/adjust", response=dict)
def adjust_pool(request, response: HttpResponse, pool_id: int, payload: AdjustIn):
    def action(user):
        return pool_out(
            services.adjust_pool(
                actor=user, pool_id=pool_id, amount=payload.amount, note=payload.note, now=clock.now()
            )
        )

    return once(request, response, f"pools.{pool_id}.adjust", payload.dict(), action)


@router.get("/reconcile", response=dict)
def reconcile(request):
    """The ledger invariants, for staff."""
    user = signed_in_user(request)
    pools = selectors.staff_pools(user)
    if not pools.exists():
        raise PermissionDenied(NOT_ALLOWED)
    report = ledger.reconcile(pool_ids=pools.values("pk"))
    return {"ok": report.ok, "checked": report.checked, "problems": report.problems}


# --- certifications and applications --------------------------------------------------------------------


@router.get("/certifications", response=list[dict])
def list_certifications(request, organisation_id: int | None = None):
    qs = selectors.certifications_for(signed_in_user(request))
    if organisation_id:
        qs = qs.filter(organisation_id=organisation_id)
    return [certification_out(c) for c in qs[:200]]


@router.post("/certifications", response={201: dict})
def record_certification(request, payload: CertificationIn):
    cert = services.record_certification(
        actor=signed_in_user(request),
        organisation_id=payload.organisation_id,
        kind=payload.kind,
        number=payload.number,
        valid_from=payload.valid_from,
        valid_until=payload.valid_until,
        now=clock.now(),
    )
    return Status(201, certification_out(cert))


@router.post("/certifications/import", response=dict)
def import_certifications(request, payload: list[CertificationRowIn]):
    """Import a certification list: all rows or none; a bad row is named by its line number."""
    count = services.import_certifications(
        actor=signed_in_user(request), rows=[r.dict() for r in payload], now=clock.now()
    )
    return {"imported": count}


@router.get("/applications", response=list[dict])
def list_applications(request, paging: Query[Page], status: str = ""):
    qs = selectors.applications_for(signed_in_user(request))
    if status:
        qs = qs.filter(status=status)
    return [application_out(a) for a in paging.slice(qs)]


@router.post("/applications", response={201: dict})
def apply(request, payload: ApplicationIn):
    app = services.apply_for_voucher(
        actor=signed_in_user(request),
        enterprise_id=payload.enterprise_id,
        category=payload.category,
        amount=payload.amount,
        purpose=payload.purpose,
        now=clock.now(),
    )
    return Status(201, application_out(app))


def _application_pk(user, application_id: int) -> int:
    return get_object_or_404(selectors.applications_for(user), pk=application_id).pk


@router.post("/applications/{application_id}/approve", response=dict)
def approve_application(request, response: HttpResponse, application_id: int):
    def action(user):
        return application_out(
            services.approve_application(
                actor=user, application_id=_application_pk(user, application_id), now=clock.now()
            )
        )

    return once(request, response, f"applications.{application_id}.approve", {}, action)


@router.post("/applications/{application_id}/{move}", response=dict)
def move_application(request, application_id: int, move: str, payload: ReasonIn):
    user = signed_in_user(request)
    target = {"return": "returned", "withdraw": "withdrawn", "resubmit": "submitted"}.get(move)
    if target is None:
        raise PermissionDenied(NOT_ALLOWED, code="unknown_action", status=404)
    app = services.transition_application(
        actor=user,
        application_id=_application_pk(user, application_id),
        to_status=target,
        reason=payload.reason,
        now=clock.now(),
    )
    return application_out(app)


# --- vouchers -------------------------------------------------------------------------------------------


@router.get("/vouchers", response=list[dict])
def list_vouchers(request, paging: Query[Page], status: str = ""):
    qs = selectors.vouchers_for(signed_in_user(request))
    if status:
        qs = qs.filter(status=status)
    return [voucher_out(v) for v in paging.slice(qs)]


@router.get("/vouchers/{voucher_id}", response=dict)
def get_voucher(request, voucher_id: int):
    voucher = get_object_or_404(selectors.vouchers_for(signed_in_user(request)), pk=voucher_id)
    return {**voucher_out(voucher), "entries": [entry_out(e) for e in selectors.entries_of(voucher)]}


@router.post("/vouchers", response={201: dict, 200: dict})
def issue_voucher(request, response: HttpResponse, payload: IssueIn):
    """Issue without an application: ``source`` = ``high_tech_subsidy`` (001#20) or ``staff``."""

    def action(user):
        return voucher_out(
            services.issue_voucher(
                actor=user,
                pool_id=payload.pool_id,
                enterprise_id=payload.enterprise_id,
                category=payload.category,
                amount=payload.amount,
                source=payload.source,
                source_ref=payload.source_ref,
                now=clock.now(),
            )
        )

    return once(request, response, "vouchers.issue", payload.dict(), action, status=201)


@router.post("/vouchers/{voucher_id}/revoke", response=dict)
def revoke_voucher(request, response: HttpResponse, voucher_id: int, payload: ReasonIn):
    def action(user):
        pk = get_object_or_404(selectors.vouchers_for(user), pk=voucher_id).pk
        return voucher_out(
            services.revoke_voucher(actor=user, voucher_id=pk, reason=payload.reason, now=clock.now())
        )

    return once(request, response, f"vouchers.{voucher_id}.revoke", payload.dict(), action)


# --- provider directory ----------------------------------------------------------------------------------


@router.get("/services", response=list[dict])
def list_services(request, paging: Query[Page], category: str = "", q: str = ""):
    """The provider directory (approved services), public."""
    return [service_out(s) for s in paging.slice(selectors.directory(category=category, q=q))]


@router.post("/services", response={201: dict})
def register_service(request, payload: ServiceIn):
    service = orders.register_service(
        actor=signed_in_user(request),
        provider_id=payload.provider_id,
        category=payload.category,
        name=payload.name,
        price=payload.price,
        unit=payload.unit,
        description=payload.description,
        now=clock.now(),
    )
    return Status(201, service_out(service))


@router.post("/services/{service_id}/{move}", response=dict)
def move_service(request, service_id: int, move: str, payload: ReasonIn):
    user = signed_in_user(request)
    target = {"approve": "approved", "return": "returned", "resubmit": "submitted"}.get(move)
    if target is None:
        raise PermissionDenied(NOT_ALLOWED, code="unknown_action", status=404)
    pk = get_object_or_404(selectors.services_for(user), pk=service_id).pk
    return service_out(
        orders.transition_service(
            actor=user, service_id=pk, to_status=target, reason=payload.reason, now=clock.now()
        )
    )


@router.post("/relations", response={201: dict})
def record_relation(request, payload: RelationIn):
    """Record a relation between a provider and an enterprise (shared shareholder, shared contact…):
    the provider may then not redeem that enterprise's vouchers."""
    relation = orders.record_relation(
        actor=signed_in_user(request),
        provider_id=payload.provider_id,
        enterprise_id=payload.enterprise_id,
        description=payload.description,
        now=clock.now(),
    )
    return Status(
        201,
        {
            "id": relation.pk,
            "provider_id": relation.provider_id,
            "enterprise_id": relation.enterprise_id,
            "description": relation.description,
        },
    )


# --- orders and redemption ------------------------------------------------------------------------------


@router.get("/orders", response=list[dict])
def list_orders(request, paging: Query[Page], status: str = ""):
    qs = selectors.orders_for(signed_in_user(request))
    if status:
        qs = qs.filter(status=status)
    return [order_out(o) for o in paging.slice(qs)]


@router.post("/orders", response={201: dict})
def place_order(request, payload: OrderIn):
    order = orders.place_order(
        actor=signed_in_user(request),
        enterprise_id=payload.enterprise_id,
        service_id=payload.service_id,
        voucher_id=payload.voucher_id,
        price=payload.price,
        description=payload.description,
        now=clock.now(),
    )
    return Status(201, order_out(order))


def _order_pk(user, order_id: int) -> int:
    return get_object_or_404(selectors.orders_for(user), pk=order_id).pk


@router.post("/orders/{order_id}/claim", response=dict)
def claim(request, response: HttpResponse, order_id: int, payload: ClaimIn):
    """The provider claims the voucher's share of a delivered order."""

    def action(user):
        orders.claim_redemption(
            actor=user, order_id=_order_pk(user, order_id), amount=payload.amount, now=clock.now()
        )
        return order_out(selectors.orders_for(user).get(pk=order_id))

    return once(request, response, f"orders.{order_id}.claim", payload.dict(), action)


@router.post("/orders/{order_id}/settle", response=dict)
def settle(request, response: HttpResponse, order_id: int, payload: SettleIn):
    def action(user):
        return order_out(
            orders.settle_redemption(
                actor=user,
                order_id=_order_pk(user, order_id),
                settlement_ref=payload.settlement_ref,
                now=clock.now(),
            )
        )

    return once(request, response, f"orders.{order_id}.settle", payload.dict(), action)


@router.post("/orders/{order_id}/{move}", response=dict)
def move_order(request, order_id: int, move: str):
    user = signed_in_user(request)
    service = {
        "deliver": orders.deliver_order,
        "confirm": orders.confirm_redemption,
        "cancel": orders.cancel_order,
    }.get(move)
    if service is None:
        raise PermissionDenied(NOT_ALLOWED, code="unknown_action", status=404)
    return order_out(service(actor=user, order_id=_order_pk(user, order_id), now=clock.now()))
