import pytest

from tests.catalog.conftest import NOW
from zhouqiao.accounts.demo import create_demo_accounts
from zhouqiao.catalog import access
from zhouqiao.catalog.demo import create_demo_data
from zhouqiao.catalog.models import Achievement, AchievementPackage, Demand
from zhouqiao.catalog.states import RecordStatus

pytestmark = pytest.mark.django_db


def test_demo_data_is_varied_mostly_published_and_idempotent(reference):
    create_demo_accounts(now=NOW)
    counts = create_demo_data(now=NOW)
    # 300 + 100 generated, and one of each waiting for the 德惠市 reviewer
    assert counts["achievements"] == 301 and counts["demands"] == 101 and counts["packages"] >= 2
    for model in (Achievement, Demand):
        assert model.objects.filter(status=RecordStatus.SUBMITTED, region_id="220183").count() == 1
    assert create_demo_data(now=NOW) == {"achievements": 0, "demands": 0, "packages": 0}
    achievements = Achievement.objects.all()
    assert achievements.filter(status=RecordStatus.PUBLISHED).count() > 250
    assert achievements.filter(status=RecordStatus.SUBMITTED, region__code__startswith="2201").exists()
    assert len(set(achievements.values_list("title", flat=True))) > 250
    assert set(achievements.values_list("readiness", flat=True)) >= {3, 5, 7, 9}
    assert {k for a in achievements for k in a.key_industries.values_list("slug", flat=True)} >= {
        "automotive",
        "ai",
    }
    assert Demand.objects.filter(confidentiality="summary").exists()
    secret = Demand.objects.get(confidentiality="invited")
    assert access.demand_fields(None, secret) is None
    assert AchievementPackage.objects.filter(status="published").exists()
    assert all(a.is_sample for a in achievements)
