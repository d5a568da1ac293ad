"""《长春市进一步加快科技创新发展的若干政策措施》第九条 subsidises transfer institutions 纳入市级备案: registering a contract
grants it only when the institution was filed with Changchun's bureau on or before the signing date."""

import datetime as dt

import pytest
from django.utils import timezone

from tests.contracts.fixtures import PDF, contract_data
from tests.factories import OrganisationFactory, file_institution, member_of, staff_in
from zhouqiao.accounts.models import Duty
from zhouqiao.contracts import services as contracts

pytestmark = pytest.mark.django_db

NOW = timezone.make_aware(dt.datetime(2024, 6, 1, 10, 0))
SIGNED = dt.date(2024, 5, 20)


def granted_001_9(filed_on=None, bureau="220100", status="approved"):
    seller = OrganisationFactory(kind="university", region_id="220102")
    buyer = OrganisationFactory(region_id="220104")
    institution = OrganisationFactory(kind="transfer_institution", region_id="220173")
    if filed_on is not None:
        filing = file_institution(institution, on=filed_on)
        filing.bureau_region_id, filing.status = bureau, status
        if status != "approved":
            filing.number, filing.filed_on = None, None
        filing.save()
    user = member_of(seller)
    registrar = staff_in("220100", Duty.REGISTRAR)
    data = contract_data(buyer, transfer_institution_id=institution.pk, signed_on=SIGNED.isoformat())
    contract = contracts.create_draft(actor=user, seller_id=seller.pk, data=data, now=NOW)
    contracts.attach_signed_contract(
        actor=user, contract_id=contract.pk, content=PDF, filename="c.pdf", now=NOW
    )
    contracts.transition_contract(actor=user, contract_id=contract.pk, to_status="submitted", now=NOW)
    contract = contracts.transition_contract(
        actor=registrar, contract_id=contract.pk, to_status="registered", now=NOW
    )
    return [str(e.amount) for e in contract.entitlements.filter(clause="001#9")]


@pytest.mark.parametrize(
    ("filing", "expected"),
    [
        ({"filed_on": SIGNED}, ["80.00"]),  # filed on the signing day: 0.01% of 80万
        ({"filed_on": SIGNED - dt.timedelta(days=300)}, ["80.00"]),
        ({"filed_on": SIGNED + dt.timedelta(days=1)}, []),  # filed after the contract was signed
        ({}, []),  # a verified institution that never filed
        ({"filed_on": SIGNED, "status": "submitted"}, []),  # still under review
        ({"filed_on": SIGNED, "bureau": "220200"}, []),  # filed with Jilin City's bureau, not Changchun's
    ],
)
def test_only_an_institution_filed_by_the_signing_date_earns_article_9(reference, filing, expected):
    assert granted_001_9(**filing) == expected
