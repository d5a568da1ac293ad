"""The demo's funded projects tell one consistent story (tests/demo_snapshot.py loads `zhouqiao demo`)."""

import pytest
from django.db import connection
from django.urls import reverse

from tests.demo_snapshot import load_demo
from zhouqiao.accounts.models import User
from zhouqiao.programs.projects import demo
from zhouqiao.programs.projects.models import Project


def test_an_accepted_demo_project_shows_every_opinion_and_what_is_still_to_be_paid(
    transactional_db, reference, client
):
    if connection.vendor != "sqlite":
        pytest.skip("walks the demo, which is loaded on SQLite (tests/demo_snapshot.py)")
    load_demo()
    project = Project.objects.get(title=demo.SUBSIDISED, is_sample=True)
    assert project.status == "accepted"
    assert not project.panel.filter(submitted_at=None).exists()  # the conclusion rests on every opinion
    client.force_login(User.objects.get(username="program_officer"))
    page = client.get(reverse("projects:project_detail", args=[project.pk])).content.decode()
    panel = page.split("验收专家组")[1].split("</table>")[0]
    assert "待提交" not in panel and panel.count("同意通过验收：") == project.panel.count()
    assert "100万元（已拨付70万元，待拨付30万元）" in page and "已拨付0元" not in page
