"""The contract page in plain Chinese, with only the buttons the viewer may press."""

import pytest

from tests.contracts.helpers import submitted, visible_text

pytestmark = pytest.mark.django_db


def test_each_viewer_sees_only_the_buttons_they_may_press(
    client, seller_user, seller_org, buyer_org, buyer_user, registrar, other_registrar, now
):
    contract = submitted(seller_user, seller_org, buyer_org, now)
    url = f"/contracts/{contract.pk}/"
    client.force_login(registrar)
    assert "准予登记" in client.get(url).content.decode()
    for viewer in (seller_user, buyer_user):
        client.force_login(viewer)
        page = client.get(url).content.decode()
        assert "准予登记" not in page and "退回补正" not in page and "撤销登记" not in page
    client.force_login(other_registrar)
    assert client.get(url).status_code == 404


def test_amounts_are_read_with_their_unit(client, seller_user, seller_org, buyer_org, now):
    contract = submitted(
        seller_user,
        seller_org,
        buyer_org,
        now,
        contract_amount="1234567.80",
        non_technical_items=[{"kind": "equipment", "amount": "34567.80", "description": "反应釜"}],
    )
    client.force_login(seller_user)
    text = visible_text(client.get(f"/contracts/{contract.pk}/").content.decode())
    assert "1,234,567.80元" in text and "120万元" in text and "34,567.80元" in text
    for raw in ("1234567.80", "equipment", "transfer", "submitted", "patent_transfer"):
        assert raw not in text


def test_the_type_names_its_subtype_only_when_it_says_more(client, seller_user, seller_org, buyer_org, now):
    client.force_login(seller_user)
    service = submitted(seller_user, seller_org, buyer_org, now, contract_type="service", subtype="service")
    text = visible_text(client.get(f"/contracts/{service.pk}/").content.decode())
    assert "技术服务" in text and "技术服务（技术服务）" not in text
    training = submitted(seller_user, seller_org, buyer_org, now, contract_type="service", subtype="training")
    assert "技术服务（技术培训）" in visible_text(client.get(f"/contracts/{training.pk}/").content.decode())
