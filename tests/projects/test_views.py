"""Pages: the public 立项信息公开 list and report, the management page's buttons and refusals."""

import datetime as dt

import pytest
from django.urls import reverse

from tests.community.helpers import make_expert
from tests.projects.conftest import NOW
from zhouqiao.programs.projects import services
from zhouqiao.programs.projects.models import Disbursement, Milestone, Project


def _login(client, user):
    client.force_login(user)
    return client


def _accepted(project, officer, member, experts, public_from):
    services.submit_final_report(
        actor=member,
        project_id=project.pk,
        title="碳纤维中试科技报告",
        abstract="摘要：中试成功",
        body="正文内容",
        now=NOW,
    )
    services.form_panel(
        actor=officer,
        project_id=project.pk,
        expert_ids=[e.pk for e in experts],
        due_date="2026-12-20",
        now=NOW,
    )
    for e in experts:
        services.record_opinion(actor=e.user, project_id=project.pk, opinion="pass", comment="好", now=NOW)
    services.conclude_acceptance(
        actor=officer,
        project_id=project.pk,
        conclusion="passed",
        reason="好",
        report_public_from=public_from,
        now=NOW,
    )


def test_the_public_list_shows_amount_with_unit_and_searches(client, project):
    page = client.get(reverse("projects:project_list"))
    text = page.content.decode()
    assert page.status_code == 200
    assert "高性能碳纤维复合材料中试" in text and "50万元" in text and "2026年吉林市科技发展计划" in text
    assert "高性能碳纤维" in client.get(reverse("projects:project_list"), {"q": "碳纤维"}).content.decode()
    assert "高性能碳纤维" not in client.get(reverse("projects:project_list"), {"q": "光刻"}).content.decode()
    assert (
        "高性能碳纤维" in client.get(reverse("projects:project_list"), {"region": "220200"}).content.decode()
    )
    assert (
        "高性能碳纤维" not in client.get(reverse("projects:project_list"), {"year": "2025"}).content.decode()
    )


def test_the_report_is_public_only_after_its_embargo(client, project, officer, member, experts):
    _accepted(project, officer, member, experts, public_from="2099-01-01")
    url = reverse("projects:public_report", args=[project.pk])
    assert "正文内容" not in client.get(url).content.decode()
    assert "碳纤维中试科技报告" not in client.get(reverse("projects:project_list")).content.decode()
    Project.objects.filter(pk=project.pk).update(report_public_from=dt.date(2026, 1, 1))
    assert "正文内容" in client.get(url).content.decode()
    listing = client.get(reverse("projects:project_list"), {"q": "中试成功"}).content.decode()
    assert "碳纤维中试科技报告" in listing


def test_the_api_lists_projects_with_pagination(client, project, officer, undertaker):
    services.create_project(
        actor=officer,
        undertaker_id=undertaker.pk,
        title="第二个项目",
        call_title="计划",
        amount="100000",
        start_date="2026-03-01",
        end_date="2027-03-01",
        now=NOW,
    )
    data = client.get("/api/v1/programs/projects/", {"limit": 1}).json()
    assert len(data) == 1 and len(client.get("/api/v1/programs/projects/").json()) == 2
    assert data[0]["approved_amount"] in ("500000.00", "100000.00")
    second = client.get("/api/v1/programs/projects/", {"limit": 1, "offset": 1}).json()
    assert second[0]["id"] != data[0]["id"]
    assert client.get("/api/v1/programs/projects/", {"limit": 0}).status_code == 422


def test_strangers_cannot_open_the_management_page(client, project, stranger, changchun_officer):
    for who in (stranger, changchun_officer):
        _login(client, who)
        assert client.get(reverse("projects:project_detail", args=[project.pk])).status_code == 404
        response = client.post(
            reverse("projects:project_action", args=[project.pk, "disburse"]),
            {"disburse-amount": "1000", "disburse-paid_on": "2026-02-01"},
        )
        assert response.status_code == 404
    assert not Disbursement.objects.exists()


def test_buttons_follow_the_role(client, project, officer, member):
    _login(client, member)
    text = client.get(reverse("projects:project_detail", args=[project.pk])).content.decode()
    assert "提交进展报告" in text and "登记拨付" not in text and "记录中期检查结论" not in text
    client.logout()
    _login(client, officer)
    text = client.get(reverse("projects:project_detail", args=[project.pk])).content.decode()
    assert "登记拨付" in text and "记录中期检查结论" in text and "提交进展报告" not in text


@pytest.mark.parametrize(
    ("action", "data", "message"),
    [
        (
            "milestone",
            {"milestone-deliverable": "样品", "milestone-due_date": "2028-03-01"},
            "须在项目实施期内",
        ),
        ("disburse", {"disburse-amount": "600000", "disburse-paid_on": "2026-02-01"}, "不能超过立项资助金额"),
        ("disburse", {"disburse-amount": "1.001", "disburse-paid_on": "2026-02-01"}, "两位小数"),
    ],
)
def test_bad_input_gets_a_chinese_error_and_writes_nothing(client, project, officer, action, data, message):
    _login(client, officer)
    response = client.post(reverse("projects:project_action", args=[project.pk, action]), data)
    assert response.status_code == 422
    assert message in response.content.decode()
    assert not Milestone.objects.exists() and not Disbursement.objects.exists()


def test_one_click_after_acceptance_opens_the_draft_achievement(
    client, project, officer, member, experts, stranger
):
    _accepted(project, officer, member, experts, public_from=None)
    _login(client, member)
    page = client.get(reverse("projects:project_detail", args=[project.pk])).content.decode()
    assert "将项目成果登记为科技成果" in page and "申请后补助" in page
    response = client.post(reverse("projects:project_action", args=[project.pk, "achievement"]))
    project.refresh_from_db()
    assert response.status_code == 302
    assert response["Location"] == reverse("catalog:achievement_edit", args=[project.achievement_id])
    assert client.get(response["Location"]).status_code == 200
    page = client.get(reverse("projects:project_detail", args=[project.pk])).content.decode()
    assert "将项目成果登记为科技成果" not in page and "项目成果已登记为科技成果" in page
    client.logout()
    _login(client, officer)
    page = client.get(reverse("projects:project_detail", args=[project.pk])).content.decode()
    assert "将项目成果登记为科技成果" not in page and "申请后补助" not in page.split("验收之后")[-1]


def _page(client, project) -> str:
    return client.get(reverse("projects:project_detail", args=[project.pk])).content.decode()


def test_a_recorded_mid_term_conclusion_replaces_the_form_and_is_not_recorded_twice(client, project, officer):
    _login(client, officer)
    url = reverse("projects:project_action", args=[project.pk, "mid_term"])
    assert ">记录中期检查结论</button>" in _page(client, project)
    response = client.post(url, {"mid_term-conclusion": "passed", "mid_term-reason": "进度符合计划"})
    assert response.status_code == 302
    page = _page(client, project)
    assert "中期检查结论（" in page and "：通过。进度符合计划" in page
    assert ">记录中期检查结论</button>" not in page and 'name="mid_term-reason"' not in page
    again = client.post(url, {"mid_term-conclusion": "terminate", "mid_term-reason": "重复提交"})
    assert again.status_code == 422 and "不能重复记录" in again.content.decode()
    project.refresh_from_db()
    assert project.status == "in_progress" and project.mid_term_reason == "进度符合计划"


def test_the_acceptance_section_says_what_comes_next_and_is_gone_after_termination(client, project, officer):
    _login(client, officer)
    page = _page(client, project)
    section = page.split('id="acceptance-h"')[1].split("</section>")[0]
    assert "项目执行期至2027-12-31。执行期满后由承担单位提交科技报告（验收材料）申请验收" in section
    services.record_mid_term(
        actor=officer, project_id=project.pk, conclusion="rectify", reason="滞后", now=NOW
    )
    assert "整改复查通过后，承担单位方可提交科技报告" in _page(client, project)
    services.record_mid_term(
        actor=officer, project_id=project.pk, conclusion="terminate", reason="无法完成", now=NOW
    )
    assert 'id="acceptance-h"' not in _page(client, project)


def test_the_post_subsidy_application_cites_the_project_by_name_not_by_id(
    client, project, officer, member, experts
):
    _accepted(project, officer, member, experts, public_from=None)
    _login(client, member)
    response = client.post(reverse("projects:project_action", args=[project.pk, "post_subsidy"]))
    assert response.status_code == 302
    detail = client.get(response["Location"]).content.decode()
    assert "《高性能碳纤维复合材料中试》（2026-12-07验收）" in detail
    assert f"立项项目{project.pk}" not in detail
    page = _page(client, project)  # the project finds its claim by the new reference
    assert "后补助申请：" in page and ">申请后补助</button>" not in page


def test_funding_says_what_is_paid_and_what_waits_and_offline_experts_are_not_pending(
    client, project, officer, member, experts
):
    offline = make_expert(name="赵线下", region="220102")
    _login(client, officer)
    assert "50万元（尚未拨付）" in _page(client, project)
    services.record_disbursement(
        actor=officer, project_id=project.pk, amount="300000", paid_on="2026-02-01", now=NOW
    )
    services.submit_final_report(
        actor=member, project_id=project.pk, title="报告", abstract="摘要", body="正文", now=NOW
    )
    services.form_panel(
        actor=officer,
        project_id=project.pk,
        expert_ids=[e.pk for e in [*experts, offline]],
        due_date="2026-12-20",
        now=NOW,
    )
    for e in experts:  # the offline expert speaks at the meeting
        services.record_opinion(actor=e.user, project_id=project.pk, opinion="pass", comment="好", now=NOW)
    services.conclude_acceptance(
        actor=officer, project_id=project.pk, conclusion="passed", reason="同意", now=NOW
    )
    page = _page(client, project)
    assert "50万元（已拨付30万元，待拨付20万元）" in page and "已验收" in page
    panel = page.split("验收专家组")[1].split("</table>")[0]
    assert "待提交" not in panel and "赵线下" in panel and "无平台账户，在验收会议上发表意见" in panel
    services.record_disbursement(
        actor=officer, project_id=project.pk, amount="200000", paid_on="2026-12-01", now=NOW
    )
    assert "50万元（已全额拨付）" in _page(client, project)
