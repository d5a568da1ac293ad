"""A contract whose stored PDF is gone (a restore without its media, a disk cleaned by hand) answers
404 like a contract without one, not a server error (found by the access matrix, issue 17)."""

import pytest

from tests.contracts.fixtures import PDF, contract_data
from zhouqiao.contracts import services

pytestmark = pytest.mark.django_db


def test_an_attachment_whose_file_is_gone_answers_404(client, seller_user, seller_org, buyer_org, now):
    contract = services.create_draft(
        actor=seller_user, seller_id=seller_org.pk, data=contract_data(buyer_org), now=now
    )
    services.attach_signed_contract(
        actor=seller_user, contract_id=contract.pk, content=PDF, filename="合同.pdf", now=now
    )
    contract.refresh_from_db()
    client.force_login(seller_user)
    assert client.get(f"/contracts/{contract.pk}/attachment.pdf").status_code == 200
    contract.attachment.storage.delete(contract.attachment.name)
    assert client.get(f"/contracts/{contract.pk}/attachment.pdf").status_code == 404
