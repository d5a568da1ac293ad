"""Negotiated matchmaking: offers, counter-offers, acceptance by the other side, a broker."""

import pytest

from tests.factories import OrganisationFactory, member_of
from tests.market.conftest import NOW
from zhouqiao.core.errors import DomainError
from zhouqiao.core.models import AuditEvent
from zhouqiao.market import selectors, services
from zhouqiao.market.models import Deal
from zhouqiao.market.states import DealSource, NegotiationStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def negotiation(enterprise_user, achievement):
    return services.open_negotiation(
        actor=enterprise_user, achievement_id=achievement.pk, message="想了解许可条件", now=NOW
    )


def test_the_other_side_accepts_the_latest_offer_and_a_deal_follows(
    negotiation, enterprise_user, university_user, broker
):
    services.invite_broker(
        actor=enterprise_user,
        negotiation_id=negotiation.pk,
        broker_id=broker.memberships.first().organisation_id,
        now=NOW,
    )
    # The institution's administrator accepts the invitation before it speaks (or is on the deal).
    services.answer_broker_invitation(actor=broker, negotiation_id=negotiation.pk, accept=True, now=NOW)
    message = services.post_message(
        actor=broker, negotiation_id=negotiation.pk, body="建议按许可方式合作", now=NOW
    )
    logged = AuditEvent.objects.get(action="market.negotiation.message")
    assert (logged.actor_id, logged.target_id, logged.after["entry"]) == (
        broker.pk,
        str(negotiation.pk),
        message.pk,
    )
    assert "建议按许可方式合作" not in str(logged.after)
    with pytest.raises(DomainError) as broker_offer:
        services.make_offer(
            actor=broker, negotiation_id=negotiation.pk, amount="1000", mode="licence", now=NOW
        )
    assert broker_offer.value.code == "forbidden"
    services.make_offer(
        actor=enterprise_user, negotiation_id=negotiation.pk, amount="400000", mode="licence", now=NOW
    )
    counter = services.make_offer(
        actor=university_user,
        negotiation_id=negotiation.pk,
        amount="550000",
        mode="licence",
        terms="独占许可五年",
        now=NOW,
    )
    with pytest.raises(DomainError) as own:
        services.accept_offer(
            actor=university_user, negotiation_id=negotiation.pk, offer_id=counter.pk, now=NOW
        )
    assert own.value.code == "own_offer"
    deal = services.accept_offer(
        actor=enterprise_user, negotiation_id=negotiation.pk, offer_id=counter.pk, now=NOW
    )
    assert (deal.source, str(deal.amount), deal.mode, deal.terms) == (
        DealSource.NEGOTIATION,
        "550000.00",
        "licence",
        "独占许可五年",
    )
    negotiation.refresh_from_db()
    assert deal.broker_id == negotiation.broker_id is not None
    assert negotiation.status == NegotiationStatus.AGREED
    with pytest.raises(DomainError):
        services.make_offer(
            actor=university_user, negotiation_id=negotiation.pk, amount="1", mode="licence", now=NOW
        )


def test_it_refuses_to_accept_a_superseded_offer(negotiation, enterprise_user, university_user):
    first = services.make_offer(
        actor=university_user, negotiation_id=negotiation.pk, amount="500000", mode="transfer", now=NOW
    )
    services.make_offer(
        actor=university_user, negotiation_id=negotiation.pk, amount="600000", mode="transfer", now=NOW
    )
    with pytest.raises(DomainError) as caught:
        services.accept_offer(
            actor=enterprise_user, negotiation_id=negotiation.pk, offer_id=first.pk, now=NOW
        )
    assert caught.value.code == "offer_superseded" and not Deal.objects.exists()


def test_only_the_parties_broker_and_regional_staff_see_the_thread(
    negotiation, enterprise_user, university_user, city_staff, other_city_staff, stranger
):
    visible = lambda user: selectors.negotiations_of(user).filter(pk=negotiation.pk).exists()  # noqa: E731
    assert visible(enterprise_user) and visible(university_user) and visible(city_staff)
    assert not visible(other_city_staff) and not visible(stranger)


def test_it_rejects_offers_from_outsiders_and_bad_amounts(negotiation, university_user, reference):
    outsider = member_of(OrganisationFactory(), username="outsider")
    with pytest.raises(DomainError) as caught:
        services.make_offer(
            actor=outsider, negotiation_id=negotiation.pk, amount="1000", mode="transfer", now=NOW
        )
    assert caught.value.code == "forbidden"
    with pytest.raises(DomainError) as bad:
        services.make_offer(
            actor=university_user, negotiation_id=negotiation.pk, amount="-5", mode="transfer", now=NOW
        )
    assert "应大于零" in str(bad.value.message)
    assert negotiation.entries.filter(kind="offer").count() == 0


def test_it_rejects_a_second_open_negotiation_and_one_on_your_own_achievement(
    negotiation, enterprise_user, university_user, achievement
):
    with pytest.raises(DomainError) as again:
        services.open_negotiation(actor=enterprise_user, achievement_id=achievement.pk, now=NOW)
    with pytest.raises(DomainError) as own:
        services.open_negotiation(actor=university_user, achievement_id=achievement.pk, now=NOW)
    assert (again.value.code, own.value.code) == ("already_open", "own_lot")
