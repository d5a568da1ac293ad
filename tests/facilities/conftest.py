"""Instrument sharing fixtures: an institute's instrument with filed prices, an enterprise booker."""

from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone

from tests.factories import OrganisationFactory, member_of
from zhouqiao.facilities import services


@pytest.fixture
def now():
    return timezone.now()


def monday_at(hour: int, weeks_ahead: int = 1) -> datetime:
    """A Monday at least a few days ahead, at ``hour`` local time."""
    today = timezone.localdate()
    monday = today + timedelta(days=7 * weeks_ahead - today.weekday())
    return datetime.combine(monday, time(hour), tzinfo=timezone.get_current_timezone())


@pytest.fixture
def institute(reference):
    return OrganisationFactory(
        name="测试光学精密机械研究所", kind="institute", region_id="220173", contact_phone="13500000001"
    )


@pytest.fixture
def institute_user(institute):
    return member_of(institute, username="inst_admin")


PRICES = [
    {"group": "external", "unit": "hour", "unit_price": "500", "step_after": 4, "step_price": "400"},
    {"group": "enterprise", "unit": "hour", "unit_price": "600", "step_after": 4, "step_price": "450"},
    {"group": "internal", "unit": "hour", "unit_price": "200"},
    {"group": "external", "unit": "sample", "unit_price": "80"},
]


@pytest.fixture
def instrument(institute, institute_user, now):
    return services.register_instrument(
        actor=institute_user,
        owner_id=institute.pk,
        now=now,
        prices=PRICES,
        data={
            "name": "场发射扫描电子显微镜",
            "model_number": "JSM-7610F",
            "category": "analytical",
            "location": "长春市东南湖大路3888号 光机所分析测试中心",
            "value": "3200000",
            "funding_source": "public",
            "capabilities": "形貌观察、能谱分析",
            "open_from": 8,
            "open_until": 17,
            "open_weekdays": "12345",
        },
    )
