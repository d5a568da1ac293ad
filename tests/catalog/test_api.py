"""/api/v1/catalog: same permission layer as the pages."""

import json

import pytest

from tests.catalog.conftest import achievement_data
from zhouqiao.catalog.states import RecordStatus

pytestmark = pytest.mark.django_db
SECRET = "副车架焊后变形超差"


def post(client, url, payload=None):
    return client.post(url, data=json.dumps(payload or {}), content_type="application/json")


def test_create_submit_return_resubmit_publish_through_the_api(client, university_user, city_staff):
    client.force_login(university_user)
    data = achievement_data(
        readiness=6, ip_items=[{"kind": "invention_patent", "number": "ZL1", "status": "granted"}]
    )
    created = post(client, "/api/v1/catalog/achievements", data)
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["price_min"] == "500000.00" and body["status"] == "draft"
    pk = body["id"]
    assert post(client, f"/api/v1/catalog/achievements/{pk}/submit").json()["status"] == "submitted"
    assert post(client, f"/api/v1/catalog/achievements/{pk}/publish").status_code == 403
    client.force_login(city_staff)
    refused = post(client, f"/api/v1/catalog/achievements/{pk}/return", {"reason": ""})
    assert refused.status_code == 422 and refused.json()["code"] == "reason_required"
    assert (
        post(client, f"/api/v1/catalog/achievements/{pk}/return", {"reason": "补充数据"}).json()["status"]
        == "returned"
    )
    client.force_login(university_user)
    assert post(client, f"/api/v1/catalog/achievements/{pk}/publish").status_code == 409
    assert post(client, f"/api/v1/catalog/achievements/{pk}/submit").json()["status"] == "submitted"
    client.force_login(city_staff)
    assert post(client, f"/api/v1/catalog/achievements/{pk}/publish").json()["status"] == "published"
    client.logout()
    public = client.get("/api/v1/catalog/achievements?trl_min=6").json()
    assert [a["id"] for a in public] == [pk] and public[0]["contact_phone"] == "138****1234"
    history = client.get(f"/api/v1/catalog/achievements/{pk}/history")
    assert history.status_code == 401


def test_a_bad_payload_gets_chinese_field_errors(client, university_user):
    client.force_login(university_user)
    response = post(
        client, "/api/v1/catalog/achievements", achievement_data(readiness=12, transfer_modes=["gift"])
    )
    assert response.status_code == 422
    detail = response.json()["detail"]
    assert "1至9" in detail["readiness"][0] and "转让" in detail["transfer_modes"][0]


def test_confidential_demand_details_are_absent_from_the_api(client, make_demand, city_staff, stranger):
    d = make_demand(RecordStatus.PUBLISHED, reviewer=city_staff, confidentiality="summary")
    hidden = make_demand(
        RecordStatus.PUBLISHED, reviewer=city_staff, confidentiality="invited", title="受邀可见需求"
    )
    client.force_login(stranger)
    one = client.get(f"/api/v1/catalog/demands/{d.pk}")
    assert one.status_code == 200 and one.json()["access"] == "summary"
    assert "problem" not in one.json() and "contact_phone" not in one.json()
    listing = client.get("/api/v1/catalog/demands")
    assert SECRET not in listing.content.decode()
    assert [x["id"] for x in listing.json()] == [d.pk]
    assert client.get(f"/api/v1/catalog/demands/{hidden.pk}").status_code == 404


def test_the_review_queue_is_for_reviewers(client, make_demand, city_staff, stranger):
    d = make_demand(RecordStatus.SUBMITTED)
    client.force_login(city_staff)
    assert [x["id"] for x in client.get("/api/v1/catalog/review-queue?kind=demand").json()] == [d.pk]
    client.force_login(stranger)
    assert client.get("/api/v1/catalog/review-queue").status_code == 403
