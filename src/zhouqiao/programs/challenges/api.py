"""/api/v1/programs/challenges: the 揭榜挂帅 榜单 as the pages show it (public items for everyone;
the issuer's own drafts and the jurisdiction's submitted items for whoever may see them).
Amounts and indicator values are strings."""

from django.http import Http404
from ninja import Query, Router

from zhouqiao.core.bounds import Page
from zhouqiao.core.errors import NotFound
from zhouqiao.programs.challenges import selectors
from zhouqiao.programs.challenges.models import Challenge
from zhouqiao.programs.challenges.states import ChallengeStatus, ProposalStatus

router = Router(tags=["揭榜挂帅"])


def challenge_out(challenge: Challenge, *, detail: bool = False) -> dict:
    out = {
        "id": challenge.pk,
        "title": challenge.title,
        "owner": challenge.owner.name,
        "region": challenge.region_id,
        "status": challenge.status,
        "status_label": str(challenge.get_status_display()),
        "investment": str(challenge.investment),
        "reward": str(challenge.reward),
        "deadline": challenge.deadline.isoformat(),
        "completion_date": challenge.completion_date.isoformat(),
        "eligibility": challenge.eligibility,
        "indicators": [
            {
                "name": i.name,
                "target": i.target_text,
                "unit": i.unit,
                "direction": i.direction,
                "method": i.method,
            }
            for i in challenge.indicators.all()
        ],
    }
    if detail:
        selected = challenge.selected_proposal
        out["summary"] = challenge.summary
        out["proposals"] = challenge.proposals.exclude(status=ProposalStatus.WITHDRAWN).count()
        out["winner"] = selected.lead.name if selected else None
    return out


@router.get("", response=list[dict])
def list_challenges(request, paging: Query[Page], status: str = "", q: str = ""):
    """The public 榜单 (征集中 … 未揭榜); ``status`` one of those, ``q`` in title or issuer."""
    rows = selectors.visible_challenges(request.user).filter(status__in=list(selectors.PUBLIC))
    if status in ChallengeStatus.values:
        rows = rows.filter(status=status)
    if q:
        rows = rows.filter(title__icontains=q[:50]) | rows.filter(owner__name__icontains=q[:50])
    rows = rows.prefetch_related("indicators").order_by("-published_at", "-pk")
    return [challenge_out(c) for c in paging.slice(rows)]


@router.get("/{challenge_id}", response=dict)
def get_challenge(request, challenge_id: int):
    try:
        challenge = selectors.get_challenge(request.user, challenge_id)
    except NotFound as exc:
        raise Http404 from exc
    return challenge_out(challenge, detail=True)
