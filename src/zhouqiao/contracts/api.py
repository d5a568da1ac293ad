from django.utils.translation import gettext as _
from ninja import Router

from zhouqiao.accounts import scope
from zhouqiao.contracts import selectors
from zhouqiao.contracts.models import Contract
from zhouqiao.core.errors import PermissionDenied, ValidationFailed

router = Router(tags=["contracts"])


@router.get("/statistics", summary="技术合同登记统计")
def statistics(request, by: str = "year", level: str = "city", year: int | None = None):
    """Registered contracts within the caller's jurisdiction: by year, region (level province /
    city / county), type, industry or flow (seller region → buyer region)."""
    if not scope.is_government_staff(request.user):
        raise PermissionDenied(_("仅科技主管部门人员可查看统计。"))
    if by not in ("year", "region", "type", "industry", "flow") or level not in selectors.LEVEL_LENGTH:
        raise ValidationFailed(_("统计维度不正确。"))
    queryset = Contract.objects.filter(scope.region_q(request.user, "region"))
    return selectors.statistics(queryset=queryset, by=by, level=level, year=year)
