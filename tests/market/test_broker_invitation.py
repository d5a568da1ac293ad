"""An invited intermediary is only invited until it accepts (tester's finding: the broker an
enterprise picked was named on the contract, and paid the broker award, without ever agreeing).
Its administrator or a certified broker accepts or declines; the inviting side hears the answer;
only an accepted intermediary is carried to the deal and the contract."""

import pytest

from tests.factories import member_of
from tests.market.conftest import NOW
from tests.market.test_deal_broker_to_contract import certified
from zhouqiao.accounts.models import MemberRole
from zhouqiao.contracts.models import Contract
from zhouqiao.core.audit_labels import ACTIONS
from zhouqiao.core.errors import DomainError
from zhouqiao.market import services, todos
from zhouqiao.market.models import Deal, NegotiationEntry
from zhouqiao.notifications.models import Notification
from zhouqiao.notifications.selectors import todos_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def invited(enterprise_user, achievement, broker):
    org = broker.memberships.first().organisation
    certified(broker, "孙立")
    negotiation = services.open_negotiation(
        actor=enterprise_user, achievement_id=achievement.pk, message="想了解", now=NOW
    )
    services.invite_broker(actor=enterprise_user, negotiation_id=negotiation.pk, broker_id=org.pk, now=NOW)
    return negotiation, org


def _todo_titles(user):
    return [row.todo.title for group in todos_for(user, now=NOW) for row in group.items]


def test_an_invitation_not_accepted_is_carried_nowhere(
    invited, enterprise_user, university_user, django_capture_on_commit_callbacks
):
    negotiation, org = invited
    offer = services.make_offer(
        actor=university_user, negotiation_id=negotiation.pk, amount="450000", mode="licence", now=NOW
    )
    with django_capture_on_commit_callbacks(execute=True):
        deal = services.accept_offer(
            actor=enterprise_user, negotiation_id=negotiation.pk, offer_id=offer.pk, now=NOW
        )
    deal = Deal.objects.get(pk=deal.pk)
    contract = Contract.objects.get(pk=deal.contract_id)
    assert deal.broker_id is None
    assert (contract.transfer_institution_id, contract.broker_name) == (None, "")


def test_the_broker_accepts_from_its_to_do_and_the_inviter_is_told(invited, enterprise_user, broker, client):
    negotiation, org = invited
    assert negotiation.title in _todo_titles(broker)
    assert Notification.objects.filter(user=broker, kind=todos.BROKER_INVITED).exists()
    # Before accepting it may not speak in the thread.
    with pytest.raises(DomainError):
        services.post_message(actor=broker, negotiation_id=negotiation.pk, body="你好", now=NOW)
    client.force_login(broker, backend="django.contrib.auth.backends.ModelBackend")
    page = client.get(f"/market/negotiations/{negotiation.pk}/").content.decode()
    assert "接受邀请" in page and "谢绝邀请" in page
    response = client.post(f"/market/negotiations/{negotiation.pk}/broker_accept/", follow=True)
    assert "已接受邀请" in response.content.decode()
    negotiation.refresh_from_db()
    assert negotiation.broker_accepted
    assert negotiation.title not in _todo_titles(broker)
    told = Notification.objects.get(user=enterprise_user, kind=todos.BROKER_ANSWERED)
    assert "已接受邀请" in told.title
    assert NegotiationEntry.objects.filter(negotiation=negotiation, kind="broker_yes").exists()
    assert "market.negotiation.broker_accepted" in ACTIONS
    services.post_message(actor=broker, negotiation_id=negotiation.pk, body="建议许可", now=NOW)


def test_a_plain_member_may_not_answer_and_a_decline_clears_the_invitation(invited, enterprise_user):
    negotiation, org = invited
    clerk = member_of(org, role=MemberRole.MEMBER, username="clerk")
    assert negotiation.title not in _todo_titles(clerk)
    with pytest.raises(DomainError):
        services.answer_broker_invitation(actor=clerk, negotiation_id=negotiation.pk, accept=True, now=NOW)
    admin = member_of(org, username="center_admin")
    services.answer_broker_invitation(
        actor=admin, negotiation_id=negotiation.pk, accept=False, reason="档期已满", now=NOW
    )
    negotiation.refresh_from_db()
    assert negotiation.broker_id is None
    told = Notification.objects.get(user=enterprise_user, kind=todos.BROKER_ANSWERED)
    assert "谢绝" in told.title and told.body == "档期已满"
    # The parties may invite again.
    services.invite_broker(actor=enterprise_user, negotiation_id=negotiation.pk, broker_id=org.pk, now=NOW)


def test_the_invitation_is_answered_over_the_api_too(invited, broker, enterprise_user, client):
    negotiation, org = invited
    url = f"/api/v1/market/negotiations/{negotiation.pk}"
    client.force_login(enterprise_user, backend="django.contrib.auth.backends.ModelBackend")
    assert client.get(url).json()["broker_accepted"] is False
    refused = client.post(f"{url}/broker/accept", content_type="application/json")
    assert refused.status_code == 403  # a party does not answer for the intermediary
    client.force_login(broker, backend="django.contrib.auth.backends.ModelBackend")
    answered = client.post(f"{url}/broker/accept", content_type="application/json")
    assert answered.status_code == 200 and answered.json()["broker_accepted"] is True
