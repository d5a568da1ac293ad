"""Public questions and answers refuse phone numbers and e-mail addresses: they would be published
to everybody. Contact goes through the platform's 洽谈 instead. Patent numbers, years and amounts
are not contact details."""

import pytest
from django.urls import reverse

from zhouqiao.community.exchange import services
from zhouqiao.community.exchange.models import Question, QuestionStatus
from zhouqiao.core.contact import contact_details
from zhouqiao.core.errors import ValidationFailed
from zhouqiao.core.models import AuditEvent
from zhouqiao.notifications.models import Notification

CONTACTS = [
    ("对这项技术很感兴趣，请联系我13804316688", "mobile"),
    ("方便的话打我手机 138 0431 6688，王工", "mobile"),
    ("手机：138-0431-6688（工作日）", "mobile"),
    ("手机 +86 13804316688", "mobile"),
    ("请拨打１３８０４３１６６８８", "mobile"),  # full-width digits
    ("我们办公室电话0431-85168888，欢迎来访", "landline"),
    ("座机043185168888", "landline"),
    ("北京联系人电话（010）6215 8888", "landline"),
    ("资料请发到 wang.gong@jlu.edu.cn 谢谢", "email"),
    ("邮箱：zhang_san＠163.com", "email"),  # full-width at sign
]

HARMLESS = [
    "专利号CN1234567A已于2025年授权，许可费报价120万元，可以分期吗？",
    "ZL201810123456.X这项专利的有效期到哪年？2019-2025年的维护费谁承担？",
    "合同编号2025220100000123登记后能否享受0.5%的补助？首付30%即36万元。",
    "中试线产能每年13800件，良品率98.5%，需要多少平方米厂房？",
]


def test_the_patterns_find_contacts_and_leave_identifiers_years_and_amounts_alone():
    for text, kind in CONTACTS:
        assert kind in contact_details(text), text
    for text in HARMLESS:
        assert contact_details(text) == [], text


@pytest.mark.django_db
@pytest.mark.parametrize("body", [text for text, _kind in CONTACTS[::3]])
def test_a_question_with_contact_details_is_refused_and_nothing_is_saved(
    achievement, asker, university_user, now, body
):
    with pytest.raises(ValidationFailed) as refused:
        services.ask(actor=asker, kind="achievement", target=str(achievement.pk), body=body, now=now)
    assert refused.value.code == "contact_details"
    assert "洽谈" in refused.value.message
    assert not Question.objects.exists()
    assert not AuditEvent.objects.filter(action="exchange.question.asked").exists()
    assert not Notification.objects.exists()


@pytest.mark.django_db
def test_a_question_with_a_patent_number_year_and_amount_is_accepted(achievement, asker, now):
    question = services.ask(
        actor=asker, kind="achievement", target=str(achievement.pk), body=HARMLESS[0], now=now
    )
    assert question.body == HARMLESS[0]


@pytest.mark.django_db
def test_an_answer_with_an_e_mail_address_is_refused_and_the_question_still_waits(
    achievement, asker, university_user, now
):
    question = services.ask(
        actor=asker, kind="achievement", target=str(achievement.pk), body="能否提供中试数据？", now=now
    )
    with pytest.raises(ValidationFailed) as refused:
        services.answer(
            actor=university_user,
            question_id=question.pk,
            text="数据较多，请发邮件至 kjc@jlu.edu.cn 索取。",
            now=now,
        )
    assert "电子邮箱" in refused.value.message
    question.refresh_from_db()
    assert question.status == QuestionStatus.WAITING and question.answer == ""
    assert not Notification.objects.filter(user=asker).exists()


@pytest.mark.django_db
def test_the_page_shows_the_chinese_error_and_keeps_nothing(client, achievement, asker):
    client.force_login(asker)
    response = client.post(
        reverse("exchange:ask", args=["achievement", achievement.pk]), {"body": "详情请致电0431-85168888"}
    )
    assert response.status_code == 422
    page = response.content.decode()
    assert "不能包含固定电话等联系方式" in page and "洽谈" in page
    assert not Question.objects.exists()


@pytest.mark.django_db
def test_the_answer_form_refuses_a_mobile_number(client, achievement, asker, university_user, now):
    question = services.ask(
        actor=asker, kind="achievement", target=str(achievement.pk), body="价格可谈吗？", now=now
    )
    client.force_login(university_user)
    response = client.post(
        reverse("exchange:answer", args=[question.pk]), {"answer": "可以谈，请打 139 4431 0000 找李老师"}
    )
    assert response.status_code == 422
    assert "手机号码" in response.content.decode()
    assert Question.objects.get(pk=question.pk).status == QuestionStatus.WAITING


@pytest.mark.django_db
def test_the_api_refuses_contact_details_with_422(client, achievement, asker):
    client.force_login(asker)
    response = client.post(
        "/api/v1/exchange/questions",
        {"kind": "achievement", "target": str(achievement.pk), "body": "加我 13804316688 或 a@b.cn"},
        content_type="application/json",
    )
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "contact_details"
    assert "手机号码、电子邮箱" in body["message"]
    assert not Question.objects.exists()
