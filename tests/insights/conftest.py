"""A small hand-countable fixture: four organisations, five contracts (four registered), two
deals and a policy ledger, in the previous (published) and the current (running) year."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from tests.factories import OrganisationFactory, UserFactory
from zhouqiao.contracts.models import Contract


def local(year, month, day, hour=10, minute=0):
    return dt.datetime(year, month, day, hour, minute, tzinfo=timezone.get_current_timezone())


@pytest.fixture
def years():
    this = timezone.localtime().year
    return this - 1, this  # (published, running)


@pytest.fixture
def world(reference, years):
    past, this = years
    author = UserFactory()
    a = OrganisationFactory(name="德惠甲公司", region_id="220183")
    b = OrganisationFactory(name="朝阳乙公司", region_id="220104")
    c = OrganisationFactory(name="昌邑丙公司", region_id="220202")
    d = OrganisationFactory(name="海淀丁公司", region_id="110108")

    def contract(n, seller, buyer, amount, tech, when, kind="development", status="registered"):
        return Contract.objects.create(
            title=f"合同{n}",
            contract_type=kind,
            subtype={"development": "commissioned_development", "transfer": "patent_transfer"}.get(
                kind, "service"
            ),
            seller=seller,
            buyer=buyer,
            region_id=seller.region_id,
            contract_amount=Decimal(amount),
            technology_amount=Decimal(tech),
            signed_on=when.date(),
            status=status,
            registration_number=f"T{n}" if status == "registered" else None,
            registered_at=when if status == "registered" else None,
            created_by=author,
            created_at=when,
        )

    contract(1, a, c, "1000000", "800000", local(past, 6, 1))
    contract(2, b, a, "2000000", "2000000", local(past, 3, 1), kind="transfer")
    contract(3, c, d, "500000", "400000", local(past, 12, 31, 23, 30), kind="service")  # local year end
    contract(4, a, b, "300000", "300000", local(this, 1, 1, 0, 30))  # first half hour of the year
    contract(5, b, c, "9999999", "9999999", local(past, 5, 5), status="submitted")  # not registered
    return {"a": a, "b": b, "c": c, "d": d, "author": author}
