"""Who may sit on a challenge's review panel: the same rule as project calls (only experts who can
review online, i.e. with a platform account), and the issuer's own experts recuse for the whole
challenge (回避) — research/review-and-challenges.md §1."""

import pytest
from django.urls import reverse

from tests.challenges.conftest import NOW, make_expert
from zhouqiao.community.models import Expert, ExpertConflict, ExpertStatus
from zhouqiao.core.errors import ValidationFailed
from zhouqiao.programs.challenges import services

pytestmark = pytest.mark.django_db


def _without_account(name, organisation):
    return Expert.objects.create(
        name=name,
        organisation=organisation,
        title="研究员",
        keywords="碳化硅，功率模块，散热",
        region_id="220104",
        jurisdiction_id="220100",
        status=ExpertStatus.APPROVED,
        created_at=NOW,
        approved_at=NOW,
    )


def test_an_expert_without_an_account_is_neither_offered_nor_accepted(
    client, published, two_proposals, officer, expert, expert_org
):
    offline = _without_account("赵无账户", expert_org)
    found = [e.pk for e, _s, _w, _c in services.suggested_experts(published, now=NOW)]
    assert expert.pk in found and offline.pk not in found
    client.force_login(officer)
    page = client.get(reverse("challenges:detail", args=[published.pk])).content.decode()
    assert "邀请 张评审" in page and "赵无账户" not in page  # no button that can only fail
    with pytest.raises(ValidationFailed) as info:
        services.assign_expert(actor=officer, challenge_id=published.pk, expert_id=offline.pk, now=NOW)
    assert "尚未开通平台账户" in str(info.value.message)
    assert not published.panel.exists()


def test_an_expert_of_the_issuer_recuses_from_the_whole_challenge(
    client, published, officer, enterprise, expert
):
    """No proposal names the issuer (none is in yet), yet its engineer is in conflict: he would
    advise his own company's choice."""
    insider = make_expert("韩工程师", enterprise, username="issuer_engineer")
    found = {e.pk: conflict for e, _s, _w, conflict in services.suggested_experts(published, now=NOW)}
    assert "发榜单位" in found[insider.pk] and found[expert.pk] == ""
    client.force_login(officer)
    page = client.get(reverse("challenges:detail", args=[published.pk])).content.decode()
    assert "邀请 韩工程师" not in page and "本人所在单位为发榜单位" in page
    assert "邀请 张评审" in page
    with pytest.raises(ValidationFailed) as info:
        services.assign_expert(actor=officer, challenge_id=published.pk, expert_id=insider.pk, now=NOW)
    assert info.value.code == "conflict_of_interest" and "发榜单位" in str(info.value.message)
    assert not published.panel.exists()


def test_an_expert_who_declared_the_issuer_recuses_too(published, officer, enterprise, expert):
    ExpertConflict.objects.create(expert=expert, organisation=enterprise, reason="曾在该企业任职")
    with pytest.raises(ValidationFailed) as info:
        services.assign_expert(actor=officer, challenge_id=published.pk, expert_id=expert.pk, now=NOW)
    assert "发榜单位为本人申报的回避单位" in str(info.value.message)
