"""Every write about brokers, filings, annual reports and scores: keyword arguments plus ``actor``
and ``now``, one transaction, an audit record, a ``DomainError`` with a Chinese message when refused
(and then nothing is written)."""

import datetime as dt
import uuid
from decimal import Decimal, InvalidOperation

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhouqiao.accounts import scope
from zhouqiao.accounts.models import Membership, Organisation, User
from zhouqiao.community.institutions import access, scoring, todos, weights
from zhouqiao.community.institutions.models import (
    AnnualReport,
    Broker,
    BrokerRating,
    InstitutionAssessment,
    InstitutionFiling,
    InstitutionScore,
    TrainingRecord,
)
from zhouqiao.community.institutions.selectors import broker_contracts
from zhouqiao.community.institutions.states import (
    CERTIFICATE_TRANSITIONS,
    FILING_TRANSITIONS,
    BrokerLevel,
    CertificateStatus,
    FilingStatus,
    ReportStatus,
    ServiceType,
)
from zhouqiao.core import audit, uploads
from zhouqiao.core.errors import Conflict, InvalidTransition, NotFound, PermissionDenied, ValidationFailed
from zhouqiao.core.locking import lock
from zhouqiao.core.models import Region
from zhouqiao.core.money import AmountError, parse_amount

BROKER_FIELDS = [
    "organisation",
    "certificate_scan_name",
    "name",
    "level",
    "certificate_number",
    "certificate_issuer",
    "certificate_date",
    "certificate_status",
    "fields",
]
# Changing any of these sends a checked certificate back to the reviewers.
CERTIFICATE_FIELDS = ["level", "certificate_number", "certificate_issuer", "certificate_date"]


def approved_certificate(broker) -> dict:
    """The certificate as a reviewer approved it (kept so the next check shows what changed, and
    shown to the public while a changed certificate waits for its check)."""
    return {
        **{
            name: (value.isoformat() if hasattr(value, "isoformat") else value)
            for name in CERTIFICATE_FIELDS
            for value in [getattr(broker, name)]
        },
        "certificate_scan": broker.certificate_scan.name or "",
    }


# The certificate scan (证书扫描件): checked as every scanned document is (core.uploads), stored
# under a server-made name (as the signed contracts are) and read only by the institution and the
# reviewers.
def scan_kind(content: bytes) -> str:
    return uploads.scan_kind(content, field="certificate_scan", label=_("证书扫描件"))


def _store_scan(broker, scan) -> bool:
    """Save ``scan`` ((content, original name) or None) on ``broker`` (not yet saved): changed?"""
    if not scan:
        return False
    content, filename = scan
    kind = scan_kind(content)
    broker.certificate_scan.save(f"{uuid.uuid4().hex}.{kind}", ContentFile(content), save=False)
    broker.certificate_scan_name = (filename or f"certificate.{kind}")[-200:]
    return True


FILING_FIELDS = [
    "status",
    "staff_count",
    "part_time_experts",
    "fields",
    "services",
    "reason",
    "number",
    "filed_on",
]
REPORT_FIELDS = ["status", "staff_count", "total_income", "technical_income", "figures"]
MAX_PEOPLE = 100_000


def data_errors(check, *args, **kwargs) -> dict[str, list[str]]:
    """Every problem ``check`` (``_broker_data``, ``_filing_data``) finds, without writing: what a
    form shows beside its fields at once."""
    try:
        check(*args, **kwargs)
    except ValidationFailed as exc:
        return dict(exc.detail or {})
    return {}


def broker_errors(data: dict, *, today: dt.date) -> dict[str, list[str]]:
    return data_errors(_broker_data, data, today=today)


def filing_errors(data: dict) -> dict[str, list[str]]:
    return data_errors(_filing_data, data)


def _refuse(errors: dict[str, list[str]]):
    first = next(iter(errors.values()))[0]
    raise ValidationFailed(first, detail=errors)


def _text(data: dict, name: str, limit: int) -> str:
    return str(data.get(name) or "").strip()[:limit]


def _count(value, *, field: str, errors: dict, label: str, minimum: int = 0) -> int:
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        errors.setdefault(field, []).append(_("%(label)s应为整数。") % {"label": label})
        return 0
    if not minimum <= number <= MAX_PEOPLE:
        errors.setdefault(field, []).append(
            _("%(label)s应在%(low)s至%(high)s之间。") % {"label": label, "low": minimum, "high": MAX_PEOPLE}
        )
    return number


def _organisation(organisation_id) -> Organisation:
    org = Organisation.objects.filter(pk=organisation_id).select_related("region").first()
    if org is None:
        raise NotFound(_("机构不存在。"))
    return org


def report_year(today: dt.date) -> int:
    """The year whose annual report is open on ``today``."""
    month, day = weights.REPORT_OPENS
    return today.year if today >= dt.date(today.year, month, day) else today.year - 1


def report_due(year: int) -> dt.date:
    month, day = weights.REPORT_DUE
    return dt.date(year + 1, month, day)


# --- brokers ----------------------------------------------------------------------------------


def _broker_data(data: dict, *, today: dt.date) -> dict:
    errors: dict[str, list[str]] = {}
    out = {
        "name": _text(data, "name", 64),
        "level": _text(data, "level", 16),
        "certificate_number": _text(data, "certificate_number", 40),
        "certificate_issuer": _text(data, "certificate_issuer", 128),
        "fields": _text(data, "fields", 200),
        "profile": str(data.get("profile") or "").strip()[:4000],
    }
    for name, label in [
        ("name", _("姓名")),
        ("certificate_number", _("证书编号")),
        ("certificate_issuer", _("发证机构")),
    ]:
        if not out[name]:
            errors.setdefault(name, []).append(_("请填写%(label)s。") % {"label": label})
    if out["level"] not in BrokerLevel.values:
        errors.setdefault("level", []).append(_("请选择等级：初级、中级技术经纪人或高级技术经理人。"))
    issued = data.get("certificate_date")
    if isinstance(issued, str):
        try:
            issued = dt.date.fromisoformat(issued.strip())
        except ValueError:
            issued = None
    if not isinstance(issued, dt.date):
        errors.setdefault("certificate_date", []).append(_("请填写发证日期（年-月-日）。"))
    elif issued > today:
        errors.setdefault("certificate_date", []).append(_("发证日期不能晚于今天。"))
    elif issued.year < 1980:
        errors.setdefault("certificate_date", []).append(_("发证日期不能早于1980年。"))
    out["certificate_date"] = issued
    if errors:
        _refuse(errors)
    return out


def register_broker(*, actor, organisation_id: int, user_id: int, data: dict, now, scan=None) -> Broker:
    """An institution's admin enters one of its members as a broker, with their certificate (and
    its scan: ``scan`` is (content, original file name) or None)."""
    org = _organisation(organisation_id)
    if not access.is_institution(org) or not access.is_admin(actor, org):
        raise PermissionDenied(_("只有技术转移机构的管理员可以登记本机构的技术经纪（理）人。"))
    fields = _broker_data(data, today=timezone.localdate(now))
    if scan:
        scan_kind(scan[0])  # refused before anything is written
    with transaction.atomic():
        person = User.objects.filter(pk=user_id).first()
        if person is None or not Membership.objects.filter(user=person, organisation=org).exists():
            raise ValidationFailed(
                _("经纪人须是本机构的成员。"), detail={"user": [_("经纪人须是本机构的成员。")]}
            )
        if Broker.objects.filter(user=person).exists():
            raise Conflict(_("该成员已登记为技术经纪（理）人。"))
        if Broker.objects.filter(organisation=org, name=fields["name"]).exists():
            raise ValidationFailed(
                _("本机构已有同名的技术经纪（理）人。"),
                detail={"name": [_("本机构已有同名的技术经纪（理）人。")]},
            )
        try:
            with transaction.atomic():
                broker = Broker(
                    user=person,
                    organisation=org,
                    created_at=now,
                    updated_at=now,
                    certificate_status=CertificateStatus.SUBMITTED,
                    certificate_submitted_at=now,
                    **fields,
                )
                _store_scan(broker, scan)
                broker.save()
        except IntegrityError:
            raise ValidationFailed(
                _("该发证机构的这个证书编号已被登记。"),
                detail={"certificate_number": [_("该发证机构的这个证书编号已被登记。")]},
            ) from None
        audit.record(
            "broker.register", actor=actor, target=org, after=audit.snapshot(broker, BROKER_FIELDS), now=now
        )
        todos.certificate_submitted(broker, now=now)
    return broker


def update_broker(*, actor, broker_id: int, data: dict, now, scan=None) -> Broker:
    """An institution's admin corrects a broker's record. Only a change of the certificate (level,
    number, issuer, date, a new scan) sends an approved certificate back to the reviewers; until
    they approve it the broker stays listed with the certificate last approved."""
    if scan:
        scan_kind(scan[0])  # refused before anything is written
    with transaction.atomic():
        broker = lock(Broker.objects.select_related("organisation"), broker_id)
        if not access.is_admin(actor, broker.organisation):
            raise PermissionDenied(_("只有技术转移机构的管理员可以修改本机构经纪人的信息。"))
        fields = _broker_data(data, today=timezone.localdate(now))
        before = audit.snapshot(broker, BROKER_FIELDS)
        if (
            Broker.objects.filter(organisation=broker.organisation, name=fields["name"])
            .exclude(pk=broker.pk)
            .exists()
        ):
            raise ValidationFailed(
                _("本机构已有同名的技术经纪（理）人。"),
                detail={"name": [_("本机构已有同名的技术经纪（理）人。")]},
            )
        changed = any(getattr(broker, name) != fields[name] for name in CERTIFICATE_FIELDS)
        if broker.certificate_status == CertificateStatus.APPROVED and not (
            broker.approved_certificate or {}
        ).get(
            "certificate_number"
        ):  # approved before the approved certificate was kept (demo, older records): keep it now
            broker.approved_certificate = approved_certificate(broker)
        for name, value in fields.items():
            setattr(broker, name, value)
        changed = _store_scan(broker, scan) or changed
        resubmit = broker.certificate_status == CertificateStatus.RETURNED or (
            changed and broker.certificate_status == CertificateStatus.APPROVED
        )
        broker.updated_at = now
        if resubmit:  # corrected after a return, or a checked certificate changed: checked again
            broker.certificate_status, broker.certificate_reason = CertificateStatus.SUBMITTED, ""
            broker.certificate_submitted_at = now
            broker.certificate_checked_by, broker.certificate_checked_at = None, None  # not checked yet
        try:
            with transaction.atomic():
                broker.save()
        except IntegrityError:
            raise ValidationFailed(
                _("该发证机构的这个证书编号已被登记。"),
                detail={"certificate_number": [_("该发证机构的这个证书编号已被登记。")]},
            ) from None
        audit.record(
            "broker.update",
            actor=actor,
            target=broker.organisation,
            before=before,
            after=audit.snapshot(broker, BROKER_FIELDS),
            now=now,
        )
        if resubmit:
            todos.certificate_submitted(broker, now=now)
    return broker


def decide_certificate(*, actor, broker_id: int, approve: bool, reason: str, now) -> Broker:
    """A reviewer covering the institution's region checks a broker's certificate: approved (the
    broker is listed as certified) or returned with a reason (the institution corrects it)."""
    reason = str(reason or "").strip()[:2000]
    with transaction.atomic():
        broker = lock(Broker.objects.all(), broker_id)  # no outer join under FOR UPDATE (PostgreSQL)
        if not access.can_review_certificate(actor, broker):
            raise PermissionDenied(_("只有机构所在地区的审核员可以核验技术经纪人证书。"))
        target = CertificateStatus.APPROVED if approve else CertificateStatus.RETURNED
        if CERTIFICATE_TRANSITIONS[broker.certificate_status].get(target) != "reviewer":
            raise InvalidTransition(
                _("该经纪人证书当前状态为“%(status)s”，不能核验。")
                % {"status": broker.get_certificate_status_display()}
            )
        if not approve and not reason:
            raise ValidationFailed(_("退回时请写明理由。"), detail={"reason": [_("退回时请写明理由。")]})
        before = audit.snapshot(broker, ["certificate_status", "certificate_reason"])
        broker.certificate_status, broker.certificate_reason = target, reason
        broker.certificate_checked_by, broker.certificate_checked_at = actor, now
        if approve:
            broker.approved_certificate = approved_certificate(broker)
        broker.save(
            update_fields=[
                "certificate_status",
                "certificate_reason",
                "certificate_checked_by",
                "certificate_checked_at",
                "approved_certificate",
            ]
        )
        audit.record(
            f"broker.certificate_{target}",
            actor=actor,
            target=broker,
            before=before,
            after={
                "certificate_status": target,
                "name": broker.name,
                "certificate_number": broker.certificate_number,
                "certificate_issuer": broker.certificate_issuer,
            },
            reason=reason,
            now=now,
        )
        todos.certificate_decided(broker, now=now)
    return broker


def add_training(*, actor, broker_id: int, year, course: str, provider: str, hours, now) -> TrainingRecord:
    broker = Broker.objects.select_related("organisation").filter(pk=broker_id).first()
    if broker is None:
        raise NotFound(_("技术经纪（理）人不存在。"))
    if not access.is_admin(actor, broker.organisation):
        raise PermissionDenied(_("只有技术转移机构的管理员可以登记本机构经纪人的培训。"))
    errors: dict[str, list[str]] = {}
    this_year = timezone.localdate(now).year
    try:
        year = int(str(year))
    except ValueError:
        year = 0
    if not 1980 <= year <= this_year:
        errors["year"] = [_("培训年度应在1980年至今年之间。")]
    course, provider = str(course or "").strip()[:200], str(provider or "").strip()[:128]
    if not course:
        errors["course"] = [_("请填写培训课程。")]
    if not provider:
        errors["provider"] = [_("请填写培训机构。")]
    try:
        hours = Decimal(str(hours).strip())
        if not hours.is_finite() or hours != hours.quantize(Decimal("0.1")):
            raise InvalidOperation
    except (InvalidOperation, ValueError):
        hours = Decimal(-1)
    if not Decimal(0) < hours <= Decimal(500):
        errors["hours"] = [_("学时应大于0且不超过500，最多一位小数。")]
    if errors:
        _refuse(errors)
    with transaction.atomic():
        record = TrainingRecord.objects.create(
            broker=broker,
            year=year,
            course=course,
            provider=provider,
            hours=hours,
            recorded_by=actor,
            recorded_at=now,
        )
        audit.record(
            "broker.training",
            actor=actor,
            target=broker.organisation,
            after={"broker": broker.name, "year": year, "course": course, "hours": hours},
            now=now,
        )
    return record


def rate_broker(*, actor, broker_id: int, contract_id: int, score, comment: str, now) -> BrokerRating:
    """A party of a registered contract the broker brokered rates them once, 1–5."""
    broker = Broker.objects.select_related("organisation").filter(pk=broker_id).first()
    if broker is None:
        raise NotFound(_("技术经纪（理）人不存在。"))
    contract = broker_contracts(broker).filter(pk=contract_id).first()
    if contract is None:
        raise NotFound(_("该合同不是这位经纪人经办的已登记合同。"))
    own = scope.organisation_ids(actor)
    side = (
        contract.seller_id
        if contract.seller_id in own
        else contract.buyer_id
        if contract.buyer_id in own
        else None
    )
    if side is None:
        raise PermissionDenied(_("只有合同的买卖双方可以评价经纪人。"))
    try:
        score = int(str(score))
    except ValueError:
        score = 0
    if not 1 <= score <= 5:
        raise ValidationFailed(_("评分应为1至5分。"), detail={"score": [_("评分应为1至5分。")]})
    with transaction.atomic():
        try:
            with transaction.atomic():
                rating = BrokerRating.objects.create(
                    broker=broker,
                    contract=contract,
                    organisation_id=side,
                    rated_by=actor,
                    score=score,
                    comment=str(comment or "").strip()[:2000],
                    created_at=now,
                )
        except IntegrityError:
            raise Conflict(_("贵单位已评价过这份合同的经纪服务，每方只能评价一次。")) from None
        audit.record(
            "broker.rated",
            actor=actor,
            target=contract,
            after={"broker": broker.name, "score": score},
            now=now,
        )
    return rating


# --- filings ------------------------------------------------------------------------------------


def _filing_data(data: dict) -> dict:
    errors: dict[str, list[str]] = {}
    out = {
        "staff_count": _count(
            data.get("staff_count"), field="staff_count", errors=errors, label=_("专职从业人员"), minimum=1
        ),
        "part_time_experts": _count(
            data.get("part_time_experts") or 0, field="part_time_experts", errors=errors, label=_("兼职专家")
        ),
        "fields": _text(data, "fields", 200),
        "description": str(data.get("description") or "").strip()[:4000],
    }
    services = [str(s) for s in (data.get("services") or [])]
    if not out["fields"]:
        errors.setdefault("fields", []).append(_("请填写服务领域。"))
    if not services or any(s not in ServiceType.values for s in services):
        errors.setdefault("services", []).append(_("请至少选择一项服务类型。"))
    if errors:
        _refuse(errors)
    out["services"] = sorted(set(services), key=ServiceType.values.index)
    return out


def submit_filing(*, actor, organisation_id: int, data: dict, now) -> InstitutionFiling:
    """Apply for filing with the bureau of the institution's city, or resubmit a returned filing."""
    org = _organisation(organisation_id)
    if not access.is_institution(org):
        raise ValidationFailed(_("只有技术转移机构可以申请备案。"))
    if not access.is_admin(actor, org):
        raise PermissionDenied(_("只有机构管理员可以申请备案。"))
    fields = _filing_data(data)
    bureau = Region.objects.filter(code=access.bureau_code(org.region_id)).first()
    if bureau is None:
        raise ValidationFailed(_("机构所在地区没有对应的市级科技主管部门。"))
    with transaction.atomic():
        existing = InstitutionFiling.objects.filter(organisation=org).first()
        if existing is None:
            try:
                with transaction.atomic():
                    filing = InstitutionFiling.objects.create(
                        organisation=org, bureau_region=bureau, submitted_by=actor, submitted_at=now, **fields
                    )
            except IntegrityError:
                raise Conflict(_("本机构已提交备案申请。")) from None
            before = None
        else:
            filing = lock(InstitutionFiling.objects.all(), existing.pk)
            if FilingStatus.SUBMITTED not in FILING_TRANSITIONS[filing.status]:
                raise InvalidTransition(
                    _("备案申请当前状态为“%(status)s”，不能再次提交。")
                    % {"status": filing.get_status_display()}
                )
            before = audit.snapshot(filing, FILING_FIELDS)
            for name, value in fields.items():
                setattr(filing, name, value)
            filing.status, filing.reason = FilingStatus.SUBMITTED, ""
            filing.submitted_by, filing.submitted_at, filing.bureau_region = actor, now, bureau
            filing.save()
        audit.record(
            "institution.filing_submitted",
            actor=actor,
            target=filing,
            before=before,
            after=audit.snapshot(filing, FILING_FIELDS),
            now=now,
        )
        todos.filing_submitted(filing, now=now)
    return filing


def _filing_number(filing, today: dt.date) -> str:
    prefix = f"{filing.bureau_region_id[:4]}-{today.year}-"
    taken = InstitutionFiling.objects.filter(number__startswith=prefix).count()
    return f"{prefix}{taken + 1:03d}"


def decide_filing(*, actor, filing_id: int, approve: bool, reason: str, now) -> InstitutionFiling:
    """A reviewer of the bureau approves the filing (the filing date is today) or returns it with reasons."""
    reason = str(reason or "").strip()[:2000]
    with transaction.atomic():
        filing = lock(InstitutionFiling.objects.select_related("organisation"), filing_id)
        if not access.can_review_filing(actor, filing):
            raise PermissionDenied(_("只有备案主管部门的审核员可以审核备案申请。"))
        target = FilingStatus.APPROVED if approve else FilingStatus.RETURNED
        if target not in FILING_TRANSITIONS[filing.status]:
            raise InvalidTransition(
                _("备案申请当前状态为“%(status)s”，不能审核。") % {"status": filing.get_status_display()}
            )
        if not approve and not reason:
            raise ValidationFailed(_("退回时请写明理由。"), detail={"reason": [_("退回时请写明理由。")]})
        before = audit.snapshot(filing, FILING_FIELDS)
        filing.status, filing.reason = target, reason
        filing.decided_by, filing.decided_at = actor, now
        if approve:
            today = timezone.localdate(now)
            filing.filed_on = today
            filing.number = _filing_number(filing, today)
        filing.save()
        audit.record(
            f"institution.filing_{target}",
            actor=actor,
            target=filing,
            before=before,
            after=audit.snapshot(filing, FILING_FIELDS),
            reason=reason,
            now=now,
        )
        todos.filing_decided(filing, now=now)
    return filing


# --- annual reports ---------------------------------------------------------------------------------


def prefill(organisation, year: int) -> dict:
    """What the platform knows of the institution's year: the report's pre-filled figures."""
    contracts, deals = scoring.brokered_records(organisation, year)
    rows = list(
        contracts.values_list("registration_number", "contract_amount", "technology_amount", "buyer_id")
    )
    deal_rows = list(deals.values_list("amount", "buyer_id"))
    from zhouqiao.community.institutions.models import Broker as BrokerModel

    return {
        "contracts": len(rows),
        "contract_amount": str(sum((r[1] for r in rows), start=Decimal(0))),
        "technology_amount": str(sum((r[2] for r in rows), start=Decimal(0))),
        "registration_numbers": sorted(r[0] for r in rows if r[0]),
        "deals": len(deal_rows),
        "deal_amount": str(sum((r[0] for r in deal_rows), start=Decimal(0))),
        "enterprises_served": len({r[3] for r in rows} | {r[1] for r in deal_rows}),
        "brokers": BrokerModel.objects.certified().filter(organisation=organisation).count(),
        "events": scoring.events_held(organisation, year),
    }


def open_report(*, actor, organisation_id: int, year: int, now) -> AnnualReport:
    """Open (or return) the institution's report for ``year``, pre-filled from the platform."""
    org = _organisation(organisation_id)
    if not access.is_admin(actor, org):
        raise PermissionDenied(_("只有机构管理员可以填报年度报告。"))
    if not InstitutionFiling.objects.filter(organisation=org, status=FilingStatus.APPROVED).exists():
        raise ValidationFailed(_("机构备案通过后才能填报年度报告。"))
    if not 1980 <= int(year) <= report_year(timezone.localdate(now)):
        raise ValidationFailed(_("该年度的年度报告尚未开始填报。"))
    with transaction.atomic():
        report = AnnualReport.objects.filter(organisation=org, year=year).first()
        if report is not None:
            return report
        filing = org.filing
        try:
            with transaction.atomic():
                report = AnnualReport.objects.create(
                    organisation=org,
                    year=year,
                    due_on=report_due(year),
                    figures=prefill(org, year),
                    staff_count=filing.staff_count,
                    created_at=now,
                    updated_at=now,
                )
        except IntegrityError:
            return AnnualReport.objects.get(organisation=org, year=year)
        audit.record("institution.report_opened", actor=actor, target=report, now=now)
    return report


def save_report(*, actor, report_id: int, data: dict, submit: bool, now) -> AnnualReport:
    """Save what the institution completes (staff, income, summary); ``submit`` also refreshes the
    platform figures and submits. A submitted report is not changed any more."""
    errors: dict[str, list[str]] = {}
    staff = _count(
        data.get("staff_count"), field="staff_count", errors=errors, label=_("专职从业人员"), minimum=1
    )
    amounts = {}
    for name, label in [("total_income", _("年度总收入")), ("technical_income", _("技术性收入"))]:
        raw = data.get(name)
        if raw in (None, ""):
            amounts[name] = None
            if submit:
                errors.setdefault(name, []).append(_("提交前请填写%(label)s。") % {"label": label})
            continue
        try:
            amounts[name] = parse_amount(raw) if not isinstance(raw, Decimal) else parse_amount(str(raw))
        except AmountError as exc:
            errors.setdefault(name, []).append(str(exc))
    total, technical = amounts.get("total_income"), amounts.get("technical_income")
    if total is not None and technical is not None and technical > total:
        errors.setdefault("technical_income", []).append(_("技术性收入不能超过年度总收入。"))
    summary = str(data.get("summary") or "").strip()[:8000]
    if submit and not summary:
        errors.setdefault("summary", []).append(_("提交前请填写年度工作总结。"))
    if errors:
        _refuse(errors)
    with transaction.atomic():
        report = lock(AnnualReport.objects.select_related("organisation"), report_id)
        if not access.is_admin(actor, report.organisation):
            raise PermissionDenied(_("只有机构管理员可以填报年度报告。"))
        if report.status == ReportStatus.SUBMITTED:
            raise InvalidTransition(_("年度报告已提交，不能再修改。"))
        before = audit.snapshot(report, REPORT_FIELDS)
        report.staff_count, report.summary = staff, summary
        report.total_income, report.technical_income = total, technical
        report.updated_at = now
        if submit:
            report.figures = prefill(report.organisation, report.year)
            report.status, report.submitted_by, report.submitted_at = ReportStatus.SUBMITTED, actor, now
        report.save()
        audit.record(
            f"institution.report_{'submitted' if submit else 'saved'}",
            actor=actor,
            target=report,
            before=before,
            after=audit.snapshot(report, REPORT_FIELDS),
            now=now,
        )
        if submit:  # the report on time counts in the score: the year's score is computed now
            _score(report.organisation, report.year, actor=None, now=now, trigger="report_submitted")
    return report


def remind_reports_due(*, year: int, now) -> int:
    """Tell the admins of every filed institution without a submitted report for ``year``; returns
    how many people were newly told. Run daily (``remind-institution-reports`` in the ``daily``
    job): each admin is told once a year (one notification per key), so a repeat tells nobody, and
    an institution filed later, or a new admin, is told on the next run."""
    sent = 0
    submitted = AnnualReport.objects.filter(year=year, status=ReportStatus.SUBMITTED).values(
        "organisation_id"
    )
    filings = (
        InstitutionFiling.objects.filter(status=FilingStatus.APPROVED)
        .exclude(organisation_id__in=submitted)
        .select_related("organisation")
    )
    with transaction.atomic():
        for filing in filings:
            sent += todos.report_due(filing.organisation, year=year, due_on=report_due(year), now=now)
    return sent


# --- assessment and score -------------------------------------------------------------------------


def _check_year(year, now) -> int:
    try:
        year = int(str(year))
    except ValueError:
        year = 0
    if not 1980 <= year <= timezone.localdate(now).year:
        raise ValidationFailed(
            _("评价年度应在1980年至今年之间。"), detail={"year": [_("评价年度应在1980年至今年之间。")]}
        )
    return year


def _assessable(actor, organisation_id) -> Organisation:
    org = _organisation(organisation_id)
    if not access.can_assess(actor, org):
        raise PermissionDenied(_("只有管辖该机构的审核员或统计监测人员可以评分。"))
    if not InstitutionFiling.objects.filter(organisation=org, status=FilingStatus.APPROVED).exists():
        raise ValidationFailed(_("只对已备案的技术转移机构评分。"))
    return org


def clean_assessment(values: dict) -> dict[str, str]:
    """Each staff-judged item between 0 and its points, at most two decimals — else a Chinese error."""
    errors: dict[str, list[str]] = {}
    out = {}
    for code, item in weights.STAFF_ITEMS.items():
        raw = values.get(code)
        try:
            number = Decimal(str(raw).strip())
            if not number.is_finite() or number != number.quantize(Decimal("0.01")):
                raise InvalidOperation
        except (InvalidOperation, ValueError):
            errors[code] = [_("“%(label)s”请填写分数。") % {"label": item.label}]
            continue
        if not Decimal(0) <= number <= item.points:
            errors[code] = [
                _("“%(label)s”的得分应在0至%(max)s分之间。") % {"label": item.label, "max": item.points}
            ]
            continue
        out[code] = str(number)
    if errors:
        _refuse(errors)
    return out


def assess(*, actor, organisation_id: int, year, values: dict, note: str, now) -> InstitutionScore:
    """Enter the staff-judged points (audited, before and after) and recompute the score."""
    year = _check_year(year, now)
    org = _assessable(actor, organisation_id)
    cleaned = clean_assessment(values)
    with transaction.atomic():
        row = InstitutionAssessment.objects.select_for_update().filter(organisation=org, year=year).first()
        before = dict(row.values) if row else None
        if row is None:
            row = InstitutionAssessment(organisation=org, year=year)
        row.values, row.note = cleaned, str(note or "").strip()[:2000]
        row.entered_by, row.entered_at = actor, now
        row.save()
        audit.record(
            "institution.assessed",
            actor=actor,
            target=org,
            before=before,
            after={**cleaned, "year": year},
            reason=row.note,
            now=now,
        )
        return _score(org, year, actor=actor, now=now)


def _score(org, year: int, *, actor, now, trigger: str = "") -> InstitutionScore:
    return _compute_and_store(org, year, actor=actor, now=now, trigger=trigger)[0]


def _compute_and_store(org, year: int, *, actor, now, trigger: str = "") -> tuple[InstitutionScore, bool]:
    """The one way a score is computed and stored (``scoring.compute`` on the year's facts and the
    staff assessment), by staff (``actor``) or automatically (``actor`` None, ``trigger`` says why:
    an automatic run that finds the score unchanged writes nothing)."""
    assessment = InstitutionAssessment.objects.filter(organisation=org, year=year).first()
    result = scoring.compute(scoring.facts(org, year), assessment.values if assessment else {})
    if not Decimal(0) <= result["total"] <= Decimal(100):  # cannot happen with bounded items; refuse anyway
        raise ValidationFailed(_("计算得分超出0至100分的范围，未保存。"))
    if actor is None:
        stored = InstitutionScore.objects.filter(organisation=org, year=year).first()
        if stored is not None and (stored.total, stored.pillars, stored.items) == (
            result["total"],
            result["pillars"],
            result["items"],
        ):
            return stored, False
    score, _created = InstitutionScore.objects.update_or_create(
        organisation=org,
        year=year,
        defaults={
            "total": result["total"],
            "pillars": result["pillars"],
            "items": result["items"],
            "computed_by": actor,
            "computed_at": now,
        },
    )
    audit.record(
        "institution.scored",
        actor=actor,
        actor_name="" if actor is not None else "scheduler",
        target=org,
        after={"year": year, "total": result["total"], **({"trigger": trigger} if trigger else {})},
        now=now,
    )
    return score, True


def _filed_for(year: int):
    """Approved filings made by the end of ``year``: the institutions a year's ranking holds."""
    return InstitutionFiling.objects.filter(
        status=FilingStatus.APPROVED, filed_on__lte=dt.date(year, 12, 31)
    ).select_related("organisation")


def score_missing(*, year: int, within, now) -> int:
    """Compute the scores ``year``'s ranking lacks, for the institutions ``within`` (a Q on the
    filing, e.g. ``access.ranking_q(user)``): the ranking page calls it on view, so nobody has to
    press a button before a ranking exists. Only rows without a score are computed (cheap after the
    first view). Returns how many were computed."""
    scored = InstitutionScore.objects.filter(year=year).values("organisation_id")
    filings = _filed_for(year).filter(within).exclude(organisation_id__in=scored).order_by("pk")
    done = 0
    for filing in filings:
        with transaction.atomic():
            _score(filing.organisation, year, actor=None, now=now, trigger="ranking_viewed")
        done += 1
    return done


def refresh_scores(*, year: int, now) -> int:
    """Recompute ``year``'s score of every filed institution from the records as they are now
    (contracts registered, ratings, events, certified brokers …): run daily for the open report
    year (``institution-scores`` in the ``daily`` job). A score that has not changed is not
    rewritten, so a repeat writes nothing. Returns how many scores changed."""
    changed = 0
    for filing in _filed_for(year).order_by("pk"):
        with transaction.atomic():
            _score_row, written = _compute_and_store(
                filing.organisation, year, actor=None, now=now, trigger="daily"
            )
        changed += written
    return changed


def compute_score(*, actor, organisation_id: int, year, now) -> InstitutionScore:
    year = _check_year(year, now)
    org = _assessable(actor, organisation_id)
    with transaction.atomic():
        return _score(org, year, actor=actor, now=now)


def compute_scores(*, actor, year, now) -> list[InstitutionScore]:
    """Score every filed institution in the actor's jurisdictions for ``year``."""
    year = _check_year(year, now)
    if not access.sees_ranking(actor):
        raise PermissionDenied(_("只有审核员或统计监测人员可以计算绩效评分。"))
    filings = (
        InstitutionFiling.objects.filter(status=FilingStatus.APPROVED)
        .filter(access.ranking_q(actor))
        .select_related("organisation")
    )
    with transaction.atomic():
        return [_score(f.organisation, year, actor=actor, now=now) for f in filings.order_by("pk")]
