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

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from zhouqiao.accounts import scope
from zhouqiao.accounts.models import Duty, Organisation, OrganisationKind
from zhouqiao.core import audit
from zhouqiao.core.errors import Conflict, InvalidTransition, NotFound, PermissionDenied
from zhouqiao.core.locking import lock
from zhouqiao.core.models import Region
from zhouqiao.programs.patent_pool import todos
from zhouqiao.programs.patent_pool.checks import (  # noqa: F401 (the pages use them through here)
    _amount,
    _check_officer,
    _check_owner,
    _check_owner_admin,
    _check_pool_officer,
    _day,
    _text,
    add_years,
    fail,
    idle_years,
    is_owner_admin,
    is_owner_member,
    may_decide,
    may_manage_pool,
    may_operate_on_market,
)
from zhouqiao.programs.patent_pool.models import (
    AcquisitionCase,
    ImplementationRecord,
    PatentPool,
    PooledPatent,
    TrackedPatent,
    is_invention_number,
    number_key,
)
from zhouqiao.programs.patent_pool.operations import (  # noqa: F401 (callers use them through here)
    auction_on_market,
    follow_market,
    list_on_market,
    next_anniversary,
    prepare_market_record,
    record_fee_payment,
    record_proceeds,
    schedule_fee,
)
from zhouqiao.programs.patent_pool.states import (
    CASE_TRANSITIONS,
    Actor,
    CaseOrigin,
    CaseStatus,
    Implementation,
    ImplementationKind,
    PatentSource,
)

PATENT_FIELDS = ["number", "title", "owner_id", "granted_on", "implementation", "flagged_at"]
CASE_FIELDS = ["status", "origin", "owner_reason", "asking_price", "price", "decision_reason", "pool_id"]


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
    """The daily check: track new patents, flag idle ones, remind officers of fees due and follow
    the market lots of pooled patents (a listing sold, unsold or withdrawn).
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
    followed = follow_market(now=now)
    return {
        "tracked": tracked,
        "flagged": flagged,
        "implemented": implemented,
        "fee_reminders": reminded,
        "market_outcomes": followed,
    }


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
    of its jurisdiction get a to-do. Only the owner's administrator offers: it disposes of the
    organisation's asset."""
    patent = lock(TrackedPatent.objects.select_related("owner"), patent_id)
    _check_owner_admin(actor, patent)
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
    if who == Actor.OWNER:  # withdrawing an offer: the administrator, as for the offer itself
        _check_owner_admin(actor, case.patent)
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
