import pytest

pytestmark = pytest.mark.django_db


def test_staff_of_another_county_neither_see_nor_approve_changchun_applications(
    client, pool, certified, enterprise_user, county_staff
):
    client.force_login(enterprise_user)
    app = client.post(
        "/api/v1/vouchers/applications",
        {"enterprise_id": certified.pk, "category": "testing", "amount": "10000", "purpose": "检测"},
        content_type="application/json",
    ).json()
    assert app["status"] == "submitted" and app["amount"] == "10000.00"
    client.force_login(county_staff)
    assert client.get("/api/v1/vouchers/applications").json() == []
    response = client.post(
        f"/api/v1/vouchers/applications/{app['id']}/approve",
        {},
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY="a-1",
    )
    assert response.status_code == 404


def test_a_voucher_shows_its_ledger_to_its_holder(client, voucher, enterprise_user, stranger):
    client.force_login(enterprise_user)
    body = client.get(f"/api/v1/vouchers/vouchers/{voucher.pk}").json()
    assert [e["kind"] for e in body["entries"]] == ["issue"] and body["remaining"] == "20000.00"
    client.force_login(stranger)
    assert client.get(f"/api/v1/vouchers/vouchers/{voucher.pk}").status_code == 404


def test_the_reconcile_endpoint_is_for_staff(client, pool, cc_staff, enterprise_user):
    client.force_login(enterprise_user)
    assert client.get("/api/v1/vouchers/reconcile").status_code == 403
    client.force_login(cc_staff)
    assert client.get("/api/v1/vouchers/reconcile").json()["ok"] is True


def test_staff_record_a_relation_and_the_provider_can_no_longer_take_orders(
    client, voucher, testing_service, provider_org, certified, cc_staff, enterprise_user
):
    client.force_login(cc_staff)
    response = client.post(
        "/api/v1/vouchers/relations",
        {"provider_id": provider_org.pk, "enterprise_id": certified.pk, "description": "共同联系人"},
        content_type="application/json",
    )
    assert response.status_code == 201
    client.force_login(enterprise_user)
    order = client.post(
        "/api/v1/vouchers/orders",
        {
            "enterprise_id": certified.pk,
            "service_id": testing_service.pk,
            "voucher_id": voucher.pk,
            "price": "1000",
        },
        content_type="application/json",
    )
    assert order.status_code == 422 and order.json()["code"] == "related_party"


def test_a_certification_list_is_imported_all_or_nothing(client, certified, cc_staff, county_org):
    client.force_login(cc_staff)
    rows = [
        {
            "credit_code": certified.credit_code,
            "kind": "tech_sme",
            "number": "2026220104A0001",
            "valid_from": "2026-01-01",
            "valid_until": "2026-12-31",
        },
        {
            "credit_code": county_org.credit_code,
            "kind": "high_tech",
            "number": "GR2026X",
            "valid_from": "2026-01-01",
            "valid_until": "2026/12/31",
        },
    ]
    bad = client.post("/api/v1/vouchers/certifications/import", rows, content_type="application/json")
    assert bad.status_code == 422 and "第2行" in bad.json()["message"]
    assert not certified.certifications.filter(number="2026220104A0001").exists()
    rows[1]["valid_until"] = "2026-12-31"
    ok = client.post("/api/v1/vouchers/certifications/import", rows, content_type="application/json")
    assert ok.json() == {"imported": 2}
