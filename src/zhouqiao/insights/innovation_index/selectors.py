"""Reads of the innovation index: published rankings (public) and open-year previews (staff)."""

from dataclasses import dataclass
from decimal import Decimal

from zhouqiao.core.models import Region
from zhouqiao.insights.innovation_index import compute as calc
from zhouqiao.insights.innovation_index import framework as fw
from zhouqiao.insights.innovation_index.models import IndexScore, IndexStatus, IndexYear


@dataclass
class Line:
    region_code: str
    region_name: str
    city_name: str
    score: Decimal | None
    rank: int | None
    pillars: list  # [(pillar label, Decimal|None)] in framework order
    rank_min: int | None
    rank_max: int | None
    other_rank: int | None
    previous_rank: int | None = None

    @property
    def change(self) -> int | None:
        """Places gained since the previous published year (positive: moved up)."""
        if self.rank is None or self.previous_rank is None:
            return None
        return self.previous_rank - self.rank

    @property
    def change_abs(self) -> int | None:
        return None if self.change is None else abs(self.change)


def published_years():
    return IndexYear.objects.filter(status=IndexStatus.PUBLISHED).order_by("-year")


def _names() -> dict[str, tuple[str, str]]:
    regions = Region.objects.filter(code__startswith="22").select_related("parent")
    return {r.code: (r.name, r.parent.name if r.parent else "") for r in regions}


def _decimal(value) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def published_lines(index_year: IndexYear) -> list[Line]:
    names = _names()
    previous = published_years().filter(year__lt=index_year.year).first()
    before = (
        dict(IndexScore.objects.filter(index_year=previous).values_list("region_id", "rank"))
        if previous
        else {}
    )
    lines = []
    for s in IndexScore.objects.filter(index_year=index_year).order_by("rank", "region_id"):
        name, city = names.get(s.region_id, (s.region_id, ""))
        lines.append(
            Line(
                s.region_id,
                name,
                city,
                s.score,
                s.rank,
                [(p.label, _decimal(s.pillars.get(p.code))) for p in fw.PILLARS],
                s.rank_min,
                s.rank_max,
                s.other_rank,
                before.get(s.region_id),
            )
        )
    lines.sort(key=lambda line: (line.rank is None, line.rank or 0, line.region_code))
    return lines


def preview_lines(result: calc.IndexResult) -> list[Line]:
    names = _names()
    lines = []
    for r in result.regions:
        name, city = names.get(r.region_code, (r.region_code, ""))
        lines.append(
            Line(
                r.region_code,
                name,
                city,
                calc.rounded(r.score),
                r.rank,
                [(p.label, calc.rounded(r.pillars.get(p.code))) for p in fw.PILLARS],
                r.rank_min,
                r.rank_max,
                r.other_rank,
            )
        )
    return lines


def weight_table(index_year: IndexYear) -> list[tuple]:
    """[(pillar label, share %, [(indicator label, share of its pillar %)])] as the year was computed."""
    weights = index_year.weights or fw.default_weights()
    pillars = {c: float(weights.get("pillars", {}).get(c, 1.0)) for c in fw.PILLAR_CODES}
    total = sum(pillars.values()) or 1.0
    rows = []
    for p in fw.PILLARS:
        members = fw.indicators_of(p.code)
        ws = {i.code: float(weights.get("indicators", {}).get(i.code, 1.0)) for i in members}
        inner = sum(ws.values()) or 1.0
        rows.append(
            (
                p.label,
                round(pillars[p.code] / total * 100, 1),
                [(i.label, round(ws[i.code] / inner * 100, 1)) for i in members],
            )
        )
    return rows
