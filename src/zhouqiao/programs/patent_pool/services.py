"""Every write of the patent pool (专利收储与运营, seed 002 §26): keyword-only arguments, ``actor``
and ``now``; one durable transaction that locks what it changes and writes the audit record.

Who may do what:

* members of the patent's owner organisation offer it (拟放弃), withdraw the offer, record an
  implementation (which clears the 未实施 flag) and declare a patent the platform does not know;
* program officers (``Duty.PROGRAM_OFFICER``) whose jurisdiction covers the patent's region decide
  on acquisition (收储) — into the pool of their own jurisdiction — and refuse with a reason;
* program officers whose jurisdiction covers the pool keep its annual fees, record its proceeds
  and, when they are members of the pool's holder organisation (the market's rule for a seller),
  put its patents on the market through the catalog's and the market's own services.

The idle check (:func:`check_patents`, daily: ``zhouqiao patent-pool check`` or the task
``check_patents``) tracks the platform's invention patents and flags those granted
``ZHOUQIAO_PATENT_IDLE_YEARS`` years ago (seed 002 §26: 3) with no registered technology contract,
market deal or implementation record.
"""

from __future__ import annotations

import datetime as dt
import re

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from zhouqiao.accounts import scope
from zhouqiao.accounts.models import Duty, Organisation, OrganisationKind
from zhouqiao.core import audit
from zhouqiao.core.errors import Conflict, InvalidTransition, NotFound, PermissionDenied, ValidationFailed
from zhouqiao.core.locking import lock
from zhouqiao.core.models import Region
from zhouqiao.core.money import AmountError, parse_amount
from zhouqiao.programs.patent_pool import todos
from zhouqiao.programs.patent_pool.models import (
    AcquisitionCase,
    AnnualFee,
    ImplementationRecord,
    PatentPool,
    PooledPatent,
    Proceeds,
    TrackedPatent,
    is_invention_number,
    number_key,
)
from zhouqiao.programs.patent_pool.states import (
    CASE_TRANSITIONS,
    POOL_TRANSITIONS,
    Actor,
    CaseOrigin,
    CaseStatus,
    Implementation,
    ImplementationKind,
    PatentSource,
    PoolStatus,
    ProceedsKind,
)

# An invention patent runs twenty years from its filing date (专利法第四十二条).
TERM_YEARS = 20
PATENT_FIELDS = ["number", "title", "owner_id", "granted_on", "implementation", "flagged_at"]
CASE_FIELDS = ["status", "origin", "owner_reason", "asking_price", "price", "decision_reason", "pool_id"]
POOLED_FIELDS = ["status", "achievement_id", "listing_id", "auction_id", "licence_terms"]


def idle_years() -> int:
    return int(getattr(settings, "ZHOUQIAO_PATENT_IDLE_YEARS", 3))


def fail(field: str, message, code: str = "validation_failed") -> ValidationFailed:
    return ValidationFailed(message, code=code, detail={field: [str(message)]})


def add_years(day: dt.date, years: int) -> dt.date:
    """The same calendar day ``years`` later (29 February → 28 February)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def _amount(value, field: str, label, *, required: bool = True):
    if value in (None, ""):
        if required:
            raise fail(field, _("请填写%(label)s。") % {"label": label}, "invalid_amount")
        return None
    try:
        return parse_amount(value)
    except AmountError as exc:
        raise fail(
            field, _("%(label)s：%(reason)s") % {"label": label, "reason": exc}, "invalid_amount"
        ) from None


def _text(value, field: str, message, *, limit: int = 2000) -> str:
    text = (value or "").strip()
    if not text:
        raise fail(field, message, "reason_required")
    if len(text) > limit:
        raise fail(field, _("不能超过%(n)s个字。") % {"n": limit})
    return text


def _day(value, field: str, label) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise fail(field, _("%(label)s不是有效日期（例如 2024-03-01）。") % {"label": label}) from None


# --- permissions (also used by the views to show only the buttons one may press) ----------------


def is_owner_member(user, patent: TrackedPatent) -> bool:
    return scope.is_member(user, patent.owner)


def may_decide(user, patent: TrackedPatent) -> bool:
    return scope.covers(user, patent.region_id, Duty.PROGRAM_OFFICER)


def may_manage_pool(user, pool: PatentPool) -> bool:
    return scope.covers(user, pool.region_id, Duty.PROGRAM_OFFICER)


def may_operate_on_market(user, pool: PatentPool) -> bool:
    return (
        may_manage_pool(user, pool)
        and pool.holder_id is not None
        and pool.holder_id in scope.organisation_ids(user)
    )


def _check_owner(actor, patent: TrackedPatent) -> None:
    if not getattr(actor, "is_authenticated", False) or not is_owner_member(actor, patent):
        raise PermissionDenied(_("只有专利权人所属机构的成员可以办理。"), code="not_owner")


def _check_officer(actor, patent: TrackedPatent) -> None:
    if not getattr(actor, "is_authenticated", False) or not may_decide(actor, patent):
        raise PermissionDenied(_("只有专利所在辖区的项目管理人员可以决定收储。"), code="not_officer")


def _check_pool_officer(actor, pool: PatentPool) -> None:
    if not getattr(actor, "is_authenticated", False) or not may_manage_pool(actor, pool):
        raise PermissionDenied(_("只有该专利池所在辖区的项目管理人员可以办理。"), code="not_officer")


# --- tracking -------------------------------------------------------------------------------------


def _upsert(*, number: str, defaults: dict, now) -> tuple[TrackedPatent, bool]:
    """One tracked patent per number: a record already tracked keeps its owner, status and history;
    missing dates and links are filled in."""
    key = number_key(number)
    existing = TrackedPatent.objects.filter(key=key).first()
    if existing is None:
        patent = TrackedPatent(number=number.strip(), created_at=now, updated_at=now, **defaults)
        patent.save()
        return patent, True
    changed = []
    for field in (
        "granted_on",
        "filed_on",
        "ipc",
        "industry_id",
        "achievement_id",
        "ip_item_id",
        "corpus_id",
    ):
        value = defaults.get(field)
        if value and not getattr(existing, field):
            setattr(existing, field, value)
            changed.append(field)
    if defaults.get("funded") and not existing.funded:
        existing.funded = True
        existing.project_id = defaults.get("project_id")
        changed += ["funded", "project_id"]
    if changed:
        existing.updated_at = now
        existing.save(update_fields=[*changed, "updated_at"])
    return existing, False


def sync_tracked_patents(*, now) -> int:
    """Track the granted invention patents the platform knows of: achievements' IP items (those of
    a funded project's achievement count as the project's) and the imported corpus where the
    applicant is a registered organisation (by its exact name).
    Returns how many were newly tracked."""
    from zhouqiao.catalog.models import IntellectualProperty, IPKind, IPStatus
    from zhouqiao.programs.projects.models import Project
    from zhouqiao.search.models import PatentRecord

    funded = dict(Project.objects.filter(achievement__isnull=False).values_list("achievement_id", "pk"))
    created = 0
    items = (
        IntellectualProperty.objects.filter(kind=IPKind.INVENTION_PATENT, status=IPStatus.GRANTED)
        .exclude(number="")
        .select_related("achievement__owner")
        .order_by("pk")
    )
    for item in items.iterator():
        a = item.achievement
        with transaction.atomic():
            _patent, new = _upsert(
                number=item.number,
                defaults={
                    "title": a.title[:255],
                    "owner_id": a.owner_id,
                    "region_id": a.owner.region_id,
                    "filed_on": item.filed_on,
                    "granted_on": item.granted_on,
                    "industry_id": a.industry_id,
                    "abstract": a.abstract,
                    "source": PatentSource.PROJECT if a.pk in funded else PatentSource.ACHIEVEMENT,
                    "funded": a.pk in funded,
                    "project_id": funded.get(a.pk),
                    "achievement_id": a.pk,
                    "ip_item_id": item.pk,
                },
                now=now,
            )
        created += new
    names = dict(Organisation.objects.verified().values_list("name", "pk"))
    if names:
        regions = dict(Organisation.objects.filter(pk__in=names.values()).values_list("pk", "region_id"))
        for record in PatentRecord.objects.filter(applicant__in=list(names)).order_by("pk").iterator():
            if not is_invention_number(record.number):
                continue
            owner_id = names[record.applicant]
            with transaction.atomic():
                _patent, new = _upsert(
                    number=record.number,
                    defaults={
                        "title": record.title[:255],
                        "owner_id": owner_id,
                        "region_id": regions[owner_id],
                        "filed_on": record.filed_on,
                        "ipc": record.ipc,
                        "abstract": record.abstract,
                        "source": PatentSource.CORPUS,
                        "corpus_id": record.pk,
                    },
                    now=now,
                )
            created += new
    return created


_NUMBER_IN_TEXT = re.compile(r"\d[\d .]{6,}[\dXx]")


def numbers_in(text: str) -> set[str]:
    """The patent numbers a free text names, in their comparable form."""
    return {number_key(m) for m in _NUMBER_IN_TEXT.findall(text or "")}


def implementation_found(patent: TrackedPatent) -> str:
    """A registered technology contract of the owner that names the patent's number, or a market
    deal on its achievement: what counts as implemented without the owner saying so. Returns a
    description, or '' when nothing is found."""
    from zhouqiao.contracts.models import Contract
    from zhouqiao.contracts.states import ContractStatus
    from zhouqiao.market.models import Deal

    contracts = (
        Contract.objects.filter(status=ContractStatus.REGISTERED)
        .filter(Q(seller_id=patent.owner_id) | Q(buyer_id=patent.owner_id))
        .exclude(ip_summary="")
        .order_by("registered_at", "pk")
        .only("title", "registration_number", "ip_summary")
    )
    # The contract's text may write the number with spaces, dots or a ZL/CN prefix.
    contract = next((c for c in contracts.iterator() if patent.key in numbers_in(c.ip_summary)), None)
    if contract is not None:
        return _("已登记技术合同：%(title)s（登记号%(number)s）") % {
            "title": contract.title,
            "number": contract.registration_number,
        }
    if patent.achievement_id:
        deal = Deal.objects.filter(achievement_id=patent.achievement_id).order_by("agreed_at").first()
        if deal is not None:
            return _("科技大市场成交：%(title)s") % {"title": deal.title}
    return ""


def check_patents(*, now) -> dict[str, int]:
    """The daily check: track new patents, then flag idle ones and remind officers of fees due.
    Safe to re-run: a flagged patent is flagged once, and each notice has its own key."""
    tracked = sync_tracked_patents(now=now)
    today = timezone.localdate(now)
    cutoff = add_years(today, -idle_years())
    candidates = (
        TrackedPatent.objects.filter(
            implementation=Implementation.WATCHING, granted_on__isnull=False, granted_on__lte=cutoff
        )
        .filter(pooled__isnull=True)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    flagged = implemented = 0
    for pk in list(candidates):
        outcome = flag_if_idle(patent_id=pk, cutoff=cutoff, now=now)
        flagged += outcome == "flagged"
        implemented += outcome == "implemented"
    reminded = todos.remind_fees_due(now=now)
    return {"tracked": tracked, "flagged": flagged, "implemented": implemented, "fee_reminders": reminded}


@transaction.atomic(durable=True)
def flag_if_idle(*, patent_id: int, cutoff: dt.date, now) -> str:
    patent = lock(TrackedPatent.objects.select_related("owner"), patent_id)
    if (
        patent.implementation != Implementation.WATCHING
        or not patent.granted_on
        or patent.granted_on > cutoff
    ):
        return ""
    before = audit.snapshot(patent, PATENT_FIELDS)
    found = implementation_found(patent)
    if found:
        patent.implementation = Implementation.IMPLEMENTED
        patent.implemented_at = now
        patent.updated_at = now
        patent.save(update_fields=["implementation", "implemented_at", "updated_at"])
        audit.record(
            "patent_pool.patent.implemented",
            actor=None,
            actor_name="scheduler",
            target=patent,
            before=before,
            after=audit.snapshot(patent, PATENT_FIELDS),
            reason=found,
            now=now,
        )
        return "implemented"
    patent.implementation = Implementation.IDLE
    patent.flagged_at = now
    patent.updated_at = now
    patent.save(update_fields=["implementation", "flagged_at", "updated_at"])
    audit.record(
        "patent_pool.patent.flagged",
        actor=None,
        actor_name="scheduler",
        target=patent,
        before=before,
        after=audit.snapshot(patent, PATENT_FIELDS),
        reason=_("授权满%(n)s年未见技术合同、许可或实施记录") % {"n": idle_years()},
        now=now,
    )
    case = None
    if not AcquisitionCase.objects.filter(patent=patent, status=CaseStatus.PENDING).exists():
        case = AcquisitionCase.objects.create(patent=patent, origin=CaseOrigin.IDLE, opened_at=now)
        audit.record(
            "patent_pool.case.open",
            actor=None,
            actor_name="scheduler",
            target=patent,
            after={"case": case.pk},
            now=now,
        )
    todos.patent_flagged(patent, case=case, now=now)
    return "flagged"


@transaction.atomic(durable=True)
def declare_patent(
    *, actor, owner_id, number: str, title: str, granted_on, filed_on=None, ipc: str = "", now
) -> TrackedPatent:
    """An owner adds a granted invention patent of theirs that the platform does not know yet."""
    owner = Organisation.objects.filter(pk=owner_id).first()
    if owner is None:
        raise NotFound(_("机构不存在。"))
    if not getattr(actor, "is_authenticated", False) or not scope.is_member(actor, owner):
        raise PermissionDenied(_("只有专利权人所属机构的成员可以办理。"), code="not_owner")
    number = (number or "").strip()
    if not number:
        raise fail("number", _("请填写专利号。"))
    if len(number) > 64:
        raise fail("number", _("专利号不能超过64个字符。"))
    if not is_invention_number(number):
        raise fail(
            "number", _("这不是发明专利的专利号（例如 ZL202110234567.8，第五位为1）。"), "not_invention"
        )
    title = _text(title, "title", _("请填写专利名称。"), limit=255)
    granted = _day(granted_on, "granted_on", _("授权公告日"))
    filed = _day(filed_on, "filed_on", _("申请日"))
    if granted is None:
        raise fail("granted_on", _("请填写授权公告日：只收储已授权的发明专利。"))
    if granted > timezone.localdate(now):
        raise fail("granted_on", _("授权公告日不能晚于今天。"))
    if filed and filed > granted:
        raise fail("filed_on", _("申请日不能晚于授权公告日。"))
    if TrackedPatent.objects.filter(key=number_key(number)).exists():
        raise Conflict(
            _("该专利已在平台登记。"), code="already_tracked", detail={"number": [_("该专利已在平台登记。")]}
        )
    patent = TrackedPatent(
        number=number,
        title=title,
        owner=owner,
        region_id=owner.region_id,
        granted_on=granted,
        filed_on=filed,
        ipc=(ipc or "").strip()[:64],
        source=PatentSource.DECLARED,
        created_at=now,
        updated_at=now,
    )
    try:
        with transaction.atomic():
            patent.save()
    except IntegrityError:
        raise Conflict(_("该专利已在平台登记。"), code="already_tracked") from None
    audit.record(
        "patent_pool.patent.declare",
        actor=actor,
        target=patent,
        after=audit.snapshot(patent, PATENT_FIELDS),
        now=now,
    )
    return patent


@transaction.atomic(durable=True)
def track_project_patent(
    *, actor, project_id: int, number: str, title: str, granted_on, filed_on=None, now
) -> TrackedPatent:
    """A program officer records an invention patent that a funded project (立项项目) produced; the
    patent belongs to the project's undertaker. An already tracked patent is linked to the project."""
    from zhouqiao.programs.projects.models import Project

    project = Project.objects.select_related("undertaker").filter(pk=project_id).first()
    if project is None:
        raise NotFound(_("立项项目不存在。"))
    if not getattr(actor, "is_authenticated", False) or not (
        scope.covers(actor, project.region_id, Duty.PROGRAM_OFFICER)
        or scope.covers(actor, project.undertaker.region_id, Duty.PROGRAM_OFFICER)
    ):
        raise PermissionDenied(_("只有项目所在辖区的项目管理人员可以登记项目专利。"), code="not_officer")
    number = (number or "").strip()
    if not is_invention_number(number):
        raise fail(
            "number", _("这不是发明专利的专利号（例如 ZL202110234567.8，第五位为1）。"), "not_invention"
        )
    title = _text(title, "title", _("请填写专利名称。"), limit=255)
    granted = _day(granted_on, "granted_on", _("授权公告日"))
    filed = _day(filed_on, "filed_on", _("申请日"))
    if granted is None:
        raise fail("granted_on", _("请填写授权公告日。"))
    if granted > timezone.localdate(now):
        raise fail("granted_on", _("授权公告日不能晚于今天。"))
    if filed and filed > granted:
        raise fail("filed_on", _("申请日不能晚于授权公告日。"))
    existing = TrackedPatent.objects.filter(key=number_key(number)).first()
    if existing is not None and existing.owner_id != project.undertaker_id:
        raise Conflict(_("该专利已登记在其他专利权人名下。"), code="other_owner")
    patent, _new = _upsert(
        number=number,
        defaults={
            "title": title,
            "owner_id": project.undertaker_id,
            "region_id": project.undertaker.region_id,
            "filed_on": filed,
            "granted_on": granted,
            "source": PatentSource.PROJECT,
            "funded": True,
            "project_id": project.pk,
        },
        now=now,
    )
    audit.record(
        "patent_pool.patent.project",
        actor=actor,
        target=patent,
        after=audit.snapshot(patent, PATENT_FIELDS) | {"project": project.pk},
        now=now,
    )
    return patent


@transaction.atomic(durable=True)
def record_implementation(*, actor, patent_id: int, kind: str, evidence: str, now) -> ImplementationRecord:
    """The owner states that the patent is in use; this clears the 未实施 flag and closes an open
    acquisition case that the idle check opened (not an offer the owner made)."""
    patent = lock(TrackedPatent.objects.select_related("owner"), patent_id)
    _check_owner(actor, patent)
    if hasattr(patent, "pooled"):
        raise InvalidTransition(_("该专利已收储入池，实施情况由专利池登记。"), code="pooled")
    if kind not in ImplementationKind.values:
        raise fail("kind", _("请选择实施方式。"))
    evidence = _text(evidence, "evidence", _("请说明实施情况并列明证明材料（合同、产品、许可备案等）。"))
    before = audit.snapshot(patent, PATENT_FIELDS)
    record = ImplementationRecord.objects.create(
        patent=patent, kind=kind, evidence=evidence, recorded_by=actor, recorded_at=now
    )
    patent.implementation = Implementation.IMPLEMENTED
    patent.implemented_at = now
    patent.updated_at = now
    patent.save(update_fields=["implementation", "implemented_at", "updated_at"])
    closed = AcquisitionCase.objects.filter(patent=patent, status=CaseStatus.PENDING, origin=CaseOrigin.IDLE)
    for case in closed:
        case.status = CaseStatus.WITHDRAWN
        case.decision_reason = _("权利人已登记实施情况")
        case.decided_at = now
        case.save(update_fields=["status", "decision_reason", "decided_at"])
    audit.record(
        "patent_pool.patent.implementation",
        actor=actor,
        target=patent,
        before=before,
        after=audit.snapshot(patent, PATENT_FIELDS) | {"kind": kind},
        reason=evidence,
        now=now,
    )
    return record


# --- acquisition cases ------------------------------------------------------------------------


@transaction.atomic(durable=True)
def offer_patent(*, actor, patent_id: int, reason: str, asking_price=None, now) -> AcquisitionCase:
    """The owner offers a granted invention patent they would abandon (拟放弃); the program officers
    of its jurisdiction get a to-do."""
    patent = lock(TrackedPatent.objects.select_related("owner"), patent_id)
    _check_owner(actor, patent)
    reason = _text(reason, "reason", _("请说明拟放弃的原因。"))
    price = _amount(asking_price, "asking_price", _("期望价格"), required=False)
    if not patent.granted_on:
        raise fail("patent", _("该专利尚无授权公告日，只收储已授权的发明专利。"), "not_granted")
    if PooledPatent.objects.filter(patent=patent).exists():
        raise Conflict(_("该专利已收储入池。"), code="already_pooled")
    case = AcquisitionCase.objects.filter(patent=patent, status=CaseStatus.PENDING).first()
    if case is not None and case.origin == CaseOrigin.OFFER:
        raise Conflict(_("该专利已提出收储申请，正在等待决定。"), code="already_offered")
    if case is not None:  # the idle check opened it: the owner's offer joins it
        before = audit.snapshot(case, CASE_FIELDS)
        case.origin, case.owner_reason, case.asking_price = CaseOrigin.OFFER, reason, price
        case.opened_by = actor
        case.save(update_fields=["origin", "owner_reason", "asking_price", "opened_by"])
    else:
        before = None
        case = AcquisitionCase.objects.create(
            patent=patent,
            origin=CaseOrigin.OFFER,
            owner_reason=reason,
            asking_price=price,
            opened_by=actor,
            opened_at=now,
        )
    audit.record(
        "patent_pool.case.offer",
        actor=actor,
        target=case,
        before=before,
        after=audit.snapshot(case, CASE_FIELDS),
        reason=reason,
        region_code=patent.region_id,
        now=now,
    )
    todos.case_offered(case, now=now)
    return case


def _move_case(case: AcquisitionCase, actor, to_status: str) -> None:
    who = CASE_TRANSITIONS.get(case.status, {}).get(to_status)
    if who is None:
        raise InvalidTransition(
            _("该收储案当前状态为“%(status)s”，不能再办理。") % {"status": case.get_status_display()},
            code="case_closed",
        )
    if who == Actor.OWNER:
        _check_owner(actor, case.patent)
    else:
        _check_officer(actor, case.patent)


@transaction.atomic(durable=True)
def withdraw_offer(*, actor, case_id: int, now) -> AcquisitionCase:
    case = lock(AcquisitionCase.objects.select_related("patent__owner"), case_id)
    _move_case(case, actor, CaseStatus.WITHDRAWN)
    if case.origin != CaseOrigin.OFFER:
        raise InvalidTransition(_("只能撤回本单位提出的收储申请。"), code="not_an_offer")
    before = audit.snapshot(case, CASE_FIELDS)
    case.status, case.decided_at = CaseStatus.WITHDRAWN, now
    case.save(update_fields=["status", "decided_at"])
    audit.record(
        "patent_pool.case.withdraw",
        actor=actor,
        target=case,
        before=before,
        after=audit.snapshot(case, CASE_FIELDS),
        region_code=case.patent.region_id,
        now=now,
    )
    return case


def jurisdiction_for(actor, region_code: str) -> Region | None:
    """The officer's narrowest program-officer jurisdiction that covers ``region_code``."""
    prefixes = [p for p in scope.prefixes(actor, Duty.PROGRAM_OFFICER) if region_code.startswith(p)]
    if not prefixes:
        return None
    prefix = max(prefixes, key=len)
    code = prefix.ljust(6, "0")
    return Region.objects.filter(code=code).first()


def _pool_for(actor, region_code: str, now) -> PatentPool:
    region = jurisdiction_for(actor, region_code)
    if region is None:
        raise PermissionDenied(_("只有专利所在辖区的项目管理人员可以决定收储。"), code="not_officer")
    pool = PatentPool.objects.filter(region=region).first()
    if pool is not None:
        return pool
    holder = (
        Organisation.objects.filter(pk__in=scope.organisation_ids(actor), kind=OrganisationKind.GOVERNMENT)
        .order_by("pk")
        .first()
    )
    try:
        with transaction.atomic():
            pool = PatentPool.objects.create(
                region=region,
                name=_("%(region)s专利池") % {"region": region.name},
                holder=holder,
                created_at=now,
            )
    except IntegrityError:  # another decision in the same jurisdiction set it up a moment ago
        return PatentPool.objects.get(region=region)
    audit.record(
        "patent_pool.pool.create",
        actor=actor,
        target=pool,
        after={"holder": holder.pk if holder else None},
        region_code=region.code,
        now=now,
    )
    return pool


@transaction.atomic(durable=True)
def acquire(*, actor, case_id: int, price, reason: str, now) -> PooledPatent:
    """The officer decides to acquire (收储) the patent into their jurisdiction's pool."""
    case = lock(AcquisitionCase.objects.select_related("patent__owner"), case_id)
    patent = case.patent
    _check_officer(actor, patent)
    if PooledPatent.objects.filter(patent=patent).exists():
        raise Conflict(_("该专利已在专利池中，不能重复收储。"), code="already_pooled")
    _move_case(case, actor, CaseStatus.ACQUIRED)
    amount = _amount(price, "price", _("收储价格"))
    reason = _text(reason, "reason", _("请填写收储理由（产业化前景、评估意见等）。"))
    pool = _pool_for(actor, patent.region_id, now)
    before = audit.snapshot(case, CASE_FIELDS)
    case.status = CaseStatus.ACQUIRED
    case.price, case.decision_reason, case.decided_by, case.decided_at, case.pool = (
        amount,
        reason,
        actor,
        now,
        pool,
    )
    case.save(update_fields=["status", "price", "decision_reason", "decided_by", "decided_at", "pool"])
    try:
        with transaction.atomic():
            pooled = PooledPatent.objects.create(
                patent=patent, pool=pool, case=case, acquired_at=now, price=amount, updated_at=now
            )
    except IntegrityError:
        raise Conflict(_("该专利已在专利池中，不能重复收储。"), code="already_pooled") from None
    audit.record(
        "patent_pool.case.acquire",
        actor=actor,
        target=case,
        before=before,
        after=audit.snapshot(case, CASE_FIELDS) | {"pooled": pooled.pk},
        reason=reason,
        region_code=patent.region_id,
        now=now,
    )
    todos.case_decided(case, actor=actor, now=now)
    return pooled


@transaction.atomic(durable=True)
def refuse(*, actor, case_id: int, reason: str, now) -> AcquisitionCase:
    case = lock(AcquisitionCase.objects.select_related("patent__owner"), case_id)
    _check_officer(actor, case.patent)
    _move_case(case, actor, CaseStatus.REFUSED)
    reason = _text(reason, "reason", _("不予收储必须填写理由。"))
    before = audit.snapshot(case, CASE_FIELDS)
    case.status, case.decision_reason, case.decided_by, case.decided_at = (
        CaseStatus.REFUSED,
        reason,
        actor,
        now,
    )
    case.save(update_fields=["status", "decision_reason", "decided_by", "decided_at"])
    audit.record(
        "patent_pool.case.refuse",
        actor=actor,
        target=case,
        before=before,
        after=audit.snapshot(case, CASE_FIELDS),
        reason=reason,
        region_code=case.patent.region_id,
        now=now,
    )
    todos.case_decided(case, actor=actor, now=now)
    return case


# --- maintenance (annual fees) -------------------------------------------------------------------


def next_anniversary(patent: TrackedPatent, today: dt.date) -> dt.date | None:
    """The next anniversary of the filing date (of the grant date when it is unknown) on or after
    ``today``, within the twenty-year term; None once the term is over."""
    base = patent.filed_on or patent.granted_on
    if base is None:
        return None
    years = max(today.year - base.year, 1)
    due = add_years(base, years)
    if due < today:
        due = add_years(base, years + 1)
    end = add_years(patent.filed_on, TERM_YEARS) if patent.filed_on else None
    if end is not None and due >= end:
        return None
    return due


def _term_end(patent: TrackedPatent) -> dt.date | None:
    return add_years(patent.filed_on, TERM_YEARS) if patent.filed_on else None


def _lock_pooled(pooled_id: int) -> PooledPatent:
    return lock(PooledPatent.objects.select_related("patent", "pool"), pooled_id)


@transaction.atomic(durable=True)
def schedule_fee(*, actor, pooled_id: int, amount, due_on=None, now) -> AnnualFee:
    """Start the fee schedule of a pooled patent: the next due date (by default the next
    anniversary of the filing date) and the amount staff entered."""
    pooled = _lock_pooled(pooled_id)
    _check_pool_officer(actor, pooled.pool)
    if pooled.status in (PoolStatus.TRANSFERRED, PoolStatus.LAPSED):
        raise InvalidTransition(_("该专利已转让或失效，不再缴纳年费。"), code="not_maintained")
    if pooled.fees.filter(paid_on__isnull=True).exists():
        raise Conflict(_("该专利已有待缴的年费，请先登记缴费。"), code="fee_open")
    money = _amount(amount, "amount", _("年费金额"))
    if money == 0:
        raise fail("amount", _("年费金额须大于零。"), "invalid_amount")
    today = timezone.localdate(now)
    due = _day(due_on, "due_on", _("缴费截止日")) or next_anniversary(pooled.patent, today)
    if due is None:
        raise fail("due_on", _("无法推算缴费日期：请填写缴费截止日。"))
    if due < today:
        raise fail("due_on", _("缴费截止日不能早于今天。"), "date_in_past")
    end = _term_end(pooled.patent)
    if end is not None and due >= end:
        raise fail("due_on", _("缴费截止日已超出专利保护期（申请日起二十年）。"))
    fee = AnnualFee.objects.create(pooled=pooled, due_on=due, amount=money, created_by=actor, created_at=now)
    audit.record(
        "patent_pool.fee.schedule",
        actor=actor,
        target=pooled,
        after={"due_on": due, "amount": money},
        region_code=pooled.pool.region_id,
        now=now,
    )
    return fee


@transaction.atomic(durable=True)
def record_fee_payment(
    *, actor, fee_id: int, paid_on, paid_amount=None, reference: str = "", now
) -> AnnualFee:
    """Record that a year's fee was paid; the next year's fee is scheduled at the same amount on
    the next anniversary (unless the term ends first)."""
    fee = lock(AnnualFee.objects.select_related("pooled__patent", "pooled__pool"), fee_id)
    pooled = fee.pooled
    _check_pool_officer(actor, pooled.pool)
    if fee.paid_on is not None:
        raise InvalidTransition(_("该笔年费已登记缴纳。"), code="already_paid")
    day = _day(paid_on, "paid_on", _("缴费日期"))
    if day is None:
        raise fail("paid_on", _("请填写缴费日期。"))
    if day > timezone.localdate(now):
        raise fail("paid_on", _("缴费日期不能晚于今天。"))
    money = _amount(paid_amount, "paid_amount", _("实缴金额"), required=False) or fee.amount
    if money == 0:
        raise fail("paid_amount", _("实缴金额须大于零。"), "invalid_amount")
    fee.paid_on, fee.paid_amount, fee.reference, fee.paid_recorded_by = (
        day,
        money,
        (reference or "").strip()[:64],
        actor,
    )
    fee.save(update_fields=["paid_on", "paid_amount", "reference", "paid_recorded_by"])
    following = add_years(fee.due_on, 1)
    end = _term_end(pooled.patent)
    nxt = None
    if end is None or following < end:
        nxt = AnnualFee.objects.create(
            pooled=pooled, due_on=following, amount=fee.amount, created_by=actor, created_at=now
        )
    audit.record(
        "patent_pool.fee.paid",
        actor=actor,
        target=pooled,
        after={
            "due_on": fee.due_on,
            "paid_on": day,
            "paid_amount": money,
            "next_due_on": nxt.due_on if nxt else None,
        },
        region_code=pooled.pool.region_id,
        now=now,
    )
    return fee


# --- operation: market and proceeds ---------------------------------------------------------------


def _set_pool_status(pooled: PooledPatent, to_status: str) -> None:
    if to_status != pooled.status and to_status not in POOL_TRANSITIONS.get(pooled.status, set()):
        raise InvalidTransition(
            _("该专利当前为“%(status)s”，不能执行此操作。") % {"status": pooled.get_status_display()},
            code="invalid_pool_move",
        )
    pooled.status = to_status


def _achievement_data(pooled: PooledPatent, licence_terms: str) -> dict:
    patent = pooled.patent
    pool = pooled.pool
    abstract = patent.abstract or _("专利池收储的发明专利。")
    return {
        "title": patent.title,
        "abstract": _("%(abstract)s\n\n专利号：%(number)s；本专利由%(pool)s收储，可许可或转让。%(terms)s")
        % {"abstract": abstract, "number": patent.number, "pool": pool.name, "terms": licence_terms},
        "readiness": 4,
        "industry": patent.industry_id or "",
        "keywords": _("专利池，发明专利"),
        "transfer_modes": ["licence", "transfer"],
        "price_kind": "negotiable",
        "contact_name": pool.holder.contact_name if pool.holder else "",
        "contact_phone": pool.holder.contact_phone if pool.holder else "",
    }


def prepare_market_record(*, actor, pooled_id: int, licence_terms: str = "", now) -> PooledPatent:
    """Give a pooled patent its catalog record (the pool holder's achievement) through the catalog's
    own services: created and submitted for review, and published at once when the officer is
    also a reviewer of the region (otherwise the region's reviewers publish it from their to-do).

    Three durable transactions of the catalog, then the link in ours: the catalog's services own
    their transactions. Re-running it after a failure continues where it stopped."""
    from zhouqiao.catalog import services as catalog
    from zhouqiao.catalog.models import Achievement
    from zhouqiao.catalog.states import RecordStatus

    pooled = PooledPatent.objects.select_related("patent", "pool__holder").filter(pk=pooled_id).first()
    if pooled is None:
        raise NotFound(_("记录不存在或已被删除。"))
    _check_pool_officer(actor, pooled.pool)
    if not may_operate_on_market(actor, pooled.pool):
        raise PermissionDenied(_("只有专利池持有机构的成员可以代表专利池上架。"), code="not_holder_member")
    if pooled.status in (PoolStatus.TRANSFERRED, PoolStatus.LAPSED):
        raise InvalidTransition(_("该专利已转让或失效，不能上架。"), code="not_available")
    terms = (licence_terms or "").strip()[:2000]
    achievement = (
        Achievement.objects.filter(pk=pooled.achievement_id).first() if pooled.achievement_id else None
    )
    if achievement is None:
        ip = [
            {
                "kind": "invention_patent",
                "status": "granted",
                "number": pooled.patent.number,
                "filed_on": pooled.patent.filed_on,
                "granted_on": pooled.patent.granted_on,
            }
        ]
        achievement = catalog.create_achievement(
            actor=actor,
            owner_id=pooled.pool.holder_id,
            data=_achievement_data(pooled, terms),
            ip_items=ip,
            now=now,
        )
        _link(pooled_id=pooled.pk, actor=actor, achievement_id=achievement.pk, licence_terms=terms, now=now)
    if achievement.status in (RecordStatus.DRAFT, RecordStatus.RETURNED):
        achievement = catalog.submit(actor=actor, kind="achievement", record_id=achievement.pk, now=now)
    if achievement.status == RecordStatus.SUBMITTED and scope.covers(
        actor, achievement.region_id, Duty.REVIEWER
    ):
        catalog.publish(actor=actor, kind="achievement", record_id=achievement.pk, now=now)
    return PooledPatent.objects.select_related("patent", "pool", "achievement").get(pk=pooled.pk)


@transaction.atomic(durable=True)
def _link(
    *,
    pooled_id: int,
    actor,
    now,
    achievement_id=None,
    listing_id=None,
    auction_id=None,
    licence_terms=None,
    status=None,
):
    pooled = _lock_pooled(pooled_id)
    before = audit.snapshot(pooled, POOLED_FIELDS)
    if achievement_id is not None:
        pooled.achievement_id = achievement_id
    if listing_id is not None:
        pooled.listing_id = listing_id
    if auction_id is not None:
        pooled.auction_id = auction_id
    if licence_terms:
        pooled.licence_terms = licence_terms
    if status is not None:
        _set_pool_status(pooled, status)
    pooled.updated_at = now
    pooled.save()
    audit.record(
        "patent_pool.pooled.update",
        actor=actor,
        target=pooled,
        before=before,
        after=audit.snapshot(pooled, POOLED_FIELDS),
        region_code=pooled.pool.region_id,
        now=now,
    )
    return pooled


def list_on_market(
    *, actor, pooled_id: int, price, mode: str = "licence", terms: str = "", now
) -> PooledPatent:
    """Put a pooled patent up for licensing or transfer as a market listing (挂牌), through the
    market's own service, the pool's holder acting as seller."""
    from zhouqiao.catalog.states import RecordStatus
    from zhouqiao.market.services.listings import create_listing

    pooled = PooledPatent.objects.select_related("patent", "pool", "achievement").filter(pk=pooled_id).first()
    if pooled is None:
        raise NotFound(_("记录不存在或已被删除。"))
    _check_pool_officer(actor, pooled.pool)
    if not may_operate_on_market(actor, pooled.pool):
        raise PermissionDenied(_("只有专利池持有机构的成员可以代表专利池挂牌。"), code="not_holder_member")
    if PoolStatus.LISTED not in POOL_TRANSITIONS.get(pooled.status, set()):
        raise InvalidTransition(
            _("该专利当前为“%(status)s”，不能挂牌。") % {"status": pooled.get_status_display()},
            code="invalid_pool_move",
        )
    if pooled.achievement is None or pooled.achievement.status != RecordStatus.PUBLISHED:
        raise InvalidTransition(_("请先建立成果档案并待审核发布后再挂牌。"), code="record_not_published")
    listing = create_listing(
        actor=actor, achievement_id=pooled.achievement_id, price=price, mode=mode, terms=terms, now=now
    )
    return _link(pooled_id=pooled.pk, actor=actor, listing_id=listing.pk, status=PoolStatus.LISTED, now=now)


@transaction.atomic(durable=True)
def record_proceeds(
    *,
    actor,
    pooled_id: int,
    kind: str,
    amount,
    received_on,
    contract_id=None,
    deal_id=None,
    note: str = "",
    now,
) -> Proceeds:
    """Money earned from a pooled patent, with the registered contract or the market deal it came
    from. A licence keeps the patent available (已许可); a transfer takes it out of the pool."""
    from zhouqiao.contracts.models import Contract
    from zhouqiao.market.models import Deal

    pooled = _lock_pooled(pooled_id)
    _check_pool_officer(actor, pooled.pool)
    if kind not in ProceedsKind.values:
        raise fail("kind", _("请选择收益类型。"))
    money = _amount(amount, "amount", _("收益金额"))
    if money == 0:
        raise fail("amount", _("收益金额须大于零。"), "invalid_amount")
    day = _day(received_on, "received_on", _("到账日期"))
    if day is None:
        raise fail("received_on", _("请填写到账日期。"))
    if day > timezone.localdate(now):
        raise fail("received_on", _("到账日期不能晚于今天。"))
    contract = deal = None
    if deal_id not in (None, ""):
        deal = Deal.objects.filter(pk=deal_id).first()
        if deal is None or not pooled.achievement_id or deal.achievement_id != pooled.achievement_id:
            raise fail("deal", _("该交易不是本专利的交易。"))
    if contract_id not in (None, ""):
        contract = Contract.objects.filter(pk=contract_id).first()
        holder = pooled.pool.holder_id
        if contract is None or holder is None or contract.seller_id != holder:
            raise fail("contract", _("该合同的卖方不是专利池持有机构。"))
    if contract is None and deal is None:
        raise fail("contract", _("请注明收益来自哪份技术合同或哪笔交易。"))
    proceeds = Proceeds.objects.create(
        pooled=pooled,
        kind=kind,
        amount=money,
        contract=contract,
        deal=deal,
        received_on=day,
        note=(note or "").strip()[:200],
        recorded_by=actor,
        recorded_at=now,
    )
    before = audit.snapshot(pooled, POOLED_FIELDS)
    if kind == ProceedsKind.LICENCE:
        _set_pool_status(pooled, PoolStatus.LICENSED)
    elif kind == ProceedsKind.TRANSFER:
        _set_pool_status(pooled, PoolStatus.TRANSFERRED)
    pooled.updated_at = now
    pooled.save(update_fields=["status", "updated_at"])
    audit.record(
        "patent_pool.proceeds",
        actor=actor,
        target=pooled,
        before=before,
        after=audit.snapshot(pooled, POOLED_FIELDS)
        | {"amount": money, "kind": kind, "contract": contract_id, "deal": deal_id},
        region_code=pooled.pool.region_id,
        now=now,
    )
    return proceeds
