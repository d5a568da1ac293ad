import re
import zlib

import pytest

from tests.contracts.fixtures import PDF, contract_data
from zhouqiao.contracts import services

pytestmark = pytest.mark.django_db


def _registered(seller_user, seller_org, buyer_org, registrar, now):
    contract = services.create_draft(
        actor=seller_user, seller_id=seller_org.pk, data=contract_data(buyer_org), now=now
    )
    services.attach_signed_contract(
        actor=seller_user, contract_id=contract.pk, content=PDF, filename="c.pdf", now=now
    )
    services.transition_contract(actor=seller_user, contract_id=contract.pk, to_status="submitted", now=now)
    return services.transition_contract(
        actor=registrar, contract_id=contract.pk, to_status="registered", now=now
    )


def _inflate(stream: bytes) -> bytes:
    """A deflated PDF stream's text. The lazy regex can cut a binary stream (the QR image, whose
    bytes change with each verification code) short, so take what inflates and skip the rest."""
    try:
        return zlib.decompressobj().decompress(stream)
    except zlib.error:
        return b""


def test_the_certificate_is_a_chinese_pdf(client, seller_user, seller_org, buyer_org, registrar, now):
    contract = _registered(seller_user, seller_org, buyer_org, registrar, now)
    client.force_login(seller_user)
    response = client.get(f"/contracts/{contract.pk}/certificate.pdf")
    assert response.status_code == 200 and response.content.startswith(b"%PDF-")
    streams = re.findall(rb"stream\r?\n(.*?)\r?\nendstream", response.content, re.S)
    text = b"".join(_inflate(s) for s in streams if s[:1] == b"x")
    assert b"NotoSerifCJK" in text or b"NotoSerifCJK" in response.content  # the CJK font is embedded


def test_it_hides_a_contract_from_a_stranger(client, seller_user, seller_org, buyer_org, registrar, now):
    from tests.factories import UserFactory

    contract = _registered(seller_user, seller_org, buyer_org, registrar, now)
    stranger = UserFactory()
    client.force_login(stranger)
    assert client.get(f"/contracts/{contract.pk}/").status_code == 404
    assert client.get(f"/contracts/{contract.pk}/certificate.pdf").status_code == 404


def test_statistics_roll_up_to_the_city(client, seller_user, seller_org, buyer_org, registrar, now):
    _registered(seller_user, seller_org, buyer_org, registrar, now)
    client.force_login(registrar)
    rows = client.get("/api/v1/contracts/statistics?by=region&level=city").json()
    assert rows == [
        {"region": "220100", "count": 1, "contract_amount": "800000.00", "technology_amount": "800000.00"}
    ]
    flows = client.get("/api/v1/contracts/statistics?by=flow&level=county").json()
    assert flows[0]["seller_region"] == "220102" and flows[0]["buyer_region"] == "220104"


def test_statistics_are_for_staff_only(client, seller_user):
    client.force_login(seller_user)
    assert client.get("/api/v1/contracts/statistics").status_code == 403
