"""The talent database (人才资源库, 003 #28) on the expert registry: search by the 双融 posts of
001 #17 and availability, and the staff's counts by field and region."""

from __future__ import annotations

from collections import Counter

from django.db.models import Q

from zhouqiao.accounts import scope
from zhouqiao.community import selectors
from zhouqiao.community.models import Expert, ExpertStatus, TalentAvailability
from zhouqiao.core.models import Discipline, Region

POST_FILTERS = {
    "vice_president": Q(vice_president=True),
    "industry_professor": Q(industry_professor=True),
}


def search(*, post: str = "", availability: str = "", category: str = "", **filters):
    """The public talent list: approved people, never those who said 暂不对接 unless asked for."""
    rows = selectors.search(**filters)
    if post in POST_FILTERS:
        rows = rows.filter(POST_FILTERS[post])
    if availability in TalentAvailability.values:
        rows = rows.filter(availability=availability)
    else:
        rows = rows.exclude(availability=TalentAvailability.CLOSED)
    if category:
        rows = rows.filter(category=category)
    return rows


def may_see_stats(user) -> bool:
    return scope.is_business_staff(user) or scope.has_duty(user, "program_officer")


def _city_of(code: str) -> str:
    return code[:4] + "00"


def counts(user) -> dict:
    """Approved people in the user's jurisdictions, counted by discipline (top level) and by city,
    with the 双融 marks beside each: one query for the people, one for their disciplines."""
    mine = scope.region_q(user, "region") | scope.region_q(user, "region", "program_officer")
    people = list(
        Expert.objects.filter(mine, status=ExpertStatus.APPROVED).values_list(
            "pk", "region_id", "vice_president", "industry_professor", "availability"
        )
    )
    ids = [p[0] for p in people]
    marks = {p[0]: p for p in people}
    field_rows = Expert.disciplines.through.objects.filter(expert_id__in=ids).values_list(
        "expert_id", "discipline_id"
    )
    by_field: dict[str, Counter] = {}
    for expert_id, top in sorted({(e, code[:3]) for e, code in field_rows}):
        c = by_field.setdefault(top, Counter())
        c["people"] += 1
        c["vice_president"] += int(marks[expert_id][2])
        c["industry_professor"] += int(marks[expert_id][3])
    by_region: dict[str, Counter] = {}
    for _pk, region, vp, ip, availability in people:
        c = by_region.setdefault(_city_of(region), Counter())
        c["people"] += 1
        c["vice_president"] += int(vp)
        c["industry_professor"] += int(ip)
        c["open"] += int(availability != TalentAvailability.CLOSED)
    names = dict(Discipline.objects.filter(code__in=list(by_field)).values_list("code", "name"))
    regions = dict(Region.objects.filter(code__in=list(by_region)).values_list("code", "name"))
    return {
        "total": len(people),
        "by_field": sorted(
            ({"code": k, "name": names.get(k, k), **v} for k, v in by_field.items()),
            key=lambda r: (-r["people"], r["code"]),
        ),
        "by_region": sorted(
            ({"code": k, "name": regions.get(k, k), **v} for k, v in by_region.items()),
            key=lambda r: r["code"],
        ),
    }
