"""/api/v1/catalog/…: the same reads (``access``) and writes (``services``) as the pages.

Amounts are strings (yuan, two places). A demand's detail fields are absent from the JSON — not
null — for a caller who may see only its summary.
"""

from datetime import date, datetime

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status

from zhouqiao.accounts import scope
from zhouqiao.accounts.auth import signed_in_user
from zhouqiao.accounts.models import Duty
from zhouqiao.catalog import access, selectors, services
from zhouqiao.catalog.models import Achievement, Demand, ImportJob
from zhouqiao.core import clock
from zhouqiao.core.bounds import Page
from zhouqiao.core.errors import NotFound, PermissionDenied

router = Router(tags=["catalog"])
MAX_LIMIT = 200


def _money(value):
    return None if value is None else format(value, "f")


class IPItem(Schema):
    kind: str
    number: str = ""
    status: str = "granted"
    filed_on: date | None = None
    granted_on: date | None = None


class IPItemOut(IPItem):
    kind_display: str
    status_display: str


class AttachmentOut(Schema):
    id: int
    name: str
    size: int


class RecordOut(Schema):
    id: int
    title: str
    status: str
    status_display: str
    owner_id: int
    owner_name: str
    region_code: str
    region_name: str
    industry_code: str
    industry_name: str
    key_industries: list[str]
    keywords: list[str]
    published_at: datetime | None
    is_sample: bool


class AchievementOut(RecordOut):
    abstract: str
    problem: str
    advantages: str
    scenarios: str
    economics: str
    readiness: int
    readiness_display: str
    patent_class: str
    discipline: str
    transfer_modes: list[str]
    price_kind: str
    price_min: str | None
    price_max: str | None
    team: str
    contact_name: str
    contact_phone: str
    contact_email: str
    ip_items: list[IPItemOut]
    attachments: list[AttachmentOut]
    status_reason: str


class DemandOut(RecordOut):
    summary: str
    budget_min: str | None
    budget_max: str | None
    deadline: date | None
    cooperation_modes: list[str]
    confidentiality: str
    access: str
    problem: str | None = None
    indicators: str | None = None
    current_approach: str | None = None
    contact_name: str | None = None
    contact_phone: str | None = None
    contact_email: str | None = None
    attachments: list[AttachmentOut] | None = None
    status_reason: str | None = None


class AchievementIn(Schema):
    owner_id: int | None = None
    title: str
    abstract: str
    problem: str = ""
    advantages: str = ""
    scenarios: str = ""
    economics: str = ""
    readiness: int
    industry: str = ""
    patent_class: str = ""
    discipline: str = ""
    key_industries: list[str] = []
    keywords: str = ""
    transfer_modes: list[str]
    price_kind: str = "negotiable"
    price_min: str | None = None
    price_max: str | None = None
    team: str = ""
    contact_name: str = ""
    contact_phone: str = ""
    contact_email: str = ""
    ip_items: list[IPItem] = []


class DemandIn(Schema):
    owner_id: int | None = None
    title: str
    summary: str
    problem: str
    indicators: str = ""
    current_approach: str = ""
    budget_min: str | None = None
    budget_max: str | None = None
    deadline: date | None = None
    cooperation_modes: list[str] = []
    confidentiality: str = "public"
    industry: str = ""
    key_industries: list[str] = []
    keywords: str = ""
    contact_name: str = ""
    contact_phone: str = ""
    contact_email: str = ""


class ReasonIn(Schema):
    reason: str = ""


class InviteIn(Schema):
    organisation_id: int


class HistoryOut(Schema):
    at: datetime
    actor: str
    action: str
    reason: str
    before: dict | None
    after: dict | None


class PackageOut(Schema):
    id: int
    title: str
    theme: str
    key_industry: str | None
    description: str
    region_code: str
    status: str
    published_at: datetime | None
    achievement_ids: list[int]


class ImportJobOut(Schema):
    id: int
    kind: str
    status: str
    total_rows: int
    checked_rows: int
    written_rows: int
    error_count: int
    errors: list[dict]
    percent: int


def achievement_out(user, record) -> dict:
    data = access.achievement_fields(user, record)
    return data | {"price_min": _money(data["price_min"]), "price_max": _money(data["price_max"])}


def demand_out(user, record) -> dict:
    data = access.demand_fields(user, record)
    return data | {"budget_min": _money(data["budget_min"]), "budget_max": _money(data["budget_max"])}


def _owner_id(user, given: int | None) -> int:
    if given:
        return given
    ids = scope.organisation_ids(user)
    if len(ids) != 1:
        raise PermissionDenied(_("请用 owner_id 指明所属机构。") if ids else _("请先加入一个机构。"))
    return ids[0]


def _visible(user, kind: str, pk: int):
    model = Achievement if kind == "achievement" else Demand
    record = get_object_or_404(model.objects.select_related("owner", "region", "industry"), pk=pk)
    fields = access.achievement_fields if kind == "achievement" else access.demand_fields
    if fields(user, record) is None:
        raise NotFound(_("记录不存在或您无权查看。"))
    return record


@router.get("/achievements", response=list[AchievementOut])
def list_achievements(
    request,
    paging: Query[Page],
    q: str = "",
    industry: str = "",
    region: str = "",
    trl_min: int | None = None,
    trl_max: int | None = None,
    mode: str = "",
    price_max: str = "",
    status: str = "",
    mine: bool = False,
):
    """Published achievements (and, with ``mine`` or ``status``, the caller's own or those under review)."""
    filters = selectors.Filters.parse(
        {
            "q": q,
            "industry": industry,
            "region": region,
            "trl_min": trl_min,
            "trl_max": trl_max,
            "mode": mode,
            "price_max": price_max,
            "status": status,
            "mine": "1" if mine else "",
        }
    )
    qs = selectors.achievements_for(request.user, filters).prefetch_related("ip_items", "attachments")
    return [achievement_out(request.user, a) for a in paging.slice(qs)]


@router.get("/achievements/{pk}", response=AchievementOut)
def get_achievement(request, pk: int):
    return achievement_out(request.user, _visible(request.user, "achievement", pk))


@router.post("/achievements", response={201: AchievementOut})
def create_achievement(request, payload: AchievementIn):
    user = signed_in_user(request)
    data = payload.dict()
    ip = data.pop("ip_items")
    record = services.create_achievement(
        actor=user, owner_id=_owner_id(user, data.pop("owner_id")), data=data, ip_items=ip, now=clock.now()
    )
    return Status(201, achievement_out(user, record))


@router.put("/achievements/{pk}", response=AchievementOut)
def update_achievement(request, pk: int, payload: AchievementIn):
    user = signed_in_user(request)
    record = _visible(user, "achievement", pk)
    data = payload.dict()
    ip = data.pop("ip_items")
    record = services.update_achievement(
        actor=user, achievement_id=record.pk, data=data, ip_items=ip, now=clock.now()
    )
    return achievement_out(user, record)


@router.get("/demands", response=list[DemandOut], exclude_unset=True)
def list_demands(
    request,
    paging: Query[Page],
    q: str = "",
    industry: str = "",
    region: str = "",
    mode: str = "",
    price_max: str = "",
    status: str = "",
    mine: bool = False,
):
    filters = selectors.Filters.parse(
        {
            "q": q,
            "industry": industry,
            "region": region,
            "mode": mode,
            "price_max": price_max,
            "status": status,
            "mine": "1" if mine else "",
        }
    )
    qs = selectors.demands_for(request.user, filters).prefetch_related("attachments")
    return [demand_out(request.user, d) for d in paging.slice(qs)]


@router.get("/demands/{pk}", response=DemandOut, exclude_unset=True)
def get_demand(request, pk: int):
    return demand_out(request.user, _visible(request.user, "demand", pk))


@router.post("/demands", response={201: DemandOut}, exclude_unset=True)
def create_demand(request, payload: DemandIn):
    user = signed_in_user(request)
    data = payload.dict()
    record = services.create_demand(
        actor=user, owner_id=_owner_id(user, data.pop("owner_id")), data=data, now=clock.now()
    )
    return Status(201, demand_out(user, record))


@router.put("/demands/{pk}", response=DemandOut, exclude_unset=True)
def update_demand(request, pk: int, payload: DemandIn):
    user = signed_in_user(request)
    record = _visible(user, "demand", pk)
    data = payload.dict()
    data.pop("owner_id")
    record = services.update_demand(actor=user, demand_id=record.pk, data=data, now=clock.now())
    return demand_out(user, record)


@router.post("/demands/{pk}/invitations", response={201: dict})
def invite(request, pk: int, payload: InviteIn):
    user = signed_in_user(request)
    record = _visible(user, "demand", pk)
    services.invite(actor=user, demand_id=record.pk, organisation_id=payload.organisation_id, now=clock.now())
    return Status(201, {"demand_id": record.pk, "organisation_id": payload.organisation_id})


def _transition(request, kind: str, pk: int, to_status: str, reason: str = "", close_reason: str = ""):
    user = signed_in_user(request)
    record = _visible(user, kind, pk)
    record = services.transition(
        actor=user,
        kind=kind,
        record_id=record.pk,
        to_status=to_status,
        reason=reason,
        close_reason=close_reason,
        now=clock.now(),
    )
    return achievement_out(user, record) if kind == "achievement" else demand_out(user, record)


for _kind, _plural, _schema in (
    ("achievement", "achievements", AchievementOut),
    ("demand", "demands", DemandOut),
):

    def _register(kind=_kind, plural=_plural, schema=_schema):
        @router.post(
            f"/{plural}/{{pk}}/submit", response=schema, exclude_unset=True, operation_id=f"submit_{kind}"
        )
        def submit(request, pk: int):
            """Submit (or resubmit after a return) for review by the region's reviewer."""
            return _transition(request, kind, pk, "submitted")

        @router.post(
            f"/{plural}/{{pk}}/publish", response=schema, exclude_unset=True, operation_id=f"publish_{kind}"
        )
        def publish(request, pk: int):
            return _transition(request, kind, pk, "published")

        @router.post(
            f"/{plural}/{{pk}}/return", response=schema, exclude_unset=True, operation_id=f"return_{kind}"
        )
        def return_(request, pk: int, payload: ReasonIn):
            return _transition(request, kind, pk, "returned", payload.reason)

        @router.post(
            f"/{plural}/{{pk}}/close", response=schema, exclude_unset=True, operation_id=f"close_{kind}"
        )
        def close(
            request,
            pk: int,
            close_reason: str = Query(
                "",
                max_length=20,
                description="仅技术需求：关闭原因 platform_deal（已通过平台成交解决，须有本需求的平台成交记录）、contract（已通过技术合同解决）、"
                "solved_elsewhere（已自行或线下解决）、not_needed（不再需要）",
            ),
        ):
            return _transition(request, kind, pk, "closed", close_reason=close_reason)

        @router.get(f"/{plural}/{{pk}}/history", response=list[HistoryOut], operation_id=f"history_{kind}")
        def history(request, pk: int):
            """The record's audit trail; for its owner's members and its reviewers."""
            user = signed_in_user(request)
            record = _visible(user, kind, pk)
            if not (access.may_edit(user, record) or access.may_review(user, record)):
                raise PermissionDenied(_("您无权查看办理记录。"))
            return [
                {
                    "at": e.at,
                    "actor": e.actor_name,
                    "action": e.action,
                    "reason": e.reason,
                    "before": e.before,
                    "after": e.after,
                }
                for e in selectors.history(record)
            ]

    _register()


@router.get("/review-queue", response=list[dict])
def review_queue(request, kind: str = "achievement"):
    user = signed_in_user(request)
    if not scope.has_duty(user, Duty.REVIEWER):
        raise PermissionDenied(_("您无权执行此操作。"))
    return [
        {
            "id": r.pk,
            "title": r.title,
            "owner_name": r.owner.name,
            "region_code": r.region_id,
            "submitted_at": r.submitted_at,
        }
        for r in selectors.review_queue(user, kind)[:MAX_LIMIT]
    ]


def package_out(package, user) -> dict:
    return {
        "id": package.pk,
        "title": package.title,
        "theme": package.theme,
        "key_industry": package.key_industry_id,
        "description": package.description,
        "region_code": package.region_id,
        "status": package.status,
        "published_at": package.published_at,
        "achievement_ids": list(
            selectors.package_achievements(package, user).order_by("pk").values_list("pk", flat=True)
        ),
    }


@router.get("/packages", response=list[PackageOut])
def list_packages(request):
    return [package_out(p, request.user) for p in selectors.packages_for(request.user)[:MAX_LIMIT]]


@router.get("/packages/{pk}", response=PackageOut)
def get_package(request, pk: int):
    return package_out(get_object_or_404(selectors.packages_for(request.user), pk=pk), request.user)


@router.get("/import-jobs/{pk}", response=ImportJobOut)
def import_job(request, pk: int):
    user = signed_in_user(request)
    job = get_object_or_404(ImportJob.objects.select_related("owner"), pk=pk)
    if not scope.is_member(user, job.owner):
        raise NotFound(_("记录不存在或您无权查看。"))
    return {
        "id": job.pk,
        "kind": job.kind,
        "status": job.status,
        "total_rows": job.total_rows,
        "checked_rows": job.checked_rows,
        "written_rows": job.written_rows,
        "error_count": job.error_count,
        "errors": job.errors,
        "percent": job.percent,
    }
