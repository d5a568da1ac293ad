"""Load the reference tables shipped in ``core/data`` (sources and licences: data/SOURCES.md)."""

import csv
from pathlib import Path

from django.db import transaction

from zhouqiao.core.models import Discipline, Industry, KeyIndustry, PatentClass, Region
from zhouqiao.core.taxonomies import KEY_INDUSTRIES

DATA_DIR = Path(__file__).resolve().parent / "data"


def _rows(filename: str):
    with open(DATA_DIR / filename, encoding="utf-8", newline="") as handle:
        yield from csv.DictReader(handle)


def _upsert(model, objects, fields):
    model.objects.bulk_create(
        objects,
        batch_size=500,
        update_conflicts=True,
        unique_fields=[model._meta.pk.name],
        update_fields=fields,
    )
    return len(objects)


@transaction.atomic
def load_reference_data() -> dict[str, int]:
    """Insert or update every reference row; safe to run again."""
    counts = {}
    regions = [
        Region(code=r["code"], name=r["name"], level=r["level"], parent_id=r["parent_code"] or None)
        for r in _rows("regions.csv")
    ]
    counts["regions"] = _upsert(Region, regions, ["name", "level", "parent"])
    industries = [
        Industry(code=r["code"], name=r["name"], level=r["level"], parent_id=r["parent_code"] or None)
        for r in _rows("gbt4754_2017.csv")
    ]
    counts["industries"] = _upsert(Industry, industries, ["name", "level", "parent"])
    classes = [
        PatentClass(
            symbol=r["symbol"], level=r["level"], title=r["title_zh"], parent_id=r["parent_symbol"] or None
        )
        for r in _rows("ipc_zh.csv")
    ]
    counts["patent_classes"] = _upsert(PatentClass, classes, ["level", "title", "parent"])
    disciplines = [
        Discipline(code=r["code"], name=r["name"], level=int(r["level"]), parent_code=r["parent_code"])
        for r in _rows("gbt13745_2009.csv")
    ]
    counts["disciplines"] = _upsert(Discipline, disciplines, ["name", "level", "parent_code"])
    for position, (slug, name, group, clauses, divisions) in enumerate(KEY_INDUSTRIES):
        key, _ = KeyIndustry.objects.update_or_create(
            slug=slug, defaults={"name": name, "group": group, "clauses": clauses, "position": position}
        )
        key.divisions.set(divisions)
    counts["key_industries"] = len(KEY_INDUSTRIES)
    return counts
