"""Every step that waits on a person shows in that person's to-do list, and only theirs."""

import datetime as dt

import time_machine

from tests.projects.conftest import NOW
from zhouqiao.programs.projects import services, todos
from zhouqiao.programs.projects.models import Project


def _titles(source, user):
    return [t.title for t in source(user)]


@time_machine.travel(NOW, tick=False)
def test_each_waiting_step_reaches_the_right_person(
    project, officer, other_officer, member, experts, stranger
):
    milestone = services.add_milestone(
        actor=officer, project_id=project.pk, deliverable="中试样品", due_date="2026-12-20", now=NOW
    )
    services.add_milestone(
        actor=officer, project_id=project.pk, deliverable="远期目标", due_date="2027-10-01", now=NOW
    )
    assert _titles(todos.undertaker_items, member) == ["报告节点目标：高性能碳纤维复合材料中试 — 中试样品"]
    assert todos.undertaker_items(stranger) == []
    services.report_milestone(actor=member, milestone_id=milestone.pk, body="完成", now=NOW)
    assert "确认节点目标：高性能碳纤维复合材料中试 — 中试样品" in _titles(todos.officer_items, officer)
    assert todos.officer_items(other_officer) == []

    Project.objects.filter(pk=project.pk).update(mid_term_due=dt.date(2026, 12, 31))
    assert "中期检查：高性能碳纤维复合材料中试" in _titles(todos.officer_items, officer)

    services.submit_final_report(
        actor=member, project_id=project.pk, title="t", abstract="a", body="b", now=NOW
    )
    assert "组织验收：高性能碳纤维复合材料中试" in _titles(todos.officer_items, officer)
    services.form_panel(
        actor=officer,
        project_id=project.pk,
        expert_ids=[e.pk for e in experts],
        due_date="2026-12-20",
        now=NOW,
    )
    assert _titles(todos.panel_items, experts[0].user) == ["提交验收意见：高性能碳纤维复合材料中试"]
    assert todos.panel_items(member) == []
    assert "作出验收结论：高性能碳纤维复合材料中试" not in _titles(todos.officer_items, officer)
    for e in experts:
        services.record_opinion(actor=e.user, project_id=project.pk, opinion="pass", comment="好", now=NOW)
    assert todos.panel_items(experts[0].user) == []
    assert "作出验收结论：高性能碳纤维复合材料中试" in _titles(todos.officer_items, officer)
    services.conclude_acceptance(
        actor=officer, project_id=project.pk, conclusion="passed", reason="好", now=NOW
    )
    assert "申请后补助：高性能碳纤维复合材料中试" in _titles(todos.undertaker_items, member)
    services.apply_post_subsidy(actor=member, project_id=project.pk, now=NOW)
    assert "申请后补助：高性能碳纤维复合材料中试" not in _titles(todos.undertaker_items, member)


def test_a_new_project_without_officer_waits_on_the_jurisdictions_officers(
    undertaker, officer, changchun_officer
):
    project = services.create_project(
        actor=officer, undertaker_id=undertaker.pk, title="新项目", call_title="计划", amount="100000",
        start_date="2026-03-01", end_date="2027-03-01", now=NOW,
    )  # fmt: skip
    assert _titles(todos.projects_without_officer, officer) == ["指派项目专员：新项目"]
    assert todos.projects_without_officer(changchun_officer) == []
    services.assign_officer(actor=officer, project_id=project.pk, officer_id=officer.pk, now=NOW)
    assert todos.projects_without_officer(officer) == []


def test_the_project_groups_say_what_waits():
    from zhouqiao.notifications.registry import SOURCES

    labels = {function: str(label) for _key, label, function in SOURCES}
    assert labels[todos.officer_items] == "待确认的节点目标、中期检查与结题验收"
    assert labels[todos.undertaker_items] == "待报告的节点目标、科技报告与后补助申请"
