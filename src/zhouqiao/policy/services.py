"""Every write about entitlements, applications and income distribution.

Registering a contract calls :func:`grant_for_contract` inside the registration's transaction:
the annual-cap rows of every beneficiary are created if missing and locked in primary-key order,
the engine computes with what each beneficiary has already used this year, and each automatic
result becomes an entitlement with a ledger entry while the cap row grows by the same amount.
Two registrations for the same beneficiary at once therefore queue on the cap row, and the
second one sees what the first took.
"""

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhouqiao.accounts import scope
from zhouqiao.accounts.models import Duty, Organisation, OrganisationKind
from zhouqiao.core import audit, batch, clock, uploads
from zhouqiao.core.errors import (
    Conflict,
    InvalidTransition,
    NotFound,
    PermissionDenied,
    ValidationFailed,
)
from zhouqiao.core.locking import lock
from zhouqiao.core.money import FEN, AmountError, format_yuan, parse_amount, to_yuan
from zhouqiao.policy import engine, routing, todos
from zhouqiao.policy.models import (
    Application,
    CapUsage,
    ChangeStatus,
    DistributionScheme,
    Entitlement,
    IncomeDistribution,
    LedgerEntry,
    ParameterChange,
)
from zhouqiao.policy.states import (
    ENTITLEMENT_ACTIONS,
    ENTITLEMENT_TRANSITIONS,
    REASON_REQUIRED,
    REVERSIBLE,
    Actor,
    ApplicationStatus,
    EntitlementStatus,
    LedgerKind,
)
from zhouqiao.vouchers import services as voucher_services
from zhouqiao.vouchers.models import Voucher
from zhouqiao.vouchers.states import ServiceCategory, VoucherSource

NOT_ALLOWED = _("您无权办理此政策兑现事项。")
ADMIN_CONFIRMS = gettext_lazy("政策兑现须由本单位管理员确认，请联系单位管理员办理。")
ENTITLEMENT_FIELDS = ["status", "amount", "status_reason", "payment_reference"]
# The inventors' share is the unit's own distribution (see distribute_income), not public money.
NOT_PUBLIC_MONEY = {"inventors"}


# --- contract facts -------------------------------------------------------------------------


def contract_parties(contract) -> dict:
    """beneficiary → (organisation or None, display name, region code)."""
    seller, buyer, institution = contract.seller, contract.buyer, contract.transfer_institution
    parties = {
        "seller": (seller, seller.name, seller.region_id),
        "registrant": (seller, seller.name, seller.region_id),
        "inventors": (seller, _("%(unit)s成果完成人（团队）") % {"unit": seller.name}, seller.region_id),
        "buyer": (buyer, buyer.name, buyer.region_id),
    }
    if institution is not None:
        parties["transfer_institution"] = (institution, institution.name, institution.region_id)
    if contract.broker_name:
        parties["broker"] = (institution, contract.broker_name, contract.broker_region_id)
    return parties


def beneficiary_key(beneficiary: str, parties: dict) -> str:
    org, name, region = parties[beneficiary]
    if beneficiary == "broker":
        return f"broker:{name}@{region}"[:80]
    return f"org:{org.pk}"


def contract_facts(contract, *, as_of, consumed=None) -> engine.ContractFacts:
    from zhouqiao.community.institutions.selectors import is_filed

    institution = contract.transfer_institution
    return engine.ContractFacts(
        date=as_of,
        contract_type=contract.engine_type,
        contract_amount=contract.contract_amount,
        technology_amount=contract.technology_amount,
        seller=engine.Party(type=contract.seller.kind, region=contract.seller.region_id),
        buyer=engine.Party(type=contract.buyer.kind, region=contract.buyer.region_id),
        broker=engine.Party(region=contract.broker_region_id) if contract.broker_name else None,
        transfer_institution=(
            engine.Party(
                type="transfer_institution",
                region=institution.region_id,
                # 市级备案: filed with the bureau of the city where the contract is registered,
                # on or before the day the contract was signed (institutions.selectors.is_filed).
                registered=is_filed(institution, bureau_code=contract.region_id, on=contract.signed_on),
            )
            if institution
            else None
        ),
        consumed=consumed or {},
    )


def _capped_rules(as_of, pkgs) -> list[engine.Rule]:
    """Contract rules whose cap is counted per beneficiary per calendar year on ``as_of``."""
    return [
        r
        for r in engine.all_rules(pkgs)
        if r.trigger == "contract" and r.valid_on(as_of) and r.has_annual_cap(as_of)
    ]


def lock_cap_rows(keys: list[tuple[str, str, int]]) -> dict:
    """Create the missing (beneficiary, clause, year) cap rows, then lock them all in primary-key
    order and return them re-read: {(key, clause): CapUsage}."""
    for key, clause, year in keys:
        try:
            with transaction.atomic():
                CapUsage.objects.get_or_create(beneficiary_key=key, clause=clause, year=year)
        except IntegrityError:  # created by a concurrent registration meanwhile
            pass
    rows = {}
    for key, clause, year in keys:
        row = CapUsage.objects.get(beneficiary_key=key, clause=clause, year=year)
        rows[(key, clause)] = row
    locked = {}
    for row in sorted(rows.values(), key=lambda r: r.pk):
        fresh = lock(CapUsage.objects.all(), row.pk)
        locked[(fresh.beneficiary_key, fresh.clause)] = fresh
    return locked


def quote_for_contract(contract, *, as_of) -> list[engine.Result]:
    """What the contract would trigger now, given this year's usage (read without locks): for
    showing, never for granting."""
    from zhouqiao.policy.parameters import effective_packages

    pkgs = effective_packages()
    parties = contract_parties(contract)
    consumed = {}
    for rule in _capped_rules(as_of, pkgs):
        if rule.beneficiary in parties:
            row = CapUsage.objects.filter(
                beneficiary_key=beneficiary_key(rule.beneficiary, parties),
                clause=rule.clause,
                year=as_of.year,
            ).first()
            if row is not None:
                consumed.setdefault(rule.beneficiary, {})[rule.clause] = row.used
    return engine.evaluate_contract(contract_facts(contract, as_of=as_of, consumed=consumed), pkgs)


def grant_for_contract(*, contract, actor, now) -> list[Entitlement]:
    """Called by contract registration, inside its transaction: only documents in force on the
    registration date grant (a draft for comment grants nothing until the bureau adopts it), with
    the parameters in effect on that date (a bureau's approved change from its effective date)."""
    from zhouqiao.policy.parameters import effective_packages

    as_of = clock.local_date(now)
    pkgs = effective_packages()
    parties = contract_parties(contract)
    keys = sorted(
        {
            (beneficiary_key(r.beneficiary, parties), r.clause, as_of.year)
            for r in _capped_rules(as_of, pkgs)
            if r.beneficiary in parties
        }
    )
    rows = lock_cap_rows(keys)
    consumed = {}
    for rule in _capped_rules(as_of, pkgs):
        if rule.beneficiary in parties:
            row = rows[(beneficiary_key(rule.beneficiary, parties), rule.clause)]
            consumed.setdefault(rule.beneficiary, {})[rule.clause] = row.used
    results = engine.evaluate_contract(contract_facts(contract, as_of=as_of, consumed=consumed), pkgs)
    granted = []
    for result in results:
        if result.beneficiary in NOT_PUBLIC_MONEY or result.kind == engine.KIND_DISTRIBUTION:
            continue
        org, name, region = parties[result.beneficiary]
        common = {
            "contract": contract,
            "rule_id": result.rule.id,
            "clause": result.rule.clause,
            "title": result.rule.title,
            "beneficiary": result.beneficiary,
            "trace": result.trace,
            "payer_region_id": routing.payer_region(result.rule, region),
            "year": as_of.year,
        }
        if not result.automatic:
            if org is not None:
                application = Application.objects.create(
                    **common, organisation=org, ceiling=result.amount, created_at=now
                )
                audit.record(
                    "policy.application_invited",
                    actor=actor,
                    target=application,
                    after={"rule": result.rule.id, "ceiling": result.amount},
                    now=now,
                )
                todos.application_changed(application, now=now)
            continue
        row = rows.get((beneficiary_key(result.beneficiary, parties), result.rule.clause))
        entitlement = Entitlement.objects.create(
            **common,
            organisation=org,
            beneficiary_name=name,
            amount=result.amount,
            annual_cap_key=row,
            created_at=now,
            updated_at=now,
        )
        LedgerEntry.objects.create(
            entitlement=entitlement,
            kind=LedgerKind.GRANT,
            amount=result.amount,
            at=now,
            actor=actor,
            note=contract.registration_number or "",
        )
        if row is not None:
            row.used += result.amount
            row.save(update_fields=["used"])
        audit.record(
            "policy.entitlement_computed",
            actor=actor,
            target=entitlement,
            after=audit.snapshot(entitlement, ["rule_id", "beneficiary", "amount", "status"]),
            now=now,
        )
        todos.entitlement_changed(entitlement, now=now)
        granted.append(entitlement)
    return granted


def _release(entitlement: Entitlement, *, actor, now, note: str) -> None:
    LedgerEntry.objects.create(
        entitlement=entitlement,
        kind=LedgerKind.RELEASE,
        amount=-entitlement.amount,
        at=now,
        actor=actor,
        note=note[:200],
    )
    if entitlement.annual_cap_key_id:
        row = lock(CapUsage.objects.all(), entitlement.annual_cap_key_id)
        row.used -= entitlement.amount
        row.save(update_fields=["used"])


def reverse_for_contract(*, contract, actor, reason: str, now) -> None:
    """A reversed registration reverses its entitlements with compensating entries (a paid one
    also gets a recovery entry: the money is to be reclaimed)."""
    for pk in contract.entitlements.order_by("pk").values_list("pk", flat=True):
        entitlement = lock(Entitlement.objects.all(), pk)
        if entitlement.status not in REVERSIBLE:
            continue
        before = audit.snapshot(entitlement, ENTITLEMENT_FIELDS)
        if entitlement.status == EntitlementStatus.PAID:
            LedgerEntry.objects.create(
                entitlement=entitlement,
                kind=LedgerKind.RECOVERY,
                amount=-entitlement.amount,
                at=now,
                actor=actor,
                note=_("撤销登记，追回已拨付资金"),
            )
        _release(entitlement, actor=actor, now=now, note=reason)
        entitlement.status, entitlement.status_reason, entitlement.updated_at = (
            EntitlementStatus.REVERSED,
            reason,
            now,
        )
        entitlement.save()
        audit.record(
            "policy.entitlement_reversed",
            actor=actor,
            target=entitlement,
            before=before,
            after=audit.snapshot(entitlement, ENTITLEMENT_FIELDS),
            reason=reason,
            now=now,
        )
    for application in contract.applications.filter(
        status__in=[ApplicationStatus.INVITED, ApplicationStatus.SUBMITTED]
    ):
        application.status, application.status_reason = ApplicationStatus.WITHDRAWN, reason
        application.save(update_fields=["status", "status_reason"])
        audit.record("policy.application_withdrawn", actor=actor, target=application, reason=reason, now=now)


# --- entitlement workflow -------------------------------------------------------------------


def _may_take(actor, entitlement: Entitlement, who: str) -> bool:
    if not getattr(actor, "is_authenticated", False):
        return False
    finance = scope.covers(actor, entitlement.payer_region_id, Duty.FINANCE)
    if who == Actor.BENEFICIARY:
        if entitlement.organisation_id is None:
            return finance  # a broker without an institution confirms on paper at the bureau
        # Confirming claims public money for the organisation: its administrator's call, as for every
        # money matter an organisation decides (vouchers' redemption, income distribution).
        return scope.is_org_admin(actor, entitlement.organisation)
    if who == Actor.SECOND_FINANCE:
        return finance and entitlement.first_approver_id != actor.pk
    return finance


def may_transition(user, entitlement: Entitlement, to_status: str) -> bool:
    """Whether ``user`` may move ``entitlement`` to ``to_status`` now: the one check the service
    makes and the pages use to decide which buttons to show. Separation of duties, one rule: two
    consecutive steps are taken by two different people — whoever 核定 an application's amount
    does not do its 财务初审, and the 复审 is another person than the 初审 (Actor.SECOND_FINANCE).
    The person barred from the step an entitlement waits on may not decide it the other way
    either: no 驳回 in place of the 初审 or 复审 they may not do."""
    who = ENTITLEMENT_TRANSITIONS.get(entitlement.status, {}).get(to_status)
    if who is None:
        return False
    barred = routing.barred_id(entitlement)
    if (
        barred is not None
        and barred == getattr(user, "pk", None)
        and to_status
        in (
            EntitlementStatus.FIRST_APPROVED,
            EntitlementStatus.REJECTED,
        )
    ):
        return False  # the 复审 itself is barred by Actor.SECOND_FINANCE
    return _may_take(user, entitlement, who)


GRANTER_NOT_FIRST = gettext_lazy("核定人不能办理财务初审，须由另一名财务人员办理。")
FIRST_NOT_SECOND = gettext_lazy("复审须由初审以外的另一名财务人员办理。")
# The rule as the pages state it, once (README: Who may take which step).
DUTY_RULE = gettext_lazy(
    "办理规则：相邻两步由不同的人办理——核定金额的人不办理财务初审（也不驳回），"
    "财务初审的人不办理财务复审（也不驳回）；复审通过后，由兑现部门的财务人员登记拨付。"
)


def next_step_staff(entitlement: Entitlement):
    """The active finance staff who take the entitlement's next finance step (初审: not the
    核定人; 复审: not the 初审人; 拨付: anyone holding the duty there): those of the nearest bureau
    over the paying jurisdiction where such a person exists (``routing.finance_code``)."""
    from django.contrib.auth import get_user_model

    users = get_user_model().objects
    if entitlement.status not in (
        EntitlementStatus.CONFIRMED,
        EntitlementStatus.FIRST_APPROVED,
        EntitlementStatus.APPROVED,
    ):
        return users.none()
    code = routing.finance_code(entitlement)
    if code is None:
        return users.none()
    staff = users.filter(
        assignments__duty=Duty.FINANCE, assignments__jurisdiction_id=code, is_active=True
    ).distinct()
    barred = routing.barred_id(entitlement)
    return staff.exclude(pk=barred) if barred else staff


def paying_bureau(entitlement: Entitlement) -> str:
    from zhouqiao.catalog.posting import bureau_name

    return bureau_name(entitlement.payer_region_id, Duty.FINANCE)


def next_bureau(entitlement: Entitlement) -> str:
    """The bureau whose finance officers take the next step (what the messages name)."""
    from zhouqiao.notifications import recipients

    code = routing.finance_code(entitlement)
    return recipients.bureau_name(code, Duty.FINANCE) if code else paying_bureau(entitlement)


def nobody_next(entitlement: Entitlement) -> str:
    """When nobody may take the next finance step (the only other finance officer is the one
    barred from it): who is missing and whom to ask, the security administrator who grants
    duties. Empty when someone can."""
    if entitlement.status not in (EntitlementStatus.CONFIRMED, EntitlementStatus.FIRST_APPROVED):
        return ""
    if next_step_staff(entitlement).exists():
        return ""
    from zhouqiao.notifications import recipients

    admins = list(
        recipients.staff(Duty.SECURITY_ADMIN, entitlement.payer_region_id)
        .order_by("pk")
        .values_list("display_name", flat=True)[:3]
    )
    step = _("财务初审") if entitlement.status == EntitlementStatus.CONFIRMED else _("财务复审")
    return _(
        "尚未指定%(step)s人员：%(bureau)s目前没有可以办理%(step)s的其他财务人员（%(rule)s）。"
        "请联系安全管理员%(admins)s为本部门另一名工作人员授予财务审核职责。"
    ) % {
        "step": step,
        "bureau": paying_bureau(entitlement),
        "rule": GRANTER_NOT_FIRST if entitlement.status == EntitlementStatus.CONFIRMED else FIRST_NOT_SECOND,
        "admins": "（" + "、".join(admins) + "）" if admins else "",
    }


def barred_reason(user, entitlement: Entitlement) -> str:
    """Why a finance officer sees no button for the step the entitlement waits on (the page's
    explanation instead of a button the service would refuse)."""
    if not scope.covers(user, entitlement.payer_region_id, Duty.FINANCE):
        return ""
    if routing.barred_id(entitlement) != user.pk:
        return ""
    if entitlement.status == EntitlementStatus.CONFIRMED:
        return _("核定人不能办理财务初审：本项金额由您核定，须由另一名财务人员办理初审。")
    return _("初审人不能办理财务复审：本项由您初审，须由另一名财务人员复审。")


def barred_short(user, entitlement: Entitlement) -> str:
    """The lists' few words for :func:`barred_reason`."""
    if not barred_reason(user, entitlement):
        return ""
    if entitlement.status == EntitlementStatus.CONFIRMED:
        return _("核定人不能办理财务初审")
    return _("初审人不能办理财务复审")


# What the page says after each step: the step, the record and where it goes next.
STEP_DONE = {
    EntitlementStatus.CONFIRMED: gettext_lazy("已确认兑现《%(title)s》，转财务初审（%(bureau)s）。"),
    EntitlementStatus.FIRST_APPROVED: gettext_lazy("已财务初审通过《%(title)s》，转财务复审（%(bureau)s）。"),
    EntitlementStatus.APPROVED: gettext_lazy("已财务复审通过《%(title)s》，待拨付（%(bureau)s）。"),
    EntitlementStatus.PAID: gettext_lazy("已登记拨付《%(title)s》（凭证号%(ref)s），办结。"),
    EntitlementStatus.REJECTED: gettext_lazy("已驳回《%(title)s》，已通知受益方。"),
}


def step_done_message(entitlement: Entitlement) -> str:
    template = STEP_DONE.get(entitlement.status)
    if template is None:
        return _("已办理。")
    return str(template) % {
        "title": entitlement.title,
        "bureau": next_bureau(entitlement),
        "ref": entitlement.payment_reference,
    }


def may_confirm(user, entitlement: Entitlement) -> bool:
    return may_transition(user, entitlement, EntitlementStatus.CONFIRMED)


def may_approve1(user, entitlement: Entitlement) -> bool:
    return may_transition(user, entitlement, EntitlementStatus.FIRST_APPROVED)


def may_approve2(user, entitlement: Entitlement) -> bool:
    return may_transition(user, entitlement, EntitlementStatus.APPROVED)


def may_pay(user, entitlement: Entitlement) -> bool:
    return may_transition(user, entitlement, EntitlementStatus.PAID)


def may_reject(user, entitlement: Entitlement) -> bool:
    return may_transition(user, entitlement, EntitlementStatus.REJECTED)


def allowed_actions(user, entitlement: Entitlement) -> list[str]:
    """The page verbs (``ENTITLEMENT_ACTIONS``) ``user`` may press on ``entitlement``."""
    return [
        action for action, status in ENTITLEMENT_ACTIONS.items() if may_transition(user, entitlement, status)
    ]


@transaction.atomic(durable=True)
def transition_entitlement(
    *,
    actor,
    entitlement_id: int,
    to_status: str,
    reason: str = "",
    payment_reference: str = "",
    voucher_category: str = "",
    now,
) -> Entitlement:
    """confirm (beneficiary, one click) → first approval → second approval by another finance
    officer → paid (with a payment reference; for a rule paid as a voucher, by issuing the voucher
    in ``voucher_category``, whose code becomes the reference); or rejected with a reason."""
    entitlement = lock(Entitlement.objects.all(), entitlement_id)
    allowed = ENTITLEMENT_TRANSITIONS.get(entitlement.status, {})
    if to_status not in allowed:
        raise InvalidTransition(
            _("当前状态“%(s)s”不能执行此操作。") % {"s": entitlement.get_status_display()}
        )
    if not may_transition(actor, entitlement, to_status):
        if routing.barred_id(entitlement) == actor.pk:
            if entitlement.status == EntitlementStatus.CONFIRMED:
                raise PermissionDenied(str(GRANTER_NOT_FIRST), code="granter_first_approval")
            raise PermissionDenied(str(FIRST_NOT_SECOND), code="same_approver")
        if (
            allowed[to_status] == Actor.BENEFICIARY
            and entitlement.organisation_id
            and scope.is_member(actor, entitlement.organisation)
        ):
            raise PermissionDenied(ADMIN_CONFIRMS, code="not_org_admin")
        raise PermissionDenied(NOT_ALLOWED)
    reason = (reason or "").strip()
    if to_status in REASON_REQUIRED and not reason:
        raise ValidationFailed(_("请填写驳回理由。"), detail={"reason": [_("请填写驳回理由。")]})
    payment_reference = (payment_reference or "").strip()
    if to_status == EntitlementStatus.PAID and entitlement.paid_as_voucher:
        payment_reference = _pay_as_voucher(entitlement, actor=actor, category=voucher_category, now=now).code
    if to_status == EntitlementStatus.PAID and not payment_reference:
        raise ValidationFailed(
            _("请填写拨付凭证号。"), detail={"payment_reference": [_("请填写拨付凭证号。")]}
        )
    before = audit.snapshot(entitlement, ENTITLEMENT_FIELDS)
    if to_status == EntitlementStatus.CONFIRMED:
        entitlement.confirmed_by = actor
    elif to_status == EntitlementStatus.FIRST_APPROVED:
        entitlement.first_approver = actor
    elif to_status == EntitlementStatus.APPROVED:
        entitlement.second_approver = actor
    elif to_status == EntitlementStatus.PAID:
        entitlement.payment_reference = payment_reference[:64]
        LedgerEntry.objects.create(
            entitlement=entitlement,
            kind=LedgerKind.PAYMENT,
            amount=entitlement.amount,
            at=now,
            actor=actor,
            note=payment_reference[:200],
        )
    elif to_status == EntitlementStatus.REJECTED:
        _release(entitlement, actor=actor, now=now, note=reason)
    entitlement.status, entitlement.status_reason, entitlement.updated_at = to_status, reason, now
    entitlement.save()
    audit.record(
        f"policy.entitlement_{to_status}",
        actor=actor,
        target=entitlement,
        before=before,
        after=audit.snapshot(entitlement, ENTITLEMENT_FIELDS),
        reason=reason,
        now=now,
    )
    todos.entitlement_changed(entitlement, now=now)
    return entitlement


BATCH_STAGES = {"approve1": EntitlementStatus.FIRST_APPROVED, "approve2": EntitlementStatus.APPROVED}


def approve_entitlements(*, actor, entitlement_ids, stage: str, now) -> batch.BatchOutcome:
    """Finance approves several entitlements at one stage (``approve1`` 初审 or ``approve2``
    复审), each through :func:`transition_entitlement` (see ``core.batch``)."""
    if stage not in BATCH_STAGES:
        raise ValidationFailed(_("请选择初审或复审。"))
    ids = batch.parse_ids(entitlement_ids)
    return batch.each(
        ids,
        visible={e.pk: e for e in Entitlement.objects.visible_to(actor).filter(pk__in=ids)},
        act=lambda pk: transition_entitlement(
            actor=actor, entitlement_id=pk, to_status=BATCH_STAGES[stage], now=now
        ),
        name_of=lambda e: _("%(name)s（%(title)s）") % {"name": e.beneficiary_name, "title": e.title},
        missing=_("兑现记录不存在或您无权查看。"),
    )


# Which voucher source records a subsidy paid as a voucher, by rule.
VOUCHER_SOURCES = {"cc_high_tech_city_voucher": VoucherSource.HIGH_TECH_SUBSIDY}  # 001#20


def _pay_as_voucher(entitlement: Entitlement, *, actor, category: str, now) -> Voucher:
    """Issue the entitlement's voucher from the enterprise's pool for this year (001#20: 最高3万
    以创新券方式): the one payment of this entitlement, and once per certificate on the voucher side."""
    if category not in ServiceCategory.values:
        message = _("请选择创新券可购买的服务类别。")
        raise ValidationFailed(message, detail={"voucher_category": [message]})
    pool = voucher_services.pool_for(
        entitlement.organisation, year=timezone.localdate(now).year, category=category
    )
    if pool is None:
        raise ValidationFailed(_("企业所在地区没有本年度的创新券资金池，不能以创新券兑现。"), code="no_pool")
    return voucher_services.issue_voucher_in_transaction(
        actor=actor,
        pool_id=pool.pk,
        enterprise_id=entitlement.organisation_id,
        category=category,
        amount=entitlement.amount,
        source=VOUCHER_SOURCES[entitlement.rule_id],
        now=now,
    )


# --- discretionary applications -------------------------------------------------------------


def _required(value, field: str, message) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationFailed(message, detail={field: [str(message)]})
    return value


# --- the required materials (rule.evidence) an applicant attaches ----------------------------
# Checked as every scanned document is (core.uploads), stored under a server-made name.
ATTACHMENTS_FIELD = "attachments"
MAX_ATTACHMENTS = 20


def attachment_kind(content: bytes, name: str = "") -> str:
    """ "pdf", "jpg" or "png"; refused in Chinese, naming the file, otherwise or if too big."""
    return uploads.scan_kind(content, field=ATTACHMENTS_FIELD, label=name or _("附件"))


def _check_attachments(rule, files) -> list:
    """``files``: [(material, content, original name)]; each checked before anything is written.
    A material that is not one of the rule's is stored untied (material "")."""
    files = list(files or [])
    if len(files) > MAX_ATTACHMENTS:
        message = _("一次最多上传%(n)s个文件。") % {"n": MAX_ATTACHMENTS}
        raise ValidationFailed(message, detail={ATTACHMENTS_FIELD: [message]})
    evidence = set(rule.evidence) if rule is not None else set()
    checked = []
    for material, content, name in files:
        kind = attachment_kind(content, name)
        checked.append((material if material in evidence else "", content, name, kind))
    return checked


def _require_materials(rule, application, files) -> None:
    if rule is None or not rule.evidence or files or application.attachments.exists():
        return
    message = _("请上传须附材料：%(list)s（PDF、JPG或PNG，每个不超过10MB）。") % {
        "list": "、".join(rule.evidence)
    }
    raise ValidationFailed(message, detail={ATTACHMENTS_FIELD: [message]})


def _store_attachments(application, checked, *, actor, now) -> list:
    import uuid

    from django.core.files.base import ContentFile

    from zhouqiao.policy.models import ApplicationAttachment

    stored = []
    for material, content, name, kind in checked:
        attachment = ApplicationAttachment(
            application=application,
            material=material,
            name=(name or f"attachment.{kind}")[-200:],
            size=len(content),
            uploaded_by=actor,
            uploaded_at=now,
        )
        attachment.file.save(f"{uuid.uuid4().hex}.{kind}", ContentFile(content), save=False)
        attachment.save()
        stored.append(attachment)
    if stored:
        audit.record(
            "policy.attachment_added",
            actor=actor,
            target=application,
            after={"files": [{"material": a.material, "name": a.name, "size": a.size} for a in stored]},
            region_code=application.organisation.region_id,
            now=now,
        )
    return stored


def may_read_attachments(user, application) -> bool:
    """The applicant's organisation, and the reviewers and finance staff who handle it (the
    paying jurisdiction's; a bureau above that only oversees does not read the files)."""
    if not getattr(user, "is_authenticated", False):
        return False
    return scope.is_member(user, application.organisation) or routing.may_review(user, application)


def may_attach(user, application) -> bool:
    return (
        getattr(user, "is_authenticated", False)
        and application.status in (ApplicationStatus.INVITED, ApplicationStatus.SUBMITTED)
        and scope.is_member(user, application.organisation)
    )


@transaction.atomic(durable=True)
def add_attachments(*, actor, application_id: int, files, now) -> list:
    """The applicant adds materials to an application not yet reviewed (one created from a
    platform record, or a supplement the reviewer asked for)."""
    application = lock(Application.objects.all(), application_id)
    if not scope.is_member(actor, application.organisation):
        raise PermissionDenied(NOT_ALLOWED)
    if not may_attach(actor, application):
        raise InvalidTransition(_("该申请已评审，不能再上传材料。"))
    if not files:
        message = _("请选择要上传的文件。")
        raise ValidationFailed(message, detail={ATTACHMENTS_FIELD: [message]})
    checked = _check_attachments(engine.rule_by_id(application.rule_id), files)
    return _store_attachments(application, checked, actor=actor, now=now)


@transaction.atomic(durable=True)
def submit_application(*, actor, application_id: int, statement: str, now, attachments=None) -> Application:
    """The beneficiary applies for a discretionary rule its registered contract made it eligible
    for (an invitation with a ceiling), with its supporting explanation and the rule's required
    materials (``attachments``: [(material, content, original name)]; at least one file when the
    rule asks for materials)."""
    application = lock(Application.objects.all(), application_id)
    if not scope.is_member(actor, application.organisation):
        raise PermissionDenied(NOT_ALLOWED)
    if application.status != ApplicationStatus.INVITED:
        raise InvalidTransition(_("该申请已提交或已办结。"))
    statement = _required(statement, "statement", _("请填写申请说明。"))
    rule = engine.rule_by_id(application.rule_id)
    checked = _check_attachments(rule, attachments)
    _require_materials(rule, application, checked)
    _store_attachments(application, checked, actor=actor, now=now)
    application.statement, application.status = statement, ApplicationStatus.SUBMITTED
    application.submitted_at = now
    application.save(update_fields=["statement", "status", "submitted_at"])
    audit.record(
        "policy.application_submitted",
        actor=actor,
        target=application,
        after={"statement": statement},
        region_code=application.organisation.region_id,
        now=now,
    )
    todos.application_changed(application, now=now)
    return application


OPEN_OR_GRANTED = [ApplicationStatus.SUBMITTED, ApplicationStatus.GRANTED]
BUREAU_NOT_APPLICANT = gettext_lazy("科技主管部门负责评审和兑现政策支持，不能以本部门名义申请。")


@transaction.atomic(durable=True)
def apply_for_event(
    *,
    actor,
    organisation_id: int,
    rule_id: str,
    event_date,
    event_reference: str,
    statement: str,
    now,
    from_platform_record: bool = False,
    attachments=None,
) -> Application:
    """Claim an event-triggered rule (001#9 TTO performance, 001#14 academician conversion,
    001#16 award-winning results, 001#20 high-tech certification, 003#19, 003#33): the engine
    checks the applicant against the rule on the event date and gives the ceiling (or the fixed
    amount); a finance officer of the issuing jurisdiction then reviews the claim. The
    organisation row is locked so that two claims at once cannot both pass the duplicate check.
    A rule of an event the platform records (engine.PLATFORM_EVENTS) is claimed only from that
    record (``from_platform_record``), by the service that holds it."""
    organisation = lock(Organisation.objects.all(), organisation_id)
    if not scope.is_member(actor, organisation):
        raise PermissionDenied(NOT_ALLOWED)
    if organisation.kind == OrganisationKind.GOVERNMENT:
        raise PermissionDenied(BUREAU_NOT_APPLICANT, code="bureau_not_applicant")
    if not organisation.is_verified:
        raise PermissionDenied(_("单位尚未通过认证，不能申请政策支持。"))
    from zhouqiao.policy.parameters import effective_packages

    pkgs = effective_packages()
    rule = engine.rule_by_id(rule_id, pkgs)
    if rule is None or rule.trigger == "contract":
        raise ValidationFailed(_("请选择要申请的政策条款。"), detail={"rule_id": [_("条款不存在。")]})
    if rule.trigger in engine.PLATFORM_EVENTS and not from_platform_record:
        message = _("该项支持以平台上的验收记录为依据，请在验收通过后从该记录提出申请。")
        raise ValidationFailed(message, detail={"rule_id": [message]})
    if not isinstance(event_date, dt.date):
        raise ValidationFailed(_("请填写事项发生日期。"), detail={"event_date": [_("请填写事项发生日期。")]})
    if event_date > clock.local_date(now):
        message = _("事项发生日期不能晚于今天。")
        raise ValidationFailed(message, detail={"event_date": [message]})
    reference = _required(event_reference, "event_reference", _("请填写证书或文件编号。"))[:100]
    statement = _required(statement, "statement", _("请填写申请说明。"))
    checked = _check_attachments(rule, attachments)
    if rule.evidence and not checked and not from_platform_record:
        # a claim from a platform record carries that record; its materials may follow
        message = _("请上传须附材料：%(list)s（PDF、JPG或PNG，每个不超过10MB）。") % {
            "list": "、".join(rule.evidence)
        }
        raise ValidationFailed(message, detail={ATTACHMENTS_FIELD: [message]})
    applicant = engine.Party(type=organisation.kind, region=organisation.region_id)
    if not engine.may_claim(rule, applicant):
        message = _("按%(clause)s规定的适用地区和单位类型，本单位不能申请该项支持。") % {
            "clause": describe_clause(rule.clause)
        }
        raise ValidationFailed(message, detail={"rule_id": [message]})
    facts = engine.EventFacts(date=event_date, event=rule.trigger, applicant=applicant)
    result = next((r for r in engine.evaluate_event(facts, pkgs) if r.rule.id == rule.id), None)
    if result is None:
        package = engine.package_by_id(rule.package, pkgs)
        if package is not None and not package.in_force(event_date):
            message = _("%(doc)s在事项发生日期尚未施行（或已废止），不能据此申请。") % {
                "doc": f"《{package.short_title}》"
            }
            raise ValidationFailed(message, detail={"event_date": [message]})
        message = _("%(clause)s在事项发生日期不适用（不在有效期内），不能据此申请。") % {
            "clause": describe_clause(rule.clause)
        }
        raise ValidationFailed(message, detail={"rule_id": [message]})
    earlier = Application.objects.filter(
        organisation=organisation, rule_id=rule.id, status__in=OPEN_OR_GRANTED
    )
    if not rule.once:
        earlier = earlier.filter(event_reference=reference)
    if earlier.exists():
        raise Conflict(_("本单位已就该事项提出过申请。"), code="already_applied")
    result.trace["facts"] = {
        "event": rule.trigger,
        "event_date": event_date.isoformat(),
        "event_reference": reference,
        "applicant": {"type": organisation.kind, "region": organisation.region_id},
    }
    application = Application.objects.create(
        rule_id=rule.id,
        clause=rule.clause,
        title=rule.title,
        beneficiary=rule.beneficiary,
        organisation=organisation,
        payer_region_id=routing.payer_region(rule, organisation.region_id),
        ceiling=result.amount,
        event=rule.trigger,
        event_date=event_date,
        event_reference=reference,
        statement=statement,
        status=ApplicationStatus.SUBMITTED,
        trace=result.trace,
        year=now.year,
        created_at=now,
        submitted_at=now,
    )
    audit.record(
        "policy.application_submitted",
        actor=actor,
        target=application,
        after=audit.snapshot(
            application, ["rule_id", "ceiling", "event", "event_date", "event_reference", "statement"]
        ),
        region_code=organisation.region_id,
        now=now,
    )
    _store_attachments(application, checked, actor=actor, now=now)
    todos.application_changed(application, now=now)
    return application


@transaction.atomic(durable=True)
def review_application(
    *, actor, application_id: int, grant: bool, amount=None, reason: str = "", now
) -> Application:
    """Grant up to the ceiling (the grant becomes a confirmed entitlement that then goes through
    the two finance approvals) or refuse with a reason."""
    application = lock(Application.objects.all(), application_id)
    if not routing.may_review(actor, application):
        raise PermissionDenied(_("只有支付该项资金的科技主管部门可以评审该申请。"))
    if application.status != ApplicationStatus.SUBMITTED:
        raise InvalidTransition(_("只有待评审的申请可以评审。"))
    reason = (reason or "").strip()
    if not grant:
        if not reason:
            raise ValidationFailed(_("请填写评审意见。"), detail={"reason": [_("请填写评审意见。")]})
        application.status, application.status_reason, application.reviewer = (
            ApplicationStatus.REFUSED,
            reason,
            actor,
        )
        application.save()
        audit.record(
            "policy.application_refused",
            actor=actor,
            target=application,
            reason=reason,
            region_code=application.payer_region_id,
            now=now,
        )
        todos.application_changed(application, now=now)
        return application
    rule = engine.rule_by_id(application.rule_id)
    fixed = rule is not None and rule.automatic  # 定额: the review only checks the event
    if fixed and amount in (None, ""):
        amount = application.ceiling
    if amount in (None, ""):
        raise ValidationFailed(_("请填写核定金额。"), detail={"amount": [_("请填写核定金额。")]})
    try:
        value = parse_amount(amount, allow_zero=False)
    except AmountError as exc:
        raise ValidationFailed(str(exc), detail={"amount": [str(exc)]}) from exc
    if value > application.ceiling:
        message = _("核定金额不能超过最高金额%(c)s。") % {"c": format_yuan(application.ceiling)}
        raise ValidationFailed(message, detail={"amount": [message]})
    if fixed and value != application.ceiling:
        message = _("%(clause)s为定额奖励，应按%(c)s元核定。") % {
            "clause": describe_clause(application.clause),
            "c": application.ceiling,
        }
        raise ValidationFailed(message, detail={"amount": [message]})
    minimum = ((application.trace.get("parameters") or {}).get("minimum") or {}).get("value")
    if minimum is not None and value < to_yuan(minimum):
        message = _("核定金额应在%(low)s至%(high)s之间。") % {
            "low": format_yuan(minimum),
            "high": format_yuan(application.ceiling),
        }
        raise ValidationFailed(message, detail={"amount": [message]})
    if rule is not None and rule.determination and not reason:
        # The rule's own text opens with "评审须认定并记录：" (002#5): say it once.
        what = rule.determination.strip()
        for lead in ("评审须认定并记录：", "评审须认定并记录:"):
            what = what.removeprefix(lead)
        message = _("请在评审意见中记录认定：%(what)s") % {"what": what}
        raise ValidationFailed(message, detail={"reason": [message]})
    payable = _supersede(application, rule, value, actor=actor, now=now)
    cap_row = _yearly_cap_row(application, payable)
    application.status, application.granted_amount = ApplicationStatus.GRANTED, value
    application.status_reason, application.reviewer = reason, actor
    application.save()
    entitlement = Entitlement.objects.create(
        contract=application.contract,
        application=application,
        rule_id=application.rule_id,
        clause=application.clause,
        title=application.title,
        beneficiary=application.beneficiary,
        organisation=application.organisation,
        beneficiary_name=(
            _("%(unit)s成果完成人（团队）") % {"unit": application.organisation.name}
            if application.beneficiary == "inventors"
            else application.organisation.name
        ),
        payer_region_id=application.payer_region_id,
        year=application.year,
        amount=payable,
        annual_cap_key=cap_row,
        trace=application.trace,
        # The beneficiary claimed it by applying; the reviewer 核定 the amount (and so may not
        # also do its 财务初审). Nobody "confirmed" it as the beneficiary.
        status=EntitlementStatus.CONFIRMED,
        granted_by=actor,
        created_at=now,
        updated_at=now,
    )
    LedgerEntry.objects.create(
        entitlement=entitlement,
        kind=LedgerKind.GRANT,
        amount=payable,
        at=now,
        actor=actor,
        note=_("择优评审核定") if payable == value else _("择优评审核定，补差额"),
    )
    audit.record(
        "policy.application_granted",
        actor=actor,
        target=application,
        after={"amount": value, "entitlement": entitlement.pk},
        reason=reason,
        region_code=application.payer_region_id,
        now=now,
    )
    audit.record(
        "policy.entitlement_granted",
        actor=actor,
        target=entitlement,
        after=audit.snapshot(entitlement, ["rule_id", "beneficiary", "amount", "status"]),
        region_code=application.payer_region_id,
        now=now,
    )
    todos.application_changed(application, now=now)
    todos.entitlement_changed(entitlement, now=now)
    return application


def _yearly_cap_row(application: Application, amount) -> CapUsage | None:
    """A contract's application under a cap counted per beneficiary per calendar year (002#5,
    ruling 4): the grant takes from the same yearly cap row as the entitlements, so that several
    contracts cannot each be granted the whole cap. Returns the locked row, already counted."""
    cap = ((application.trace.get("parameters") or {}).get("annual_cap") or {}).get("value")
    period = ((application.trace.get("parameters") or {}).get("cap_period") or {}).get("value", "year")
    if cap is None or period != "year" or application.contract_id is None:
        return None
    key = f"org:{application.organisation_id}"
    row = lock_cap_rows([(key, application.clause, application.year)])[(key, application.clause)]
    remaining = to_yuan(cap) - row.used
    if amount > remaining:
        message = _("超过%(clause)s本年度上限：本单位本年还可核定%(left)s。") % {
            "clause": describe_clause(application.clause),
            "left": format_yuan(max(remaining, Decimal(0))),
        }
        raise ValidationFailed(message, detail={"amount": [message]})
    row.used += amount
    row.save(update_fields=["used"])
    return row


def describe_clause(clause: str) -> str:
    from zhouqiao.policy import describe

    return describe.cite(clause).text


def _supersede(application: Application, rule, value, *, actor, now) -> Decimal:
    """001#16's tiers do not stack (ruling 3): granting the 重大科技成果转化项目 application
    (``supersedes``) replaces the same contract's 15% entitlement. One not yet paid is reversed
    (its cap use released) and the full amount is granted; one already paid stays paid and only
    the difference is granted. Returns what the new entitlement pays."""
    if rule is None or not rule.supersedes or application.contract_id is None:
        return value
    pk = (
        Entitlement.objects.filter(
            contract_id=application.contract_id, rule_id=rule.supersedes, beneficiary=application.beneficiary
        )
        .exclude(status__in=[EntitlementStatus.REJECTED, EntitlementStatus.REVERSED])
        .values_list("pk", flat=True)
        .first()
    )
    if pk is None:
        return value
    earlier = lock(Entitlement.objects.all(), pk)
    if earlier.status == EntitlementStatus.PAID:
        difference = value - earlier.amount
        if difference <= 0:
            message = _("核定金额不高于已拨付的%(title)s（%(paid)s），择优不叠加，无差额可补。") % {
                "title": earlier.title,
                "paid": format_yuan(earlier.amount),
            }
            raise ValidationFailed(message, detail={"amount": [message]})
        return difference
    reason = _("已择优确定为%(title)s，两档不叠加，本项作废") % {"title": rule.title}
    before = audit.snapshot(earlier, ENTITLEMENT_FIELDS)
    _release(earlier, actor=actor, now=now, note=reason)
    earlier.status, earlier.status_reason, earlier.updated_at = EntitlementStatus.REVERSED, reason, now
    earlier.save()
    audit.record(
        "policy.entitlement_superseded",
        actor=actor,
        target=earlier,
        before=before,
        after=audit.snapshot(earlier, ENTITLEMENT_FIELDS),
        reason=reason,
        now=now,
    )
    return value


# --- income distribution (002#15, 003#17) -----------------------------------------------------

MIN_INVENTORS_RATIO = Decimal("0.70")


@transaction.atomic(durable=True)
def set_distribution_scheme(
    *, actor, organisation_id: int, inventors_ratio, department_ratio, now
) -> DistributionScheme:
    org = lock(Organisation.objects.all(), organisation_id)
    if not scope.is_org_admin(actor, org):
        raise PermissionDenied(NOT_ALLOWED)
    if org.kind not in ("university", "institute"):
        raise ValidationFailed(_("收益分配方案适用于高校和科研院所。"))
    try:
        inventors, department = Decimal(str(inventors_ratio)), Decimal(str(department_ratio))
    except ArithmeticError as exc:
        raise ValidationFailed(_("比例应为0到1之间的小数。")) from exc
    if inventors < MIN_INVENTORS_RATIO or inventors > 1:
        raise ValidationFailed(
            _("成果完成人（团队）比例不得低于70%（002#15、003#17）。"),
            detail={"inventors_ratio": [_("不得低于70%。")]},
        )
    if department < 0 or inventors + department > 1:
        raise ValidationFailed(
            _("各方比例之和不能超过100%。"), detail={"department_ratio": [_("比例过大。")]}
        )
    scheme, _created = DistributionScheme.objects.update_or_create(
        organisation=org,
        defaults={
            "inventors_ratio": inventors,
            "department_ratio": department,
            "unit_ratio": 1 - inventors - department,
            "updated_at": now,
        },
    )
    audit.record(
        "policy.distribution_scheme",
        actor=actor,
        target=org,
        after={"inventors": inventors, "department": department},
        now=now,
    )
    return scheme


def _split(total: Decimal, weights: list[Decimal]) -> list[Decimal]:
    """Split ``total`` by ``weights``, rounding half-up; the last share takes the remainder so the
    parts always add up to the total."""
    parts, given = [], Decimal("0.00")
    whole = sum(weights)
    for weight in weights[:-1]:
        part = (total * weight / whole).quantize(FEN, rounding=ROUND_HALF_UP)
        parts.append(part)
        given += part
    return [*parts, total - given]


@transaction.atomic(durable=True)
def distribute_income(*, actor, contract_id: int, costs, inventors: list[dict], now) -> IncomeDistribution:
    """The seller unit's distribution sheet for a registered transfer, licence or equity
    contract: net income = technology transaction amount − costs; inventors' share per the unit's
    scheme (≥70%), split among the named inventors by their shares."""
    from zhouqiao.contracts.models import Contract
    from zhouqiao.contracts.states import ContractStatus

    contract = lock(Contract.objects.all(), contract_id)
    if not scope.is_org_admin(actor, contract.seller):
        raise PermissionDenied(NOT_ALLOWED)
    if contract.status != ContractStatus.REGISTERED or contract.contract_type not in (
        "transfer",
        "licence",
        "equity",
    ):
        raise InvalidTransition(_("只有已登记的技术转让、许可或入股合同可以分配收益。"))
    if contract.seller.kind not in ("university", "institute"):
        raise ValidationFailed(_("收益分配方案适用于高校和科研院所。"))
    try:
        costs_value = parse_amount(costs or 0)
    except AmountError:
        costs_value = Decimal(-1)
    if costs_value < 0 or costs_value > contract.technology_amount:
        raise ValidationFailed(_("成本应在0与技术交易额之间。"), detail={"costs": [_("成本不正确。")]})
    try:
        people = [(str(p.get("name", "")).strip()[:64], Decimal(str(p.get("share", 0)))) for p in inventors]
    except (InvalidOperation, AttributeError, TypeError):
        people = []
    if not people or any(not name or not share.is_finite() or share <= 0 for name, share in people):
        raise ValidationFailed(_("请填写成果完成人姓名及其份额。"), detail={"inventors": [_("请填写完整。")]})
    scheme = DistributionScheme.objects.filter(organisation=contract.seller).first()
    inventors_ratio = scheme.inventors_ratio if scheme else MIN_INVENTORS_RATIO
    department_ratio = scheme.department_ratio if scheme else Decimal("0")
    net = contract.technology_amount - costs_value
    inventors_amount, department_amount, unit_amount = _split(
        net, [inventors_ratio, department_ratio, 1 - inventors_ratio - department_ratio]
    )
    shares = _split(inventors_amount, [share for _name, share in people])
    distribution = IncomeDistribution.objects.create(
        contract=contract,
        organisation=contract.seller,
        income=contract.technology_amount,
        costs=costs_value,
        net_income=net,
        inventors_amount=inventors_amount,
        unit_amount=unit_amount,
        department_amount=department_amount,
        inventors=[
            {"name": name, "share": str(share), "amount": str(amount)}
            for (name, share), amount in zip(people, shares, strict=True)
        ],
        ratios={
            "inventors": str(inventors_ratio),
            "department": str(department_ratio),
            "unit": str(1 - inventors_ratio - department_ratio),
        },
        created_by=actor,
        created_at=now,
    )
    audit.record(
        "policy.income_distributed",
        actor=actor,
        target=distribution,
        after={"net": net, "inventors": inventors_amount},
        region_code=contract.seller.region_id,
        now=now,
    )
    return distribution


def get_application(user, application_id: int) -> Application:
    application = Application.objects.visible_to(user).filter(pk=application_id).first()
    if application is None:
        raise NotFound(_("申请不存在或您无权查看。"))
    return application


def distributions_visible_to(user):
    """A distribution sheet names people and their income: only the unit's members see it."""
    if not getattr(user, "is_authenticated", False):
        return IncomeDistribution.objects.none()
    return IncomeDistribution.objects.filter(organisation_id__in=scope.organisation_ids(user))


def get_distribution(user, distribution_id: int) -> IncomeDistribution:
    distribution = distributions_visible_to(user).filter(pk=distribution_id).first()
    if distribution is None:
        raise NotFound(_("收益分配记录不存在或您无权查看。"))
    return distribution


def get_entitlement(user, entitlement_id: int) -> Entitlement:
    entitlement = Entitlement.objects.visible_to(user).filter(pk=entitlement_id).first()
    if entitlement is None:
        raise NotFound(_("兑现记录不存在或您无权查看。"))
    return entitlement


# --- a bureau edits its own parameters (issue 16) ---------------------------------------------

CHANGE_FIELDS = ["package", "rule_id", "name", "value", "previous_value", "effective_from", "status"]


def _editor_of(user, package: engine.Package) -> bool:
    """Staff of the issuing jurisdiction itself (not a higher or lower one) with the
    ``policy_editor`` duty."""
    if not getattr(user, "is_authenticated", False):
        return False
    return engine.region_prefix(package.jurisdiction) in scope.prefixes(user, Duty.POLICY_EDITOR)


def may_edit_package(user, package: engine.Package) -> bool:
    return _editor_of(user, package)


def may_decide_change(user, change) -> bool:
    """Another editor of the same jurisdiction: no one approves their own proposal."""
    package = engine.package_by_id(change.package)
    return (
        package is not None
        and change.status == ChangeStatus.PROPOSED
        and _editor_of(user, package)
        and change.proposed_by_id != user.pk
    )


def editable_packages(user) -> list[engine.Package]:
    return [p for p in engine.shipped_packages() if _editor_of(user, p)]


@transaction.atomic(durable=True)
def propose_parameter_change(
    *,
    actor,
    package_id: str,
    rule_id: str = "",
    name: str,
    value,
    effective_from,
    reason: str,
    adopting_document: str,
    now,
) -> ParameterChange:
    """A policy editor proposes a new dated value for one of the bureau's own parameters (or
    the document's status: its adoption 施行, or 废止) with the reason and the adopting
    document's number. Nothing changes until another editor approves it."""
    from zhouqiao.policy import parameters

    package = engine.package_by_id(package_id)
    if package is None:
        raise NotFound(_("政策文件不存在。"))
    if not _editor_of(actor, package):
        raise PermissionDenied(_("只有发文地区的政策参数编辑人员可以调整该文件的参数。"))
    rule = None
    if rule_id:
        rule = engine.rule_by_id(rule_id, (package,))
        if rule is None:
            raise ValidationFailed(_("请选择条款。"), detail={"rule_id": [_("条款不存在。")]})
        if name not in parameters.editable_parameters(rule):
            message = _("该条款没有这个可调整的参数。")
            raise ValidationFailed(message, detail={"name": [message]})
    elif name != engine.DOCUMENT_PARAMETER:
        raise ValidationFailed(_("请选择要调整的参数。"), detail={"name": [_("请选择要调整的参数。")]})
    try:
        clean = parameters.clean_value(name, value)
    except parameters.ChangeValueError as exc:
        raise ValidationFailed(str(exc), detail={"value": [str(exc)]}) from exc
    if not isinstance(effective_from, dt.date):
        raise ValidationFailed(_("请填写生效日期。"), detail={"effective_from": [_("请填写生效日期。")]})
    reason = _required(reason, "reason", _("请填写调整理由。"))
    number = _required(adopting_document, "adopting_document", _("请填写依据文件的文号。"))[:100]
    effective = engine.package_by_id(package_id, parameters.effective_packages())
    effective_rule = engine.rule_by_id(rule_id, (effective,)) if rule_id else None
    previous = parameters.current_value(effective, effective_rule, name, effective_from)
    if previous == clean:
        message = _("新值与该日期正在使用的值相同。")
        raise ValidationFailed(message, detail={"value": [message]})
    change = ParameterChange.objects.create(
        package=package.id,
        rule_id=rule_id,
        name=name,
        value=clean,
        previous_value=previous,
        effective_from=effective_from,
        reason=reason,
        adopting_document=number,
        jurisdiction_id=package.jurisdiction,
        proposed_by=actor,
        proposed_at=now,
    )
    audit.record(
        "policy.parameter_proposed",
        actor=actor,
        target=change,
        after=audit.snapshot(change, CHANGE_FIELDS),
        reason=reason,
        region_code=package.jurisdiction,
        now=now,
    )
    todos.parameter_change_changed(change, now=now)
    return change


@transaction.atomic(durable=True)
def decide_parameter_change(
    *, actor, change_id: int, approve: bool, reason: str = "", now
) -> ParameterChange:
    """Another policy editor of the jurisdiction approves (the engine uses the value from its
    effective date) or rejects it with a reason."""
    change = lock(ParameterChange.objects.all(), change_id)
    if change.status != ChangeStatus.PROPOSED:
        raise InvalidTransition(_("该调整已审批。"))
    if change.proposed_by_id == getattr(actor, "pk", None):
        raise PermissionDenied(
            _("不能审批自己提出的调整，须由另一名政策参数编辑人员审批。"), code="same_person"
        )
    if not may_decide_change(actor, change):
        raise PermissionDenied(NOT_ALLOWED)
    reason = (reason or "").strip()
    if not approve and not reason:
        raise ValidationFailed(_("请填写不予通过的理由。"), detail={"reason": [_("请填写理由。")]})
    before = audit.snapshot(change, CHANGE_FIELDS)
    change.status = ChangeStatus.APPROVED if approve else ChangeStatus.REJECTED
    change.decided_by, change.decided_at, change.decision_reason = actor, now, reason
    change.save()
    record = {
        "actor": actor,
        "target": change,
        "before": before,
        "after": audit.snapshot(change, CHANGE_FIELDS),
        "reason": reason,
        "region_code": change.jurisdiction_id,
        "now": now,
    }
    if approve:
        audit.record("policy.parameter_approved", **record)
    else:
        audit.record("policy.parameter_rejected", **record)
    todos.parameter_change_changed(change, now=now)
    return change


@transaction.atomic
def record_adoption(*, package_id: str, effective_from, number: str, reason: str, now) -> ParameterChange:
    """Record, without a proposer, that a draft document is in force from ``effective_from``
    (the bureau's adoption, ruling 1) — for the demo, which says so in ``reason``, and for
    installations that take over an adoption made outside the platform. Safe to re-run."""
    package = engine.package_by_id(package_id)
    if package is None:
        raise NotFound(_("政策文件不存在。"))
    change, created = ParameterChange.objects.get_or_create(
        package=package.id,
        rule_id="",
        name=engine.DOCUMENT_PARAMETER,
        value=engine.IN_FORCE,
        effective_from=effective_from,
        status=ChangeStatus.APPROVED,
        defaults={
            "previous_value": package.status_on(effective_from) or "",
            "reason": reason,
            "adopting_document": number,
            "jurisdiction_id": package.jurisdiction,
            "proposed_at": now,
            "decided_at": now,
        },
    )
    if created:
        audit.record(
            "policy.document_adopted",
            target=change,
            after=audit.snapshot(change, CHANGE_FIELDS),
            reason=reason,
            region_code=package.jurisdiction,
            now=now,
        )
    return change


def distribution_floor_for(contract) -> list[engine.Result]:
    """For a registered contract's page: the unit's own 收益分配 floor (002#15 / 003#17, at least
    70 % of net income) under the documents in force on the registration date — shown as the
    unit's distribution, never as an entitlement (ruling 7). The net income here is the
    technology amount; the distribution sheet deducts the costs the unit states."""
    if contract.registered_at is None:
        return []
    from zhouqiao.policy.parameters import effective_packages

    as_of = clock.local_date(contract.registered_at)
    results = engine.evaluate_contract(contract_facts(contract, as_of=as_of), effective_packages())
    return [r for r in results if r.kind == engine.KIND_DISTRIBUTION]
