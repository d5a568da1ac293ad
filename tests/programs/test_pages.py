"""Pages of project calls: the public list and guide, the officer's form and buttons, bad input on
the forms refused in Chinese with nothing written."""

import pytest
from django.urls import reverse

from tests.programs.conftest import submitted
from zhouqiao.programs.models import Application, Call

pytestmark = pytest.mark.django_db


def _rubric(*rows) -> dict:
    """The rubric rows of the call form (name, weight, maximum score); the other rows left empty."""
    data = {}
    for i in range(8):
        name, weight, top = rows[i] if i < len(rows) else ("", "", "")
        data |= {f"rubric_name_{i}": name, f"rubric_weight_{i}": weight, f"rubric_max_{i}": top}
    return data


def _call_form(**overrides) -> dict:
    data = {
        "title": "新指南",
        "jurisdiction": "220100",
        "guide": "支持方向说明",
        "categories": "汽车电子\n新材料",
        "budget": "1,000,000",
        "local_only": "on",
        "opens_on": "2026-12-01",
        "closes_on": "2027-01-31",
        "project_start": "2027-03-01",
        "project_end": "2028-12-31",
        **_rubric(("创新性", "50", "10"), ("可行性", "40", "10")),
        "blind": "on",
        "reviewers_per_application": "5",
        "load_cap": "8",
        "aggregation": "trimmed",
        "divergence_threshold": "20",
        "objection_days": "5",
    }
    data.update(overrides)
    return data


def test_the_public_sees_open_calls_and_the_guide_but_no_staff_buttons(client, call):
    page = client.get(reverse("programs:call_list")).content.decode()
    assert call.title in page and "发布申报指南" not in page
    detail = client.get(reverse("programs:call_detail", args=[call.pk])).content.decode()
    assert (
        "申报条件" in detail
        and "创新性" in detail
        and "截止申报" not in detail
        and "填写申报书" not in detail
    )


def test_a_draft_is_seen_by_officers_only(client, officer, call):
    Call.objects.filter(pk=call.pk).update(status="draft")
    assert client.get(reverse("programs:call_detail", args=[call.pk])).status_code == 404
    client.force_login(officer)
    page = client.get(reverse("programs:call_detail", args=[call.pk])).content.decode()
    assert "发布指南" in page


def test_it_refuses_a_rubric_on_the_form_in_chinese_and_writes_nothing(client, officer):
    client.force_login(officer)
    before = Call.objects.count()
    response = client.post(reverse("programs:call_create"), _call_form())
    assert response.status_code == 200 and "权重合计须为100，现为90" in response.content.decode()
    response = client.post(reverse("programs:call_create"), _call_form(**_rubric(("创新性", "50", ""))))
    assert "第1项评审指标请填写指标名称、权重和满分三项" in response.content.decode()
    response = client.post(reverse("programs:call_create"), _call_form(**_rubric(("创新性", "五十", "10"))))
    assert response.status_code == 200 and "权重须为1到100之间的整数" in response.content.decode()
    assert Call.objects.count() == before
    page = client.get(reverse("programs:call_create")).content.decode()
    assert "指标名称|权重|满分" not in page and 'value="技术路线可行性"' in page  # rows, with defaults
    response = client.post(
        reverse("programs:call_create"), _call_form(**_rubric(("创新性", "60", "10"), ("可行性", "40", "10")))
    )
    assert response.status_code == 302
    call = Call.objects.get(title="新指南")
    assert call.region_prefix == "2201" and call.budget == 1000000 and call.status == "draft"
    assert call.rubric == [
        {"name": "创新性", "weight": 60, "max_score": 10},
        {"name": "可行性", "weight": 40, "max_score": 10},
    ]


def test_the_call_form_offers_departments_not_regions(client, officer):
    from tests.factories import OrganisationFactory
    from zhouqiao.accounts.models import Membership

    bureau = OrganisationFactory(name="长春市科学技术局", kind="government", region_id="220104")
    Membership.objects.create(organisation=bureau, user=officer, role="member", joined_at=bureau.created_at)
    client.force_login(officer)
    page = client.get(reverse("programs:call_create")).content.decode()
    select = page[page.index('name="jurisdiction"') :].split("</select>")[0]
    assert '<option value="220100">长春市科学技术局</option>' in select
    assert ">长春市<" not in select


def test_non_officers_cannot_create_calls(client, applicant):
    client.force_login(applicant)
    assert client.get(reverse("programs:call_create")).status_code == 404


def test_the_application_form_refuses_bad_lines_and_sums(client, call, applicant, applicant_org):
    client.force_login(applicant)
    url = reverse("programs:application_create", args=[call.pk])
    form = {
        "lead": applicant_org.pk, "title": "测试项目", "category": "汽车电子", "summary": "摘要", "plan": "方案",
        "requested_amount": "100000", "project_start": "2027-01-01", "project_end": "2027-12-31",
        "team": "张三|工程师|负责人", "milestones": "2027-06-30|样机", "budget_lines": "设备费|60000\n材料费|30000",
    }  # fmt: skip
    page = client.post(url, form).content.decode()
    assert "与申请资助金额100,000.00元不一致" in page
    page = client.post(url, form | {"milestones": "2028-01-31|样机"}).content.decode()
    assert "不在项目执行期内" in page
    page = client.post(url, form | {"budget_lines": "设备费|六万"}).content.decode()
    assert "第1行" in page
    page = client.post(url, form | {"partners": "不存在的单位|合作"}).content.decode()
    assert "未找到已认证的机构" in page
    assert not Application.objects.exists()
    assert client.post(url, form | {"budget_lines": "设备费|70000\n材料费|30000"}).status_code == 302
    assert Application.objects.get().status == "draft"


def test_officer_sees_duplicate_flags_and_formal_check(client, call, officer, applicant, applicant_org):
    first = submitted(call, applicant, applicant_org)
    second = submitted(call, applicant, applicant_org, title=first.title + "（续）")
    client.force_login(officer)
    page = client.get(reverse("programs:application_detail", args=[second.pk])).content.decode()
    assert "疑似重复" in page and first.title in page and "保存审查结论" in page
    client.force_login(applicant)
    page = client.get(reverse("programs:application_detail", args=[second.pk])).content.decode()
    assert "保存审查结论" not in page and "疑似重复" not in page


def test_the_notice_shows_title_undertaker_and_amount_but_not_the_application(
    client, call, officer, applicant, applicant_org
):
    import datetime as dt
    from decimal import Decimal

    from django.utils import timezone

    from tests.factories import UserFactory
    from tests.programs.conftest import reviewed, to_review
    from zhouqiao.programs import services

    app = submitted(call, applicant, applicant_org)
    services.formal_check(actor=officer, now=timezone.now(), application_id=app.pk, accept=True)
    to_review(call, officer)
    reviewed(call, app)
    services.approve(actor=officer, now=timezone.now(), call_id=call.pk, amounts={app.pk: Decimal("450000")})
    services.publish_notice(actor=officer, now=timezone.now() - dt.timedelta(minutes=1), call_id=call.pk)
    page = client.get(reverse("programs:call_detail", args=[call.pk])).content.decode()
    assert "拟立项项目公示" in page and app.title in page and applicant_org.name in page and "45万元" in page
    assert "提出异议" not in page  # signed-in people only
    client.force_login(UserFactory())
    page = client.get(reverse("programs:call_detail", args=[call.pk])).content.decode()
    assert "提出异议" in page
    assert client.get(reverse("programs:application_detail", args=[app.pk])).status_code == 404
    response = client.post(
        reverse("programs:objection_create", args=[app.pk]), {"reason": "数据存疑，请核实"}
    )
    assert response.status_code == 302 and app.objections.count() == 1
