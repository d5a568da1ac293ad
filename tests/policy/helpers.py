"""Shared steps for the policy page, finance and notification tests."""

from tests.contracts.fixtures import PDF, contract_data
from zhouqiao.contracts import services as contracts


def register(seller_user, seller_org, buyer_org, registrar, now, **overrides):
    contract = contracts.create_draft(
        actor=seller_user, seller_id=seller_org.pk, data=contract_data(buyer_org, **overrides), now=now
    )
    contracts.attach_signed_contract(
        actor=seller_user, contract_id=contract.pk, content=PDF, filename="c.pdf", now=now
    )
    contracts.transition_contract(actor=seller_user, contract_id=contract.pk, to_status="submitted", now=now)
    return contracts.transition_contract(
        actor=registrar, contract_id=contract.pk, to_status="registered", now=now
    )
