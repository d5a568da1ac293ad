"""The API shell: OpenAPI, the error shape and statuses, session and token authentication."""

import pytest
from django.test import Client

from tests.factories import OrganisationFactory, member_of
from zhouqiao.accounts.models import ApiToken, Duty
from zhouqiao.core.models import AuditEvent

pytestmark = pytest.mark.django_db

ERROR_KEYS = {"code", "message", "detail"}


def _json(client, method, url, data=None):
    return getattr(client, method)(url, data or {}, content_type="application/json")


def test_openapi_is_served_and_lists_the_endpoints(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    for path in [
        "/api/v1/me",
        "/api/v1/organisations",
        "/api/v1/organisations/{org_id}",
        "/api/v1/organisations/{org_id}/verify",
        "/api/v1/organisations/{org_id}/return",
        "/api/v1/verification-queue",
        "/api/v1/staff/assignments",
        "/api/v1/audit",
        "/api/v1/tokens",
        "/api/v1/regions",
        "/api/v1/industries",
        "/api/v1/patent-classes",
        "/api/v1/disciplines",
        "/api/v1/readiness-levels",
        "/api/v1/key-industries",
    ]:
        assert path in paths, path


def test_the_api_docs_page_is_served(client):
    assert client.get("/api/v1/docs").status_code == 200


@pytest.mark.parametrize(
    ("url", "payload"),
    [
        ("/api/v1/tokens", {"name": "脚本"}),
        ("/api/v1/organisations/1/verify", {}),
        ("/api/v1/staff/assignments", {"username": "x", "jurisdiction": "220100", "duty": "reviewer"}),
    ],
)
def test_it_rejects_anonymous_writes_with_401(client, reference, url, payload):
    response = _json(client, "post", url, payload)
    assert response.status_code == 401
    body = response.json()
    assert set(body) == ERROR_KEYS
    assert body["code"] == "unauthenticated"
    assert "请先登录" in body["message"]


def test_it_rejects_me_for_anonymous_visitors_with_401(client):
    assert client.get("/api/v1/me").status_code == 401


def test_it_rejects_an_organisation_admin_verifying_their_own_organisation_with_403(client, reference):
    org = OrganisationFactory(submitted=True)
    client.force_login(member_of(org))
    response = _json(client, "post", f"/api/v1/organisations/{org.pk}/verify")
    assert response.status_code == 403
    assert response.json() == {"code": "forbidden", "message": "您无权执行此操作。", "detail": {}}
    org.refresh_from_db()
    assert org.status == "submitted"


def test_it_rejects_an_unknown_organisation_with_404(client, county_staff):
    client.force_login(county_staff)
    response = client.get("/api/v1/organisations/999999")
    assert response.status_code == 404
    assert set(response.json()) == ERROR_KEYS and response.json()["code"] == "not_found"
    assert _json(client, "post", "/api/v1/organisations/999999/verify").status_code == 404


def test_it_rejects_an_invalid_transition_with_409(client, county_staff, county_org):
    client.force_login(county_staff)
    response = _json(client, "post", f"/api/v1/organisations/{county_org.pk}/verify")  # already verified
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "invalid_transition"
    assert "已认证" in body["message"]


def test_it_rejects_a_return_without_reason_with_422_and_accepts_one_with(client, county_staff, reference):
    org = OrganisationFactory(region_id="220183", submitted=True)
    client.force_login(county_staff)
    refused = _json(client, "post", f"/api/v1/organisations/{org.pk}/return", {"reason": ""})
    assert refused.status_code == 422
    assert refused.json()["detail"] == {"reason": ["退回时必须填写理由。"]}
    done = _json(client, "post", f"/api/v1/organisations/{org.pk}/return", {"reason": "请补充营业执照"})
    assert done.status_code == 200
    assert done.json()["status"] == "returned" and done.json()["status_reason"] == "请补充营业执照"


def test_it_rejects_malformed_json_with_422_in_the_error_shape(client, enterprise_user):
    client.force_login(enterprise_user)
    response = client.post("/api/v1/tokens", "{not json", content_type="application/json")
    assert response.status_code in (400, 422)
    assert set(response.json()) == ERROR_KEYS


def test_the_verification_queue_api_is_scoped(client, county_staff, reference):
    inside = OrganisationFactory(region_id="220183", submitted=True)
    OrganisationFactory(region_id="220104", submitted=True)
    client.force_login(county_staff)
    assert [o["id"] for o in client.get("/api/v1/verification-queue").json()] == [inside.pk]


def test_it_rejects_a_session_write_without_the_csrf_token(enterprise_user):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(enterprise_user)
    response = browser.post("/api/v1/tokens", {"name": "脚本"}, content_type="application/json")
    assert response.status_code == 403
    assert not ApiToken.objects.exists()


# --- tokens -----------------------------------------------------------------------------------------


def _create_token(client, user):
    client.force_login(user)
    response = _json(client, "post", "/api/v1/tokens", {"name": "数据同步脚本"})
    assert response.status_code == 201
    return response.json()


def test_a_token_created_in_the_session_authenticates_a_fresh_client(client, city_staff):
    created = _create_token(client, city_staff)
    assert created["key"].startswith("zq_") and created["name"] == "数据同步脚本"
    stored = ApiToken.objects.get(pk=created["id"])
    assert (
        stored.key_hash != created["key"] and created["key"] not in stored.key_hash
    )  # only the hash is kept

    fresh = Client()
    me = fresh.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {created['key']}")
    assert me.status_code == 200
    assert me.json()["username"] == "city_staff"
    assert me.json()["assignments"] == [
        {"duty": Duty.REVIEWER, "jurisdiction_code": "220100", "jurisdiction_name": "长春市"}
    ]
    stored.refresh_from_db()
    assert stored.last_used_at is not None
    event = AuditEvent.objects.get(action="api_token.create")
    assert event.actor_id == city_staff.pk and event.after["name"] == "数据同步脚本"
    assert event.after["scope"] == "read" and event.after["expires_at"]


def test_a_token_sees_what_its_owner_sees(client, county_staff, reference):
    pending = OrganisationFactory(region_id="220183", submitted=True)
    key = _create_token(client, county_staff)["key"]
    fresh = Client()
    assert (
        fresh.get(f"/api/v1/organisations/{pending.pk}", HTTP_AUTHORIZATION=f"Bearer {key}").status_code
        == 200
    )
    assert fresh.get(f"/api/v1/organisations/{pending.pk}").status_code == 404


def test_it_rejects_a_revoked_token(client, enterprise_user):
    created = _create_token(client, enterprise_user)
    client.post(f"/account/tokens/{created['id']}/revoke/")
    assert ApiToken.objects.get(pk=created["id"]).revoked_at is not None
    response = Client().get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {created['key']}")
    assert response.status_code == 401
    assert AuditEvent.objects.filter(action="api_token.revoke").count() == 1


@pytest.mark.parametrize("header", ["Bearer zq_made-up", "Bearer ", "Token abc"])
def test_it_rejects_a_made_up_token(reference, header):
    assert Client().get("/api/v1/me", HTTP_AUTHORIZATION=header).status_code == 401


def test_it_rejects_revoking_someone_elses_token(client, enterprise_user, university_user):
    created = _create_token(client, enterprise_user)
    client.force_login(university_user)
    client.post(f"/account/tokens/{created['id']}/revoke/")
    assert ApiToken.objects.get(pk=created["id"]).revoked_at is None


def test_it_rejects_a_token_of_a_deactivated_user(client, enterprise_user):
    key = _create_token(client, enterprise_user)["key"]
    enterprise_user.is_active = False
    enterprise_user.save()
    assert Client().get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 401
