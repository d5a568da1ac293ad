"""Every write about innovation vouchers: keyword-only arguments, ``actor`` and ``now``; one durable
transaction that owns its locks, its ledger entries and its audit record.

Money moves only through conditional updates of the running balances (``… WHERE available >= x``),
each paired with an append-only :class:`LedgerEntry` in the same transaction. Hot rows (the pool,
the voucher) are touched last in each transaction, so their row locks are held for as short a time
as possible. Lock order everywhere: organisation → order → pool → voucher.
"""

import secrets
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation

from django.db import DatabaseError, IntegrityError, OperationalError, transaction
from django.db.models import F, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from zhouqiao.accounts import scope
from zhouqiao.accounts.models import Duty, Organisation, OrganisationKind
from zhouqiao.core import audit, money
from zhouqiao.core.errors import Conflict, InvalidTransition, NotFound, PermissionDenied, ValidationFailed
from zhouqiao.core.locking import lock
from zhouqiao.core.models import Region
from zhouqiao.core.money import format_yuan
from zhouqiao.vouchers import todos
from zhouqiao.vouchers.exceptions import NOT_ALLOWED, field_error
from zhouqiao.vouchers.models import (
    Application,
    Certification,
    LedgerEntry,
    Pool,
    Voucher,
)
from zhouqiao.vouchers.states import (
    APPLICATION_TRANSITIONS,
    REASON_REQUIRED,
    Actor,
    ApplicationStatus,
    CertificationKind,
    EntryKind,
    ServiceCategory,
    VoucherSource,
    VoucherStatus,
)

# 001#20: the city pays "最高3万元" of the high-tech certification subsidy as a voucher.
HIGH_TECH_SUBSIDY_CAP = Decimal("30000.00")


def parse_amount(value, field: str = "amount") -> Decimal:
    """A positive amount through the one parser (core.money): ≤ 10¹² 元, two places, no rounding."""
    if value is None:
        raise field_error(field, _("金额格式不正确。"))
    try:
        return money.parse_amount(value, allow_zero=False)
    except money.AmountError as exc:
        raise field_error(field, str(exc)) from exc


def local_date(now) -> date:
    return timezone.localdate(now)


def locked(model, pk, *related):
    """Lock one row and read it with its relations in one query. ``FOR UPDATE OF`` the row itself
    only: PostgreSQL would otherwise lock every joined row too (the voucher, the pool…). Errors
    as in :func:`zhouqiao.core.locking.lock` (SQLite has no row locks: BEGIN IMMEDIATE serialises)."""
    return locked_in(model.objects.all(), pk, *related)


def locked_in(queryset, pk, *related):
    """:func:`locked` over a given queryset (e.g. one with annotations the caller needs)."""
    model = queryset.model
    queryset = queryset.select_related(*related).select_for_update(of=("self",))
    try:
        return queryset.get(pk=pk)
    except model.DoesNotExist as exc:
        raise NotFound(_("记录不存在或已被删除。")) from exc
    except DatabaseError as exc:
        if isinstance(exc, OperationalError) or "lock" in str(exc).lower():
            raise Conflict(_("系统繁忙，请稍后重试。"), code="busy") from exc
        raise


def organisation(organisation_id) -> Organisation:
    org = Organisation.objects.select_related("region").filter(pk=organisation_id).first()
    if org is None:
        raise NotFound(_("机构不存在。"))
    return org


# --- budget -------------------------------------------------------------------------------------------


@transaction.atomic(durable=True)
def create_pool(
    *,
    actor,
    jurisdiction_code: str,
    year: int,
    budget,
    category: str = "",
    name: str = "",
    enterprise_ceiling=None,
    voucher_share=None,
    validity_days: int | None = None,
    now,
) -> Pool:
    """Finance staff open a yearly pool for their jurisdiction and allocate its budget."""
    region = Region.objects.filter(code=jurisdiction_code).first()
    if region is None:
        raise field_error("jurisdiction", _("地区代码不存在。"))
    if not scope.covers(actor, region.code, Duty.FINANCE):
        raise PermissionDenied(_("只有该地区的财务审批人员可以下达创新券预算。"))
    if category and category not in ServiceCategory.values:
        raise field_error("category", _("服务类别不正确。"))
    budget = parse_amount(budget, "budget")
    pool = Pool(
        jurisdiction=region,
        year=year,
        category=category,
        created_at=now,
        available=budget,
        name=name or _("%(region)s%(year)s年度科技创新券") % {"region": region.name, "year": year},
    )
    if enterprise_ceiling is not None:
        pool.enterprise_ceiling = parse_amount(enterprise_ceiling, "enterprise_ceiling")
    if voucher_share is not None:
        try:
            share = Decimal(str(voucher_share).strip())
        except InvalidOperation:
            share = None
        if share is None or not share.is_finite() or not Decimal("0") < share <= Decimal("1"):
            raise field_error("voucher_share", _("支付比例应在0到1之间。"))
        pool.voucher_share = share
    if validity_days is not None:
        if (
            isinstance(validity_days, bool)
            or not isinstance(validity_days, int)
            or not 1 <= validity_days <= 3660
        ):
            raise field_error("validity_days", _("有效天数应为1到3660之间的整数。"))
        pool.validity_days = validity_days
    try:
        with transaction.atomic():
            pool.save()
    except IntegrityError as exc:
        raise field_error("year", _("该地区该年度（该类别）的资金池已存在。")) from exc
    LedgerEntry.objects.create(
        pool=pool, kind=EntryKind.ALLOCATE, amount=budget, at=now, actor=actor, note=_("年度预算下达")
    )
    audit.record(
        "voucher_pool.create",
        actor=actor,
        target=pool,
        now=now,
        after={"year": year, "budget": budget, "category": category},
    )
    return pool


@transaction.atomic(durable=True)
def adjust_pool(*, actor, pool_id: int, amount, note: str, now) -> Pool:
    """Raise (positive) or cut (negative) a pool's budget; a cut cannot take more than is unissued."""
    pool = Pool.objects.filter(pk=pool_id).first()
    if pool is None:
        raise NotFound(_("资金池不存在。"))
    if not scope.covers(actor, pool.jurisdiction_id, Duty.FINANCE):
        raise PermissionDenied(NOT_ALLOWED)
    try:
        amount = money.parse_signed_amount(amount, allow_zero=True)
    except money.AmountError as exc:
        raise field_error("amount", str(exc)) from exc
    if amount == 0:
        raise field_error("amount", _("调整金额不能为零。"))
    if not (note or "").strip():
        raise field_error("note", _("预算调整必须说明理由。"))
    LedgerEntry.objects.create(
        pool=pool, kind=EntryKind.ADJUST, amount=amount, at=now, actor=actor, note=note[:255]
    )
    changed = Pool.objects.filter(pk=pool.pk, available__gte=-amount).update(
        available=F("available") + amount
    )
    if not changed:
        raise Conflict(_("资金池可发放余额不足，不能调减这么多。"), code="pool_insufficient")
    audit.record(
        "voucher_pool.adjust", actor=actor, target=pool, after={"amount": amount}, reason=note, now=now
    )
    pool.refresh_from_db()
    return pool


# --- eligibility -------------------------------------------------------------------------------------------


@transaction.atomic(durable=True)
def record_certification(
    *, actor, organisation_id: int, kind: str, number: str, valid_from: date, valid_until: date, now
) -> Certification:
    """Staff record an enterprise's certificate."""
    return _record_certification(
        actor=actor,
        org=organisation(organisation_id),
        kind=kind,
        number=number,
        valid_from=valid_from,
        valid_until=valid_until,
        now=now,
    )


@transaction.atomic(durable=True)
def import_certifications(*, actor, rows: list[dict], now) -> int:
    """Import a certification list (as the certifying bodies publish them): rows of
    ``credit_code, kind, number, valid_from, valid_until``. All or nothing: the first bad row is
    reported with its line number (its ``line`` when the row has one, as a spreadsheet's do) and
    nothing is written."""
    for position, row in enumerate(rows, start=1):
        line = row.get("line") or position
        try:
            org = organisation_by_credit_code(row.get("credit_code"))
            valid_from, valid_until = (
                date.fromisoformat(str(row.get(k, "")).strip()) for k in ("valid_from", "valid_until")
            )
        except ValueError as exc:
            raise ValidationFailed(
                _("第%(line)s行：有效期日期格式应为YYYY-MM-DD。") % {"line": line}, detail={"line": line}
            ) from exc
        except ValidationFailed as exc:
            raise ValidationFailed(
                _("第%(line)s行：%(message)s") % {"line": line, "message": exc.message}, detail={"line": line}
            ) from exc
        try:
            _record_certification(
                actor=actor,
                org=org,
                kind=row.get("kind", ""),
                number=row.get("number", ""),
                valid_from=valid_from,
                valid_until=valid_until,
                now=now,
            )
        except (ValidationFailed, PermissionDenied) as exc:
            raise type(exc)(
                _("第%(line)s行：%(message)s") % {"line": line, "message": exc.message}, detail={"line": line}
            ) from exc
    return len(rows)


def organisation_by_credit_code(credit_code) -> Organisation:
    org = Organisation.objects.filter(credit_code=(credit_code or "").strip().upper()).first()
    if org is None:
        raise field_error("credit_code", _("统一社会信用代码未注册。"))
    return org


def _record_certification(
    *, actor, org, kind: str, number: str, valid_from: date, valid_until: date, now
) -> Certification:
    if not scope.covers(actor, org.region_id, Duty.REVIEWER):
        raise PermissionDenied(_("只有属地审核人员可以登记企业资质。"))
    if kind not in CertificationKind.values:
        raise field_error("kind", _("认定类型不正确。"))
    number = (number or "").strip()
    if not number:
        raise field_error("number", _("请填写证书编号。"))
    if valid_until < valid_from:
        raise field_error("valid_until", _("有效期截止日不能早于起始日。"))
    try:
        with transaction.atomic():
            cert = Certification.objects.create(
                organisation=org,
                kind=kind,
                number=number,
                valid_from=valid_from,
                valid_until=valid_until,
                recorded_by=actor,
                recorded_at=now,
            )
    except IntegrityError as exc:
        raise field_error("number", _("该证书编号已登记。")) from exc
    audit.record(
        "voucher_certification.record",
        actor=actor,
        target=cert,
        region_code=org.region_id,
        now=now,
        after={"kind": kind, "number": number, "valid_until": valid_until},
    )
    return cert


def valid_certification(org, as_of: date, kind: str | None = None) -> Certification | None:
    certs = Certification.objects.filter(organisation=org, valid_from__lte=as_of, valid_until__gte=as_of)
    if kind:
        certs = certs.filter(kind=kind)
    return certs.first()


def open_pools(org, *, year: int) -> list[Pool]:
    """This year's pools an enterprise may apply to: its region's, its city's, its province's,
    nearest first (one query)."""
    chain = [r.code for r in reversed(org.region.ancestors())]
    pools = Pool.objects.filter(jurisdiction_id__in=chain, year=year).select_related("jurisdiction")
    return sorted(pools, key=lambda p: (chain.index(p.jurisdiction_id), p.category))


def region_words(region) -> str:
    """The region an enterprise is told about: its city (吉林市), or the region itself when it has none."""
    chain = region.ancestors()
    return chain[1].name if len(chain) > 1 else chain[0].name


def refusals(org, *, as_of: date, pools: list[Pool] | None = None) -> list[str]:
    """Why ``org`` may not apply for a voucher now, every reason (empty: it may). The apply page
    says these before offering the form; :func:`apply_for_voucher` refuses with the same words."""
    from zhouqiao.core.audit_labels import clause_label

    if org.kind != OrganisationKind.ENTERPRISE:
        return [_("只有企业可以申请创新券。")]
    reasons = []
    if not org.is_verified:
        reasons.append(
            _("%(org)s尚未通过机构认证：请先完成机构认证（在“我的机构”中查看进度），通过后才能申请创新券。")
            % {"org": org.name}
        )
    if pools is None:
        pools = open_pools(org, year=as_of.year)
    if not pools:
        reasons.append(
            _("您所在地区（%(region)s）暂无开放的科技创新券额度。") % {"region": region_words(org.region)}
        )
    if valid_certification(org, as_of) is None:
        reasons.append(
            _("申请创新券需具有有效期内的高新技术企业或科技型中小企业认定（%(clause)s）。")
            % {"clause": clause_label(pools[0].clause if pools else "001#23")}
        )
    return reasons


def pool_for(org, *, year: int, category: str) -> Pool | None:
    """The pool of the nearest jurisdiction above the enterprise that has one: a category pool first."""
    region = org.region
    for node in reversed(region.ancestors()):
        pools = {p.category: p for p in Pool.objects.filter(jurisdiction=node, year=year)}
        if category in pools or "" in pools:
            return pools.get(category) or pools[""]
    return None


def issued_to(enterprise_id: int, pool: Pool, *, pending: bool = False) -> Decimal:
    """Face value issued on application to this enterprise this year in the pool's jurisdiction
    (and, with ``pending``, what it has applied for and awaits a decision)."""
    issued = Voucher.objects.filter(
        enterprise_id=enterprise_id,
        pool__jurisdiction_id=pool.jurisdiction_id,
        pool__year=pool.year,
        source=VoucherSource.APPLICATION,
    )
    total = issued.aggregate(s=Sum("amount"))["s"] or Decimal("0")
    if pending:
        waiting = Application.objects.filter(
            enterprise_id=enterprise_id,
            pool__jurisdiction_id=pool.jurisdiction_id,
            pool__year=pool.year,
            status=ApplicationStatus.SUBMITTED,
        )
        total += waiting.aggregate(s=Sum("amount"))["s"] or Decimal("0")
    return total


def _check_ceiling(enterprise_id: int, pool: Pool, amount: Decimal, *, pending: bool) -> None:
    used = issued_to(enterprise_id, pool, pending=pending)
    if used + amount > pool.enterprise_ceiling:
        raise field_error(
            "amount",
            _("超出单个企业年度上限：上限%(cap)s，已申请或已获得%(used)s。")
            % {"cap": format_yuan(pool.enterprise_ceiling), "used": format_yuan(used)},
        )


# --- applications -------------------------------------------------------------------------------------------


@transaction.atomic(durable=True)
def apply_for_voucher(*, actor, enterprise_id: int, category: str, amount, purpose: str, now) -> Application:
    org = locked(Organisation, enterprise_id, "region")
    if not scope.is_member(actor, org):
        raise PermissionDenied(NOT_ALLOWED)
    reasons = refusals(org, as_of=local_date(now))
    if reasons:
        raise ValidationFailed("".join(str(r) for r in reasons), code="not_eligible")
    if category not in ServiceCategory.values:
        raise field_error("category", _("请选择服务类别。"))
    amount = parse_amount(amount)
    if not (purpose or "").strip():
        raise field_error("purpose", _("请说明创新券的用途。"))
    pool = pool_for(org, year=local_date(now).year, category=category)
    if pool is None:
        raise field_error(
            "category",
            _("您所在地区（%(region)s）本年度没有该类别的创新券额度。")
            % {"region": region_words(org.region)},
        )
    _check_ceiling(org.pk, pool, amount, pending=True)
    app = Application.objects.create(
        enterprise=org,
        pool=pool,
        category=category,
        amount=amount,
        purpose=purpose.strip(),
        applicant=actor,
        submitted_at=now,
    )
    audit.record(
        "voucher_application.submit",
        actor=actor,
        target=app,
        now=now,
        after={"amount": amount, "category": category, "pool": pool.pk},
    )
    todos.application_changed(app, now=now)
    return app


def _may_take(actor, app: Application, who: str) -> bool:
    if who == Actor.REVIEWER:
        return scope.covers(actor, app.pool.jurisdiction_id, Duty.REVIEWER)
    return scope.is_member(actor, app.enterprise)


@transaction.atomic(durable=True)
def transition_application(
    *, actor, application_id: int, to_status: str, reason: str = "", now
) -> Application:
    """The one way to move an application (states.APPLICATION_TRANSITIONS); approving issues the voucher."""
    app = Application.objects.select_related("pool", "enterprise").filter(pk=application_id).first()
    if app is None:
        raise NotFound(_("申请不存在。"))
    lock(Organisation.objects.all(), app.enterprise_id)
    app = locked(Application, application_id, "pool", "enterprise__region")
    allowed = APPLICATION_TRANSITIONS.get(app.status, {})
    if to_status not in allowed:
        raise InvalidTransition(
            _("当前状态“%(status)s”不能执行此操作。") % {"status": app.get_status_display()}
        )
    if not _may_take(actor, app, allowed[to_status]):
        raise PermissionDenied(NOT_ALLOWED)
    reason = (reason or "").strip()
    if to_status in REASON_REQUIRED and not reason:
        raise field_error("reason", _("退回时必须填写理由。"))
    before = {"status": app.status}
    if to_status == ApplicationStatus.SUBMITTED:
        # A returned application is not pending while it is with the enterprise: count it again.
        _check_ceiling(app.enterprise_id, app.pool, app.amount, pending=True)
    app.status, app.status_reason = to_status, reason
    if to_status in (ApplicationStatus.APPROVED, ApplicationStatus.RETURNED):
        app.decided_by, app.decided_at = actor, now
    app.save(update_fields=["status", "status_reason", "decided_by", "decided_at"])
    audit.record(
        f"voucher_application.{to_status}",
        actor=actor,
        target=app,
        before=before,
        after={"status": to_status},
        reason=reason,
        now=now,
    )
    if to_status == ApplicationStatus.APPROVED:
        if valid_certification(app.enterprise, local_date(now)) is None:
            raise ValidationFailed(_("该企业的资质认定已不在有效期内。"), code="not_eligible")
        used = issued_to(app.enterprise_id, app.pool)
        if used + app.amount > app.pool.enterprise_ceiling:
            raise field_error(
                "amount",
                _("超出单个企业年度上限：上限%(cap)s，已获得%(used)s。")
                % {"cap": format_yuan(app.pool.enterprise_ceiling), "used": format_yuan(used)},
            )
        _issue(
            actor=actor,
            pool=app.pool,
            enterprise=app.enterprise,
            category=app.category,
            amount=app.amount,
            source=VoucherSource.APPLICATION,
            source_ref=f"application:{app.pk}",
            application=app,
            now=now,
        )
    todos.application_changed(app, now=now)
    return app


def approve_application(*, actor, application_id, now):
    return transition_application(
        actor=actor, application_id=application_id, to_status=ApplicationStatus.APPROVED, now=now
    )


def return_application(*, actor, application_id, reason, now):
    return transition_application(
        actor=actor,
        application_id=application_id,
        to_status=ApplicationStatus.RETURNED,
        reason=reason,
        now=now,
    )


# --- issue, expire, revoke ------------------------------------------------------------------------------------


def new_code(year: int) -> str:
    return f"CXQ{year}{secrets.token_hex(5).upper()}"


def debit_pool(pool_id: int, amount: Decimal) -> bool:
    """The conditional update that keeps a pool from going negative: one row or none."""
    return bool(
        Pool.objects.filter(pk=pool_id, available__gte=amount).update(available=F("available") - amount)
    )


def _issue(
    *,
    actor,
    pool: Pool,
    enterprise: Organisation,
    category: str,
    amount: Decimal,
    source: str,
    source_ref: str = "",
    application: Application | None = None,
    now,
) -> Voucher:
    """Inside the caller's transaction, with the enterprise row locked."""
    issued_on = local_date(now)
    voucher = Voucher(
        code=new_code(pool.year),
        pool=pool,
        enterprise=enterprise,
        category=category,
        amount=amount,
        remaining=amount,
        source=source,
        source_ref=source_ref,
        application=application,
        issued_at=now,
        expires_on=issued_on + timedelta(days=pool.validity_days),
    )
    try:
        with transaction.atomic():
            voucher.save()
    except IntegrityError as exc:
        raise Conflict(_("该事由已发放过创新券。"), code="already_issued") from exc
    LedgerEntry.objects.create(
        pool=pool,
        voucher=voucher,
        kind=EntryKind.ISSUE,
        amount=amount,
        at=now,
        actor=actor,
        note=voucher.get_source_display(),
    )
    if not debit_pool(pool.pk, amount):
        raise Conflict(_("资金池余额不足，无法发放该创新券。"), code="pool_insufficient")
    audit.record(
        "voucher.issue",
        actor=actor,
        target=voucher,
        now=now,
        after={
            "code": voucher.code,
            "amount": amount,
            "category": category,
            "source": source,
            "source_ref": source_ref,
            "pool": pool.pk,
        },
    )
    return voucher


@transaction.atomic(durable=True)
def issue_voucher(
    *, actor, pool_id: int, enterprise_id: int, category: str, amount, source: str, source_ref: str = "", now
) -> Voucher:
    """Issue a voucher without an application: a subsidy paid as a voucher (e.g. 001#20, ``source=
    "high_tech_subsidy"``, ``source_ref`` = the certificate number) or a direct grant by staff.

    The actor must be a reviewer or finance officer of the pool's jurisdiction. One voucher per
    (source, source_ref, enterprise)."""
    return issue_voucher_in_transaction(
        actor=actor,
        pool_id=pool_id,
        enterprise_id=enterprise_id,
        category=category,
        amount=amount,
        source=source,
        source_ref=source_ref,
        now=now,
    )


def issue_voucher_in_transaction(
    *, actor, pool_id: int, enterprise_id: int, category: str, amount, source: str, source_ref: str = "", now
) -> Voucher:
    """:func:`issue_voucher` inside the caller's transaction (the policy module pays 001#20 so)."""
    org = locked(Organisation, enterprise_id, "region")
    pool = Pool.objects.filter(pk=pool_id).first()
    if pool is None:
        raise NotFound(_("资金池不存在。"))
    if not (
        scope.covers(actor, pool.jurisdiction_id, Duty.REVIEWER)
        or scope.covers(actor, pool.jurisdiction_id, Duty.FINANCE)
    ):
        raise PermissionDenied(NOT_ALLOWED)
    if not org.region_id.startswith(pool.jurisdiction.scope_prefix):
        raise ValidationFailed(_("该企业不在资金池所属地区内。"), code="not_eligible")
    if source not in VoucherSource.values or source == VoucherSource.APPLICATION:
        raise field_error("source", _("发放依据不正确。"))
    if category not in ServiceCategory.values:
        raise field_error("category", _("服务类别不正确。"))
    amount = parse_amount(amount)
    if source == VoucherSource.HIGH_TECH_SUBSIDY:
        if amount > HIGH_TECH_SUBSIDY_CAP:
            raise field_error(
                "amount",
                _(
                    "高新技术企业认定补贴以创新券方式最高3万元（《长春市进一步加快科技创新发展的若干政策措施》第二十条）。"
                ),
            )
        cert = valid_certification(org, local_date(now), CertificationKind.HIGH_TECH)
        if cert is None:
            raise ValidationFailed(_("该企业没有有效的高新技术企业认定。"), code="not_eligible")
        source_ref = source_ref or cert.number
    return _issue(
        actor=actor,
        pool=pool,
        enterprise=org,
        category=category,
        amount=amount,
        source=source,
        source_ref=(source_ref or "").strip()[:64],
        now=now,
    )


def _close(*, actor, voucher_id: int, kind: str, status: str, reason: str, now) -> Voucher:
    voucher = locked(Voucher, voucher_id, "enterprise", "pool")
    if voucher.status != VoucherStatus.ACTIVE:
        raise InvalidTransition(_("该创新券已失效。"))
    unspent = voucher.remaining
    before = {"status": voucher.status, "remaining": unspent}
    voucher.status, voucher.remaining, voucher.closed_at = status, Decimal("0.00"), now
    voucher.save(update_fields=["status", "remaining", "closed_at"])
    if unspent:
        LedgerEntry.objects.create(
            pool=voucher.pool,
            voucher=voucher,
            kind=kind,
            amount=unspent,
            at=now,
            actor=actor,
            note=reason[:255],
        )
        Pool.objects.filter(pk=voucher.pool_id).update(available=F("available") + unspent)
    audit.record(
        f"voucher.{status}",
        actor=actor,
        target=voucher,
        before=before,
        after={"status": status, "returned": unspent},
        reason=reason,
        now=now,
    )
    return voucher


@transaction.atomic(durable=True)
def expire_voucher(*, voucher_id: int, now, actor=None) -> Voucher:
    """A voucher past its date returns its unspent amount to the pool (run daily by the system)."""
    voucher = Voucher.objects.filter(pk=voucher_id).first()
    if voucher is None:
        raise NotFound(_("创新券不存在。"))
    if voucher.expires_on >= local_date(now):
        raise InvalidTransition(_("该创新券尚未到期。"))
    return _close(
        actor=actor,
        voucher_id=voucher_id,
        kind=EntryKind.EXPIRE,
        status=VoucherStatus.EXPIRED,
        reason=_("到期收回"),
        now=now,
    )


def expire_due_vouchers(*, now) -> int:
    due = Voucher.objects.filter(status=VoucherStatus.ACTIVE, expires_on__lt=local_date(now)).values_list(
        "pk", flat=True
    )
    count = 0
    for pk in list(due):
        try:
            expire_voucher(voucher_id=pk, now=now)
            count += 1
        except InvalidTransition:
            continue
    return count


@transaction.atomic(durable=True)
def revoke_voucher(*, actor, voucher_id: int, reason: str, now) -> Voucher:
    voucher = Voucher.objects.select_related("pool").filter(pk=voucher_id).first()
    if voucher is None:
        raise NotFound(_("创新券不存在。"))
    if not scope.covers(actor, voucher.pool.jurisdiction_id, Duty.REVIEWER):
        raise PermissionDenied(NOT_ALLOWED)
    reason = (reason or "").strip()
    if not reason:
        raise field_error("reason", _("作废创新券必须填写理由。"))
    return _close(
        actor=actor,
        voucher_id=voucher_id,
        kind=EntryKind.REVOKE,
        status=VoucherStatus.REVOKED,
        reason=reason,
        now=now,
    )
