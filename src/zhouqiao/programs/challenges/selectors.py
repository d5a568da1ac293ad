"""Who sees which challenge and proposal (pages and API read through here)."""

from django.db.models import Q
from django.utils.translation import gettext as _

from zhouqiao.accounts import scope
from zhouqiao.accounts.models import Duty
from zhouqiao.core.errors import NotFound
from zhouqiao.programs.challenges.models import Challenge, Proposal
from zhouqiao.programs.challenges.services import expert_of, is_officer, is_owner
from zhouqiao.programs.challenges.states import PUBLIC, ChallengeStatus  # noqa: F401 (PUBLIC: api)


def visible_challenges(user):
    """The public 榜单 for everyone; the issuer's members see its drafts; program officers of the
    jurisdiction see everything submitted to them."""
    query = Q(status__in=PUBLIC)
    own = scope.organisation_ids(user)
    if own:
        query |= Q(owner_id__in=own)
    officer = scope.region_q(user, "region", Duty.PROGRAM_OFFICER)
    query |= officer & ~Q(status=ChallengeStatus.DRAFT)
    return Challenge.objects.filter(query).select_related("owner", "region")


def get_challenge(user, pk: int) -> Challenge:
    challenge = visible_challenges(user).filter(pk=pk).first()
    if challenge is None:
        raise NotFound(_("榜单不存在或您无权查看。"))
    return challenge


def may_see_proposals(user, challenge: Challenge) -> bool:
    """The issuer, officers and panel experts see every proposal; a team sees its own."""
    if is_owner(user, challenge) or is_officer(user, challenge):
        return True
    expert = expert_of(user)
    return expert is not None and challenge.panel.filter(expert=expert).exists()


def proposals_for(user, challenge: Challenge):
    rows = challenge.proposals.select_related("lead").prefetch_related("partners")
    if may_see_proposals(user, challenge):
        return rows
    own = scope.organisation_ids(user)
    return rows.filter(Q(lead_id__in=own) | Q(partners__in=own)).distinct() if own else rows.none()


def get_proposal(user, pk: int) -> Proposal:
    proposal = Proposal.objects.select_related("challenge__owner", "lead").filter(pk=pk).first()
    if proposal is None:
        raise NotFound(_("方案不存在或您无权查看。"))
    challenge = proposal.challenge
    if may_see_proposals(user, challenge):
        return proposal
    own = set(scope.organisation_ids(user))
    if proposal.lead_id in own or proposal.partners.filter(pk__in=own).exists():
        return proposal
    raise NotFound(_("方案不存在或您无权查看。"))


def may_see_scores(user, challenge: Challenge) -> bool:
    return is_owner(user, challenge) or is_officer(user, challenge)
