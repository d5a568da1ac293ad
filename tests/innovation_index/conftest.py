import datetime as dt
import io

import pytest

from tests.factories import staff_in
from zhouqiao.accounts.models import Duty
from zhouqiao.insights.innovation_index import services, workbook
from zhouqiao.insights.innovation_index.demo import demo_inputs

NOW = dt.datetime(2026, 3, 1, 10, tzinfo=dt.UTC)


@pytest.fixture
def now():
    return NOW


@pytest.fixture
def statistician(reference):
    """Province-level statistics staff: opens, imports, publishes."""
    return staff_in("220000", Duty.STATISTICS, username="stat_province")


@pytest.fixture
def county_statistician(reference):
    return staff_in("220183", Duty.STATISTICS, username="stat_dehui")


def rows_for(year: int, codes=None, **changes):
    """Template rows with plausible inputs for the index regions (or ``codes``)."""
    regions = list(services.index_regions())
    if codes is not None:
        regions = [r for r in regions if r.code in codes]
    rows = []
    for r in regions:
        values = demo_inputs(r.code, year)
        values.update(changes.get(r.code, {}))
        rows.append((year, r.code, r.name, values))
    return rows


def as_file(rows) -> io.BytesIO:
    return io.BytesIO(workbook.build(rows))


@pytest.fixture
def open_2025(statistician, now):
    return services.open_year(year=2025, actor=statistician, now=now)
