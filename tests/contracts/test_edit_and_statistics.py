"""Editing a returned contract through the form, the staff statistics page and its export, and
the contracts API."""

import io

import pytest
from openpyxl import load_workbook

from tests.contracts.fixtures import PDF, contract_data
from tests.contracts.helpers import visible_text
from tests.factories import staff_in
from zhouqiao.accounts.models import Duty
from zhouqiao.contracts import services
from zhouqiao.contracts.models import Contract
from zhouqiao.core.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def returned(seller_user, seller_org, buyer_org, registrar, now):
    contract = services.create_draft(
        actor=seller_user, seller_id=seller_org.pk, data=contract_data(buyer_org), now=now
    )
    services.attach_signed_contract(
        actor=seller_user, contract_id=contract.pk, content=PDF, filename="c.pdf", now=now
    )
    services.transition_contract(actor=seller_user, contract_id=contract.pk, to_status="submitted", now=now)
    return services.transition_contract(
        actor=registrar, contract_id=contract.pk, to_status="returned", reason="请列明设备款", now=now
    )


def edit_form(contract, **overrides):
    form = {
        "title": contract.title,
        "contract_type": "transfer",
        "subtype": "patent_transfer",
        "buyer": contract.buyer_id,
        "contract_amount": "900000.00",
        "signed_on": "2024-05-20",
        "ip_summary": "ZL202010000000.1",
        "items-TOTAL_FORMS": "2",
        "items-INITIAL_FORMS": "0",
        "items-0-kind": "equipment",
        "items-0-description": "反应釜",
        "items-0-amount": "100000.00",
        "items-1-kind": "materials",
        "instalments-TOTAL_FORMS": "2",
        "instalments-INITIAL_FORMS": "0",
        "instalments-0-due_on": "2024-07-01",
        "instalments-0-amount": "400000.00",
        "instalments-1-due_on": "2024-12-01",
        "instalments-1-amount": "500000.00",
    }
    form.update(overrides)
    return form


def test_the_seller_edits_a_returned_contract_and_resubmits(client, returned, seller_user):
    client.force_login(seller_user)
    page = client.get(f"/contracts/{returned.pk}/edit/").content.decode()
    assert "请列明设备款" in page and 'value="800000.00"' in page and 'value="2024-05-20"' in page
    response = client.post(f"/contracts/{returned.pk}/edit/", edit_form(returned))
    assert response.status_code == 302
    returned.refresh_from_db()
    assert str(returned.technology_amount) == "800000.00" and str(returned.contract_amount) == "900000.00"
    assert [str(i.amount) for i in returned.instalments.all()] == ["400000.00", "500000.00"]
    assert AuditEvent.objects.filter(action="contract.update", target_id=str(returned.pk)).exists()
    client.post(f"/contracts/{returned.pk}/submit/")
    returned.refresh_from_db()
    assert returned.status == "submitted"


def test_bad_input_changes_nothing(client, returned, seller_user):
    client.force_login(seller_user)
    response = client.post(
        f"/contracts/{returned.pk}/edit/", edit_form(returned, **{"instalments-1-amount": "1.00"})
    )
    assert "支付计划合计应等于合同成交额" in response.content.decode()
    response = client.post(
        f"/contracts/{returned.pk}/edit/", edit_form(returned, **{"items-0-amount": "950000.00"})
    )
    assert "非技术性款项合计不能超过合同成交额" in response.content.decode()
    returned.refresh_from_db()
    assert str(returned.contract_amount) == "800000.00" and not returned.instalments.exists()


def test_only_the_seller_edits_and_only_while_returned(
    client, returned, buyer_user, seller_user, registrar, now
):
    client.force_login(buyer_user)
    client.post(f"/contracts/{returned.pk}/edit/", edit_form(returned))
    returned.refresh_from_db()
    assert str(returned.contract_amount) == "800000.00"
    services.transition_contract(actor=seller_user, contract_id=returned.pk, to_status="submitted", now=now)
    client.force_login(seller_user)
    client.post(f"/contracts/{returned.pk}/edit/", edit_form(returned))
    assert str(Contract.objects.get(pk=returned.pk).contract_amount) == "800000.00"


def test_statistics_page_and_export_stay_in_the_jurisdiction(client, returned, seller_user, registrar, now):
    services.transition_contract(actor=seller_user, contract_id=returned.pk, to_status="submitted", now=now)
    services.transition_contract(actor=registrar, contract_id=returned.pk, to_status="registered", now=now)
    client.force_login(seller_user)
    assert client.get("/contracts/statistics/").status_code == 403
    client.force_login(registrar)
    assert 'id="statistics-link"' in client.get("/contracts/").content.decode()
    page = client.get("/contracts/statistics/?level=county").content.decode()
    assert "吉林省长春市朝阳区" in page and "80.00万元" in page and "技术转让" in page
    text = visible_text(page)
    assert "220104" not in text and "800000.00" not in text  # names and 万元, not codes or raw figures
    export = client.get("/contracts/statistics.xlsx?level=city")
    sheets = load_workbook(io.BytesIO(export.content))
    assert sheets.sheetnames[0] == "按登记年度"
    assert [c.value for c in sheets["按登记年度"][2]] == [2024, 1, 800000, 800000]
    client.force_login(staff_in("220200", Duty.REGISTRAR))
    assert "80.00万元" not in client.get("/contracts/statistics/").content.decode()


def test_the_api_creates_edits_and_submits_a_contract(client, seller_user, seller_org, buyer_org, buyer_user):
    client.force_login(seller_user)
    payload = {**contract_data(buyer_org), "seller_id": seller_org.pk}
    response = client.post("/api/v1/contracts", payload, content_type="application/json")
    assert response.status_code == 201
    pk = response.json()["id"]
    payload["non_technical_items"] = [{"kind": "equipment", "amount": "100000.00"}]
    response = client.put(f"/api/v1/contracts/{pk}", payload, content_type="application/json")
    assert response.json()["technology_amount"] == "700000.00"
    refused = client.post(
        f"/api/v1/contracts/{pk}/transitions", {"action": "submit"}, content_type="application/json"
    )
    assert refused.status_code == 422  # no signed PDF yet
    client.force_login(buyer_user)
    response = client.put(f"/api/v1/contracts/{pk}", payload, content_type="application/json")
    assert response.status_code == 403  # the buyer sees the draft but only the seller edits it
