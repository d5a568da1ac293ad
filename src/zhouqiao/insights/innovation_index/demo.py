"""Demo: one published year and one open year of the county innovation development index, with
made-up but plausible inputs for every county, district and development zone of Jilin (the year
is marked as demo data on every page and in its downloadable workbook)."""

import random
from decimal import Decimal

from zhouqiao.accounts.models import User
from zhouqiao.insights.innovation_index import services
from zhouqiao.insights.innovation_index.models import IndexInput, IndexYear


def _kind(code: str) -> str:
    tail = int(code[4:])
    if 70 <= tail < 80:
        return "zone"
    if tail < 20:
        return "district"
    return "county"


def demo_inputs(code: str, year: int) -> dict[str, Decimal | None]:
    """Plausible made-up inputs of one region and year (repeatable)."""
    rng = random.Random(f"{code}-{year}")  # noqa: S311 — repeatable demo figures
    kind = _kind(code)
    population = {
        "district": rng.uniform(25, 90),
        "county": rng.uniform(20, 110),
        "zone": rng.uniform(4, 30),
    }[kind]
    per_capita = {"district": rng.uniform(5, 14), "county": rng.uniform(2.5, 7), "zone": rng.uniform(8, 25)}[
        kind
    ]
    gdp = population * per_capita  # 亿元
    firms = (
        population
        * {"district": rng.uniform(300, 700), "county": rng.uniform(80, 250), "zone": rng.uniform(400, 1200)}[
            kind
        ]
    )
    fiscal = gdp * rng.uniform(0.08, 0.2) * 10000  # 万元
    rd_share = {
        "district": rng.uniform(0.006, 0.025),
        "county": rng.uniform(0.002, 0.01),
        "zone": rng.uniform(0.015, 0.04),
    }[kind]
    high_tech = (
        firms
        * {
            "district": rng.uniform(0.004, 0.015),
            "county": rng.uniform(0.001, 0.005),
            "zone": rng.uniform(0.01, 0.04),
        }[kind]
    )
    values = {
        "population": round(population, 2),
        "gdp": round(gdp, 2),
        "firms": round(firms),
        "fiscal_spending": round(fiscal, 1),
        "rd_expenditure": round(gdp * 10000 * rd_share, 1),
        "fiscal_st_spending": round(fiscal * rng.uniform(0.005, 0.03), 1),
        "high_tech_enterprises": round(high_tech),
        "contract_turnover": round(population * rng.uniform(5, 300), 1),
        "invention_patents": round(
            population
            * {"district": rng.uniform(3, 20), "county": rng.uniform(0.3, 3), "zone": rng.uniform(10, 60)}[
                kind
            ]
        ),
        "vouchers_redeemed": round(population * rng.uniform(0.1, 3), 1),
        "instrument_hours": round(population * rng.uniform(5, 200)),
    }
    if rng.random() < 0.08:
        values["instrument_hours"] = None  # some regions report no sharing figure: missing, not zero
    return {k: (None if v is None else Decimal(str(v))) for k, v in values.items()}


def create_demo_data(*, now) -> dict[str, int]:
    if IndexYear.objects.exists():
        return {"index_years": 0}
    staff = User.objects.filter(username="province_staff").first()
    if staff is None:
        return {"index_years": 0}
    published, open_ = now.year - 2, now.year - 1
    regions = list(services.index_regions())
    created = 0
    for year in (published, open_):
        index_year = IndexYear.objects.create(year=year, opened_at=now, opened_by=staff, demo=True)
        IndexInput.objects.bulk_create(
            IndexInput(
                index_year=index_year,
                region=r,
                values={k: (None if v is None else str(v)) for k, v in demo_inputs(r.code, year).items()},
                updated_at=now,
                updated_by=staff,
            )
            for r in regions
        )
        created += 1
    services.publish_year(year=published, actor=staff, now=now)
    return {"index_years": created, "index_inputs": created * len(regions)}
