"""What waits in innovation vouchers, and who is told (called inside the voucher services).

application submitted / resubmitted → reviewers of the pool's jurisdiction     (vouchers.application_submitted)
application approved / returned     → the applicant                             (vouchers.application_approved/_returned)
voucher expiring within N days      → the holder's administrators               (vouchers.expiring)
service submitted                   → reviewers of the provider's region       (vouchers.service_submitted)
service approved / returned         → the provider's administrators             (vouchers.service_approved/_returned)
order placed                        → the provider's administrators: deliver    (vouchers.order_placed)
redemption claimed                  → the enterprise's administrators: confirm  (vouchers.claimed)
redemption confirmed                → the claimer (vouchers.confirmed); finance: settle (vouchers.to_settle)
redemption settled                  → the claimer                               (vouchers.settled)

"Reviewers (finance) of a region" are the nearest: staff holding the duty for the region itself,
else for its city, else for its province — the bureau whose work it is, not every bureau above
it that could also act. The to-do lists use the same rule, so a person is listed what they are told.
"""

from datetime import datetime, time, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhouqiao.accounts import scope
from zhouqiao.accounts.models import Duty, MemberRole, StaffAssignment
from zhouqiao.core import clock
from zhouqiao.core.money import format_yuan
from zhouqiao.notifications import recipients
from zhouqiao.notifications.registry import Todo, kind, todo_source
from zhouqiao.notifications.services import notify
from zhouqiao.vouchers.models import Application, ProviderService, ServiceOrder, Voucher
from zhouqiao.vouchers.states import ApplicationStatus, OrderStatus, ServiceStatus, VoucherStatus

APPLICATION_SUBMITTED = kind("vouchers.application_submitted", gettext_lazy("创新券申请待审核"))
APPLICATION_APPROVED = kind("vouchers.application_approved", gettext_lazy("创新券申请已批准"))
APPLICATION_RETURNED = kind("vouchers.application_returned", gettext_lazy("创新券申请被退回"))
EXPIRING = kind("vouchers.expiring", gettext_lazy("创新券即将到期"))
SERVICE_SUBMITTED = kind("vouchers.service_submitted", gettext_lazy("创新券服务待审核"))
SERVICE_APPROVED = kind("vouchers.service_approved", gettext_lazy("创新券服务已入库"))
SERVICE_RETURNED = kind("vouchers.service_returned", gettext_lazy("创新券服务被退回"))
ORDER_PLACED = kind("vouchers.order_placed", gettext_lazy("收到创新券服务订单"))
CLAIMED = kind("vouchers.claimed", gettext_lazy("创新券兑付待企业确认"))
CONFIRMED = kind("vouchers.confirmed", gettext_lazy("企业已确认创新券兑付"))
TO_SETTLE = kind("vouchers.to_settle", gettext_lazy("创新券兑付待结算"))
SETTLED = kind("vouchers.settled", gettext_lazy("创新券兑付已结算"))

LIMIT = 200


# --- the nearest bureau ---------------------------------------------------------------------------


def _chain(code: str) -> list[str]:
    """The region, its city and its province (GB/T 2260 codes are hierarchical)."""
    chain = []
    for candidate in (code, code[:4] + "00", code[:2] + "0000"):
        if candidate not in chain:
            chain.append(candidate)
    return chain


def nearest_jurisdictions(duty: str, region_codes) -> dict[str, str | None]:
    """For each region, the nearest jurisdiction (itself, its city, its province) where someone
    holds ``duty``; one query."""
    codes = {c for c in region_codes if c}
    chains = {c: _chain(c) for c in codes}
    staffed = set(
        StaffAssignment.objects.filter(
            duty=duty,
            user__is_active=True,
            jurisdiction_id__in={j for chain in chains.values() for j in chain},
        ).values_list("jurisdiction_id", flat=True)
    )
    return {c: next((j for j in chain if j in staffed), None) for c, chain in chains.items()}


def nearest_staff(duty: str, region_code: str):
    jurisdiction = nearest_jurisdictions(duty, [region_code]).get(region_code)
    if jurisdiction is None:
        return get_user_model().objects.none()
    return (
        get_user_model()
        .objects.filter(assignments__duty=duty, assignments__jurisdiction_id=jurisdiction, is_active=True)
        .distinct()
    )


def _waiting_on_me(user, duty: str, rows, region_of) -> list:
    """The rows (within the user's jurisdictions) whose nearest bureau is one of the user's."""
    rows = list(rows)
    if not rows:  # nothing waits in the jurisdictions: no need to ask whose it is
        return []
    mine = set(StaffAssignment.objects.filter(user=user, duty=duty).values_list("jurisdiction_id", flat=True))
    nearest = nearest_jurisdictions(duty, {region_of(r) for r in rows})
    return [r for r in rows if nearest.get(region_of(r)) in mine]


def _users(*users):
    return [u for u in users if u is not None and u.is_active]


# --- notifications ---------------------------------------------------------------------------------


def application_changed(app: Application, *, now) -> None:
    url = reverse("vouchers:application", args=[app.pk])
    text = _("%(enterprise)s申请%(category)s类创新券%(amount)s") % {
        "enterprise": app.enterprise.name,
        "category": app.get_category_display(),
        "amount": format_yuan(app.amount),
    }
    if app.status == ApplicationStatus.SUBMITTED:
        notify(
            nearest_staff(Duty.REVIEWER, app.pool.jurisdiction_id),
            kind=APPLICATION_SUBMITTED,
            title=_("待审核：%(t)s") % {"t": text},
            url=url,
            # a resubmission after a return is a new event
            key=f"voucher.application:{app.pk}:submitted:{now.isoformat()}",
            now=now,
        )
    elif app.status == ApplicationStatus.APPROVED:
        notify(
            _users(app.applicant),
            kind=APPLICATION_APPROVED,
            title=_("已批准并发放创新券：%(t)s") % {"t": text},
            url=url,
            key=f"voucher.application:{app.pk}:approved",
            now=now,
        )
    elif app.status == ApplicationStatus.RETURNED:
        notify(
            _users(app.applicant),
            kind=APPLICATION_RETURNED,
            title=_("被退回：%(t)s") % {"t": text},
            body=app.status_reason,
            url=url,
            key=f"voucher.application:{app.pk}:returned:{now.isoformat()}",
            now=now,
        )


def service_changed(service: ProviderService, *, now) -> None:
    text = _("%(provider)s的“%(name)s”") % {"provider": service.provider.name, "name": service.name}
    stamp = now.isoformat()
    if service.status == ServiceStatus.SUBMITTED:
        notify(
            nearest_staff(Duty.REVIEWER, service.provider.region_id),
            kind=SERVICE_SUBMITTED,
            title=_("待审核的创新券服务：%(t)s") % {"t": text},
            url=reverse("vouchers:office"),
            key=f"voucher.service:{service.pk}:submitted:{stamp}",
            now=now,
        )
    elif service.status == ServiceStatus.APPROVED:
        notify(
            recipients.org_admins(service.provider),
            kind=SERVICE_APPROVED,
            title=_("已进入服务机构名录：%(t)s") % {"t": text},
            url=reverse("vouchers:providers"),
            key=f"voucher.service:{service.pk}:approved:{stamp}",
            now=now,
        )
    elif service.status == ServiceStatus.RETURNED:
        notify(
            recipients.org_admins(service.provider),
            kind=SERVICE_RETURNED,
            title=_("被退回，请修改后重新提交：%(t)s") % {"t": text},
            body=service.status_reason,
            url=reverse("vouchers:service_edit", args=[service.pk]),
            key=f"voucher.service:{service.pk}:returned:{stamp}",
            now=now,
        )


def _order_text(order: ServiceOrder, paid=None) -> str:
    """The order in words. ``paid``: the voucher's payment, for steps about it (a claim, its
    confirmation, its settlement) — the enterprise pays the rest itself."""
    values = {
        "enterprise": order.enterprise.name,
        "service": order.service.name,
        "price": format_yuan(order.price),
    }
    if paid is None:
        return _("%(enterprise)s · %(service)s（订单%(price)s）") % values
    return _("%(enterprise)s · %(service)s，创新券支付%(paid)s（订单%(price)s）") % (
        values | {"paid": format_yuan(paid)}
    )


def _paid(order: ServiceOrder):
    """The voucher's payment on an order (its redemptions, prefetched or not); None before a claim."""
    amounts = [r.amount for r in order.redemptions.all()]
    return sum(amounts) if amounts else None


def order_changed(order: ServiceOrder, *, now, claimed_by=None) -> None:
    """Tell whoever the order now waits on. ``claimed_by``: the provider's person who claimed."""
    url = reverse("vouchers:order", args=[order.pk])
    key = f"voucher.order:{order.pk}:{order.status}"
    text = _order_text(order, _paid(order) if order.status != OrderStatus.PLACED else None)
    if order.status == OrderStatus.PLACED:
        notify(
            recipients.org_admins(order.provider),
            kind=ORDER_PLACED,
            title=_("新的创新券服务订单：%(t)s") % {"t": text},
            url=url,
            key=key,
            now=now,
        )
    elif order.status == OrderStatus.CLAIMED:
        notify(
            recipients.org_admins(order.enterprise),
            kind=CLAIMED,
            title=_("服务机构已申请创新券兑付，请确认：%(t)s") % {"t": text},
            url=url,
            key=key,
            now=now,
        )
    elif order.status in (OrderStatus.CONFIRMED, OrderStatus.SETTLED):
        redemption = order.redemptions.select_related("claimed_by").first()
        claimer = claimed_by or (redemption.claimed_by if redemption else None)
        done = order.status == OrderStatus.CONFIRMED
        notify(
            _users(claimer),
            kind=CONFIRMED if done else SETTLED,
            title=(_("企业已确认兑付：%(t)s") if done else _("创新券兑付已结算拨付：%(t)s")) % {"t": text},
            url=url,
            key=key,
            now=now,
        )
        if done:
            notify(
                nearest_staff(Duty.FINANCE, order.voucher.pool.jurisdiction_id),
                kind=TO_SETTLE,
                title=_("待结算的创新券兑付：%(t)s") % {"t": text},
                url=url,
                key=f"{key}:finance",
                now=now,
            )


def expiry_notice_days() -> int:
    """How many days before expiry holders are told (setting ``VOUCHER_EXPIRY_NOTICE_DAYS``, 30)."""
    return settings.VOUCHER_EXPIRY_NOTICE_DAYS


@transaction.atomic
def remind_expiring(*, days: int, now) -> int:
    """Tell each holder's administrators about active vouchers with a balance that expire within
    ``days`` days; once per voucher and expiry date (re-running the same day tells nobody twice)."""
    today = timezone.localdate(now)
    due = Voucher.objects.filter(
        status=VoucherStatus.ACTIVE,
        remaining__gt=0,
        expires_on__gte=today,
        expires_on__lte=today + timedelta(days=days),
    ).select_related("enterprise")
    told = 0
    for voucher in due:
        told += notify(
            recipients.org_admins(voucher.enterprise),
            kind=EXPIRING,
            title=_("创新券%(code)s将于%(day)s到期，余额%(amount)s")
            % {
                "code": voucher.code,
                "day": voucher.expires_on.isoformat(),
                "amount": format_yuan(voucher.remaining),
            },
            url=reverse("vouchers:voucher", args=[voucher.pk]),
            key=f"voucher:{voucher.pk}:expiring:{voucher.expires_on.isoformat()}",
            now=now,
        )
    return told


# --- to-dos ----------------------------------------------------------------------------------------


def _admin_org_ids(user) -> list[int]:
    return scope.organisation_ids(user, MemberRole.ADMIN)


@todo_source(gettext_lazy("待确认的创新券兑付"))
def redemptions_to_confirm(user):
    orgs = _admin_org_ids(user)
    if not orgs:
        return []
    rows = (
        ServiceOrder.objects.filter(enterprise_id__in=orgs, status=OrderStatus.CLAIMED)
        .select_related("service", "enterprise")
        .prefetch_related("redemptions")
        .order_by("placed_at")[:LIMIT]
    )
    return [
        Todo(
            title=_("确认创新券兑付：%(t)s") % {"t": _order_text(o, _paid(o))},
            url=reverse("vouchers:order", args=[o.pk]),
            since=min((r.claimed_at for r in o.redemptions.all()), default=o.placed_at),
        )
        for o in rows
    ]


@todo_source(gettext_lazy("待交付的创新券服务订单"))
def orders_to_deliver(user):
    orgs = _admin_org_ids(user)
    if not orgs:
        return []
    rows = (
        ServiceOrder.objects.filter(provider_id__in=orgs, status=OrderStatus.PLACED)
        .select_related("service", "enterprise")
        .order_by("placed_at")[:LIMIT]
    )
    return [
        Todo(
            title=_("交付服务：%(t)s") % {"t": _order_text(o)},
            url=reverse("vouchers:order", args=[o.pk]),
            since=o.placed_at,
        )
        for o in rows
    ]


@todo_source(gettext_lazy("已交付待申请兑付的创新券订单"))
def redemptions_to_claim(user):
    """Delivered orders: the provider's next step is to claim the voucher's share."""
    orgs = _admin_org_ids(user)
    if not orgs:
        return []
    rows = (
        ServiceOrder.objects.filter(provider_id__in=orgs, status=OrderStatus.DELIVERED)
        .select_related("service", "enterprise")
        .order_by("delivered_at", "placed_at")[:LIMIT]
    )
    return [
        Todo(
            title=_("申请创新券兑付：%(t)s") % {"t": _order_text(o)},
            url=reverse("vouchers:order", args=[o.pk]),
            since=o.delivered_at or o.placed_at,
        )
        for o in rows
    ]


@todo_source(gettext_lazy("被退回待修改的创新券申请"))
def applications_to_resubmit(user):
    """Returned applications: the enterprise resubmits (the reviewer said why)."""
    orgs = _admin_org_ids(user)
    if not orgs:
        return []
    rows = (
        Application.objects.filter(enterprise_id__in=orgs, status=ApplicationStatus.RETURNED)
        .select_related("enterprise")
        .order_by("decided_at")[:LIMIT]
    )
    return [
        Todo(
            title=_("重新提交创新券申请：%(enterprise)s，%(amount)s")
            % {"enterprise": a.enterprise.name, "amount": format_yuan(a.amount)},
            url=reverse("vouchers:application", args=[a.pk]),
            since=a.decided_at or a.submitted_at,
            detail=a.status_reason,
        )
        for a in rows
    ]


@todo_source(gettext_lazy("待审核的创新券申请"))
def applications_to_review(user):
    if not scope.has_duty(user, Duty.REVIEWER):
        return []
    rows = (
        Application.objects.filter(
            scope.region_q(user, "pool__jurisdiction", Duty.REVIEWER), status=ApplicationStatus.SUBMITTED
        )
        .select_related("enterprise", "pool")
        .order_by("submitted_at")[:LIMIT]
    )
    return [
        Todo(
            title=_("审核创新券申请：%(enterprise)s，%(amount)s")
            % {"enterprise": a.enterprise.name, "amount": format_yuan(a.amount)},
            url=reverse("vouchers:application", args=[a.pk]),
            since=a.submitted_at,
        )
        for a in _waiting_on_me(user, Duty.REVIEWER, rows, lambda a: a.pool.jurisdiction_id)
    ]


@todo_source(gettext_lazy("待审核的创新券服务"))
def services_to_review(user):
    if not scope.has_duty(user, Duty.REVIEWER):
        return []
    rows = (
        ProviderService.objects.filter(
            scope.region_q(user, "provider__region", Duty.REVIEWER), status=ServiceStatus.SUBMITTED
        )
        .select_related("provider")
        .order_by("submitted_at")[:LIMIT]
    )
    return [
        Todo(
            title=_("审核创新券服务：%(provider)s的“%(name)s”")
            % {"provider": s.provider.name, "name": s.name},
            url=reverse("vouchers:office"),
            since=s.submitted_at,
        )
        for s in _waiting_on_me(user, Duty.REVIEWER, rows, lambda s: s.provider.region_id)
    ]


@todo_source(gettext_lazy("待结算的创新券兑付"))
def settlements_to_pay(user):
    if not scope.has_duty(user, Duty.FINANCE):
        return []
    rows = (
        ServiceOrder.objects.filter(
            scope.region_q(user, "voucher__pool__jurisdiction", Duty.FINANCE), status=OrderStatus.CONFIRMED
        )
        .select_related("service", "enterprise", "voucher__pool")
        .prefetch_related("redemptions")
        .order_by("placed_at")[:LIMIT]
    )
    return [
        Todo(
            title=_("结算拨付：%(t)s") % {"t": _order_text(o, _paid(o))},
            url=reverse("vouchers:order", args=[o.pk]),
            since=min((r.confirmed_at for r in o.redemptions.all() if r.confirmed_at), default=o.placed_at),
        )
        for o in _waiting_on_me(user, Duty.FINANCE, rows, lambda o: o.voucher.pool.jurisdiction_id)
    ]


@todo_source(gettext_lazy("被退回待修改的创新券服务"))
def services_to_correct(user):
    orgs = _admin_org_ids(user)
    if not orgs:
        return []
    rows = ProviderService.objects.filter(provider_id__in=orgs, status=ServiceStatus.RETURNED).order_by(
        "submitted_at"
    )[:LIMIT]
    return [
        Todo(
            title=_("修改并重新提交：%(name)s") % {"name": s.name},
            url=reverse("vouchers:service_edit", args=[s.pk]),
            since=s.submitted_at,
            detail=s.status_reason,
        )
        for s in rows
    ]


@todo_source(gettext_lazy("即将到期的创新券"))
def vouchers_expiring(user):
    """Vouchers of the user's organisations with a balance, expiring within the notice period."""
    orgs = _admin_org_ids(user)
    if not orgs:
        return []
    today = timezone.localdate(clock.now())
    days = expiry_notice_days()
    rows = Voucher.objects.filter(
        enterprise_id__in=orgs,
        status=VoucherStatus.ACTIVE,
        remaining__gt=0,
        expires_on__gte=today,
        expires_on__lte=today + timedelta(days=days),
    ).order_by("expires_on")[:LIMIT]
    tz = timezone.get_current_timezone()
    return [
        Todo(
            title=_("使用创新券%(code)s（余额%(amount)s）")
            % {"code": v.code, "amount": format_yuan(v.remaining)},
            url=reverse("vouchers:voucher", args=[v.pk]),
            since=datetime.combine(v.expires_on - timedelta(days=days), time(0), tzinfo=tz),
            deadline=datetime.combine(v.expires_on, time(23, 59), tzinfo=tz),
        )
        for v in rows
    ]
