"""The exchange demo: the five seed documents and notices of the province, cities and a county (one
scheduled), an answered policy question; safe to re-run."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from zhouqiao.accounts.demo import create_demo_accounts
from zhouqiao.community.exchange import demo, rules
from zhouqiao.community.exchange.models import Notice, Question

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 12, 7, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def test_demo_notices_and_questions(reference):
    create_demo_accounts(now=NOW)
    assert demo.create_demo_data(now=NOW) == {"notices": 11, "questions": 1}  # no catalog loaded here
    assert set(Notice.objects.filter(kind="policy").values_list("seed", flat=True)) == {
        "000",
        "001",
        "002",
        "003",
        "004",
    }
    assert set(Notice.objects.values_list("region_id", flat=True)) >= {"220000", "220100", "220200", "220183"}
    assert rules.published_notices(NOW).count() == 10  # one is scheduled for next week
    assert Question.objects.get().status == "answered"
    assert demo.create_demo_data(now=NOW) == {"notices": 0, "questions": 0}
