"""The demo's 揭榜挂帅 proposals as people read them (tests/demo_snapshot.py loads `zhouqiao demo`)."""

import pytest
from django.db import connection
from django.urls import reverse

from tests.demo_snapshot import load_demo
from zhouqiao.accounts.models import User
from zhouqiao.programs.challenges.models import Proposal


def test_demo_teams_name_people_with_their_whole_unit_and_the_reviewer_may_step_aside(
    transactional_db, reference, client
):
    if connection.vendor != "sqlite":
        pytest.skip("walks the demo, which is loaded on SQLite (tests/demo_snapshot.py)")
    load_demo()
    proposal = Proposal.objects.filter(
        is_sample=True, challenge__status="reviewing", lead__name="中国科学院长春光学精密机械与物理研究所"
    ).first()
    client.force_login(User.objects.get(username="expert"))  # 王立新, on the panel under review
    page = client.get(reverse("challenges:proposal", args=[proposal.pk])).content.decode()
    team = page.split('id="team"')[1].split("</ul>")[0]
    assert "<li>陈思远（中国科学院长春光学精密机械与物理研究所、研究员、项目负责人）</li>" in team
    assert "长春光项目负责人" not in page
    assert 'id="recuse"' in page  # 申请回避 is offered next to 评分
