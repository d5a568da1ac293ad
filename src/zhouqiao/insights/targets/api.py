"""/api/v1/insights/targets: the seed targets against their actuals as of a year (each measured in
that year, or in its due year once that has passed — the rule of ``selectors.progress``)."""

from ninja import Query, Router, Schema

from zhouqiao.core import clock
from zhouqiao.core.bounds import Page, Year
from zhouqiao.insights.targets import selectors

router = Router(tags=["发展目标与进展"])


class TargetOut(Schema):
    code: str
    what: str
    region_code: str
    due_year: int
    target_value: str
    unit: str
    citation: str
    clause: str
    quote: str
    year: int  # the year measured: the year asked for, or the due year when that has passed
    actual: str | None  # the official figure (entered with its source document)
    percent: str | None
    gap: str | None
    reached: bool
    source: str
    platform_part: str | None  # the part registered on this platform (not the official figure)


@router.get("/", response=list[TargetOut])
def list_targets(request, paging: Query[Page], year: Year | None = None):
    now = clock.now()
    rows = selectors.progress(request.user, year=year or selectors.default_year(now), now=now)
    return [
        TargetOut(
            code=r.target.code,
            what=r.target.what,
            region_code=r.target.region_code,
            due_year=r.target.due,
            target_value=str(r.target.value),
            unit=r.target.unit,
            citation=r.target.citation,
            clause=r.target.clause,
            quote=r.target.quote,
            year=r.year,
            actual=None if r.actual is None else str(r.actual),
            percent=None if r.percent is None else str(r.percent),
            gap=None if r.gap is None else str(r.gap),
            reached=r.reached,
            source=str(r.source),
            platform_part=None if r.platform is None else str(r.platform),
        )
        for r in paging.slice(rows)
    ]
