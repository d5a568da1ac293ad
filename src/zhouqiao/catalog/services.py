"""Every write about achievements, demands and packages: keyword-only arguments, ``actor`` and
``now``; one durable transaction that owns its lock and its audit record."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhouqiao.accounts import scope
from zhouqiao.accounts.models import Duty, Organisation
from zhouqiao.catalog import exceptions as msg
from zhouqiao.catalog import files, posting, todos
from zhouqiao.catalog.models import (
    Achievement,
    AchievementPackage,
    Attachment,
    Demand,
    DemandInvitation,
    IntellectualProperty,
    PackageItem,
    pack_modes,
)
from zhouqiao.catalog.states import (
    EDITABLE,
    EXPIRING_KINDS,
    PACKAGE_TRANSITIONS,
    PUBLIC,
    REASON_REQUIRED,
    RECORD_TRANSITIONS,
    Actor,
    DemandCloseReason,
    PackageStatus,
    RecordStatus,
)
from zhouqiao.catalog.validation import Lookups, clean_achievement, clean_demand, clean_ip_item
from zhouqiao.core import audit
from zhouqiao.core.errors import InvalidTransition, NotFound, PermissionDenied, ValidationFailed
from zhouqiao.core.locking import lock
from zhouqiao.core.models import KeyIndustry, Region
from zhouqiao.search.indexing import sync_after_commit

MODELS = {"achievement": Achievement, "demand": Demand}
ACHIEVEMENT_FIELDS = [
    "title",
    "abstract",
    "problem",
    "advantages",
    "scenarios",
    "economics",
    "readiness",
    "industry_id",
    "patent_class_id",
    "discipline_id",
    "keywords",
    "transfer_modes",
    "price_kind",
    "price_min",
    "price_max",
    "team",
    "contact_name",
    "contact_phone",
    "contact_email",
]
DEMAND_FIELDS = [
    "title",
    "summary",
    "problem",
    "indicators",
    "current_approach",
    "budget_min",
    "budget_max",
    "deadline",
    "cooperation_modes",
    "confidentiality",
    "industry_id",
    "keywords",
    "contact_name",
    "contact_phone",
    "contact_email",
]
STATUS_FIELDS = ["status", "status_reason"]
MAX_ATTACHMENTS = 20


def record_kind(record) -> str:
    return "achievement" if isinstance(record, Achievement) else "demand"


def member_organisation(actor, owner_id, kind: str) -> Organisation:
    """The organisation ``actor`` posts a ``kind`` ("achievement" / "demand") for: only its
    members, and only as :mod:`zhouqiao.catalog.posting` allows (no administrator, no bureau)."""
    org = Organisation.objects.filter(pk=owner_id).first()
    if org is None:
        raise NotFound(_("机构不存在。"))
    refused = posting.refusal(actor, org, kind)
    if refused:
        raise PermissionDenied(refused)
    return org


def model_values(cleaned: dict, *, modes_field: str) -> dict:
    """Cleaned form values → model attributes."""
    values = {
        k: v
        for k, v in cleaned.items()
        if k not in ("key_industries", "industry", "patent_class", "discipline", modes_field)
    }
    values["industry_id"] = cleaned.get("industry")
    if "patent_class" in cleaned:
        values["patent_class_id"] = cleaned["patent_class"]
        values["discipline_id"] = cleaned["discipline"]
    values[modes_field] = pack_modes(cleaned.get(modes_field))
    return values


def _clean_ip_items(items) -> list[tuple[int | None, dict]]:
    """Each IP item as (its id when it already exists, cleaned values)."""
    cleaned, errors = [], {}
    for index, raw in enumerate(items or [], start=1):
        data, problems = clean_ip_item(raw)
        for field, messages in problems.items():
            errors.setdefault(f"ip_items.{index}.{field}", []).extend(
                _("第%(n)s项知识产权：%(m)s") % {"n": index, "m": m} for m in messages
            )
        cleaned.append((raw.get("id"), data))
    if errors:
        raise msg.invalid(errors)
    return cleaned


def _save_ip_items(achievement, items: list[tuple[int | None, dict]]) -> None:
    """Make the achievement's IP items exactly ``items``: those with an id are edited in place,
    the others added, and existing ones left out are deleted."""
    existing = {i.pk: i for i in achievement.ip_items.all()}
    unknown = [pk for pk, _data in items if pk is not None and pk not in existing]
    if unknown:
        raise msg.invalid({"ip_items": [_("知识产权条目不属于该成果。")]})
    kept = set()
    for pk, data in items:
        if pk is None:
            IntellectualProperty.objects.create(achievement=achievement, **data)
            continue
        item = existing[pk]
        kept.add(pk)
        if any(getattr(item, k) != v for k, v in data.items()):
            for k, v in data.items():
                setattr(item, k, v)
            item.save(update_fields=list(data))
    IntellectualProperty.objects.filter(pk__in=existing.keys() - kept).delete()


def _ip_snapshot(achievement) -> list[dict]:
    return [
        {
            "id": i.pk,
            "kind": i.kind,
            "number": i.number,
            "status": i.status,
            "filed_on": i.filed_on.isoformat() if i.filed_on else None,
            "granted_on": i.granted_on.isoformat() if i.granted_on else None,
        }
        for i in achievement.ip_items.order_by("pk")
    ]


def _clean(cleaner, data: dict, **kwargs) -> dict:
    cleaned, errors = cleaner(data, Lookups(), **kwargs)
    if errors:
        raise msg.invalid(errors)
    return cleaned


def _audit_after(record, fields) -> dict:
    after = audit.snapshot(record, fields + STATUS_FIELDS)
    after["key_industries"] = sorted(record.key_industries.values_list("slug", flat=True))
    return after


@transaction.atomic(durable=True)
def create_achievement(*, actor, owner_id: int, data: dict, ip_items=None, now) -> Achievement:
    owner = member_organisation(actor, owner_id, "achievement")
    cleaned = _clean(clean_achievement, data)
    ip = _clean_ip_items(ip_items)
    achievement = Achievement.objects.create(
        owner=owner,
        region_id=owner.region_id,
        created_by=actor,
        created_at=now,
        updated_at=now,
        status=RecordStatus.DRAFT,
        **model_values(cleaned, modes_field="transfer_modes"),
    )
    achievement.key_industries.set(cleaned["key_industries"])
    _save_ip_items(achievement, [(None, data) for _pk, data in ip])
    audit.record(
        "achievement.create",
        actor=actor,
        target=achievement,
        after=_audit_after(achievement, ACHIEVEMENT_FIELDS) | {"ip_items": _ip_snapshot(achievement)},
        now=now,
    )
    return achievement


@transaction.atomic(durable=True)
def update_achievement(*, actor, achievement_id: int, data: dict, ip_items=None, now) -> Achievement:
    """Change an achievement's content. ``ip_items`` (when given) is the whole IP list: items with
    an ``id`` of this achievement are edited, items without one added, the rest deleted."""
    achievement = lock(Achievement.objects.all(), achievement_id)
    _check_editable(actor, achievement)
    cleaned = _clean(clean_achievement, data)
    ip = _clean_ip_items(ip_items) if ip_items is not None else None
    before = _audit_after(achievement, ACHIEVEMENT_FIELDS) | {"ip_items": _ip_snapshot(achievement)}
    for key, value in model_values(cleaned, modes_field="transfer_modes").items():
        setattr(achievement, key, value)
    achievement.updated_at = now
    achievement.save()
    achievement.key_industries.set(cleaned["key_industries"])
    if ip is not None:
        _save_ip_items(achievement, ip)
    audit.record(
        "achievement.update",
        actor=actor,
        target=achievement,
        before=before,
        after=_audit_after(achievement, ACHIEVEMENT_FIELDS) | {"ip_items": _ip_snapshot(achievement)},
        now=now,
    )
    if achievement.status in PUBLIC:
        sync_after_commit("achievement", achievement.pk)
    return achievement


@transaction.atomic(durable=True)
def create_demand(*, actor, owner_id: int, data: dict, now) -> Demand:
    owner = member_organisation(actor, owner_id, "demand")
    cleaned = _clean(clean_demand, data, as_of=timezone.localdate(now))
    demand = Demand.objects.create(
        owner=owner,
        region_id=owner.region_id,
        created_by=actor,
        created_at=now,
        updated_at=now,
        status=RecordStatus.DRAFT,
        **model_values(cleaned, modes_field="cooperation_modes"),
    )
    demand.key_industries.set(cleaned["key_industries"])
    audit.record(
        "demand.create", actor=actor, target=demand, after=_audit_after(demand, DEMAND_FIELDS), now=now
    )
    return demand


@transaction.atomic(durable=True)
def update_demand(*, actor, demand_id: int, data: dict, now) -> Demand:
    demand = lock(Demand.objects.all(), demand_id)
    _check_editable(actor, demand)
    cleaned = _clean(clean_demand, data, as_of=timezone.localdate(now))
    before = _audit_after(demand, DEMAND_FIELDS)
    for key, value in model_values(cleaned, modes_field="cooperation_modes").items():
        setattr(demand, key, value)
    demand.updated_at = now
    demand.save()
    demand.key_industries.set(cleaned["key_industries"])
    audit.record(
        "demand.update",
        actor=actor,
        target=demand,
        before=before,
        after=_audit_after(demand, DEMAND_FIELDS),
        now=now,
    )
    if demand.status in PUBLIC:
        sync_after_commit("demand", demand.pk)
    return demand


def _check_editable(actor, record) -> None:
    refused = posting.refusal(actor, record.owner, record_kind(record))
    if refused:
        raise PermissionDenied(refused)
    if record.status not in EDITABLE:
        raise InvalidTransition(msg.NOT_EDITABLE, code="not_editable")


def _may_take(actor, record, who: str) -> bool:
    if who == Actor.SCHEDULER:
        return actor is None
    if actor is None or not getattr(actor, "is_authenticated", False):
        return False
    if who == Actor.OWNER:  # submit, resubmit, close: the poster's own moves
        return posting.may_post(actor, record.owner, record_kind(record))
    return scope.covers(actor, record.region_id, Duty.REVIEWER)


@transaction.atomic(durable=True)
def transition(
    *, actor, kind: str, record_id: int, to_status: str, reason: str = "", close_reason: str = "", now
):
    """The one way to move an achievement or a demand through review (see states.py).

    ``actor`` is None only for the scheduler (``expire-demands``). ``close_reason`` (a
    ``DemandCloseReason``) says why an enterprise closes its demand; only a demand's close takes one."""
    model = MODELS.get(kind)
    if model is None:
        raise NotFound(_("记录不存在或已被删除。"))
    record = lock(model.objects.select_related("owner"), record_id)
    allowed = RECORD_TRANSITIONS.get(record.status, {})
    who = allowed.get(to_status)
    if who is None or (who == Actor.SCHEDULER and kind not in EXPIRING_KINDS):
        raise InvalidTransition(
            _("当前状态“%(status)s”不能执行此操作。") % {"status": record.get_status_display()}
        )
    if not _may_take(actor, record, who):
        raise PermissionDenied(msg.NOT_ALLOWED)
    reason = (reason or "").strip()
    if to_status in REASON_REQUIRED and not reason:
        raise ValidationFailed(
            msg.REASON_MISSING, code="reason_required", detail={"reason": [str(msg.REASON_MISSING)]}
        )
    close_reason = (close_reason or "").strip()
    if close_reason and (
        kind != "demand" or to_status != RecordStatus.CLOSED or close_reason not in DemandCloseReason.values
    ):
        raise ValidationFailed(
            msg.CLOSE_REASON_INVALID,
            code="close_reason_invalid",
            detail={"close_reason": [str(msg.CLOSE_REASON_INVALID)]},
        )
    if close_reason == DemandCloseReason.PLATFORM_DEAL and not has_market_deal(record.pk):
        raise ValidationFailed(
            msg.CLOSE_REASON_NO_DEAL,
            code="close_reason_no_deal",
            detail={"close_reason": [str(msg.CLOSE_REASON_NO_DEAL)]},
        )
    today = timezone.localdate(now)
    if to_status == RecordStatus.SUBMITTED:
        if not record.owner.is_verified:
            raise ValidationFailed(msg.ORG_UNVERIFIED, code="organisation_unverified")
        if kind == "demand" and record.deadline and record.deadline < today:
            raise ValidationFailed(
                msg.DEADLINE_PASSED, code="deadline_passed", detail={"deadline": [str(msg.DEADLINE_PASSED)]}
            )
    if to_status == RecordStatus.EXPIRED and not (record.deadline and record.deadline < today):
        raise InvalidTransition(msg.NOT_YET_EXPIRED, code="not_expired")
    fields = STATUS_FIELDS + (["close_reason"] if kind == "demand" else [])
    before = audit.snapshot(record, fields)
    record.status = to_status
    record.status_reason = reason
    record.updated_at = now
    if to_status == RecordStatus.SUBMITTED:
        record.submitted_at = now
    elif to_status == RecordStatus.PUBLISHED:
        record.published_at = now
    elif to_status in (RecordStatus.CLOSED, RecordStatus.EXPIRED):
        record.closed_at = now
    if close_reason:
        record.close_reason = close_reason
    record.save(
        update_fields=[
            "status",
            "status_reason",
            "updated_at",
            "submitted_at",
            "published_at",
            "closed_at",
            *(["close_reason"] if kind == "demand" else []),
        ]
    )
    if close_reason:
        reason = _("关闭原因：%(r)s") % {"r": DemandCloseReason(close_reason).label}
    entry = audit.record(
        f"{kind}.{to_status}",
        actor=actor,
        target=record,
        before=before,
        after=audit.snapshot(record, fields),
        reason=reason,
        actor_name="" if actor is not None else "scheduler",
        now=now,
    )
    todos.record_moved(kind, record, event_key=f"audit:{entry.pk}", now=now)
    if to_status in PUBLIC or before["status"] in PUBLIC:
        sync_after_commit(kind, record.pk, announce=to_status == RecordStatus.PUBLISHED)
    return record


def has_market_deal(demand_id: int) -> bool:
    """Whether the demand was concluded on the platform's market (a deal names it): only then may
    its owner close it as 已通过平台成交解决."""
    from zhouqiao.market.models import Deal

    return Deal.objects.filter(demand_id=demand_id).exists()


def close_reasons(demand) -> list[tuple[str, str]]:
    """The reasons the owner may pick when closing ``demand``."""
    deal = has_market_deal(demand.pk)
    return [
        (v, label) for v, label in DemandCloseReason.choices if deal or v != DemandCloseReason.PLATFORM_DEAL
    ]


def submit(*, actor, kind, record_id, now):
    return transition(actor=actor, kind=kind, record_id=record_id, to_status=RecordStatus.SUBMITTED, now=now)


def publish(*, actor, kind, record_id, now):
    return transition(actor=actor, kind=kind, record_id=record_id, to_status=RecordStatus.PUBLISHED, now=now)


def return_for_changes(*, actor, kind, record_id, reason, now):
    return transition(
        actor=actor, kind=kind, record_id=record_id, to_status=RecordStatus.RETURNED, reason=reason, now=now
    )


def close(*, actor, kind, record_id, now, close_reason: str = ""):
    """The owner closes its record; a demand says why (``DemandCloseReason``), which decides
    whether the indicators count it as met."""
    if kind == "demand" and not (close_reason or "").strip():
        raise ValidationFailed(
            msg.CLOSE_REASON_MISSING,
            code="close_reason_required",
            detail={"close_reason": [str(msg.CLOSE_REASON_MISSING)]},
        )
    return transition(
        actor=actor,
        kind=kind,
        record_id=record_id,
        to_status=RecordStatus.CLOSED,
        close_reason=close_reason,
        now=now,
    )


def expire_demands(*, now) -> int:
    """Expire every published demand whose deadline has passed (run daily by the scheduler). Each
    demand moves in its own transaction, so one busy row does not hold back the rest."""
    due = Demand.objects.filter(status=RecordStatus.PUBLISHED, deadline__lt=timezone.localdate(now))
    count = 0
    for pk in due.order_by("pk").values_list("pk", flat=True):
        try:
            transition(actor=None, kind="demand", record_id=pk, to_status=RecordStatus.EXPIRED, now=now)
        except InvalidTransition:  # closed or changed meanwhile
            continue
        count += 1
    return count


@transaction.atomic(durable=True)
def invite(*, actor, demand_id: int, organisation_id: int, now) -> DemandInvitation:
    """The enterprise invites an organisation to see its demand in full."""
    demand = lock(Demand.objects.select_related("owner"), demand_id)
    refused = posting.refusal(actor, demand.owner, "demand")
    if refused:
        raise PermissionDenied(refused)
    org = Organisation.objects.verified().filter(pk=organisation_id).first()
    if org is None:
        raise ValidationFailed(
            _("只能邀请已认证的机构。"), detail={"organisation": [_("只能邀请已认证的机构。")]}
        )
    if org.pk == demand.owner_id:
        raise ValidationFailed(_("不能邀请本机构。"), detail={"organisation": [_("不能邀请本机构。")]})
    invitation, created = DemandInvitation.objects.get_or_create(
        demand=demand, organisation=org, defaults={"invited_at": now}
    )
    if not created:
        raise ValidationFailed(_("该机构已受邀。"), detail={"organisation": [_("该机构已受邀。")]})
    audit.record("demand.invite", actor=actor, target=demand, after={"organisation": org.pk}, now=now)
    todos.demand_invited(demand, org, now=now)
    return invitation


@transaction.atomic(durable=True)
def uninvite(*, actor, demand_id: int, organisation_id: int, now) -> None:
    demand = lock(Demand.objects.select_related("owner"), demand_id)
    refused = posting.refusal(actor, demand.owner, "demand")
    if refused:
        raise PermissionDenied(refused)
    deleted, _rows = DemandInvitation.objects.filter(demand=demand, organisation_id=organisation_id).delete()
    if not deleted:
        raise NotFound(_("该机构未受邀。"))
    audit.record(
        "demand.uninvite", actor=actor, target=demand, before={"organisation": organisation_id}, now=now
    )


# --- Achievement packages (成果包, 004#17) ------------------------------------------------------

PACKAGE_FIELDS = ["title", "theme", "key_industry_id", "description", "region_id", "status"]


def _package_region(actor, region_code: str) -> Region:
    region = Region.objects.filter(code=region_code).first()
    if region is None:
        raise ValidationFailed(_("发布地区不存在。"), detail={"region": [_("发布地区不存在。")]})
    if not scope.covers(actor, region.code, Duty.REVIEWER):
        raise PermissionDenied(_("该地区不在您的管辖范围内。"))
    return region


def _published_achievements(achievement_ids) -> list[int]:
    ids = list(dict.fromkeys(int(i) for i in achievement_ids or []))
    found = set(
        Achievement.objects.filter(pk__in=ids, status=RecordStatus.PUBLISHED).values_list("pk", flat=True)
    )
    missing = [i for i in ids if i not in found]
    if missing:
        message = _("只能收录已发布的成果（编号 %(ids)s 不符合）。") % {
            "ids": "、".join(map(str, missing[:10]))
        }
        raise ValidationFailed(message, detail={"achievements": [message]})
    return ids


def _clean_package(data: dict) -> dict:
    title = (data.get("title") or "").strip()
    if not title or len(title) > 200:
        raise ValidationFailed(
            _("请填写成果包名称（不超过200字）。"), detail={"title": [_("请填写成果包名称。")]}
        )
    key = data.get("key_industry") or None
    if key and not KeyIndustry.objects.filter(slug=key).exists():
        raise ValidationFailed(_("重点产业不存在。"), detail={"key_industry": [_("重点产业不存在。")]})
    return {
        "title": title,
        "theme": (data.get("theme") or "").strip()[:200],
        "key_industry_id": key,
        "description": (data.get("description") or "").strip(),
    }


@transaction.atomic(durable=True)
def create_package(*, actor, data: dict, achievement_ids=(), now) -> AchievementPackage:
    """A reviewer curates published achievements into a package for their jurisdiction."""
    region = _package_region(actor, data.get("region") or "")
    values = _clean_package(data)
    ids = _published_achievements(achievement_ids)
    package = AchievementPackage.objects.create(region=region, created_by=actor, created_at=now, **values)
    PackageItem.objects.bulk_create(
        PackageItem(package=package, achievement_id=pk, position=n) for n, pk in enumerate(ids)
    )
    audit.record(
        "package.create",
        actor=actor,
        target=package,
        after=audit.snapshot(package, PACKAGE_FIELDS) | {"achievements": ids},
        now=now,
    )
    return package


@transaction.atomic(durable=True)
def update_package(*, actor, package_id: int, data: dict, achievement_ids, now) -> AchievementPackage:
    package = lock(AchievementPackage.objects.all(), package_id)
    if not scope.covers(actor, package.region_id, Duty.REVIEWER):
        raise PermissionDenied(msg.NOT_ALLOWED)
    values = _clean_package(data)
    ids = _published_achievements(achievement_ids)
    before = audit.snapshot(package, PACKAGE_FIELDS) | {
        "achievements": list(package.items.values_list("achievement_id", flat=True))
    }
    for key, value in values.items():
        setattr(package, key, value)
    package.save()
    package.items.all().delete()
    PackageItem.objects.bulk_create(
        PackageItem(package=package, achievement_id=pk, position=n) for n, pk in enumerate(ids)
    )
    audit.record(
        "package.update",
        actor=actor,
        target=package,
        before=before,
        after=audit.snapshot(package, PACKAGE_FIELDS) | {"achievements": ids},
        now=now,
    )
    return package


@transaction.atomic(durable=True)
def transition_package(*, actor, package_id: int, to_status: str, now) -> AchievementPackage:
    package = lock(AchievementPackage.objects.all(), package_id)
    if to_status not in PACKAGE_TRANSITIONS.get(package.status, set()):
        raise InvalidTransition(
            _("当前状态“%(status)s”不能执行此操作。") % {"status": package.get_status_display()}
        )
    if not scope.covers(actor, package.region_id, Duty.REVIEWER):
        raise PermissionDenied(msg.NOT_ALLOWED)
    if (
        to_status == PackageStatus.PUBLISHED
        and not package.items.filter(achievement__status=RecordStatus.PUBLISHED).exists()
    ):
        raise ValidationFailed(_("成果包中至少要有一项已发布的成果。"), code="package_empty")
    before = {"status": package.status}
    package.status = to_status
    if to_status == PackageStatus.PUBLISHED:
        package.published_at = now
    package.save(update_fields=["status", "published_at"])
    audit.record(
        f"package.{to_status}",
        actor=actor,
        target=package,
        before=before,
        after={"status": to_status},
        now=now,
    )
    return package


# --- Attachments ---------------------------------------------------------------------------------


@transaction.atomic(durable=True)
def add_attachment(*, actor, kind: str, record_id: int, upload, now) -> Attachment:
    """Attach a checked file (PDF, Office, image) to a draft or returned record of one's own."""
    model = MODELS.get(kind)
    if model is None:
        raise NotFound(_("记录不存在或已被删除。"))
    record = lock(model.objects.select_related("owner"), record_id)
    _check_editable(actor, record)
    ext, content_type = files.check_attachment(upload)
    if record.attachments.count() >= MAX_ATTACHMENTS:
        raise ValidationFailed(_("每条记录最多上传 %(n)s 个附件。") % {"n": MAX_ATTACHMENTS}, code="too_many")
    stored, size, digest = files.store(upload, "attachments", ext)
    try:
        attachment = Attachment.objects.create(
            **{kind: record},
            original_name=files.safe_display_name(upload.name),
            stored_name=stored,
            content_type=content_type,
            size=size,
            sha256=digest,
            uploaded_by=actor,
            uploaded_at=now,
        )
        audit.record(
            f"{kind}.attach",
            actor=actor,
            target=record,
            after={"attachment": attachment.pk, "name": attachment.original_name, "sha256": digest},
            now=now,
        )
    except Exception:
        files.discard("attachments", stored)
        raise
    return attachment


@transaction.atomic(durable=True)
def remove_attachment(*, actor, attachment_id: int, now) -> None:
    attachment = lock(Attachment.objects.select_related("achievement__owner", "demand__owner"), attachment_id)
    record = attachment.record
    _check_editable(actor, record)
    stored = attachment.stored_name
    audit.record(
        f"{record_kind(record)}.detach",
        actor=actor,
        target=record,
        before={"attachment": attachment.pk, "name": attachment.original_name},
        now=now,
    )
    attachment.delete()
    transaction.on_commit(lambda: files.discard("attachments", stored))
