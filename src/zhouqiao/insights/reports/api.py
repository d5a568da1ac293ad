from ninja import Query, Router

from zhouqiao.core.bounds import Page, Year
from zhouqiao.insights.reports.models import AnnualReport

router = Router(tags=["年度报告"])


@router.get("/", response=list[dict])
def published_reports(request, paging: Query[Page], region: str = "", year: Year | None = None):
    """Published annual reports, newest year first, with the addresses of their PDF and workbook."""
    rows = AnnualReport.objects.filter(published_version__isnull=False).select_related(
        "region", "published_version"
    )
    if region:
        rows = rows.filter(region_id=region[:6])
    if year:
        rows = rows.filter(year=year)
    return [
        {
            "region": r.region_id,
            "region_name": r.region.full_name,
            "year": r.year,
            "title": str(r.title),
            "version": r.published_version.number,
            "published_at": r.published_at.isoformat() if r.published_at else None,
            "pdf": f"/insights/reports/versions/{r.published_version_id}/report.pdf",
            "xlsx": f"/insights/reports/versions/{r.published_version_id}/report.xlsx",
        }
        for r in paging.slice(rows.order_by("-year", "region_id"))
    ]
