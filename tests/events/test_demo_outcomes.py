"""The demo fair's recorded outcomes read as one story: each 结果说明 agrees with its 洽谈结果
(a walk found "暂无合作意向：示例：约定会后交换技术资料")."""

import pytest

from zhouqiao.accounts.demo import create_demo_accounts
from zhouqiao.community.events.demo import create_demo_data
from zhouqiao.community.events.models import Meeting
from zhouqiao.core import clock

pytestmark = pytest.mark.django_db

AGREEING = {"agreement": "约定", "follow_up": "进一步", "no_interest": "暂不"}


def test_each_demo_outcome_note_matches_its_outcome():
    now = clock.now()
    create_demo_accounts(now=now)
    create_demo_data(now=now)
    recorded = list(Meeting.objects.exclude(outcome="").values_list("outcome", "outcome_note"))
    assert {outcome for outcome, _note in recorded} >= {"agreement", "follow_up", "no_interest"}
    for outcome, note in recorded:
        assert AGREEING[outcome] in note, (outcome, note)
    no_interest = [note for outcome, note in recorded if outcome == "no_interest"]
    assert all("交换技术资料" not in note for note in no_interest)
