"""Every write of the profiles and the reserve: certifications, criteria, the reviewed list."""

from datetime import date
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from zhouqiao.accounts.models import Organisation, OrganisationKind
from zhouqiao.core import audit
from zhouqiao.core.models import Region
from zhouqiao.insights.enterprises import access
from zhouqiao.insights.enterprises.exceptions import Conflict, NotFound, PermissionDenied, ValidationFailed
from zhouqiao.insights.enterprises.models import Certification, ReserveCriterion, ReserveEntry
from zhouqiao.insights.enterprises.states import (
    OWN_KINDS,
    YES_NO_FIGURES,
    CertificationKind,
    EntryStatus,
    Figure,
)


def _field(field: str, message) -> ValidationFailed:
    return ValidationFailed(message, detail={field: [str(message)]})


def _enterprise(organisation_id) -> Organisation:
    org = Organisation.objects.filter(pk=organisation_id, kind=OrganisationKind.ENTERPRISE).first()
    if org is None:
        raise NotFound(_("企业不存在。"))
    return org


def _region(code) -> Region:
    region = Region.objects.filter(pk=str(code or "")[:6]).first()
    if region is None:
        raise _field("jurisdiction", _("辖区不存在。"))
    return region


# --- certifications --------------------------------------------------------------------------------


def record_certification(
    *, actor, organisation_id: int, kind: str, number: str, valid_from: date, valid_until: date, now
):
    """Staff record a certificate. 高新技术企业 and 科技型中小企业 go to the vouchers app, which
    keeps them (they decide voucher eligibility); the other kinds are kept here."""
    if kind not in CertificationKind.values:
        raise _field("kind", _("认定类型不正确。"))
    if kind not in OWN_KINDS:
        from zhouqiao.vouchers import services as voucher_services

        return voucher_services.record_certification(
            actor=actor,
            organisation_id=organisation_id,
            kind=kind,
            number=number,
            valid_from=valid_from,
            valid_until=valid_until,
            now=now,
        )
    return _record_own_certification(
        actor=actor,
        organisation_id=organisation_id,
        kind=kind,
        number=number,
        valid_from=valid_from,
        valid_until=valid_until,
        now=now,
    )


@transaction.atomic(durable=True)
def _record_own_certification(*, actor, organisation_id, kind, number, valid_from, valid_until, now):
    org = _enterprise(organisation_id)
    if not access.can_record_certification(actor, org.region_id):
        raise PermissionDenied(_("只有属地审核人员可以登记企业资质。"))
    number = (number or "").strip()
    if not number:
        raise _field("number", _("请填写证书编号。"))
    if valid_until < valid_from:
        raise _field("valid_until", _("有效期截止日不能早于起始日。"))
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
        raise _field("number", _("该证书编号已登记。")) from exc
    audit.record(
        "enterprise_profile.certification",
        actor=actor,
        target=cert,
        region_code=org.region_id,
        now=now,
        after={"kind": kind, "number": number, "valid_from": valid_from, "valid_until": valid_until},
    )
    return cert


# --- criteria --------------------------------------------------------------------------------------


def parse_minimum(value) -> Decimal:
    try:
        minimum = Decimal(str(value).strip().replace(",", ""))
    except (InvalidOperation, ValueError) as exc:
        raise _field("minimum", _("门槛应为数字。")) from exc
    if not minimum.is_finite() or minimum < 0 or minimum >= Decimal("1e14"):
        raise _field("minimum", _("门槛应为不小于0的数字。"))
    return minimum.quantize(Decimal("0.01"))


@transaction.atomic(durable=True)
def set_criterion(*, actor, jurisdiction: str, figure: str, minimum, note: str = "", now) -> ReserveCriterion:
    """Write (or change) one threshold of a jurisdiction's criteria."""
    region = _region(jurisdiction)
    if not access.can_keep_reserve(actor, region.code):
        raise PermissionDenied(_("只有本辖区的统计监测人员可以修改入库条件。"))
    if figure not in Figure.values:
        raise _field("figure", _("请选择指标。"))
    minimum = parse_minimum(minimum)
    # A criterion that every enterprise meets (“不作要求”, 不低于0) is no criterion: refuse it.
    if figure in YES_NO_FIGURES and minimum != 1:
        raise _field("minimum", _("资质类条件只能要求为“是”（持有有效认定）；不作要求的，无需设定此条件。"))
    if minimum == 0:
        raise _field("minimum", _("门槛为0等于不作要求，无需设定此条件；请填写大于0的门槛。"))
    row = ReserveCriterion.objects.select_for_update().filter(jurisdiction=region, figure=figure).first()
    before = {"minimum": row.minimum, "note": row.note} if row else None
    if row is None:
        row = ReserveCriterion(jurisdiction=region, figure=figure)
    row.minimum, row.note, row.updated_by, row.updated_at = minimum, (note or "").strip()[:200], actor, now
    row.save()
    audit.record(
        "enterprise_reserve.criterion_set",
        actor=actor,
        target=row,
        region_code=region.code,
        now=now,
        before=before,
        after={"figure": figure, "minimum": minimum, "note": row.note},
    )
    return row


@transaction.atomic(durable=True)
def delete_criterion(*, actor, criterion_id: int, now) -> None:
    row = ReserveCriterion.objects.select_for_update().filter(pk=criterion_id).first()
    if row is None:
        raise NotFound(_("入库条件不存在。"))
    if not access.can_keep_reserve(actor, row.jurisdiction_id):
        raise PermissionDenied(_("只有本辖区的统计监测人员可以修改入库条件。"))
    audit.record(
        "enterprise_reserve.criterion_deleted",
        actor=actor,
        target=row,
        region_code=row.jurisdiction_id,
        now=now,
        before={"figure": row.figure, "minimum": row.minimum, "note": row.note},
    )
    row.delete()


# --- the reviewed list -----------------------------------------------------------------------------


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise _field("reason", _("请写明理由。"))
    return reason[:2000]


@transaction.atomic(durable=True)
def add_to_reserve(*, actor, jurisdiction: str, organisation_id: int, reason: str, now) -> ReserveEntry:
    region = _region(jurisdiction)
    if not access.can_keep_reserve(actor, region.code):
        raise PermissionDenied(_("只有本辖区的统计监测人员可以调整上市后备资源库。"))
    org = _enterprise(organisation_id)
    if not region.contains(org.region_id):
        raise _field("organisation", _("该企业不在本辖区。"))
    reason = _reason(reason)
    if ReserveEntry.objects.filter(jurisdiction=region, organisation=org, status=EntryStatus.LISTED).exists():
        raise Conflict(_("该企业已在本辖区的上市后备资源库中。"))
    try:
        with transaction.atomic():
            entry = ReserveEntry.objects.create(
                jurisdiction=region, organisation=org, added_reason=reason, added_by=actor, added_at=now
            )
    except IntegrityError as exc:
        raise Conflict(_("该企业已在本辖区的上市后备资源库中。")) from exc
    audit.record(
        "enterprise_reserve.added",
        actor=actor,
        target=entry,
        region_code=region.code,
        now=now,
        reason=reason,
        after={"organisation": org.pk, "name": org.name},
    )
    return entry


@transaction.atomic(durable=True)
def remove_from_reserve(*, actor, entry_id: int, reason: str, now) -> ReserveEntry:
    entry = ReserveEntry.objects.select_for_update().filter(pk=entry_id).first()
    if entry is None:
        raise NotFound(_("记录不存在。"))
    if not access.can_keep_reserve(actor, entry.jurisdiction_id):
        raise PermissionDenied(_("只有本辖区的统计监测人员可以调整上市后备资源库。"))
    if entry.status != EntryStatus.LISTED:
        raise Conflict(_("该企业已移出。"))
    reason = _reason(reason)
    entry.status, entry.removed_reason, entry.removed_by, entry.removed_at = (
        EntryStatus.REMOVED,
        reason,
        actor,
        now,
    )
    entry.save(update_fields=["status", "removed_reason", "removed_by", "removed_at"])
    audit.record(
        "enterprise_reserve.removed",
        actor=actor,
        target=entry,
        region_code=entry.jurisdiction_id,
        now=now,
        reason=reason,
        after={"organisation": entry.organisation_id},
    )
    return entry
