"""Provider directory, service orders and redemption: keyword-only arguments, ``actor`` and ``now``;
one durable transaction per write with its locks, ledger entries and audit record.

A redemption locks its order, then the voucher, and debits the voucher by a conditional update
that can never overdraw it. Lock order: organisation → order → voucher.
"""

from decimal import ROUND_DOWN, Decimal

from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.db.models.functions import Round
from django.utils.translation import gettext as _

from zhouqiao.accounts import scope
from zhouqiao.accounts.models import Duty, Membership, Organisation, OrganisationKind
from zhouqiao.core import audit
from zhouqiao.core.errors import Conflict, InvalidTransition, NotFound, PermissionDenied, ValidationFailed
from zhouqiao.core.locking import lock
from zhouqiao.core.money import FEN, format_yuan
from zhouqiao.vouchers import todos
from zhouqiao.vouchers.exceptions import NOT_ALLOWED, field_error
from zhouqiao.vouchers.models import (
    DeclaredRelation,
    LedgerEntry,
    ProviderService,
    Redemption,
    ServiceOrder,
    Voucher,
)
from zhouqiao.vouchers.services import local_date, locked, organisation, parse_amount
from zhouqiao.vouchers.states import (
    REASON_REQUIRED,
    SERVICE_TRANSITIONS,
    Actor,
    EntryKind,
    OrderStatus,
    ServiceCategory,
    ServiceStatus,
    VoucherStatus,
)

# --- provider directory -------------------------------------------------------------------------------------


@transaction.atomic(durable=True)
def register_service(
    *, actor, provider_id: int, category: str, name: str, price, description: str = "", unit: str = "次", now
) -> ProviderService:
    org = organisation(provider_id)
    if not scope.is_member(actor, org):
        raise PermissionDenied(NOT_ALLOWED)
    if not org.is_verified or org.kind == OrganisationKind.GOVERNMENT:
        raise ValidationFailed(_("只有已认证的服务机构可以登记创新券服务。"), code="not_eligible")
    service = ProviderService.objects.create(
        provider=org,
        submitted_at=now,
        **_service_fields(category=category, name=name, price=price, unit=unit, description=description),
    )
    audit.record(
        "voucher_service.submit",
        actor=actor,
        target=service,
        now=now,
        after={"name": service.name, "category": category, "price": service.price},
    )
    todos.service_changed(service, now=now)
    return service


def _service_fields(*, category: str, name: str, price, unit: str, description: str) -> dict:
    if category not in ServiceCategory.values:
        raise field_error("category", _("请选择服务类别。"))
    if not (name or "").strip():
        raise field_error("name", _("请填写服务名称。"))
    return {
        "category": category,
        "name": name.strip()[:128],
        "description": (description or "").strip(),
        "price": parse_amount(price, "price"),
        "unit": (unit or "次")[:16],
    }


@transaction.atomic(durable=True)
def revise_service(
    *, actor, service_id: int, category: str, name: str, price, description: str = "", unit: str = "次", now
) -> ProviderService:
    """The provider corrects a returned service and submits it for review again."""
    service = locked(ProviderService, service_id, "provider")
    if not scope.is_member(actor, service.provider):
        raise PermissionDenied(NOT_ALLOWED)
    if service.status != ServiceStatus.RETURNED:
        raise InvalidTransition(_("只有被退回的服务可以修改后重新提交。"))
    fields = _service_fields(category=category, name=name, price=price, unit=unit, description=description)
    before = {k: getattr(service, k) for k in fields} | {"status": service.status}
    for key, value in fields.items():
        setattr(service, key, value)
    service.status, service.status_reason, service.submitted_at = ServiceStatus.SUBMITTED, "", now
    service.save()
    audit.record(
        "voucher_service.revise",
        actor=actor,
        target=service,
        before=before,
        after=fields | {"status": service.status},
        now=now,
    )
    todos.service_changed(service, now=now)
    return service


@transaction.atomic(durable=True)
def transition_service(*, actor, service_id: int, to_status: str, reason: str = "", now) -> ProviderService:
    service = locked(ProviderService, service_id, "provider")
    allowed = SERVICE_TRANSITIONS.get(service.status, {})
    if to_status not in allowed:
        raise InvalidTransition(
            _("当前状态“%(status)s”不能执行此操作。") % {"status": service.get_status_display()}
        )
    who = allowed[to_status]
    permitted = (
        scope.covers(actor, service.provider.region_id, Duty.REVIEWER)
        if who == Actor.REVIEWER
        else scope.is_member(actor, service.provider)
    )
    if not permitted:
        raise PermissionDenied(NOT_ALLOWED)
    reason = (reason or "").strip()
    if to_status in REASON_REQUIRED and not reason:
        raise field_error("reason", _("退回时必须填写理由。"))
    before = {"status": service.status}
    service.status, service.status_reason = to_status, reason
    service.approved_at = now if to_status == ServiceStatus.APPROVED else None
    service.save(update_fields=["status", "status_reason", "approved_at"])
    audit.record(
        f"voucher_service.{to_status}",
        actor=actor,
        target=service,
        before=before,
        after={"status": to_status},
        reason=reason,
        now=now,
    )
    todos.service_changed(service, now=now)
    return service


@transaction.atomic(durable=True)
def record_relation(
    *, actor, provider_id: int, enterprise_id: int, description: str, now
) -> DeclaredRelation:
    provider, enterprise = organisation(provider_id), organisation(enterprise_id)
    if not (
        scope.is_member(actor, provider)
        or scope.is_member(actor, enterprise)
        or scope.covers(actor, provider.region_id, Duty.REVIEWER)
        or scope.covers(actor, enterprise.region_id, Duty.REVIEWER)
    ):
        raise PermissionDenied(NOT_ALLOWED)
    if not (description or "").strip():
        raise field_error("description", _("请说明关联关系。"))
    relation, _created = DeclaredRelation.objects.update_or_create(
        provider=provider,
        enterprise=enterprise,
        defaults={"description": description.strip()[:255], "recorded_by": actor, "recorded_at": now},
    )
    audit.record(
        "voucher_relation.record",
        actor=actor,
        target=relation,
        region_code=enterprise.region_id,
        after={"provider": provider.pk, "enterprise": enterprise.pk, "description": relation.description},
        now=now,
    )
    return relation


def _same(a: str, b: str) -> bool:
    a, b = (a or "").strip().lower(), (b or "").strip().lower()
    return bool(a) and a == b


_UNREAD = object()


def declared_relation_q(provider, enterprise) -> Q:
    """Relations declared in either direction; ``provider``/``enterprise`` are ids or ``OuterRef``s."""
    return Q(provider=provider, enterprise=enterprise) | Q(provider=enterprise, enterprise=provider)


def shared_member_q(provider, enterprise) -> Q:
    """Memberships of ``provider`` held by someone who is also a member of ``enterprise``."""
    return Q(organisation=provider, user__memberships__organisation=enterprise)


def relation_between(
    provider: Organisation, enterprise: Organisation, declared=_UNREAD, shares_member=_UNREAD
) -> str:
    """Why a provider may not redeem this enterprise's voucher, or "" when it may. ``declared`` is
    the declared relation's description and ``shares_member`` whether one person belongs to both,
    when the caller already read them (``None``/``False``: there is none)."""
    if provider.pk == enterprise.pk:
        return _("服务机构与企业为同一机构")
    if _same(provider.legal_representative, enterprise.legal_representative):
        return _("服务机构与企业的法定代表人相同")
    if _same(provider.contact_phone, enterprise.contact_phone) or _same(
        provider.contact_email, enterprise.contact_email
    ):
        return _("服务机构与企业有共同联系人")
    if shares_member is _UNREAD:
        shares_member = Membership.objects.filter(shared_member_q(provider.pk, enterprise.pk)).exists()
    if shares_member:
        return _("同一人员同时是服务机构和企业的成员")
    if declared is _UNREAD:
        relation = DeclaredRelation.objects.filter(declared_relation_q(provider.pk, enterprise.pk)).first()
        declared = relation.description if relation else None
    return declared or ""


def refuse_related(provider, enterprise, declared=_UNREAD, shares_member=_UNREAD) -> None:
    why = relation_between(provider, enterprise, declared, shares_member)
    if why:
        raise ValidationFailed(
            _("关联服务机构不能兑付该企业的创新券：%(why)s。") % {"why": why}, code="related_party"
        )


# --- orders and redemption ------------------------------------------------------------------------------------


def check_voucher_usable(voucher: Voucher, enterprise: Organisation, category: str, now) -> None:
    if voucher.enterprise_id != enterprise.pk:
        raise PermissionDenied(_("该创新券不属于本企业。"))
    if voucher.status != VoucherStatus.ACTIVE or voucher.expires_on < local_date(now):
        raise ValidationFailed(_("该创新券已失效或已过期。"), code="voucher_inactive")
    if voucher.category != category:
        raise ValidationFailed(
            _("该创新券只能用于“%(category)s”类服务。") % {"category": voucher.get_category_display()},
            code="category_mismatch",
        )


def place_order_in_transaction(
    *,
    actor,
    enterprise: Organisation,
    service: ProviderService,
    voucher: Voucher,
    price: Decimal,
    description: str,
    now,
    source_ref: str = "",
    delivered: bool = False,
) -> ServiceOrder:
    """Create an order inside the caller's transaction (instrument sharing records a delivered
    testing service this way when a booking is paid partly with a voucher)."""
    if service.status != ServiceStatus.APPROVED:
        raise ValidationFailed(_("该服务尚未进入服务机构名录。"), code="service_not_listed")
    check_voucher_usable(voucher, enterprise, service.category, now)
    refuse_related(service.provider, enterprise)
    order = ServiceOrder.objects.create(
        enterprise=enterprise,
        provider=service.provider,
        service=service,
        voucher=voucher,
        price=price,
        description=(description or "").strip(),
        source_ref=source_ref,
        placed_by=actor,
        placed_at=now,
        status=OrderStatus.DELIVERED if delivered else OrderStatus.PLACED,
        delivered_at=now if delivered else None,
    )
    audit.record(
        "voucher_order.place",
        actor=actor,
        target=order,
        now=now,
        after={"price": price, "service": service.pk, "voucher": voucher.code, "status": order.status},
    )
    todos.order_changed(order, now=now)
    return order


@transaction.atomic(durable=True)
def place_order(
    *, actor, enterprise_id: int, service_id: int, voucher_id: int, price, description: str = "", now
) -> ServiceOrder:
    enterprise = lock(Organisation.objects.all(), enterprise_id)
    if not scope.is_member(actor, enterprise):
        raise PermissionDenied(NOT_ALLOWED)
    service = ProviderService.objects.select_related("provider").filter(pk=service_id).first()
    voucher = Voucher.objects.filter(pk=voucher_id).first()
    if service is None or voucher is None:
        raise NotFound(_("服务或创新券不存在。"))
    return place_order_in_transaction(
        actor=actor,
        enterprise=enterprise,
        service=service,
        voucher=voucher,
        price=parse_amount(price, "price"),
        description=description,
        now=now,
    )


def _order_for(actor, order_id: int, who: str) -> ServiceOrder:
    order = locked(ServiceOrder, order_id, "enterprise", "provider", "voucher__pool", "service")
    if who == Actor.PROVIDER:
        permitted = scope.is_member(actor, order.provider)
    elif who == Actor.ENTERPRISE:
        permitted = scope.is_member(actor, order.enterprise)
    else:
        permitted = scope.covers(actor, order.voucher.pool.jurisdiction_id, Duty.FINANCE)
    if not permitted:
        raise PermissionDenied(NOT_ALLOWED)
    return order


def _move(order: ServiceOrder, to_status: str, *, actor, now, after: dict | None = None) -> None:
    before = {"status": order.status}
    order.status = to_status
    fields = ["status"]
    if to_status == OrderStatus.DELIVERED:
        order.delivered_at = now
        fields.append("delivered_at")
    order.save(update_fields=fields)
    audit.record(
        f"voucher_order.{to_status}",
        actor=actor,
        target=order,
        before=before,
        after={"status": to_status, **(after or {})},
        now=now,
    )


def _expect(order: ServiceOrder, status: str) -> None:
    if order.status != status:
        raise InvalidTransition(
            _("当前状态“%(status)s”不能执行此操作。") % {"status": order.get_status_display()}
        )


@transaction.atomic(durable=True)
def deliver_order(*, actor, order_id: int, now) -> ServiceOrder:
    order = _order_for(actor, order_id, Actor.PROVIDER)
    _expect(order, OrderStatus.PLACED)
    _move(order, OrderStatus.DELIVERED, actor=actor, now=now)
    return order


@transaction.atomic(durable=True)
def cancel_order(*, actor, order_id: int, now) -> ServiceOrder:
    order = _order_for(actor, order_id, Actor.ENTERPRISE)
    _expect(order, OrderStatus.PLACED)
    _move(order, OrderStatus.CANCELLED, actor=actor, now=now)
    return order


def voucher_share_of(order: ServiceOrder) -> Decimal:
    """The most the voucher may pay of this order: the pool's share of the price, to the fen below."""
    return (order.price * order.voucher.pool.voucher_share).quantize(FEN, rounding=ROUND_DOWN)


def debit_voucher(voucher_id: int, amount: Decimal) -> bool:
    """The conditional update that keeps a voucher from being overdrawn: one row or none. Rounded
    to the fen in SQL: SQLite keeps decimals as REAL, and an unrounded 2594 − 0.01 − 0.50 − 649
    (1944.4899999…) would then refuse a later debit of exactly 1944.49 (a no-op on PostgreSQL)."""
    return bool(
        Voucher.objects.filter(pk=voucher_id, status=VoucherStatus.ACTIVE, remaining__gte=amount).update(
            remaining=Round(F("remaining") - amount, 2)
        )
    )


def _claimable(order: ServiceOrder, amount, now) -> Decimal:
    """The domain rules of a claim: the order's state, the voucher, related parties, the share.
    Returns the amount to redeem."""
    _expect(order, OrderStatus.DELIVERED)
    voucher = order.voucher
    check_voucher_usable(voucher, order.enterprise, order.service.category, now)
    refuse_related(order.provider, order.enterprise)
    ceiling = voucher_share_of(order)
    if amount is None or amount == "":
        amount = min(ceiling, voucher.remaining)
        if amount <= 0:
            raise Conflict(_("创新券余额不足。"), code="voucher_insufficient")
    else:
        amount = parse_amount(amount)
    if amount > ceiling:
        raise field_error(
            "amount",
            _("创新券最多支付订单金额的%(share)s，即%(ceiling)s。")
            % {"share": f"{voucher.pool.voucher_share * 100:.0f}%", "ceiling": format_yuan(ceiling)},
        )
    return amount


@transaction.atomic(durable=True)
def claim_redemption(*, actor, order_id: int, amount=None, now) -> Redemption:
    """On delivery the provider claims the voucher's share of the order (a partial redemption of
    the voucher). Without ``amount`` it claims the largest allowed: the share, or what is left.

    One durable transaction: lock the order, then its voucher (the lock order of every voucher
    write), check, debit the voucher by its conditional update, write the redemption, its ledger
    entry and the audit record, and tell the enterprise. The unique constraint on (order, voucher)
    stays as the database's guarantee against a second redemption of one order."""
    order = _order_for(actor, order_id, Actor.PROVIDER)
    order.voucher = locked(Voucher, order.voucher_id, "pool")
    amount = _claimable(order, amount, now)
    if not debit_voucher(order.voucher_id, amount):
        raise Conflict(_("创新券余额不足或已失效。"), code="voucher_insufficient")
    voucher = order.voucher
    redemption = Redemption.objects.create(
        order=order, voucher=voucher, amount=amount, claimed_by=actor, claimed_at=now
    )
    LedgerEntry.objects.create(
        pool_id=voucher.pool_id,
        voucher=voucher,
        redemption=redemption,
        kind=EntryKind.REDEEM,
        amount=amount,
        at=now,
        actor=actor,
        note=str(order.service.name)[:255],
    )
    _move(
        order, OrderStatus.CLAIMED, actor=actor, now=now, after={"redeemed": amount, "voucher": voucher.code}
    )
    todos.order_changed(order, now=now, claimed_by=actor)
    return redemption


@transaction.atomic(durable=True)
def confirm_redemption(*, actor, order_id: int, now) -> ServiceOrder:
    order = _order_for(actor, order_id, Actor.ENTERPRISE)
    # Confirming releases the enterprise's voucher money to the provider: its administrator's call.
    if not scope.is_org_admin(actor, order.enterprise):
        raise PermissionDenied(_("只有企业管理员可以确认兑付。"))
    _expect(order, OrderStatus.CLAIMED)
    Redemption.objects.filter(order=order).update(confirmed_by=actor, confirmed_at=now)
    _move(order, OrderStatus.CONFIRMED, actor=actor, now=now)
    todos.order_changed(order, now=now)
    return order


@transaction.atomic(durable=True)
def settle_redemption(*, actor, order_id: int, settlement_ref: str = "", now) -> ServiceOrder:
    """Finance staff pay the confirmed voucher amount to the provider and record it."""
    order = _order_for(actor, order_id, Actor.FINANCE)
    _expect(order, OrderStatus.CONFIRMED)
    redemption = Redemption.objects.get(order=order, voucher=order.voucher)
    ref = (settlement_ref or "").strip()[:64] or f"JS{local_date(now):%Y%m%d}{order.pk:06d}"
    try:
        with transaction.atomic():
            LedgerEntry.objects.create(
                pool_id=order.voucher.pool_id,
                voucher=order.voucher,
                redemption=redemption,
                kind=EntryKind.SETTLE,
                amount=redemption.amount,
                at=now,
                actor=actor,
                note=_("拨付%(provider)s") % {"provider": order.provider.name},
            )
    except IntegrityError as exc:
        raise Conflict(_("该核销已结算。"), code="already_settled") from exc
    Redemption.objects.filter(pk=redemption.pk).update(settled_by=actor, settled_at=now, settlement_ref=ref)
    _move(order, OrderStatus.SETTLED, actor=actor, now=now, after={"settled": redemption.amount, "ref": ref})
    todos.order_changed(order, now=now)
    return order
