"""Pages and API of the registry: who sees what (masked contacts), the forms' Chinese errors, the
officer's buttons and to-do, and the experts shown on a demand's page."""

import pytest
from django.urls import reverse

from tests.community.helpers import NOW, make_expert
from tests.factories import OrganisationFactory, member_of, staff_in
from zhouqiao.accounts.models import Duty
from zhouqiao.community.models import Expert, ExpertStatus

pytestmark = pytest.mark.django_db

PHONE = "13912345678"


@pytest.fixture
def uni(reference):
    return OrganisationFactory(name="吉林测试大学", kind="university", region_id="220102")


@pytest.fixture
def officer(reference):
    return staff_in("220100", Duty.PROGRAM_OFFICER, username="officer")


@pytest.fixture
def approved(uni):
    return make_expert(
        uni,
        name="王立新",
        keywords="碳化硅、功率器件",
        disciplines=["4602515"],
        industries=["3670"],
        phone=PHONE,
    )


def test_public_list_shows_approved_experts_with_masked_contacts(client, approved, uni):
    make_expert(uni, name="钱待审", status=ExpertStatus.APPLIED)
    page = client.get(reverse("community:expert_list")).content.decode()
    assert "王立新" in page and "钱待审" not in page
    assert PHONE not in page and "139****5678" in page
    detail = client.get(reverse("community:expert_detail", args=[approved.pk])).content.decode()
    assert PHONE not in detail and "expert@example.cn" not in detail and "139****5678" in detail


def test_officer_of_the_region_and_the_expert_see_contacts(client, approved, officer, reference):
    client.force_login(officer)
    assert PHONE in client.get(reverse("community:expert_detail", args=[approved.pk])).content.decode()
    client.force_login(staff_in("220200", Duty.PROGRAM_OFFICER))  # 吉林市: not the expert's region
    assert PHONE not in client.get(reverse("community:expert_detail", args=[approved.pk])).content.decode()
    client.force_login(staff_in("220100", Duty.REVIEWER))  # another duty
    assert PHONE not in client.get(reverse("community:expert_detail", args=[approved.pk])).content.decode()
    own = member_of(approved.organisation)
    approved.user = own
    approved.save()
    client.force_login(own)
    assert PHONE in client.get(reverse("community:expert_detail", args=[approved.pk])).content.decode()


def test_filters(client, approved, uni):
    make_expert(uni, name="许文静", keywords="玉米深加工", disciplines=["21045"], region="220183")
    url = reverse("community:expert_list")
    assert "王立新" in client.get(url, {"discipline": "460"}).content.decode()
    assert "许文静" not in client.get(url, {"discipline": "460"}).content.decode()
    page = client.get(url, {"q": "玉米"}).content.decode()
    assert "许文静" in page and "王立新" not in page
    page = client.get(url, {"region": "220100"}).content.decode()  # 长春市 and its counties
    assert "许文静" in page and "王立新" in page
    assert "王立新" not in client.get(url, {"industry": "26"}).content.decode()


def test_pending_application_is_hidden_but_the_officer_decides_it(client, uni, officer):
    pending = make_expert(uni, name="钱待审", status=ExpertStatus.APPLIED)
    url = reverse("community:expert_detail", args=[pending.pk])
    assert client.get(url).status_code == 404
    client.force_login(officer)
    page = client.get(url).content.decode()
    assert "通过，纳入专家库" in page
    todo = client.get(reverse("notifications:todo")).content.decode()
    assert "钱待审" in todo
    response = client.post(reverse("community:decide", args=[pending.pk, "reject"]), {"reason": ""})
    assert response.status_code == 302
    assert Expert.objects.get(pk=pending.pk).status == ExpertStatus.APPLIED
    client.post(reverse("community:decide", args=[pending.pk, "approve"]), {"reason": ""})
    assert Expert.objects.get(pk=pending.pk).status == ExpertStatus.APPROVED


def test_no_decision_buttons_for_others(client, uni, reference):
    pending = make_expert(uni, name="钱待审", status=ExpertStatus.APPLIED)
    far = staff_in("220200", Duty.PROGRAM_OFFICER)
    client.force_login(far)
    assert client.get(reverse("community:expert_detail", args=[pending.pk])).status_code == 404
    client.post(reverse("community:decide", args=[pending.pk, "approve"]))
    assert Expert.objects.get(pk=pending.pk).status == ExpertStatus.APPLIED


def form_data(org, **overrides):
    data = {
        "name": "张明",
        "organisation": org.pk,
        "title": "教授",
        "discipline_1": "4602515 焊接工艺与设备",
        "industry_1": "3670",
        "keywords": "焊接、铝合金",
        "region": "220102",
        "phone": "13904310000",
        "email": "zhang@example.cn",
        "available": "on",
        "conflict_organisations": "",
        "conflict_people": "李华，近亲属",
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize(
    ("overrides", "error"),
    [
        ({"discipline_1": ""}, "请至少选择一个学科领域"),
        ({"conflict_people": "李华\n，曾指导其论文"}, "第2条回避关系没有写明回避的单位或人员"),
        ({"conflict_organisations": "某某不存在公司"}, "平台上没有名为“某某不存在公司”的机构"),
    ],
)
def test_apply_form_bad_input_shows_chinese_error_and_writes_nothing(client, uni, overrides, error):
    client.force_login(member_of(uni))
    response = client.post(reverse("community:apply"), form_data(uni, **overrides))
    assert response.status_code == 200
    assert error in response.content.decode()
    assert not Expert.objects.exists()


def test_apply_form_creates_an_application(client, uni, officer):
    user = member_of(uni)
    client.force_login(user)
    assert "申请成为专家" in client.get(reverse("community:apply")).content.decode()
    response = client.post(reverse("community:apply"), form_data(uni))
    expert = Expert.objects.get(user=user)
    assert response.status_code == 302
    assert expert.status == ExpertStatus.APPLIED
    assert list(expert.disciplines.values_list("code", flat=True)) == ["4602515"]
    assert expert.declared_conflicts.get().person_name == "李华"


def test_invitation_page_accept(client, uni, officer):
    person = member_of(uni, username="invitee")
    client.force_login(officer)
    response = client.post(reverse("community:invite"), {"account": "invitee", "note": "请参加评审"})
    assert response.status_code == 302
    client.force_login(person)
    todo = client.get(reverse("notifications:todo")).content.decode()
    assert "答复专家库入库邀请" in todo
    invitation = person.expert_invitations.get()
    page = client.get(reverse("community:invitation", args=[invitation.pk])).content.decode()
    assert "接受邀请并加入专家库" in page and "谢绝邀请" in page
    client.post(reverse("community:invitation", args=[invitation.pk]), form_data(uni))
    assert Expert.objects.get(user=person).status == ExpertStatus.APPROVED


def test_invite_unknown_account_shows_error(client, officer):
    client.force_login(officer)
    page = client.post(reverse("community:invite"), {"account": "nobody"}).content.decode()
    assert "没有找到该账户" in page


def test_demand_page_shows_fitting_experts_without_contacts(client, approved, reference, uni):
    from tests.catalog.conftest import demand_data
    from zhouqiao.catalog import services as catalog
    from zhouqiao.catalog.states import RecordStatus

    firm = OrganisationFactory(name="长春测试汽车有限公司")
    owner = member_of(firm)
    demand = catalog.create_demand(
        actor=owner,
        owner_id=firm.pk,
        data=demand_data(title="车规级碳化硅功率器件封装可靠性", keywords="碳化硅、功率器件"),
        now=NOW,
    )
    reviewer = staff_in("220100", Duty.REVIEWER)
    catalog.transition(
        actor=owner, kind="demand", record_id=demand.pk, to_status=RecordStatus.SUBMITTED, reason="", now=NOW
    )
    catalog.transition(
        actor=reviewer,
        kind="demand",
        record_id=demand.pk,
        to_status=RecordStatus.PUBLISHED,
        reason="",
        now=NOW,
    )
    detail = client.get(reverse("catalog:demand_detail", args=[demand.pk])).content.decode()
    assert reverse("community:demand_experts", args=[demand.pk]) in detail
    client.force_login(owner)
    fragment = client.get(
        reverse("community:demand_experts", args=[demand.pk]), headers={"HX-Request": "true"}
    )
    text = fragment.content.decode()
    assert "王立新" in text and "推荐理由" in text and "碳化硅" in text
    assert PHONE not in text and "139****" not in text


def _published_demand(**overrides):
    from tests.catalog.conftest import demand_data
    from zhouqiao.catalog import services as catalog
    from zhouqiao.catalog.states import RecordStatus

    firm = OrganisationFactory(name="长春测试汽车有限公司")
    owner = member_of(firm)
    demand = catalog.create_demand(actor=owner, owner_id=firm.pk, data=demand_data(**overrides), now=NOW)
    reviewer = staff_in("220100", Duty.REVIEWER)
    for actor, status in ((owner, RecordStatus.SUBMITTED), (reviewer, RecordStatus.PUBLISHED)):
        catalog.transition(
            actor=actor, kind="demand", record_id=demand.pk, to_status=status, reason="", now=NOW
        )
    return demand


def test_the_expert_sees_demands_that_fit_them(client, approved, reference):
    from zhouqiao.search import indexing

    demand = _published_demand(title="车规级碳化硅功率器件封装可靠性", keywords="碳化硅、功率器件")
    other = _published_demand(
        title="玉米淀粉酶法深加工收率提升",
        summary="提高玉米淀粉酶解收率。",
        problem="酶解收率低，副产物多。",
        indicators="收率≥95%。",
        current_approach="酸法水解。",
        keywords="玉米、淀粉",
        industry="1391",
    )
    indexing.index_record("demand", demand.pk, now=NOW)
    indexing.index_record("demand", other.pk, now=NOW)
    owner = member_of(approved.organisation)
    approved.user = owner
    approved.save()
    client.force_login(owner)
    page = client.get(reverse("community:expert_detail", args=[approved.pk])).content.decode()
    assert "可对接的企业技术需求" in page
    assert "车规级碳化硅功率器件封装可靠性" in page and "玉米淀粉酶法深加工收率提升" not in page
    client.logout()
    assert (
        "可对接的企业技术需求"
        not in client.get(reverse("community:expert_detail", args=[approved.pk])).content.decode()
    )


def test_demand_experts_refuses_unpublished_demands(client, reference):
    from tests.catalog.conftest import demand_data
    from zhouqiao.catalog import services as catalog

    firm = OrganisationFactory()
    demand = catalog.create_demand(actor=member_of(firm), owner_id=firm.pk, data=demand_data(), now=NOW)
    assert client.get(reverse("community:demand_experts", args=[demand.pk])).status_code == 404


def test_api_lists_approved_experts_masked(client, approved, uni, officer):
    make_expert(uni, name="钱待审", status=ExpertStatus.APPLIED)
    rows = client.get("/api/v1/community/experts").json()
    assert [r["name"] for r in rows] == ["王立新"]
    assert rows[0]["phone"] == "139****5678" and rows[0]["contacts_masked"] is True
    assert rows[0]["disciplines"] == [{"code": "4602515", "name": "焊接工艺与设备"}]
    client.force_login(officer)
    detail = client.get(f"/api/v1/community/experts/{approved.pk}").json()
    assert detail["phone"] == PHONE and detail["reviews"] == []
    pending = Expert.objects.get(name="钱待审")
    assert client.get(f"/api/v1/community/experts/{pending.pk}").status_code == 404
    assert [r["name"] for r in client.get("/api/v1/community/experts", {"q": "碳化硅"}).json()] == ["王立新"]


def test_review_history_from_registered_sources_shows_to_officers(client, approved, officer, monkeypatch):
    from zhouqiao.community import history

    monkeypatch.setattr(history, "_sources", {})
    history.review_source(lambda expert: [(NOW, "2026年度重点研发项目评审", "评审专家")])
    client.force_login(officer)
    page = client.get(reverse("community:expert_detail", args=[approved.pk])).content.decode()
    assert "2026年度重点研发项目评审" in page
    client.logout()
    assert (
        "2026年度重点研发项目评审"
        not in client.get(reverse("community:expert_detail", args=[approved.pk])).content.decode()
    )


def test_apply_link_only_for_people_who_can_apply(client, uni, reference):
    url = reverse("community:expert_list")
    assert "登录后申请成为专家" in client.get(url).content.decode()
    from tests.factories import UserFactory

    client.force_login(UserFactory())  # no organisation: an expert names theirs
    page = client.get(url).content.decode()
    assert "申请成为专家" not in page and "我的专家信息" not in page
    user = member_of(uni)
    client.force_login(user)
    assert "申请成为专家" in client.get(url).content.decode()
    make_expert(uni, user=user)
    page = client.get(url).content.decode()
    assert "申请成为专家" not in page and "我的专家信息" in page


def test_apply_form_shows_every_problem_of_one_submission(client, uni):
    """A missing name (the form's check), no discipline and no contact (the service's): all three at once."""
    client.force_login(member_of(uni))
    response = client.post(
        reverse("community:apply"), form_data(uni, name="", discipline_1="", phone="", email="")
    )
    page = response.content.decode()
    assert "请至少选择一个学科领域。" in page and "请至少填写联系电话或联系邮箱中的一项。" in page
    assert page.count('<span class="error" role="alert">') == 3
    assert not Expert.objects.exists()
