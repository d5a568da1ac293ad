"""The contract drafted from a deal names the deal's broker: the institution (中介方) and the broker
person (技术经纪（理）人) who worked the negotiation, so the broker's award shows in the preview."""

import pytest

from tests.factories import member_of
from tests.market.conftest import NOW
from zhouqiao.community.institutions.models import Broker
from zhouqiao.community.institutions.states import CertificateStatus
from zhouqiao.contracts.models import Contract
from zhouqiao.market import services

pytestmark = pytest.mark.django_db


def certified(user, name):
    org = user.memberships.first().organisation
    return Broker.objects.create(
        user=user,
        organisation=org,
        name=name,
        level="intermediate",
        certificate_number=f"JL-{user.pk}",
        certificate_issuer="国家技术转移东北中心",
        certificate_date=NOW.date(),
        certificate_status=CertificateStatus.APPROVED,
        created_at=NOW,
        updated_at=NOW,
    )


def agree(enterprise_user, university_user, broker_org, capture, *, broker_writes=None, answerer=None):
    negotiation = services.open_negotiation(
        actor=enterprise_user, achievement_id=university_user.achievement_id, message="想了解", now=NOW
    )
    services.invite_broker(
        actor=enterprise_user, negotiation_id=negotiation.pk, broker_id=broker_org.pk, now=NOW
    )
    if answerer is not None:
        services.answer_broker_invitation(actor=answerer, negotiation_id=negotiation.pk, accept=True, now=NOW)
    if broker_writes is not None:
        services.post_message(actor=broker_writes, negotiation_id=negotiation.pk, body="建议许可", now=NOW)
    offer = services.make_offer(
        actor=university_user, negotiation_id=negotiation.pk, amount="500000", mode="licence", now=NOW
    )
    with capture(execute=True):
        deal = services.accept_offer(
            actor=enterprise_user, negotiation_id=negotiation.pk, offer_id=offer.pk, now=NOW
        )
    deal.refresh_from_db()
    return Contract.objects.get(pk=deal.contract_id)


def test_the_contract_carries_the_broker_who_worked_the_deal(
    enterprise_user, university_user, achievement, broker, django_capture_on_commit_callbacks
):
    org = broker.memberships.first().organisation
    certified(member_of(org, username="broker_two"), "王二")
    person = certified(broker, "孙立")
    university_user.achievement_id = achievement.pk
    contract = agree(
        enterprise_user,
        university_user,
        org,
        django_capture_on_commit_callbacks,
        broker_writes=broker,
        answerer=broker,
    )
    assert contract.transfer_institution_id == org.pk
    assert (contract.broker_name, contract.broker_region_id) == (person.name, org.region_id)


def test_without_a_known_broker_person_only_the_institution_is_carried(
    enterprise_user, university_user, achievement, broker, django_capture_on_commit_callbacks
):
    org = broker.memberships.first().organisation
    certified(broker, "孙立")
    certified(member_of(org, username="broker_two"), "王二")  # two brokers, neither wrote: no guess
    university_user.achievement_id = achievement.pk
    admin = member_of(org, username="center_admin")  # accepts for the institution, is no broker
    contract = agree(
        enterprise_user, university_user, org, django_capture_on_commit_callbacks, answerer=admin
    )
    assert contract.transfer_institution_id == org.pk
    assert contract.broker_name == ""
