"""Who may see which achievement and demand, and which of its fields — the one place for it.

Pages, the API and exports (and later search snippets and notifications) all go through
:func:`achievement_fields` / :func:`demand_fields`, which return only what the viewer may see, and
the querysets through :func:`achievement_q` / :func:`demand_q`. Built on ``accounts.scope``.

Rules (decisions where the issue was silent are marked *):
- Published records are public. Drafts are seen only by the owner's members; submitted, returned,
  closed and expired ones also by reviewers whose jurisdiction covers the record's region.
- A demand's confidentiality: ``public`` — everything; ``summary`` — title, summary, classification,
  budget, deadline and modes for everyone, the details (problem, indicators, current approach,
  contact, attachments) only for members of verified organisations; ``invited`` — the demand is not
  listed at all except to the organisations the enterprise invited (*and the owner and reviewers).
- Contact phone and e-mail of an achievement are masked for anonymous visitors and people without a
  verified organisation (*verified buyers need to reach the seller, so they see them in full).
"""

import functools
from dataclasses import dataclass, field

from django.db.models import Q

from zhouqiao.accounts import scope
from zhouqiao.accounts.masking import mask_phone
from zhouqiao.accounts.models import Duty, Membership
from zhouqiao.accounts.states import VerificationStatus
from zhouqiao.catalog.models import Confidentiality, DemandInvitation, mode_labels
from zhouqiao.catalog.states import RecordStatus

FULL, SUMMARY, NONE = "full", "summary", "none"


@dataclass
class Viewer:
    user: object = None
    org_ids: set = field(default_factory=set)
    verified_org_ids: set = field(default_factory=set)

    @property
    def authenticated(self) -> bool:
        return bool(self.user is not None and getattr(self.user, "is_authenticated", False))

    @property
    def is_verified(self) -> bool:
        return bool(self.verified_org_ids)

    def reviews(self, region_code: str) -> bool:
        return self.authenticated and scope.covers(self.user, region_code, Duty.REVIEWER)

    def owns(self, record) -> bool:
        return record.owner_id in self.org_ids


def viewer_of(user) -> Viewer:
    """The viewer's organisations, computed once and kept on the user object for the request."""
    if user is None or not getattr(user, "is_authenticated", False):
        return Viewer(user=user)
    cached = getattr(user, "_zq_catalog_viewer", None)
    if cached is None:
        rows = Membership.objects.filter(user=user).values_list("organisation_id", "organisation__status")
        cached = Viewer(
            user=user,
            org_ids={org for org, _status in rows},
            verified_org_ids={org for org, status in rows if status == VerificationStatus.VERIFIED},
        )
        user._zq_catalog_viewer = cached
    return cached


def _review_q(user) -> Q:
    return scope.region_q(user, "region", Duty.REVIEWER) & ~Q(status=RecordStatus.DRAFT)


def achievement_q(user) -> Q:
    viewer = viewer_of(user)
    query = Q(status=RecordStatus.PUBLISHED)
    if viewer.org_ids:
        query |= Q(owner_id__in=viewer.org_ids)
    return query | _review_q(user)


def demand_q(user) -> Q:
    viewer = viewer_of(user)
    query = Q(status=RecordStatus.PUBLISHED) & ~Q(confidentiality=Confidentiality.INVITED)
    if viewer.org_ids:
        query |= Q(owner_id__in=viewer.org_ids)
        query |= Q(
            status=RecordStatus.PUBLISHED,
            confidentiality=Confidentiality.INVITED,
            pk__in=DemandInvitation.objects.filter(organisation_id__in=viewer.org_ids).values("demand_id"),
        )
    return query | _review_q(user)


def _may_see(viewer: Viewer, status: str, owner_id, region_code: str) -> bool:
    if status == RecordStatus.PUBLISHED or owner_id in viewer.org_ids:
        return True
    return status != RecordStatus.DRAFT and viewer.reviews(region_code)


def may_see_achievement(user, achievement) -> bool:
    return _may_see(viewer_of(user), achievement.status, achievement.owner_id, achievement.region_id)


def _is_invited(viewer: Viewer, demand) -> bool:
    if not viewer.org_ids:
        return False
    if "invitations" in getattr(demand, "_prefetched_objects_cache", {}):  # a list page fetched them
        return any(i.organisation_id in viewer.org_ids for i in demand.invitations.all())
    return demand.invitations.filter(organisation_id__in=viewer.org_ids).exists()


def demand_access(user, demand) -> str:
    """``full``, ``summary`` or ``none``: how much of this demand the user may see."""
    viewer = viewer_of(user)
    if viewer.owns(demand):
        return FULL
    if demand.status != RecordStatus.DRAFT and viewer.reviews(demand.region_id):
        return FULL
    if demand.status != RecordStatus.PUBLISHED:
        return NONE
    if demand.confidentiality == Confidentiality.PUBLIC:
        return FULL
    if demand.confidentiality == Confidentiality.SUMMARY:
        return FULL if viewer.is_verified else SUMMARY
    return FULL if _is_invited(viewer, demand) else NONE


def contact_unmasked(user, record) -> bool:
    viewer = viewer_of(user)
    return viewer.owns(record) or viewer.is_verified or viewer.reviews(record.region_id)


def mask_email(value: str) -> str:
    if not value or "@" not in value:
        return "*" * len(value or "")
    name, domain = value.split("@", 1)
    return f"{name[:1]}***@{domain}"


@functools.cache
def _labels(field) -> dict:
    """A field's choices by value, their labels still lazy (translated when shown)."""
    return dict(field.flatchoices)


def _display(record, name: str) -> str:
    """``record.get_<name>_display()`` without translating every label of the field's choices on
    each call (Django's hashes them all; a list page asks for several labels a row)."""
    field = record._meta.get_field(name)
    value = getattr(record, field.attname)
    label = _labels(field).get(value)
    return value if label is None else str(label)


def _common(record, user) -> dict:
    return {
        "id": record.pk,
        "title": record.title,
        "status": record.status,
        "status_display": _display(record, "status"),
        "owner_id": record.owner_id,
        "owner_name": record.owner.name,
        "region_code": record.region_id,
        "region_name": record.region.name,
        "industry_code": record.industry_id or "",
        "industry_name": record.industry.name if record.industry_id else "",
        "key_industries": [k.name for k in record.key_industries.all()],
        "keywords": record.keyword_list,
        "published_at": record.published_at,
        "is_sample": record.is_sample,
    }


def _contact(record, user) -> dict:
    if contact_unmasked(user, record):
        return {
            "contact_name": record.contact_name,
            "contact_phone": record.contact_phone,
            "contact_email": record.contact_email,
        }
    return {
        "contact_name": record.contact_name,
        "contact_phone": mask_phone(record.contact_phone),
        "contact_email": mask_email(record.contact_email),
    }


def _insider(record, user) -> bool:
    viewer = viewer_of(user)
    return viewer.owns(record) or (record.status != RecordStatus.DRAFT and viewer.reviews(record.region_id))


def achievement_fields(user, achievement, *, files: bool = True) -> dict:
    """Everything about an achievement that ``user`` may see; None if they may not see it.
    ``files=False`` (a list page) leaves out its IP items and attachments, which a row does not show."""
    if not may_see_achievement(user, achievement):
        return None
    a = achievement
    data = (
        _common(a, user)
        | _contact(a, user)
        | {
            "abstract": a.abstract,
            "problem": a.problem,
            "advantages": a.advantages,
            "scenarios": a.scenarios,
            "economics": a.economics,
            "readiness": a.readiness,
            "readiness_display": _display(a, "readiness"),
            "patent_class": a.patent_class_id or "",
            "discipline": a.discipline_id or "",
            "discipline_name": a.discipline.name if a.discipline_id else "",
            "transfer_modes": [m for m in a.transfer_modes.split(",") if m],
            "transfer_mode_labels": a.mode_labels,
            "price_kind": a.price_kind,
            "price_kind_display": _display(a, "price_kind"),
            "price_min": a.price_min,
            "price_max": a.price_max,
            "team": a.team,
            "status_reason": a.status_reason if _insider(a, user) else "",
        }
    )
    if files:
        data |= {
            "ip_items": [
                {
                    "kind": ip.kind,
                    "kind_display": _display(ip, "kind"),
                    "number": ip.number,
                    "status": ip.status,
                    "status_display": _display(ip, "status"),
                    "filed_on": ip.filed_on,
                    "granted_on": ip.granted_on,
                }
                for ip in a.ip_items.all()
            ],
            "attachments": [
                {"id": f.pk, "name": f.original_name, "size": f.size} for f in a.attachments.all()
            ],
        }
    return data


# What a list row of achievements shows, read as values (``QuerySet.values(*ACHIEVEMENT_ROW_COLUMNS)``):
# no model instances, no related rows beyond the owner's and the region's names, none of the long
# texts. :func:`achievement_row` turns one into the row's fields.
ACHIEVEMENT_ROW_COLUMNS = (
    "id",
    "title",
    "status",
    "owner_id",
    "owner__name",
    "region_id",
    "region__name",
    "readiness",
    "transfer_modes",
    "price_kind",
    "price_min",
    "price_max",
    "is_sample",
    "published_at",
)


def achievement_row(user, row: dict) -> dict | None:
    """A list row: the summary of one achievement from its ``ACHIEVEMENT_ROW_COLUMNS`` values, under
    the same keys and with the same values as :func:`achievement_fields` (none of them restricted);
    None if ``user`` may not see it."""
    if not _may_see(viewer_of(user), row["status"], row["owner_id"], row["region_id"]):
        return None
    return {
        "id": row["id"],
        "title": row["title"],
        "status": row["status"],
        "owner_id": row["owner_id"],
        "owner_name": row["owner__name"],
        "region_code": row["region_id"],
        "region_name": row["region__name"],
        "readiness": row["readiness"],
        "transfer_modes": [m for m in row["transfer_modes"].split(",") if m],
        "transfer_mode_labels": mode_labels(row["transfer_modes"]),
        "price_kind": row["price_kind"],
        "price_min": row["price_min"],
        "price_max": row["price_max"],
        "is_sample": row["is_sample"],
        "published_at": row["published_at"],
    }


DEMAND_SUMMARY_FIELDS = [
    "id",
    "title",
    "status",
    "status_display",
    "owner_id",
    "owner_name",
    "region_code",
    "region_name",
    "industry_code",
    "industry_name",
    "key_industries",
    "keywords",
    "published_at",
    "is_sample",
    "summary",
    "budget_min",
    "budget_max",
    "deadline",
    "cooperation_modes",
    "cooperation_mode_labels",
    "confidentiality",
    "confidentiality_display",
    "access",
]
DEMAND_DETAIL_FIELDS = [
    "problem",
    "indicators",
    "current_approach",
    "contact_name",
    "contact_phone",
    "contact_email",
    "attachments",
    "status_reason",
]


def demand_fields(user, demand, *, files: bool = True) -> dict | None:
    """The fields of ``demand`` that ``user`` may see; the detail fields are absent (not merely
    empty) below full access, so no renderer can leak them. None if the demand is hidden.
    ``files=False`` (a list page) leaves out its attachments, which a row does not show."""
    access = demand_access(user, demand)
    if access == NONE:
        return None
    d = demand
    data = _common(d, user) | {
        "summary": d.summary,
        "budget_min": d.budget_min,
        "budget_max": d.budget_max,
        "deadline": d.deadline,
        "cooperation_modes": [m for m in d.cooperation_modes.split(",") if m],
        "cooperation_mode_labels": mode_labels(d.cooperation_modes),
        "confidentiality": d.confidentiality,
        "confidentiality_display": _display(d, "confidentiality"),
        "access": access,
    }
    if access == FULL:
        data |= _contact(d, user) | {
            "problem": d.problem,
            "indicators": d.indicators,
            "current_approach": d.current_approach,
            "status_reason": d.status_reason if _insider(d, user) else "",
        }
        if files:
            data["attachments"] = [
                {"id": f.pk, "name": f.original_name, "size": f.size} for f in d.attachments.all()
            ]
    return data


def may_see_attachment(user, attachment) -> bool:
    if attachment.achievement_id:
        return may_see_achievement(user, attachment.achievement)
    return demand_access(user, attachment.demand) == FULL


def may_edit(user, record) -> bool:
    """The poster's own moves (edit, submit, close, attach, invite): a member of the owner who may
    post such records for it (:mod:`zhouqiao.catalog.posting`; no administrator, no bureau)."""
    from zhouqiao.catalog import posting
    from zhouqiao.catalog.models import Achievement

    kind = posting.ACHIEVEMENT if isinstance(record, Achievement) else posting.DEMAND
    return viewer_of(user).owns(record) and posting.may_post(user, record.owner, kind)


def may_review(user, record) -> bool:
    return viewer_of(user).reviews(record.region_id)
