"""Public questions: who may ask, answer and hide; moderation is audited; bad input writes nothing."""

import pytest
from django.urls import reverse

from tests.factories import OrganisationFactory, member_of
from zhouqiao.community.exchange import services
from zhouqiao.community.exchange.models import Question, QuestionStatus
from zhouqiao.core.errors import NotFound, PermissionDenied, ValidationFailed
from zhouqiao.core.models import AuditEvent
from zhouqiao.notifications.models import Notification
from zhouqiao.notifications.registry import SOURCES

from .conftest import make_achievement

pytestmark = pytest.mark.django_db


def _ask(asker, achievement, now, body="能否提供中试数据？"):
    return services.ask(actor=asker, kind="achievement", target=str(achievement.pk), body=body, now=now)


def _todos(user):
    return [t for _key, _label, source in SOURCES for t in source(user)]


def test_the_owner_is_notified_and_has_a_todo_until_answered(achievement, asker, university_user, now):
    question = _ask(asker, achievement, now)
    told = Notification.objects.get(user=university_user, key=f"question:{question.pk}:asked")
    assert achievement.title in told.title
    assert any("回答咨询" in t.title for t in _todos(university_user))
    assert not any("回答咨询" in t.title for t in _todos(asker))

    services.answer(actor=university_user, question_id=question.pk, text="已完成中试。", now=now)

    question.refresh_from_db()
    assert question.status == QuestionStatus.ANSWERED
    assert question.answered_as == "测试大学"
    assert Notification.objects.filter(user=asker, key=f"question:{question.pk}:answered").exists()
    assert not any("回答咨询" in t.title for t in _todos(university_user))


def test_a_question_to_an_owner_nobody_has_joined_waits_on_the_bureau(asker, city_staff, now):
    """Most catalogued universities have no member on the platform yet: the region's reviewers are
    told and find the question in their to-dos, or it would wait on nobody."""
    nobody_joined = OrganisationFactory(name="无人入驻大学", kind="university", region_id="220102")
    question = _ask(asker, make_achievement(nobody_joined), now)
    assert Notification.objects.filter(user=city_staff, key=f"question:{question.pk}:asked").exists()
    assert any("回答咨询" in t.title for t in _todos(city_staff))


def test_the_bureau_of_the_region_may_answer_but_not_another_city(
    achievement, asker, city_staff, other_city_staff, now
):
    question = _ask(asker, achievement, now)
    with pytest.raises(PermissionDenied):
        services.answer(actor=other_city_staff, question_id=question.pk, text="答复", now=now)
    services.answer(actor=city_staff, question_id=question.pk, text="请与成果方联系。", now=now)
    question.refresh_from_db()
    assert question.answered_as == "科技主管部门"


def test_a_stranger_and_the_asker_may_not_answer(achievement, asker, stranger, now):
    question = _ask(asker, achievement, now)
    for actor in (stranger, asker):
        with pytest.raises(PermissionDenied):
            services.answer(actor=actor, question_id=question.pk, text="我来回答", now=now)
    question.refresh_from_db()
    assert question.status == QuestionStatus.WAITING and question.answer == ""


def test_a_question_is_answered_once(achievement, asker, university_user, now):
    question = _ask(asker, achievement, now)
    services.answer(actor=university_user, question_id=question.pk, text="第一次回答", now=now)
    with pytest.raises(PermissionDenied):
        services.answer(actor=university_user, question_id=question.pk, text="改口", now=now)
    question.refresh_from_db()
    assert question.answer == "第一次回答"


def test_an_empty_question_is_refused_in_chinese_and_nothing_is_written(
    achievement, asker, university_user, now
):
    with pytest.raises(ValidationFailed) as refused:
        _ask(asker, achievement, now, body="   ")
    assert refused.value.message == "请填写问题内容。"
    assert not Question.objects.exists()
    assert not Notification.objects.filter(user=university_user).exists()
    assert not AuditEvent.objects.filter(action="exchange.question.asked").exists()


def test_a_draft_achievement_takes_no_question(university, asker, now):
    draft = make_achievement(university, status="draft")
    with pytest.raises(NotFound):
        _ask(asker, draft, now)
    assert not Question.objects.exists()


def test_a_reviewer_hides_with_a_reason_audited_and_the_asker_is_told(achievement, asker, city_staff, now):
    question = _ask(asker, achievement, now)
    with pytest.raises(ValidationFailed):
        services.hide(actor=city_staff, question_id=question.pk, reason="", now=now)
    assert Question.objects.get(pk=question.pk).status == QuestionStatus.WAITING

    services.hide(actor=city_staff, question_id=question.pk, reason="含有广告内容", now=now)

    question.refresh_from_db()
    assert question.status == QuestionStatus.HIDDEN
    entry = AuditEvent.objects.get(action="exchange.question.hidden", target_id=str(question.pk))
    assert entry.actor == city_staff and entry.reason == "含有广告内容"
    told = Notification.objects.get(user=asker, key=f"question:{question.pk}:hidden")
    assert "含有广告内容" in told.body


def test_only_reviewers_of_the_region_may_hide(
    achievement, asker, university_user, registrar, other_city_staff, now
):
    question = _ask(asker, achievement, now)
    for actor in (university_user, registrar, other_city_staff, asker):
        with pytest.raises(PermissionDenied):
            services.hide(actor=actor, question_id=question.pk, reason="不当内容", now=now)
    assert Question.objects.get(pk=question.pk).status == QuestionStatus.WAITING


def test_a_policy_question_waits_on_the_issuing_bureau(asker, city_staff, other_city_staff, now):
    question = services.ask(
        actor=asker, kind="policy", target="cc_challenge_accepted", body="如何申请？", now=now
    )
    assert question.region_id == "220100" and question.owner is None
    assert Notification.objects.filter(user=city_staff, key=f"question:{question.pk}:asked").exists()
    assert any("回答咨询" in t.title for t in _todos(city_staff))
    assert not _todos(other_city_staff) or not any("回答咨询" in t.title for t in _todos(other_city_staff))
    with pytest.raises(NotFound):
        services.ask(actor=asker, kind="policy", target="no_such_rule", body="？", now=now)


# --- pages -----------------------------------------------------------------------------------


def test_the_record_page_shows_questions_and_the_owner_sees_the_answer_button(
    client, achievement, asker, university_user, now
):
    question = _ask(asker, achievement, now, body="是否提供工艺培训？")
    page = client.get(reverse("catalog:achievement_detail", args=[achievement.pk]))
    assert reverse("exchange:thread", args=["achievement", achievement.pk]) in page.content.decode()
    fragment = client.get(
        reverse("exchange:thread", args=["achievement", achievement.pk]), HTTP_HX_REQUEST="true"
    )
    assert "是否提供工艺培训？" in fragment.content.decode()
    assert "登录后提问" in fragment.content.decode()
    assert "回答" not in fragment.content.decode().split("是否提供工艺培训？")[1].split("登录后提问")[
        0
    ].replace("待回答", "")

    client.force_login(university_user)
    detail = client.get(reverse("exchange:question_detail", args=[question.pk])).content.decode()
    assert "发布回答" in detail and "隐藏该问答" not in detail


def test_asking_an_empty_question_on_the_page_shows_a_chinese_error(client, achievement, asker):
    client.force_login(asker)
    response = client.post(reverse("exchange:ask", args=["achievement", achievement.pk]), {"body": ""})
    assert response.status_code == 422
    assert "请填写问题内容。" in response.content.decode()
    assert not Question.objects.exists()


def test_a_hidden_question_is_gone_from_the_public_list(client, achievement, asker, city_staff, now):
    question = _ask(asker, achievement, now, body="这是一条广告")
    services.hide(actor=city_staff, question_id=question.pk, reason="广告", now=now)
    assert "这是一条广告" not in client.get(reverse("exchange:question_list")).content.decode()
    assert client.get(reverse("exchange:question_detail", args=[question.pk])).status_code == 404
    client.force_login(asker)
    assert "广告" in client.get(reverse("exchange:question_detail", args=[question.pk])).content.decode()


def test_a_member_of_another_organisation_gets_no_answer_form(client, achievement, asker, now):
    other = member_of(OrganisationFactory(kind="university", region_id="220102"), username="other_uni")
    question = _ask(asker, achievement, now)
    client.force_login(other)
    assert (
        "发布回答" not in client.get(reverse("exchange:question_detail", args=[question.pk])).content.decode()
    )
    response = client.post(reverse("exchange:answer", args=[question.pk]), {"answer": "冒充回答"})
    assert response.status_code == 422
    assert Question.objects.get(pk=question.pk).status == QuestionStatus.WAITING


def test_the_api_refuses_an_empty_question_and_lists_answered_ones(
    client, achievement, asker, university_user, now
):
    client.force_login(asker)
    bad = client.post(
        "/api/v1/exchange/questions",
        {"kind": "achievement", "target": str(achievement.pk), "body": ""},
        content_type="application/json",
    )
    assert bad.status_code == 422 and bad.json()["message"] == "请填写问题内容。"
    assert not Question.objects.exists()
    ok = client.post(
        "/api/v1/exchange/questions",
        {"kind": "achievement", "target": str(achievement.pk), "body": "价格可谈吗？"},
        content_type="application/json",
    )
    assert ok.status_code == 201
    services.answer(actor=university_user, question_id=ok.json()["id"], text="可以。", now=now)
    rows = client.get("/api/v1/exchange/questions", {"kind": "achievement", "target": achievement.pk}).json()
    assert [(r["question"], r["answer"]) for r in rows] == [("价格可谈吗？", "可以。")]


def test_the_reviewer_hides_from_the_page_and_the_registrar_sees_no_hide_button(
    client, achievement, asker, city_staff, registrar, now
):
    question = _ask(asker, achievement, now, body="加微信详聊")
    url = reverse("exchange:question_detail", args=[question.pk])
    client.force_login(registrar)
    page = client.get(url).content.decode()
    assert "发布回答" in page and "隐藏该问答" not in page
    assert client.post(reverse("exchange:hide", args=[question.pk]), {"reason": "广告"}).status_code == 422
    client.force_login(city_staff)
    assert "隐藏该问答" in client.get(url).content.decode()
    refused = client.post(reverse("exchange:hide", args=[question.pk]), {"reason": ""})
    assert refused.status_code == 422 and "请填写隐藏原因。" in refused.content.decode()
    assert Question.objects.get(pk=question.pk).status == QuestionStatus.WAITING
    client.post(reverse("exchange:hide", args=[question.pk]), {"reason": "含有联系方式"})
    assert Question.objects.get(pk=question.pk).status == QuestionStatus.HIDDEN
    assert AuditEvent.objects.filter(action="exchange.question.hidden", reason="含有联系方式").count() == 1
