"""/api/v1/programs/projects: the public list of approved projects (立项信息公开, 002 §23).

Amounts are strings (yuan, two decimals); the final report (科技报告) appears only after its
embargo date. Paginated with ``?limit=&offset=`` and a plain list like the other list endpoints."""

from ninja import Query, Router

from zhouqiao.core import clock
from zhouqiao.core.bounds import Page, Year
from zhouqiao.programs.projects.models import Project

router = Router(tags=["项目实施与验收"])


def project_out(p: Project, today) -> dict:
    public = p.report_is_public(today)
    return {
        "id": p.pk,
        "title": p.title,
        "undertaker": p.undertaker.name,
        "approved_amount": f"{p.approved_amount:.2f}",
        "start_date": p.start_date.isoformat(),
        "end_date": p.end_date.isoformat(),
        "call": p.call_title,
        "region": p.region_id,
        "status": p.status,
        "status_label": str(p.get_status_display()),
        "report": (
            {
                "title": p.report_title,
                "abstract": p.report_abstract,
                "public_from": p.report_public_from.isoformat(),
            }
            if public
            else None
        ),
    }


@router.get("/", response=list[dict])
def list_projects(request, paging: Query[Page], q: str = "", region: str = "", year: Year | None = None):
    """Approved projects, newest first; ``q`` searches title, undertaker, call and keywords;
    ``region`` is a region code prefix (e.g. 220200 → Jilin City)."""
    rows = Project.objects.public().select_related("undertaker").search(q[:100])
    region = region.strip()
    if region.isdigit() and len(region) == 6:
        prefix = region.rstrip("0") or region
        if len(prefix) % 2:
            prefix += "0"
        rows = rows.filter(region_id__startswith=prefix)
    if year:
        rows = rows.filter(start_date__year=year)
    today = clock.local_date()
    return [project_out(p, today) for p in paging.slice(rows)]
