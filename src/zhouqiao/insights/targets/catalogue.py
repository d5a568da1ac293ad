"""The seed targets as data: ``data/targets.yaml`` loaded once, checked, and cited in Chinese."""

from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path

import yaml
from django.utils.translation import gettext_lazy as _

DATA = Path(__file__).with_name("data") / "targets.yaml"

COMPARISONS = {
    "at_least": _("达到"),
    "more_than": _("突破"),
    "about": _("左右"),
}
PERCENT_UNITS = {"%"}


@dataclass(frozen=True)
class Document:
    id: str
    short_title: str
    title: str
    issuer: str


@dataclass(frozen=True)
class Target:
    code: str
    document: Document
    clause: str  # the small reference code, e.g. "004 §1(三)"
    article: str  # 一（三） or 第三条
    quote: str
    what: str
    region_code: str
    due: int
    value: Decimal
    unit: str
    comparison: str
    indicator: str = ""  # the platform's registrations give a partial figure (平台登记部分) when set
    scale: Decimal = Decimal(1)
    cumulative_from: int | None = None
    note: str = ""

    @property
    def has_platform_part(self) -> bool:
        """The platform holds part of the figure (its own registrations): shown beside the official
        figure, never counted as the actual — a province's 技术合同成交额 is a statistical figure
        that also counts contracts registered elsewhere."""
        return bool(self.indicator)

    @property
    def citation(self) -> str:
        return f"《{self.document.short_title}》{self.article}"

    @property
    def is_percent(self) -> bool:
        return self.unit in PERCENT_UNITS

    @property
    def comparison_label(self) -> str:
        return str(COMPARISONS[self.comparison])


class CatalogueError(ValueError):
    pass


def _load(raw: dict) -> list[Target]:
    from zhouqiao.insights import indicators

    documents = {
        key: Document(key, d["short_title"], d["title"], d.get("issuer", ""))
        for key, d in raw["documents"].items()
    }
    targets, seen = [], set()
    for row in raw["targets"]:
        code = row["code"]
        if code in seen:
            raise CatalogueError(f"duplicate target {code}")
        seen.add(code)
        if row["document"] not in documents:
            raise CatalogueError(f"{code}: unknown document {row['document']}")
        if row["comparison"] not in COMPARISONS:
            raise CatalogueError(f"{code}: unknown comparison {row['comparison']}")
        if row["actual"] != "entered":
            raise CatalogueError(f"{code}: the actual is the official figure, entered by statistics staff")
        platform = row.get("platform")
        extra = {}
        if platform is not None:
            if platform["indicator"] not in indicators.INDICATORS:
                raise CatalogueError(f"{code}: unknown indicator {platform['indicator']}")
            extra = {
                "indicator": platform["indicator"],
                "scale": Decimal(str(platform.get("scale", "1"))),
                "cumulative_from": platform.get("cumulative_from"),
            }
        targets.append(
            Target(
                code=code,
                document=documents[row["document"]],
                clause=row["clause"],
                article=row["article"],
                quote=row["quote"],
                what=row["what"],
                region_code=str(row["region"]),
                due=int(row["due"]),
                value=Decimal(str(row["value"])),
                unit=str(row["unit"]),
                comparison=row["comparison"],
                note=row.get("note", ""),
                **extra,
            )
        )
    return targets


@cache
def targets() -> tuple[Target, ...]:
    with DATA.open(encoding="utf-8") as handle:
        return tuple(_load(yaml.safe_load(handle)))


def get(code: str) -> Target | None:
    return next((t for t in targets() if t.code == code), None)


def documents() -> list[Document]:
    out = []
    for t in targets():
        if t.document not in out:
            out.append(t.document)
    return out
