"""Helpers for the community tests: experts in any status, made directly (services are tested on their own)."""

from datetime import datetime
from zoneinfo import ZoneInfo

from tests.factories import OrganisationFactory
from zhouqiao.community.models import Expert, ExpertConflict, ExpertStatus

NOW = datetime(2026, 12, 7, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def make_expert(
    organisation=None,
    *,
    name="张明",
    status=ExpertStatus.APPROVED,
    disciplines=(),
    industries=(),
    keywords="",
    profile="",
    title="教授",
    region="220102",
    available=True,
    user=None,
    conflicts=(),
    **extra,
) -> Expert:
    organisation = organisation or OrganisationFactory(kind="university", region_id=region)
    expert = Expert.objects.create(
        user=user,
        name=name,
        organisation=organisation,
        title=title,
        keywords=keywords,
        profile=profile,
        region_id=region,
        jurisdiction_id=extra.pop("jurisdiction", "220000"),
        phone=extra.pop("phone", "13912345678"),
        email=extra.pop("email", "expert@example.cn"),
        available=available,
        status=status,
        created_at=NOW,
        approved_at=NOW if status == ExpertStatus.APPROVED else None,
        **extra,
    )
    expert.disciplines.set(disciplines)
    expert.industries.set(industries)
    for conflict in conflicts:
        if isinstance(conflict, str):
            ExpertConflict.objects.create(expert=expert, person_name=conflict)
        else:
            ExpertConflict.objects.create(expert=expert, organisation=conflict)
    return expert
