"""Reads of the expert registry: the public list with its filters, and what each viewer may see."""

from __future__ import annotations

from django.db.models import Q

from zhouqiao.accounts import scope
from zhouqiao.accounts.masking import mask_phone
from zhouqiao.accounts.models import Duty
from zhouqiao.catalog.access import mask_email
from zhouqiao.community.models import Expert, ExpertStatus


def public_experts():
    """Experts anyone may find: approved (a suspended or pending expert is not listed)."""
    return Expert.objects.filter(status=ExpertStatus.APPROVED)


def search(*, discipline: str = "", industry: str = "", region: str = "", q: str = "", available=None):
    """The public list filtered: a discipline or industry code matches itself and everything under
    it (460 finds 4602515), a region its subtree, ``q`` the name, keywords, profile or organisation."""
    rows = public_experts()
    if discipline:
        rows = rows.filter(disciplines__code__startswith=discipline)
    if industry:
        rows = rows.filter(industries__code__startswith=industry)
    if region:
        rows = rows.filter(region__code__startswith=_region_prefix(region))
    for word in (q or "").split()[:5]:
        rows = rows.filter(
            Q(name__icontains=word)
            | Q(keywords__icontains=word)
            | Q(profile__icontains=word)
            | Q(title__icontains=word)
            | Q(organisation__name__icontains=word)
        )
    if available is not None:
        rows = rows.filter(available=available)
    return (
        rows.distinct().select_related("organisation", "region").prefetch_related("disciplines", "industries")
    )


def _region_prefix(code: str) -> str:
    if code.endswith("0000"):
        return code[:2]
    if code.endswith("00"):
        return code[:4]
    return code


def may_see_contacts(user, expert: Expert) -> bool:
    """The expert themself, and program officers whose jurisdiction covers the expert."""
    if not getattr(user, "is_authenticated", False):
        return False
    if expert.user_id is not None and expert.user_id == user.pk:
        return True
    return scope.covers(user, expert.region_id, Duty.PROGRAM_OFFICER) or scope.covers(
        user, expert.jurisdiction_id, Duty.PROGRAM_OFFICER
    )


def may_see(user, expert: Expert) -> bool:
    """Approved experts are public; other statuses only to the person and the officers."""
    return expert.status == ExpertStatus.APPROVED or may_see_contacts(user, expert)


def contacts(user, expert: Expert) -> dict[str, str]:
    if may_see_contacts(user, expert):
        return {"phone": expert.phone, "email": expert.email, "masked": False}
    return {"phone": mask_phone(expert.phone), "email": mask_email(expert.email), "masked": True}


def staff_queue(user):
    """Applications and suspended experts within the officer's jurisdictions."""
    if not scope.has_duty(user, Duty.PROGRAM_OFFICER):
        return Expert.objects.none()
    mine = scope.region_q(user, "region", Duty.PROGRAM_OFFICER) | scope.region_q(
        user, "jurisdiction", Duty.PROGRAM_OFFICER
    )
    return Expert.objects.filter(mine).select_related("organisation", "region")
