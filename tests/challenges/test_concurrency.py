"""Two members of the issuing enterprise select different proposals at the same moment: exactly
one is selected and one contract drafted (real concurrent requests against the live server; the
challenge row is locked and re-read, and a unique constraint allows one selected proposal)."""

import pytest

from tests.challenges.conftest import NOW
from tests.factories import PASSWORD, member_of
from tests.live import logged_in_client, run_together
from zhouqiao.contracts.models import Contract
from zhouqiao.programs.challenges import services
from zhouqiao.programs.challenges.models import Proposal
from zhouqiao.programs.challenges.states import ChallengeStatus, ProposalStatus

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_selections_at_once_select_one_proposal(
    live_server, in_review, two_proposals, enterprise, expert
):
    a, b = two_proposals
    for p in (a, b):
        services.score_proposal(actor=expert.user, proposal_id=p.pk, score=80, comment="可", now=NOW)
    colleague = member_of(enterprise, username="ent_colleague")
    clients = [
        logged_in_client(live_server.url, "ent_admin", PASSWORD),
        logged_in_client(live_server.url, colleague.username, PASSWORD),
    ]
    results = run_together(
        [
            lambda c=clients[0]: c.post(
                f"/programs/challenges/proposals/{a.pk}/select/", data={"reason": "甲"}
            ),
            lambda c=clients[1]: c.post(
                f"/programs/challenges/proposals/{b.pk}/select/", data={"reason": "乙"}
            ),
        ]
    )
    for c in clients:
        c.close()
    assert all(getattr(r, "status_code", None) == 302 for r in results), results
    assert Proposal.objects.filter(status=ProposalStatus.SELECTED).count() == 1
    assert Proposal.objects.filter(status=ProposalStatus.NOT_SELECTED).count() == 1
    assert Contract.objects.count() == 1
    in_review.refresh_from_db()
    assert in_review.status == ChallengeStatus.AWARDED
    assert in_review.contract.seller_id == in_review.selected_proposal.lead_id
