"""Talent conversations: an enterprise member opens one with a person of the talent database; the
person is told and has a to-do; outsiders see nothing."""

import pytest
from django.urls import reverse

from tests.community.helpers import make_expert
from tests.factories import UserFactory
from zhouqiao.community.exchange import services
from zhouqiao.community.exchange.models import Conversation, Message
from zhouqiao.core.errors import NotFound, ValidationFailed
from zhouqiao.notifications.models import Notification
from zhouqiao.notifications.registry import SOURCES

pytestmark = pytest.mark.django_db


def _todos(user):
    return [t for _key, _label, source in SOURCES for t in source(user)]


@pytest.fixture
def person(university, reference):
    return make_expert(university, name="王立新", user=UserFactory(username="wanglixin"), vice_president=True)


def test_an_enterprise_opens_a_talk_the_person_is_told_and_answers(enterprise, enterprise_user, person, now):
    talk = services.open_conversation(
        actor=enterprise_user,
        expert_id=person.pk,
        organisation_id=enterprise.pk,
        post="vice_president",
        body="想请您担任我公司科技副总。",
        now=now,
    )
    assert Notification.objects.filter(user=person.user, kind="exchange.message").exists()
    assert any("回复人才对接洽谈" in t.title for t in _todos(person.user))

    services.send_message(actor=person.user, conversation_id=talk.pk, body="可以，下周面谈。", now=now)
    assert Notification.objects.filter(user=enterprise_user, kind="exchange.message").exists()
    assert not any("回复人才对接洽谈" in t.title for t in _todos(person.user))
    # a second opening continues the one thread
    again = services.open_conversation(
        actor=enterprise_user,
        expert_id=person.pk,
        organisation_id=enterprise.pk,
        post="",
        body="好的。",
        now=now,
    )
    assert again.pk == talk.pk and Message.objects.filter(conversation=talk).count() == 3


def test_an_empty_message_and_a_closed_person_are_refused(enterprise, enterprise_user, person, now):
    with pytest.raises(ValidationFailed):
        services.open_conversation(
            actor=enterprise_user,
            expert_id=person.pk,
            organisation_id=enterprise.pk,
            post="",
            body=" ",
            now=now,
        )
    person.availability = "closed"
    person.save()
    with pytest.raises(ValidationFailed):
        services.open_conversation(
            actor=enterprise_user,
            expert_id=person.pk,
            organisation_id=enterprise.pk,
            post="",
            body="您好",
            now=now,
        )
    assert not Conversation.objects.exists()


def test_an_outsider_can_neither_read_nor_write(client, enterprise, enterprise_user, person, stranger, now):
    talk = services.open_conversation(
        actor=enterprise_user,
        expert_id=person.pk,
        organisation_id=enterprise.pk,
        post="",
        body="您好",
        now=now,
    )
    with pytest.raises(NotFound):
        services.send_message(actor=stranger, conversation_id=talk.pk, body="插话", now=now)
    client.force_login(stranger)
    assert client.get(reverse("exchange:conversation", args=[talk.pk])).status_code == 404
    client.force_login(person.user)
    assert "您好" in client.get(reverse("exchange:conversation", args=[talk.pk])).content.decode()
