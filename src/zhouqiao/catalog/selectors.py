"""Reads: every list starts from what the user may see (``access``), then applies the filters."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q

from zhouqiao.accounts import scope
from zhouqiao.accounts.models import Duty
from zhouqiao.catalog import access
from zhouqiao.catalog.models import Achievement, AchievementPackage, Demand, TransferMode
from zhouqiao.catalog.states import PackageStatus, RecordStatus
from zhouqiao.core.models import AuditEvent, Region
from zhouqiao.core.money import AmountError, parse_amount


@dataclass
class Filters:
    """The list filters of pages, API and exports, parsed from a query dict; bad values are ignored."""

    q: str = ""
    industry: str = ""  # a key industry slug
    region: str = ""  # a region code (its subtree)
    trl_min: int | None = None
    trl_max: int | None = None
    mode: str = ""
    price_max: Decimal | None = None
    status: str = ""
    mine: bool = False

    @classmethod
    def parse(cls, params) -> "Filters":
        def integer(name):
            try:
                value = int(params.get(name) or "")
            except ValueError:
                return None
            return value if 1 <= value <= 9 else None

        try:  # the one parser (core.money): a bound the database can compare, or no bound
            price = parse_amount(params.get("price_max")) if params.get("price_max") else None
        except AmountError:
            price = None
        mode = params.get("mode") or ""
        return cls(
            q=(params.get("q") or "").strip()[:100],
            industry=(params.get("industry") or "").strip()[:40],
            region=(params.get("region") or "").strip()[:6],
            trl_min=integer("trl_min"),
            trl_max=integer("trl_max"),
            mode=mode if mode in TransferMode.values else "",
            price_max=price,
            status=(params.get("status") or "")
            if (params.get("status") or "") in RecordStatus.values
            else "",
            mine=(params.get("mine") or "") in ("1", "true", "on"),
        )


def _apply_common(qs, f: Filters, user):
    if f.q:
        qs = qs.filter(Q(title__icontains=f.q) | Q(keywords__icontains=f.q))
    if f.industry:
        qs = qs.filter(key_industries__slug=f.industry)
    if f.region:
        region = Region.objects.filter(code=f.region).first()
        qs = qs.filter(region__code__startswith=region.scope_prefix) if region else qs.none()
    if f.status:
        qs = qs.filter(status=f.status)
    if f.mine:
        qs = qs.filter(owner_id__in=access.viewer_of(user).org_ids)
    return qs


def achievements_for(user, filters: Filters | None = None):
    f = filters or Filters()
    qs = Achievement.objects.filter(access.achievement_q(user))
    if not f.mine and not f.status:
        qs = qs.filter(status=RecordStatus.PUBLISHED)
    qs = _apply_common(qs, f, user)
    if f.trl_min:
        qs = qs.filter(readiness__gte=f.trl_min)
    if f.trl_max:
        qs = qs.filter(readiness__lte=f.trl_max)
    if f.mode:
        qs = qs.filter(transfer_modes__contains=f",{f.mode},")
    if f.price_max is not None:
        qs = qs.filter(Q(price_min__lte=f.price_max) | Q(price_kind="negotiable"))
    return qs.select_related("owner", "region", "industry", "discipline").prefetch_related("key_industries")


def achievement_rows(user, filters: Filters | None = None):
    """The list page's achievements as value rows (``access.ACHIEVEMENT_ROW_COLUMNS``): what a row
    shows, without model instances, long texts or related rows; ``access.achievement_row`` reads one."""
    return (
        achievements_for(user, filters)
        .select_related(None)
        .prefetch_related(None)
        .values(*access.ACHIEVEMENT_ROW_COLUMNS)
    )


def demands_for(user, filters: Filters | None = None):
    f = filters or Filters()
    qs = Demand.objects.filter(access.demand_q(user))
    if not f.mine and not f.status:
        qs = qs.filter(status=RecordStatus.PUBLISHED)
    qs = _apply_common(qs, f, user)
    if f.mode:
        qs = qs.filter(cooperation_modes__contains=f",{f.mode},")
    if f.price_max is not None:
        qs = qs.filter(Q(budget_min__lte=f.price_max) | Q(budget_min__isnull=True))
    return qs.select_related("owner", "region", "industry").prefetch_related("key_industries")


def review_queue(user, kind: str):
    """Submitted records in the reviewer's jurisdictions, oldest first."""
    model = Achievement if kind == "achievement" else Demand
    return (
        model.objects.filter(scope.region_q(user, "region", Duty.REVIEWER), status=RecordStatus.SUBMITTED)
        .select_related("owner", "region")
        .order_by("submitted_at", "pk")
    )


def history(record):
    """The audit rows of one record, oldest first: what its owners and reviewers see as history."""
    label = record._meta.label_lower
    return (
        AuditEvent.objects.filter(target_type=label, target_id=str(record.pk))
        .select_related("actor")
        .order_by("at", "id")
    )


def packages_for(user):
    query = Q(status=PackageStatus.PUBLISHED) | scope.region_q(user, "region", Duty.REVIEWER)
    return AchievementPackage.objects.filter(query).select_related("key_industry", "region")


def package_achievements(package, user):
    """The package's achievements that the user may see (closed ones drop out of the public view)."""
    return achievements_for(user).filter(pk__in=package.items.values("achievement_id"))
