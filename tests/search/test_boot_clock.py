"""Did-you-mean right after start-up: ``time.monotonic()`` starts at an unspecified point (on Linux
the machine's boot), so a process started a minute after boot must still load its vocabulary."""

import importlib.util
import sys

import pytest

from zhouqiao.catalog.states import RecordStatus
from zhouqiao.search import indexing

from .conftest import NOW

pytestmark = pytest.mark.django_db


@pytest.fixture
def fresh_queries_module(monkeypatch):
    """A newly imported copy of ``search.queries`` — the state a freshly started process has
    (the shared module keeps whatever earlier tests cached); the original is restored afterwards."""

    def load():
        spec = importlib.util.find_spec("zhouqiao.search.queries")
        module = importlib.util.module_from_spec(spec)
        monkeypatch.setitem(sys.modules, spec.name, module)
        spec.loader.exec_module(module)
        return module

    return load


@pytest.mark.parametrize("clock", [0.0, 1.0, 299.0, 86_400.0])
def test_did_you_mean_works_right_after_start_up_whatever_the_clock_says(
    monkeypatch, fresh_queries_module, make_achievement, city_staff, clock
):
    a = make_achievement(RecordStatus.PUBLISHED, reviewer=city_staff)
    indexing.index_record("achievement", a.pk, now=NOW)
    queries = fresh_queries_module()
    monkeypatch.setattr(queries.time, "monotonic", lambda: clock)
    result = queries.search("碳化铁")
    assert result.total == 0
    assert result.suggestion == "碳化硅"


def test_the_vocabulary_is_reloaded_after_five_minutes_and_not_before(
    monkeypatch, fresh_queries_module, make_achievement, city_staff
):
    queries = fresh_queries_module()
    clock = [1.0]
    monkeypatch.setattr(queries.time, "monotonic", lambda: clock[0])
    assert queries.did_you_mean("碳化铁") == ""  # nothing indexed yet: nothing to suggest
    a = make_achievement(RecordStatus.PUBLISHED, reviewer=city_staff)
    indexing.index_record("achievement", a.pk, now=NOW)
    clock[0] = 1.0 + queries.VOCABULARY_TTL - 1
    assert queries.did_you_mean("碳化铁") == ""  # still the cached vocabulary
    clock[0] = 1.0 + queries.VOCABULARY_TTL + 1
    assert queries.did_you_mean("碳化铁") == "碳化硅"
