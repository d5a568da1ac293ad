"""Catalog fixtures: valid input for an achievement and a demand, and records in any status."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from zhouqiao.catalog import services
from zhouqiao.catalog.states import RecordStatus

NOW = datetime(2026, 3, 2, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def achievement_data(**overrides) -> dict:
    data = {
        "title": "车规级碳化硅功率模块低温银烧结封装技术",
        "abstract": "采用纳米银膏低温烧结替代传统焊料，模块热阻降低约30%。",
        "problem": "传统焊料封装在高温循环下易开裂。",
        "advantages": "烧结层熔点高，功率循环寿命提高3倍以上。",
        "scenarios": "新能源汽车电驱、光伏逆变器。",
        "economics": "单模块封装成本与进口方案相比降低约40%。",
        "readiness": "6",
        "industry": "3670",
        "patent_class": "B60L 15/00",
        "key_industries": ["automotive", "new-energy"],
        "keywords": "碳化硅、功率模块、银烧结",
        "transfer_modes": ["licence", "joint_development"],
        "price_kind": "range",
        "price_min": "500000",
        "price_max": "1200000",
        "team": "张教授团队",
        "contact_name": "李老师",
        "contact_phone": "13804311234",
        "contact_email": "li@example.cn",
    }
    data.update(overrides)
    return data


def demand_data(**overrides) -> dict:
    data = {
        "title": "铝合金副车架焊接变形控制",
        "summary": "寻求控制大型铝合金结构件焊接变形的工艺方案。",
        "problem": "副车架焊后变形超差，返修率高达12%，需要在不增加工序的前提下控制变形。",
        "indicators": "焊后平面度≤0.5mm；节拍≤90秒/件。",
        "current_approach": "人工火焰矫形。",
        "budget_min": "300000",
        "budget_max": "800000",
        "deadline": "2026-12-31",
        "cooperation_modes": ["joint_development"],
        "confidentiality": "public",
        "industry": "3670",
        "key_industries": ["automotive"],
        "keywords": "铝合金、焊接变形",
        "contact_name": "王工",
        "contact_phone": "13904315678",
        "contact_email": "wang@example.cn",
    }
    data.update(overrides)
    return data


def walk_to(kind, record, status, *, owner_user, reviewer, now=NOW):
    """Move a fresh draft along the happy path to ``status`` (returned/closed/expired included)."""
    path = {
        RecordStatus.DRAFT: [],
        RecordStatus.SUBMITTED: [RecordStatus.SUBMITTED],
        RecordStatus.RETURNED: [RecordStatus.SUBMITTED, RecordStatus.RETURNED],
        RecordStatus.PUBLISHED: [RecordStatus.SUBMITTED, RecordStatus.PUBLISHED],
        RecordStatus.CLOSED: [RecordStatus.SUBMITTED, RecordStatus.PUBLISHED, RecordStatus.CLOSED],
        RecordStatus.EXPIRED: [RecordStatus.SUBMITTED, RecordStatus.PUBLISHED, RecordStatus.EXPIRED],
    }[status]
    for step in path:
        actor = {
            RecordStatus.SUBMITTED: owner_user,
            RecordStatus.CLOSED: owner_user,
            RecordStatus.EXPIRED: None,
        }.get(step, reviewer)
        at = now
        if step == RecordStatus.EXPIRED:
            at = datetime(2027, 1, 5, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
        services.transition(
            actor=actor,
            kind=kind,
            record_id=record.pk,
            to_status=step,
            reason="材料不全" if step == RecordStatus.RETURNED else "",
            now=at,
        )
    record.refresh_from_db()
    return record


@pytest.fixture
def make_achievement(university, university_user):
    def make(status=RecordStatus.DRAFT, reviewer=None, **overrides):
        a = services.create_achievement(
            actor=university_user, owner_id=university.pk, data=achievement_data(**overrides), now=NOW
        )
        return walk_to("achievement", a, status, owner_user=university_user, reviewer=reviewer)

    return make


@pytest.fixture
def make_demand(enterprise, enterprise_user):
    def make(status=RecordStatus.DRAFT, reviewer=None, **overrides):
        d = services.create_demand(
            actor=enterprise_user, owner_id=enterprise.pk, data=demand_data(**overrides), now=NOW
        )
        return walk_to("demand", d, status, owner_user=enterprise_user, reviewer=reviewer)

    return make


TODAY = date(2026, 3, 2)
