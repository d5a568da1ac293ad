"""Brokers: certificate checks, a record computed from the contracts naming them, ratings by a
party of the contract only, once."""

from decimal import Decimal

import pytest

from tests.factories import OrganisationFactory, UserFactory, member_of
from tests.institutions.conftest import NOW, registered_contract
from zhouqiao.community.institutions import selectors, services
from zhouqiao.community.institutions.models import Broker, BrokerRating, TrainingRecord
from zhouqiao.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from zhouqiao.core.models import AuditEvent

pytestmark = pytest.mark.django_db

CERTIFICATE = {
    "name": "孙立",
    "level": "senior",
    "certificate_number": "DBZX-2021-0618",
    "certificate_issuer": "国家技术转移东北中心",
    "certificate_date": "2021-06-18",
    "fields": "先进制造",
}


@pytest.fixture
def person(institution):
    return member_of(institution, username="sunli")


def register(admin, institution, person, **changes):
    return services.register_broker(
        actor=admin,
        organisation_id=institution.pk,
        user_id=person.pk,
        data={**CERTIFICATE, **changes},
        now=NOW,
    )


def test_a_certificate_dated_in_the_future_is_refused_and_nothing_written(admin, institution, person):
    with pytest.raises(ValidationFailed) as refused:
        register(admin, institution, person, certificate_date="2024-12-11")  # NOW is 2024-12-10
    assert refused.value.detail["certificate_date"] == ["发证日期不能晚于今天。"]
    assert not Broker.objects.exists() and not AuditEvent.objects.filter(action="broker.register").exists()


def test_an_unknown_level_and_a_missing_number_are_refused(admin, institution, person):
    with pytest.raises(ValidationFailed) as refused:
        register(admin, institution, person, level="expert", certificate_number="")
    assert set(refused.value.detail) == {"level", "certificate_number"}
    assert not Broker.objects.exists()


def test_only_the_institution_s_admin_registers_its_own_members(admin, institution, person, buyer_user):
    with pytest.raises(PermissionDenied):
        register(buyer_user, institution, person)
    with pytest.raises(ValidationFailed):
        register(admin, institution, buyer_user)  # not a member of the institution
    broker = register(admin, institution, person)
    assert broker.level == "senior" and AuditEvent.objects.filter(action="broker.register").count() == 1


def test_the_record_counts_the_registered_contracts_naming_the_broker(
    admin, institution, person, seller, buyer
):
    broker = register(admin, institution, person)
    registered_contract(
        seller=seller,
        buyer=buyer,
        institution=institution,
        broker_name="孙立",
        amount="800000.00",
        industry="36",
    )
    registered_contract(
        seller=seller,
        buyer=buyer,
        institution=institution,
        broker_name="孙立",
        amount="200000.00",
        industry="36",
    )
    registered_contract(
        seller=seller, buyer=buyer, institution=institution, broker_name="别人", amount="900000.00"
    )
    registered_contract(
        seller=seller, buyer=buyer, institution=institution, broker_name="孙立", status="submitted"
    )
    other = OrganisationFactory(kind="transfer_institution")
    registered_contract(seller=seller, buyer=buyer, institution=other, broker_name="孙立", amount="700000.00")
    record = selectors.broker_record(broker)
    assert record["contract_count"] == 2 and record["contract_amount"] == 1000000
    assert [(f["industry__name"], f["n"]) for f in record["fields"]] == [("汽车制造业", 2)]


def test_a_party_rates_once_and_a_stranger_not_at_all(admin, institution, person, seller, buyer, buyer_user):
    broker = register(admin, institution, person)
    contract = registered_contract(seller=seller, buyer=buyer, institution=institution, broker_name="孙立")
    with pytest.raises(PermissionDenied):
        services.rate_broker(
            actor=UserFactory(), broker_id=broker.pk, contract_id=contract.pk, score=5, comment="", now=NOW
        )
    with pytest.raises(ValidationFailed):
        services.rate_broker(
            actor=buyer_user, broker_id=broker.pk, contract_id=contract.pk, score=6, comment="", now=NOW
        )
    assert selectors.rateable_contracts(buyer_user, broker) == [contract]
    services.rate_broker(
        actor=buyer_user, broker_id=broker.pk, contract_id=contract.pk, score=4, comment="专业", now=NOW
    )
    with pytest.raises(Conflict):
        services.rate_broker(
            actor=buyer_user, broker_id=broker.pk, contract_id=contract.pk, score=5, comment="", now=NOW
        )
    assert list(BrokerRating.objects.values_list("score", "organisation_id")) == [(4, buyer.pk)]
    assert selectors.rateable_contracts(buyer_user, broker) == []
    unrelated = registered_contract(seller=seller, buyer=buyer, institution=institution, broker_name="别人")
    with pytest.raises(NotFound):
        services.rate_broker(
            actor=buyer_user, broker_id=broker.pk, contract_id=unrelated.pk, score=5, comment="", now=NOW
        )


def test_training_hours_are_bounded_and_summed_by_year(admin, institution, person):
    broker = register(admin, institution, person)
    for year, hours in [(2024, "16"), (2024, "8.5"), (2023, "40")]:
        services.add_training(
            actor=admin,
            broker_id=broker.pk,
            year=year,
            course="实务",
            provider="东北中心",
            hours=hours,
            now=NOW,
        )
    for bad in [{"hours": "0"}, {"hours": "501"}, {"year": 2025}]:
        with pytest.raises(ValidationFailed):
            services.add_training(
                actor=admin,
                broker_id=broker.pk,
                **{"year": 2024, "course": "x", "provider": "y", "hours": "1", **bad},
                now=NOW,
            )
    assert TrainingRecord.objects.count() == 3
    assert [(t["year"], t["hours"]) for t in selectors.training_by_year(broker)] == [
        (2024, Decimal("24.5")),
        (2023, Decimal("40")),
    ]
