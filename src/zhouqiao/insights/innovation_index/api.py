"""/api/v1/insights/index: the published county innovation development index."""

from ninja import Query, Router, Schema

from zhouqiao.core.bounds import Page, Year
from zhouqiao.insights.innovation_index import framework as fw
from zhouqiao.insights.innovation_index import selectors

router = Router(tags=["县域创新发展指数"])


class YearOut(Schema):
    year: int
    normalisation: str
    weights: dict
    inputs_sha256: str
    demo: bool


class ScoreOut(Schema):
    year: int
    region_code: str
    region_name: str
    score: str | None
    rank: int | None
    rank_min: int | None
    rank_max: int | None
    previous_rank: int | None
    pillars: dict


@router.get("/years", response=list[YearOut])
def list_years(request, paging: Query[Page]):
    return [
        YearOut(
            year=y.year,
            normalisation=y.normalisation,
            weights=y.weights,
            inputs_sha256=y.inputs_sha256,
            demo=y.demo,
        )
        for y in paging.slice(selectors.published_years())
    ]


@router.get("/ranking", response=list[ScoreOut])
def ranking(request, paging: Query[Page], year: Year | None = None):
    years = selectors.published_years()
    index_year = years.filter(year=year).first() if year else years.first()
    if index_year is None:
        return []
    lines = selectors.published_lines(index_year)
    return [
        ScoreOut(
            year=index_year.year,
            region_code=line.region_code,
            region_name=line.region_name,
            score=None if line.score is None else str(line.score),
            rank=line.rank,
            rank_min=line.rank_min,
            rank_max=line.rank_max,
            previous_rank=line.previous_rank,
            pillars={
                code: (None if value is None else str(value))
                for code, (_label, value) in zip(fw.PILLAR_CODES, line.pillars, strict=True)
            },
        )
        for line in paging.slice(lines)
    ]
