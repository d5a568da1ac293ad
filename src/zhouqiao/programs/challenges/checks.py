"""查重 of a proposal (002 §23: cross-programme duplicate checks): against the other proposals of
every challenge, the programmes' call applications (when the calls app offers them), and the
public corpus of achievements, demands and patents (``search.novelty``).

Each match is kept on the proposal as plain data so that staff see what it matched even if the
other record changes later. A match whose shingle overlap reaches ``NEAR_DUPLICATE`` flags the
proposal 疑似重复 and notifies the program officers of the challenge's jurisdiction.

Proposals are confidential: a match against another proposal names the challenge and the lead
organisation only to staff (the flag is shown to staff only).
"""

from __future__ import annotations

import logging

from django.urls import reverse
from django.utils.translation import gettext as _

from zhouqiao.search.similarity import NEAR_DUPLICATE, estimated_jaccard, minhash

log = logging.getLogger(__name__)
SHOWN = 5
MIN_PERCENT = 30


def signature_of(text: str) -> list[int]:
    return minhash(text)


def _against_proposals(proposal, signature) -> list[dict]:
    from zhouqiao.programs.challenges.models import Proposal
    from zhouqiao.programs.challenges.states import ProposalStatus

    out = []
    others = (
        Proposal.objects.exclude(pk=proposal.pk)
        .exclude(status=ProposalStatus.WITHDRAWN)
        .select_related("challenge", "lead")
    )
    for other in others.iterator(chunk_size=500):
        if not other.signature:
            continue
        jaccard = estimated_jaccard(signature, other.signature)
        percent = round(jaccard * 100)
        if percent < MIN_PERCENT:
            continue
        out.append(
            {
                "kind": "proposal",
                "label": str(_("揭榜方案")),
                "title": f"{other.challenge.title}（{other.lead.name}）",
                "percent": percent,
                "near_duplicate": jaccard >= NEAR_DUPLICATE,
                "url": reverse("challenges:proposal", args=[other.pk]),
            }
        )
    return out


def _against_registry(proposal) -> list[dict]:
    """Near duplicates among the other apps' confidential submissions (call applications …)
    through ``programs.duplicates``; this app's own proposals are compared above."""
    from zhouqiao.programs import duplicates

    found = duplicates.find(
        proposal.challenge.title,
        proposal.text,
        exclude_key=f"challenges.proposal:{proposal.pk}",
        public=False,
    )
    return [
        {
            "kind": "submission",
            "label": m["source"],
            "title": m["title"],
            "percent": int(m["percent"]),
            "near_duplicate": True,
            "url": m["url"],
        }
        for m in found
        if not str(m.get("key", "")).startswith("challenges.proposal:")
    ]


def _proposals():
    """This app's proposals for ``programs.duplicates`` (so call applications are checked
    against them too)."""
    from zhouqiao.programs.challenges.models import Proposal
    from zhouqiao.programs.challenges.states import ProposalStatus

    rows = Proposal.objects.exclude(status=ProposalStatus.WITHDRAWN).select_related("challenge")
    for p in rows.iterator(chunk_size=500):
        yield duplicates_submission(
            label=_("揭榜方案"),
            title=p.challenge.title,
            text=p.text,
            url=reverse("challenges:proposal", args=[p.pk]),
            key=f"challenges.proposal:{p.pk}",
        )


def duplicates_submission(**fields):
    from zhouqiao.programs.duplicates import Submission

    return Submission(**fields)


def register() -> None:
    from zhouqiao.programs.duplicates import submission_source

    submission_source(_proposals)


def _against_public(proposal, *, now) -> list[dict]:
    from zhouqiao.search import novelty

    try:
        subject = novelty.pasted(proposal.challenge.title, proposal.text[: novelty.MAX_TEXT - 300])
        result = novelty.check(subject, now=now, limit=SHOWN)
    except Exception:  # noqa: BLE001 — an empty or unavailable index must not stop a submission
        log.exception("novelty check failed for proposal %s", proposal.pk)
        return []
    out = []
    for r in result.results:
        if r.percent < MIN_PERCENT and not r.near_duplicate:
            continue
        doc = r.document
        out.append(
            {
                "kind": doc.kind,
                "label": str(doc.get_kind_display()),
                "title": doc.title,
                "percent": r.percent,
                "near_duplicate": r.near_duplicate,
                "url": doc.get_absolute_url(),
            }
        )
    return out


def check_proposal(proposal, *, now) -> list[dict]:
    """The records most like the proposal, near duplicates first."""
    signature = proposal.signature or signature_of(f"{proposal.challenge.title}\n{proposal.text}")
    matches = _against_proposals(proposal, signature) + _against_registry(proposal)
    matches += _against_public(proposal, now=now)
    matches.sort(key=lambda m: (not m["near_duplicate"], -m["percent"]))
    return matches[: SHOWN * 2]
