"""The demo's patent documents: a valid import file, and what 查新 of a demo achievement's
subject finds among them."""

import pytest

from tests.search.conftest import NOW
from zhouqiao.search import demo, novelty, patents
from zhouqiao.search.models import PatentRecord

pytestmark = pytest.mark.django_db


def test_the_demo_patents_import_and_a_check_finds_the_related_one(reference):
    assert len(patents.parse(demo.DEMO_PATENTS.encode())) == 10
    demo.create_demo_data(now=NOW)
    demo.create_demo_data(now=NOW)  # the demo may run again: the patents are upserted, not doubled
    assert PatentRecord.objects.count() == 10
    check = novelty.check(
        novelty.pasted("车规级碳化硅功率模块低温银烧结封装", "纳米银膏低温烧结连接碳化硅芯片，降低热阻。"),
        now=NOW,
    )
    assert check.results[0].document.kind == "patent"
    assert check.results[0].document.keywords == "CN114361207A"
    assert "碳化硅" in check.results[0].overlap
