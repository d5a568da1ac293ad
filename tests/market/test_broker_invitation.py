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


# --- withdrawing an invitation (撤回邀请) before the intermediary answers ---------------------------


def test_the_inviting_side_withdraws_the_invitation_from_the_page(
    invited, enterprise_user, university_user, broker, client
):
    negotiation, org = invited
    url = f"/market/negotiations/{negotiation.pk}/"
    # The other side did not invite: it sees no button, and the service refuses it.
    client.force_login(university_user, backend="django.contrib.auth.backends.ModelBackend")
    assert "撤回邀请" not in client.get(url).content.decode()
    with pytest.raises(DomainError):
        services.withdraw_broker_invitation(actor=university_user, negotiation_id=negotiation.pk, now=NOW)
    # The intermediary does not see it either.
    client.force_login(broker, backend="django.contrib.auth.backends.ModelBackend")
    assert "撤回邀请" not in client.get(url).content.decode()

    client.force_login(enterprise_user, backend="django.contrib.auth.backends.ModelBackend")
    assert "撤回邀请" in client.get(url).content.decode()
    page = client.post(f"{url}broker_withdraw/", follow=True).content.decode()
    assert "已撤回中介邀请" in page
    assert "撤回邀请" not in page  # nothing left to withdraw; the invite form is back
    negotiation.refresh_from_db()
    assert negotiation.broker_id is None
    entry = NegotiationEntry.objects.get(negotiation=negotiation, kind="uninvite")
    assert entry.get_kind_display() == "撤回中介邀请" and org.name in entry.body
    assert "撤回中介邀请" in page
    assert "market.negotiation.broker_withdrawn" in ACTIONS
    from zhouqiao.core.models import AuditEvent

    assert AuditEvent.objects.filter(
        action="market.negotiation.broker_withdrawn", target_id=str(negotiation.pk)
    ).exists()
    # The intermediary's to-do is gone and it is told once.
    assert negotiation.title not in _todo_titles(broker)
    told = Notification.objects.filter(user=broker, kind=todos.BROKER_WITHDRAWN)
    assert told.count() == 1 and "撤回" in told.get().title
    assert not Notification.objects.filter(user=enterprise_user, kind=todos.BROKER_WITHDRAWN).exists()


def test_an_answer_to_a_withdrawn_invitation_is_refused_in_words(invited, enterprise_user, broker, client):
    negotiation, org = invited
    client.force_login(broker, backend="django.contrib.auth.backends.ModelBackend")
    stale = client.get(f"/market/negotiations/{negotiation.pk}/").content.decode()
    assert "接受邀请" in stale
    services.withdraw_broker_invitation(actor=enterprise_user, negotiation_id=negotiation.pk, now=NOW)
    entries = NegotiationEntry.objects.filter(negotiation=negotiation).count()

    page = client.post(f"/market/negotiations/{negotiation.pk}/broker_accept/", follow=True)
    assert page.status_code == 200 and "邀请方已撤回该中介邀请" in page.content.decode()
    api = client.post(
        f"/api/v1/market/negotiations/{negotiation.pk}/broker/decline",
        data={"reason": "晚了"},
        content_type="application/json",
    )
    assert api.status_code == 409 and "邀请方已撤回" in api.json()["message"]
    with pytest.raises(DomainError, match="邀请方已撤回"):
        services.answer_broker_invitation(actor=broker, negotiation_id=negotiation.pk, accept=True, now=NOW)
    negotiation.refresh_from_db()
    assert negotiation.broker_id is None and negotiation.broker_accepted_at is None
    assert NegotiationEntry.objects.filter(negotiation=negotiation).count() == entries


def test_an_accepted_invitation_cannot_be_withdrawn_over_the_api(invited, enterprise_user, broker, client):
    negotiation, org = invited
    url = f"/api/v1/market/negotiations/{negotiation.pk}/broker"
    services.answer_broker_invitation(actor=broker, negotiation_id=negotiation.pk, accept=True, now=NOW)
    client.force_login(enterprise_user, backend="django.contrib.auth.backends.ModelBackend")
    refused = client.post(f"{url}/withdraw", data={}, content_type="application/json")
    assert refused.status_code == 409
    negotiation.refresh_from_db()
    assert negotiation.broker_accepted


def test_the_invitation_is_withdrawn_over_the_api(invited, enterprise_user, client):
    negotiation, org = invited
    client.force_login(enterprise_user, backend="django.contrib.auth.backends.ModelBackend")
    response = client.post(
        f"/api/v1/market/negotiations/{negotiation.pk}/broker/withdraw",
        data={"reason": "已另有安排"},
        content_type="application/json",
    )
    assert response.status_code == 200 and response.json()["broker_name"] is None
    assert "已另有安排" in NegotiationEntry.objects.get(negotiation=negotiation, kind="uninvite").body
