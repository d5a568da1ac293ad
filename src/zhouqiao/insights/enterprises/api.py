from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Query, Router

from zhouqiao.accounts.models import Organisation
from zhouqiao.core import clock
from zhouqiao.core.bounds import Page
from zhouqiao.core.errors import PermissionDenied
from zhouqiao.insights.enterprises import access, profiles
from zhouqiao.insights.enterprises.models import ReserveEntry
from zhouqiao.insights.enterprises.states import EntryStatus

router = Router(tags=["企业创新画像与上市后备资源库"])


@router.get("/reserve", response=list[dict])
def reserve(request, paging: Query[Page], region: str = ""):
    """The reviewed reserve list of one jurisdiction (staff of that jurisdiction), with each
    enterprise's profile figures."""
    region = (region or "")[:6]
    options = {r.code: r for r in access.jurisdictions(request.user)}
    if not options:
        raise PermissionDenied(_("只有辖区内的工作人员可以查看上市后备资源库。"))
    chosen = options.get(region) or next(iter(options.values()))
    entries = list(
        paging.slice(
            ReserveEntry.objects.filter(jurisdiction=chosen, status=EntryStatus.LISTED)
            .select_related("organisation")
            .order_by("organisation__name", "pk")
        )
    )
    values = profiles.figures(
        Organisation.objects.filter(pk__in=[e.organisation_id for e in entries]), as_of=clock.local_date()
    )
    return [
        {
            "jurisdiction": chosen.code,
            "organisation_id": e.organisation_id,
            "organisation": e.organisation.name,
            "credit_code": e.organisation.credit_code,
            "added_at": e.added_at.isoformat(),
            "reason": e.added_reason,
            "figures": {k: str(v) for k, v in values.get(e.organisation_id, {}).items()},
        }
        for e in entries
    ]


@router.get("/{int:pk}", response=dict)
def profile(request, pk: int):
    """One enterprise's profile figures (staff whose jurisdiction covers the enterprise)."""
    org = get_object_or_404(Organisation, pk=pk, kind="enterprise")
    if not access.can_view(request.user, org.region_id):
        raise PermissionDenied(_("只有辖区内的工作人员可以查看企业创新画像。"))
    today = clock.local_date()
    win = profiles.window(today)
    values = profiles.figures(Organisation.objects.filter(pk=pk), as_of=today)[pk]
    return {
        "organisation_id": pk,
        "name": org.name,
        "first_year": win.first_year,
        "last_year": win.last_year,
        "figures": {k: str(v) for k, v in values.items()},
    }
