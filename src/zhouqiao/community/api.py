"""/api/v1/community: the public expert registry (approved experts; contacts masked except for the
expert themself and program officers whose jurisdiction covers the expert)."""

from django.http import Http404
from django.shortcuts import get_object_or_404
from ninja import Query, Router

from zhouqiao.community import selectors
from zhouqiao.community.history import history
from zhouqiao.community.models import Expert
from zhouqiao.community.services import is_officer_for
from zhouqiao.core.bounds import Page

router = Router(tags=["专家与科技服务社区"])


def expert_out(user, expert: Expert, *, detail: bool = False) -> dict:
    contacts = selectors.contacts(user, expert)
    out = {
        "id": expert.pk,
        "name": expert.name,
        "organisation": expert.organisation.name,
        "title": expert.title,
        "disciplines": [{"code": d.code, "name": d.name} for d in expert.disciplines.all()],
        "industries": [{"code": i.code, "name": i.name} for i in expert.industries.all()],
        "keywords": expert.keywords,
        "region": expert.region_id,
        "region_name": expert.region.name,
        "available": expert.available,
        "phone": contacts["phone"],
        "email": contacts["email"],
        "contacts_masked": contacts["masked"],
    }
    if detail:
        out["profile"] = expert.profile
        if is_officer_for(user, expert):
            out["reviews"] = [
                {"date": r.date.isoformat(), "title": r.title, "role": r.role} for r in history(expert)
            ]
    return out


@router.get("/experts", response=list[dict])
def list_experts(
    request, paging: Query[Page], discipline: str = "", industry: str = "", region: str = "", q: str = ""
):
    """Approved experts; ``discipline``/``industry`` match a code and everything under it, ``region``
    its subtree, ``q`` name, keywords, profile, title or organisation."""
    rows = selectors.search(discipline=discipline[:8], industry=industry[:8], region=region[:6], q=q[:50])
    return [expert_out(request.user, e) for e in paging.slice(rows.order_by("name", "pk"))]


@router.get("/experts/{expert_id}", response=dict)
def get_expert(request, expert_id: int):
    expert = get_object_or_404(
        selectors.public_experts()
        .select_related("organisation", "region")
        .prefetch_related("disciplines", "industries"),
        pk=expert_id,
    )
    if not selectors.may_see(request.user, expert):
        raise Http404
    return expert_out(request.user, expert, detail=True)
