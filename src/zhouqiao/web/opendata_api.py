"""``/api/v1/open-data/…``: the open datasets of :mod:`zhouqiao.web.opendata`, a page at a time."""

from datetime import datetime

from django.core.cache import cache
from ninja import Query, Router

from zhouqiao.core import clock
from zhouqiao.core.bounds import Page
from zhouqiao.web import opendata

router = Router(tags=["开放数据"])


def _dataset_endpoint(code: str):
    dataset = opendata.DATASETS[code]

    def endpoint(request, paging: Query[Page], updated_since: datetime | None = None):
        return list(dataset.rows(updated_since=updated_since, offset=paging.offset, limit=paging.limit))

    endpoint.__name__ = f"open_{code}"
    endpoint.__doc__ = (
        f"{dataset.title}：{dataset.description} 按{dataset.updated_label}排序；updated_since（ISO 8601）"
        f"只返回此后新增或更新的记录。许可：{opendata.LICENCE['name']}。"
    )
    return endpoint


for _code in opendata.DATASETS:
    router.get(f"/{_code}", response=list[dict], operation_id=f"open_data_{_code}")(_dataset_endpoint(_code))


@router.get("/statistics", response=list[dict])
def open_statistics(request, paging: Query[Page]):
    """吉林省及各市（州）近五个完整年度的各项监测指标（统计数据）。许可：CC BY 4.0。"""
    year = clock.local_date().year - 1
    key = f"opendata:statistics:{year}"
    rows = cache.get(key)
    if rows is None:
        rows = opendata.statistics_rows(year=year)
        cache.set(key, rows, 600)
    return paging.slice(rows)
