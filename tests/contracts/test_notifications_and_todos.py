"""Each contract notification reaches the right people, only them, once; the registrar's and the
submitter's to-dos list what waits on them."""

import datetime as dt

import pytest

from tests.contracts.helpers import registered, submitted
from tests.factories import member_of, staff_in
from zhouqiao.accounts.models import Duty
from zhouqiao.contracts import services, todos
from zhouqiao.notifications.models import Notification

pytestmark = pytest.mark.django_db


def told(kind):
    return sorted(Notification.objects.filter(kind=kind).values_list("user_id", flat=True))


@pytest.fixture
def people(seller_org, seller_user, buyer_user, registrar, other_registrar):
    return {
        "colleague": member_of(seller_org, role="member"),
        "province_registrar": staff_in("220000", Duty.REGISTRAR),
        "city_reviewer": staff_in("220100", Duty.REVIEWER),  # no registrar duty
        "district_registrar": staff_in("220104", Duty.REGISTRAR),  # a district, not the seller's
    }


def test_a_submission_tells_the_registrars_of_the_bureau_it_waits_on_once(
    people, seller_user, seller_org, buyer_org, registrar, now
):
    contract = submitted(seller_user, seller_org, buyer_org, now)
    # The nearest jurisdiction with a registrar (the city); the province supervises, untold.
    assert told("contracts.submitted") == [registrar.pk]
    note = Notification.objects.get(kind="contracts.submitted", user=registrar)
    assert note.url == f"/contracts/{contract.pk}/" and "80万元" in note.title
    todos.contract_changed(contract, now=now)  # the same event again: nobody is told twice
    assert Notification.objects.filter(kind="contracts.submitted").count() == 1
    assert todos.contracts_to_register(people["province_registrar"]) == []


def test_a_return_tells_the_sellers_members_and_a_resubmission_the_registrars_again(
    people, seller_user, seller_org, buyer_org, buyer_user, registrar, now
):
    contract = submitted(seller_user, seller_org, buyer_org, now)
    services.transition_contract(
        actor=registrar, contract_id=contract.pk, to_status="returned", reason="缺第3页", now=now
    )
    # the seller's administrator (here also its author), not every member
    assert told("contracts.returned") == [seller_user.pk]
    assert Notification.objects.get(kind="contracts.returned", user=seller_user).body == "缺第3页"
    later = now + dt.timedelta(days=1)
    services.transition_contract(actor=seller_user, contract_id=contract.pk, to_status="submitted", now=later)
    assert Notification.objects.filter(kind="contracts.submitted", user=registrar).count() == 2


def test_a_registration_tells_the_sellers_members_and_the_buyers_members_once(
    people, seller_user, seller_org, buyer_org, buyer_user, registrar, now
):
    contract = registered(seller_user, seller_org, buyer_org, registrar, now)
    assert told("contracts.registered") == [seller_user.pk]
    assert (
        contract.registration_number
        in Notification.objects.get(kind="contracts.registered", user=seller_user).title
    )
    # The buyer is a party: told once (a tester's enterprise never heard its contract was registered).
    assert told("contracts.registered_buyer") == [buyer_user.pk]
    note = Notification.objects.get(kind="contracts.registered_buyer", user=buyer_user)
    assert contract.registration_number in note.title and seller_org.name in note.title
    todos.contract_changed(contract, now=now)
    assert Notification.objects.filter(user=buyer_user, kind="contracts.registered_buyer").count() == 1
    assert buyer_user.pk not in told("contracts.returned")


def test_a_draft_waits_on_the_sellers_members_in_their_to_do(
    people, seller_user, seller_org, buyer_org, buyer_user, registrar, now
):
    """A draft (from a deal, a 揭榜挂帅 selection, or typed in) is a to-do of the seller's members
    until submitted; the buyer, who cannot complete it, has none."""
    from tests.contracts.fixtures import contract_data

    contract = services.draft_for_buyer_selection(
        actor=buyer_user, seller=seller_org, data=contract_data(buyer_org), now=now
    )
    [item] = todos.drafts_to_complete(people["colleague"])
    assert item.url == f"/contracts/{contract.pk}/" and item.since == now
    assert "完善合同并提交认定登记" in item.detail and buyer_org.name in item.detail
    assert todos.drafts_to_complete(buyer_user) == []
    assert todos.drafts_to_complete(registrar) == []
    submitted(seller_user, seller_org, buyer_org, now)  # another contract, submitted: no to-do
    assert [i.url for i in todos.drafts_to_complete(seller_user)] == [item.url]


def test_the_registrars_to_do_holds_what_waits_in_their_jurisdiction(
    people, seller_user, seller_org, buyer_org, registrar, other_registrar, now
):
    contract = submitted(seller_user, seller_org, buyer_org, now)
    [item] = todos.contracts_to_register(registrar)
    assert item.url == f"/contracts/{contract.pk}/" and item.since == now
    assert item.deadline.date() == contract.decision_due == now.date() + dt.timedelta(days=30)
    assert todos.contracts_to_register(other_registrar) == []
    assert todos.contracts_to_register(people["city_reviewer"]) == []
    assert todos.contracts_to_register(seller_user) == []
    services.transition_contract(actor=registrar, contract_id=contract.pk, to_status="registered", now=now)
    assert todos.contracts_to_register(registrar) == []


def test_the_submitters_to_do_holds_returned_contracts(
    people, seller_user, seller_org, buyer_org, buyer_user, registrar, now
):
    contract = submitted(seller_user, seller_org, buyer_org, now)
    assert todos.contracts_to_correct(seller_user) == []
    returned_at = now + dt.timedelta(hours=3)
    services.transition_contract(
        actor=registrar, contract_id=contract.pk, to_status="returned", reason="缺第3页", now=returned_at
    )
    [item] = todos.contracts_to_correct(people["colleague"])
    assert item.since == returned_at and "缺第3页" in item.detail
    assert todos.contracts_to_correct(buyer_user) == []
    assert todos.contracts_to_correct(registrar) == []


def test_the_to_do_page_shows_the_waiting_contract(
    client, seller_user, seller_org, buyer_org, registrar, now
):
    submitted(seller_user, seller_org, buyer_org, now, title="待办里的合同")
    client.force_login(registrar)
    page = client.get("/todo/").content.decode()
    assert "待登记的技术合同" in page and "待办里的合同" in page
