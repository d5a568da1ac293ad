"""Events fixtures: a matchmaking fair published by the Changchun bureau, participants with
published achievements and demands."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from tests.factories import OrganisationFactory, member_of
from zhouqiao.catalog.models import Achievement, Demand, PriceKind
from zhouqiao.catalog.states import RecordStatus
from zhouqiao.community.events import services

NOW = datetime(2026, 12, 1, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
START = datetime(2026, 12, 10, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def event_data(**overrides) -> dict:
    data = {
        "title": "长春市汽车零部件技术供需对接会",
        "kind": "matchmaking",
        "agenda": "09:00 开幕\n09:30 一对一洽谈",
        "place": "长春科技大市场",
        "starts_at": START,
        "ends_at": START + timedelta(hours=4),
        "registration_deadline": START - timedelta(days=2),
        "capacity": 10,
        "audience": "企业、高校院所",
        "meeting_start": START + timedelta(minutes=30),
        "slot_count": 3,
        "slot_minutes": 20,
        "tables": 2,
    }
    data.update(overrides)
    return data


def make_achievement(owner, title="高强度钢激光焊接工艺") -> Achievement:
    return Achievement.objects.create(
        owner=owner,
        region_id=owner.region_id,
        title=title,
        abstract="示例",
        readiness=6,
        transfer_modes=",transfer,",
        price_kind=PriceKind.NEGOTIABLE,
        status=RecordStatus.PUBLISHED,
        created_at=NOW,
        updated_at=NOW,
        published_at=NOW,
    )


def make_demand(owner, title="轻量化车身连接技术需求") -> Demand:
    return Demand.objects.create(
        owner=owner,
        region_id=owner.region_id,
        title=title,
        summary="示例",
        problem="示例",
        cooperation_modes=",transfer,",
        status=RecordStatus.PUBLISHED,
        created_at=NOW,
        updated_at=NOW,
        published_at=NOW,
    )


@pytest.fixture
def fair(city_staff):
    return services.publish_event(actor=city_staff, data=event_data(), region_code="220100", now=NOW)


def approved(event, user, organiser, org=None):
    r = services.register(actor=user, event_id=event.pk, organisation_id=org.pk if org else None, now=NOW)
    return services.decide_registration(actor=organiser, registration_id=r.pk, approve=True, now=NOW)


@pytest.fixture
def participants(fair, city_staff, enterprise, enterprise_user, university, university_user):
    third = OrganisationFactory(name="长春测试研究所", kind="institute", region_id="220173")
    third_user = member_of(third, username="inst_admin")
    regs = {
        "ent": approved(fair, enterprise_user, city_staff),
        "uni": approved(fair, university_user, city_staff),
        "inst": approved(fair, third_user, city_staff),
    }
    return regs, {"ent": enterprise_user, "uni": university_user, "inst": third_user}
