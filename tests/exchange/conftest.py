"""Exchange fixtures: a published achievement of the university, its owner, an asker, staff."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from tests.factories import staff_in
from zhouqiao.accounts.models import Duty
from zhouqiao.catalog.models import Achievement, PriceKind
from zhouqiao.catalog.states import RecordStatus

NOW = datetime(2026, 12, 7, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def make_achievement(owner, *, status=RecordStatus.PUBLISHED, title="车规级碳化硅功率模块低温银烧结封装技术"):
    return Achievement.objects.create(
        owner=owner,
        region_id=owner.region_id,
        title=title,
        abstract="纳米银膏低温烧结封装。",
        readiness=6,
        transfer_modes=",transfer,licence,",
        price_kind=PriceKind.NEGOTIABLE,
        status=status,
        created_at=NOW,
        updated_at=NOW,
        published_at=NOW if status == RecordStatus.PUBLISHED else None,
    )


@pytest.fixture
def now():
    return NOW


@pytest.fixture
def achievement(university, university_user):
    return make_achievement(university)


@pytest.fixture
def asker(enterprise_user):
    return enterprise_user


@pytest.fixture
def registrar(reference):
    """City staff without the reviewer duty: may answer as the bureau, may not moderate."""
    return staff_in("220100", Duty.REGISTRAR, username="cc_registrar")
