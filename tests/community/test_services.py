"""The registry's writes: apply → approve/reject (notified, audited), edit, suspend, invitations; bad
input gets a Chinese error and writes nothing."""

import pytest

from tests.community.helpers import NOW, make_expert
from tests.factories import OrganisationFactory, UserFactory, member_of, staff_in
from zhouqiao.accounts.models import Duty
from zhouqiao.community import services
from zhouqiao.community.models import Expert, ExpertConflict, ExpertInvitation, ExpertStatus, InvitationStatus
from zhouqiao.community.services import ConflictInput, ExpertData
from zhouqiao.core.errors import Conflict, InvalidTransition, PermissionDenied, ValidationFailed
from zhouqiao.core.models import AuditEvent
from zhouqiao.notifications.models import Notification

pytestmark = pytest.mark.django_db


@pytest.fixture
def uni(reference):
    return OrganisationFactory(name="吉林测试大学", kind="university", region_id="220102")


@pytest.fixture
def person(uni):
    return member_of(uni, username="zhang", display_name="张明")


@pytest.fixture
def officer(reference):
    return staff_in("220100", Duty.PROGRAM_OFFICER, username="officer")


@pytest.fixture
def far_officer(reference):
    return staff_in("220200", Duty.PROGRAM_OFFICER, username="far_officer")


def data(org, **overrides) -> ExpertData:
    values = {
        "name": "张明",
        "organisation_id": org.pk,
        "region": "220102",
        "disciplines": ["4602515", ""],
        "industries": ["3670"],
        "title": "教授",
        "keywords": "焊接、铝合金",
        "profile": "从事铝合金焊接研究二十年。",
        "phone": "13904310000",
        "email": "zhang@example.cn",
        "conflicts": [ConflictInput(person="李华", reason="近亲属")],
    }
    values.update(overrides)
    return ExpertData(**values)


def test_apply_then_officer_of_the_region_approves(person, uni, officer, far_officer):
    expert = services.apply(actor=person, data=data(uni), now=NOW)
    assert expert.status == ExpertStatus.APPLIED
    assert list(expert.disciplines.values_list("code", flat=True)) == ["4602515"]
    assert ExpertConflict.objects.get(expert=expert).person_name == "李华"
    assert Notification.objects.filter(user=officer, kind="community.expert_applied").exists()
    assert not Notification.objects.filter(user=far_officer).exists()

    with pytest.raises(PermissionDenied):
        services.approve(actor=far_officer, expert_id=expert.pk, now=NOW)
    expert = services.approve(actor=officer, expert_id=expert.pk, now=NOW)
    assert expert.status == ExpertStatus.APPROVED and expert.approved_at == NOW
    assert Notification.objects.filter(user=person, kind="community.expert_decided").exists()
    actions = list(
        AuditEvent.objects.filter(target_type="community.expert")
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions == ["community.expert.applied", "community.expert.approved"]


def test_reject_needs_a_reason_and_the_person_resubmits(person, uni, officer):
    expert = services.apply(actor=person, data=data(uni), now=NOW)
    with pytest.raises(ValidationFailed) as err:
        services.reject(actor=officer, expert_id=expert.pk, reason=" ", now=NOW)
    assert "原因" in err.value.message
    assert Expert.objects.get(pk=expert.pk).status == ExpertStatus.APPLIED
    services.reject(actor=officer, expert_id=expert.pk, reason="请补充主要成果", now=NOW)
    note = Notification.objects.get(user=person, kind="community.expert_decided")
    assert note.body == "请补充主要成果"
    expert = services.update_profile(
        actor=person, data=data(uni, profile="主持国家重点研发计划课题。"), now=NOW
    )
    assert expert.status == ExpertStatus.APPLIED and expert.status_reason == ""


def test_every_other_move_is_refused(person, uni, officer):
    expert = services.apply(actor=person, data=data(uni), now=NOW)
    with pytest.raises(InvalidTransition):
        services.suspend(actor=officer, expert_id=expert.pk, reason="x", now=NOW)
    with pytest.raises(InvalidTransition):
        services.reinstate(actor=officer, expert_id=expert.pk, now=NOW)
    services.approve(actor=officer, expert_id=expert.pk, now=NOW)
    with pytest.raises(InvalidTransition):
        services.approve(actor=officer, expert_id=expert.pk, now=NOW)
    with pytest.raises(InvalidTransition):
        services.reject(actor=officer, expert_id=expert.pk, reason="x", now=NOW)
    services.suspend(actor=officer, expert_id=expert.pk, reason="评审中违反保密纪律", now=NOW)
    with pytest.raises(InvalidTransition):
        services.suspend(actor=officer, expert_id=expert.pk, reason="x", now=NOW)
    assert services.reinstate(actor=officer, expert_id=expert.pk, now=NOW).status == ExpertStatus.APPROVED
    # An approved expert's own edit keeps them approved.
    assert services.update_profile(actor=person, data=data(uni), now=NOW).status == ExpertStatus.APPROVED


def test_a_person_applies_once(person, uni):
    services.apply(actor=person, data=data(uni), now=NOW)
    with pytest.raises(Conflict, match="已提交过"):
        services.apply(actor=person, data=data(uni), now=NOW)
    assert Expert.objects.count() == 1


@pytest.mark.parametrize(
    ("overrides", "field", "text"),
    [
        ({"disciplines": ["", ""]}, "disciplines", "请至少选择一个学科领域"),
        ({"disciplines": ["999999"]}, "disciplines", "不在国家标准学科分类中"),
        ({"industries": ["XX"]}, "industries", "不在国民经济行业分类中"),
        ({"conflicts": [ConflictInput(reason="曾合作")]}, "conflicts.0", "没有写明回避的单位或人员"),
        ({"conflicts": [ConflictInput(organisation="不存在的公司")]}, "conflicts.0", "平台上没有名为"),
        ({"phone": "", "email": ""}, "phone", "至少填写联系电话或联系邮箱"),
        ({"email": "not-an-email"}, "email", "邮箱格式不正确"),
        ({"name": "  "}, "name", "请填写姓名"),
        ({"region": "999999"}, "region", "请选择所在地区"),
    ],
)
def test_bad_input_gets_a_chinese_error_and_writes_nothing(person, uni, overrides, field, text):
    with pytest.raises(ValidationFailed) as err:
        services.apply(actor=person, data=data(uni, **overrides), now=NOW)
    assert any(text in m for m in err.value.detail[field])
    assert not Expert.objects.exists() and not ExpertConflict.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="community.").exists()


def test_the_organisation_must_be_ones_own(person, reference):
    other = OrganisationFactory(name="别人的单位", kind="university")
    with pytest.raises(ValidationFailed) as err:
        services.apply(actor=person, data=data(other), now=NOW)
    assert "organisation" in err.value.detail


def test_declared_organisations_resolve_by_name_and_own_one_is_refused(person, uni, reference):
    firm = OrganisationFactory(name="长春测试汽车有限公司")
    expert = services.apply(
        actor=person,
        data=data(uni, conflicts=[ConflictInput(organisation="长春测试汽车有限公司", reason="顾问")]),
        now=NOW,
    )
    assert expert.declared_conflicts.get().organisation == firm
    with pytest.raises(ValidationFailed, match="自动回避"):
        services.update_profile(
            actor=person, data=data(uni, conflicts=[ConflictInput(organisation="吉林测试大学")]), now=NOW
        )
    assert expert.declared_conflicts.get().organisation == firm


def test_invitation_accepted_enters_the_registry(person, uni, officer):
    invitation = services.invite(actor=officer, account="ZHANG", note="请参加2027年度项目评审", now=NOW)
    assert invitation.jurisdiction_id == "220100"
    assert not Expert.objects.exists()  # nobody is entered without consenting
    assert Notification.objects.filter(user=person, kind="community.expert_invited").exists()
    with pytest.raises(Conflict, match="已向该账户发出邀请"):
        services.invite(actor=officer, account="zhang", now=NOW)
    expert = services.accept_invitation(actor=person, invitation_id=invitation.pk, data=data(uni), now=NOW)
    assert expert.status == ExpertStatus.APPROVED and expert.jurisdiction_id == "220100"
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.ACCEPTED and invitation.expert == expert
    assert Notification.objects.filter(user=officer, kind="community.invitation_answered").exists()
    with pytest.raises(ValidationFailed, match="已是库内专家"):
        services.invite(actor=officer, account="zhang", now=NOW)


def test_invitation_declined_and_only_by_the_invited_person(person, uni, officer):
    invitation = services.invite(actor=officer, account=person.email, now=NOW)
    stranger = UserFactory()
    with pytest.raises(Exception, match="不存在"):
        services.decline_invitation(actor=stranger, invitation_id=invitation.pk, now=NOW)
    services.decline_invitation(actor=person, invitation_id=invitation.pk, now=NOW)
    assert ExpertInvitation.objects.get().status == InvitationStatus.DECLINED
    assert not Expert.objects.exists()
    with pytest.raises(InvalidTransition):
        services.accept_invitation(actor=person, invitation_id=invitation.pk, data=data(uni), now=NOW)


def test_only_program_officers_invite_and_accounts_must_exist(person, officer, reference):
    reviewer = staff_in("220100", Duty.REVIEWER)
    with pytest.raises(PermissionDenied):
        services.invite(actor=reviewer, account="zhang", now=NOW)
    with pytest.raises(ValidationFailed, match="没有找到该账户"):
        services.invite(actor=officer, account="nobody-here", now=NOW)
    assert not ExpertInvitation.objects.exists()


def test_suspended_expert_leaves_matching(officer, reference):
    from zhouqiao.community.matching import ItemProfile, experts_for

    expert = make_expert(keywords="碳化硅、功率器件", region="220102")
    assert experts_for(ItemProfile(text="碳化硅功率器件"))
    services.suspend(actor=officer, expert_id=expert.pk, reason="本人申请暂停", now=NOW)
    assert experts_for(ItemProfile(text="碳化硅功率器件")) == []
