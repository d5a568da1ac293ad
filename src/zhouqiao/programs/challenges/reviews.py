"""The final acceptances (市场验收) an expert witnessed, for their review history
(community.history). The panels they sat on are read by community.reviews itself."""

from django.utils.translation import gettext as _

from zhouqiao.community.history import review_source


@review_source
def acceptance_witnesses(expert):
    from zhouqiao.programs.challenges.models import Acceptance

    rows = Acceptance.objects.filter(witness=expert).select_related("challenge")[:200]
    return [(a.accepted_at, a.challenge.title, _("揭榜挂帅验收见证专家")) for a in rows]
