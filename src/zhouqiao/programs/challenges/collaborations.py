"""Joint 揭榜 proposals as collaborations (community.conflicts): the lead organisation and each
partner of a proposal worked together, dated by the proposal's submission."""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from zhouqiao.community.conflicts import collaboration_source


@collaboration_source(label=_("联合揭榜"))
def joint_proposals(organisation_ids: set[int], since):
    from zhouqiao.programs.challenges.models import Proposal
    from zhouqiao.programs.challenges.states import ProposalStatus

    rows = (
        Proposal.partners.through.objects.filter(
            Q(proposal__lead_id__in=organisation_ids) | Q(organisation_id__in=organisation_ids),
            proposal__submitted_at__gte=since,
        )
        .exclude(proposal__status=ProposalStatus.WITHDRAWN)
        .values_list("proposal__lead_id", "organisation_id")
    )
    return list(rows)
