"""Reference taxonomies: public, read-only."""

from django.shortcuts import get_object_or_404
from ninja import Router, Schema

from zhouqiao.core.models import Discipline, Industry, KeyIndustry, PatentClass, Region
from zhouqiao.core.taxonomies import ReadinessLevel

router = Router(tags=["reference"])


class RegionOut(Schema):
    code: str
    name: str
    level: str
    parent_code: str | None


class CodeOut(Schema):
    code: str
    name: str
    level: str
    parent_code: str | None


class KeyIndustryOut(Schema):
    slug: str
    name: str
    group: str
    clauses: str
    divisions: list[str]


class ReadinessOut(Schema):
    level: int
    description: str


def _region(r: Region) -> dict:
    return {"code": r.code, "name": r.name, "level": r.level, "parent_code": r.parent_id}


@router.get("/regions", response=list[RegionOut])
def list_regions(request, parent: str | None = None, level: str | None = None):
    """Regions, filtered by parent code (children) and/or level. No filter: the provinces."""
    qs = Region.objects.all()
    if parent:
        qs = qs.filter(parent_id=parent)
    if level:
        qs = qs.filter(level=level)
    if not parent and not level:
        qs = qs.filter(level="province")
    return [_region(r) for r in qs]


@router.get("/regions/{code}", response=RegionOut)
def get_region(request, code: str):
    return _region(get_object_or_404(Region, code=code))


@router.get("/industries", response=list[CodeOut])
def list_industries(request, parent: str | None = None, q: str | None = None):
    qs = Industry.objects.all()
    qs = qs.filter(parent_id=parent) if parent else qs.filter(parent=None) if not q else qs
    if q:
        qs = qs.filter(name__icontains=q)[:200]
    return [{"code": i.code, "name": i.name, "level": i.level, "parent_code": i.parent_id} for i in qs]


@router.get("/patent-classes", response=list[CodeOut])
def list_patent_classes(request, parent: str | None = None, q: str | None = None):
    qs = PatentClass.objects.all()
    qs = qs.filter(parent_id=parent) if parent else qs.filter(parent=None) if not q else qs
    if q:
        qs = qs.filter(title__icontains=q)[:200]
    return [{"code": c.symbol, "name": c.title, "level": c.level, "parent_code": c.parent_id} for c in qs]


@router.get("/disciplines", response=list[CodeOut])
def list_disciplines(request, parent: str | None = None, q: str | None = None):
    qs = Discipline.objects.all()
    qs = qs.filter(parent_code=parent) if parent else qs.filter(level=0) if not q else qs
    if q:
        qs = qs.filter(name__icontains=q)[:200]
    return [
        {"code": d.code, "name": d.name, "level": str(d.level), "parent_code": d.parent_code or None}
        for d in qs
    ]


@router.get("/key-industries", response=list[KeyIndustryOut])
def list_key_industries(request):
    return [
        {
            "slug": k.slug,
            "name": k.name,
            "group": k.group,
            "clauses": k.clauses,
            "divisions": [d.code for d in k.divisions.all()],
        }
        for k in KeyIndustry.objects.prefetch_related("divisions")
    ]


@router.get("/readiness-levels", response=list[ReadinessOut])
def list_readiness_levels(request):
    return [{"level": level.value, "description": str(level.label)} for level in ReadinessLevel]
