"""Personal tokens (issue 17, findings 2, 7 and 9): a Bearer token writes without CSRF, a cookie
session does not; tokens have a scope and an expiry, die with a password change, and an expired
password is refused on the API too. The new key is shown once, in the page that created it."""

import json
import urllib.error
import urllib.request
from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from tests.factories import PASSWORD, OrganisationFactory, UserFactory, member_of
from zhouqiao.accounts import services
from zhouqiao.accounts.models import ApiToken, MembershipInvitation, TokenScope


def _token(user, scope=TokenScope.WRITE, days=90):
    return services.create_api_token(actor=user, name="脚本", scope=scope, days=days, now=timezone.now())[1]


def _invite(client, org, key, username, **extra):
    return client.post(
        f"/api/v1/organisations/{org.pk}/members",
        json.dumps({"username": username}),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {key}",
        **extra,
    )


def test_a_write_token_posts_without_csrf(enterprise, enterprise_user, university_user):
    strict = Client(enforce_csrf_checks=True)
    response = _invite(strict, enterprise, _token(enterprise_user), "uni_admin")
    assert response.status_code == 201, response.content
    assert MembershipInvitation.objects.filter(organisation=enterprise, user=university_user).exists()


def test_the_token_decides_even_beside_a_session_cookie(
    enterprise, enterprise_user, university_user, stranger
):
    """A browser signed in as someone else sending a token: the token's owner acts, and no CSRF."""
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(stranger)
    response = _invite(strict, enterprise, _token(enterprise_user), "uni_admin")
    assert response.status_code == 201
    assert MembershipInvitation.objects.get().created_by == enterprise_user


def test_it_rejects_a_cookie_session_write_without_csrf(enterprise, enterprise_user, university_user):
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(enterprise_user)
    response = strict.post(
        f"/api/v1/organisations/{enterprise.pk}/members",
        json.dumps({"username": "uni_admin"}),
        content_type="application/json",
    )
    assert response.status_code == 403
    assert not MembershipInvitation.objects.exists()


def test_it_rejects_a_write_with_a_read_token(enterprise, enterprise_user, university_user):
    key = _token(enterprise_user, scope=TokenScope.READ)
    response = _invite(Client(enforce_csrf_checks=True), enterprise, key, "uni_admin")
    assert response.status_code == 403
    assert response.json()["code"] == "token_read_only"
    assert not MembershipInvitation.objects.exists()
    assert Client().get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 200


def test_a_wrong_token_is_401_even_with_a_session(enterprise_user):
    browser = Client()
    browser.force_login(enterprise_user)
    assert browser.get("/api/v1/me", HTTP_AUTHORIZATION="Bearer zq_wrong").status_code == 401


def test_a_token_stops_at_its_expiry(enterprise_user):
    key = _token(enterprise_user, days=30)
    token = ApiToken.objects.get()
    assert token.expires_at - token.created_at == timedelta(days=30)
    assert Client().get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 200
    with time_machine.travel(timezone.now() + timedelta(days=31)):
        assert Client().get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 401


@pytest.mark.parametrize("days", [0, 366, "x"])
def test_it_rejects_a_token_without_a_bounded_lifetime(client, enterprise_user, days):
    client.force_login(enterprise_user)
    response = client.post(
        "/api/v1/tokens", json.dumps({"name": "n", "days": days}), content_type="application/json"
    )
    assert response.status_code == 422
    assert not ApiToken.objects.exists()


def test_a_password_change_revokes_every_token(enterprise_user):
    key = _token(enterprise_user)
    services.change_password(
        actor=enterprise_user, old_password=PASSWORD, new_password="Another@Pass2027", now=timezone.now()
    )
    assert Client().get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 401
    assert ApiToken.objects.get().revoked_at is not None


def test_an_expired_password_is_refused_on_the_api(settings, enterprise_user):
    key = _token(enterprise_user)
    enterprise_user.password_changed_at = timezone.now() - timedelta(days=400)
    enterprise_user.save()
    by_token = Client().get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {key}")
    browser = Client()
    browser.force_login(enterprise_user)
    by_session = browser.get("/api/v1/me")
    minted = browser.post("/api/v1/tokens", json.dumps({"name": "再来一个"}), content_type="application/json")
    assert (by_token.status_code, by_session.status_code, minted.status_code) == (403, 403, 403)
    assert by_token.json()["code"] == "password_expired"
    assert ApiToken.objects.count() == 1


def test_a_token_cannot_mint_tokens(enterprise_user):
    key = _token(enterprise_user)
    response = Client(enforce_csrf_checks=True).post(
        "/api/v1/tokens",
        json.dumps({"name": "自我复制"}),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {key}",
    )
    assert response.status_code == 403
    assert ApiToken.objects.count() == 1


def test_the_new_key_is_shown_once_in_the_page_and_never_in_a_cookie(client, enterprise_user):
    client.force_login(enterprise_user)
    response = client.post("/account/tokens/", {"name": "同步脚本", "scope": "write", "days": "90"})
    assert response.status_code == 200
    token = ApiToken.objects.get()
    key = response.context["new_key"]
    assert key.startswith("zq_") and ApiToken.hash(key) == token.key_hash
    assert key in response.content.decode()
    assert response["Cache-Control"] == "no-store"
    assert all(key not in morsel.value for morsel in response.cookies.values())
    assert key not in client.get("/account/tokens/").content.decode()
    assert token.scope == "write"


def test_the_token_page_lists_scope_expiry_and_last_use(client, enterprise_user):
    key = _token(enterprise_user, scope=TokenScope.READ)
    Client().get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {key}")
    client.force_login(enterprise_user)
    page = client.get("/account/tokens/").content.decode()
    token = ApiToken.objects.get()
    assert token.last_used_at is not None
    assert "只读" in page and timezone.localtime(token.expires_at).strftime("%Y-%m-%d") in page


@pytest.mark.django_db(transaction=True)
def test_a_bearer_write_over_http_to_the_live_server(live_server, reference):
    """A script with nothing but the token: a real HTTP POST, no cookie, no CSRF token."""
    org = OrganisationFactory()
    admin = member_of(org, username="live_admin")
    UserFactory(username="live_invitee")
    key = _token(admin)
    request = urllib.request.Request(
        f"{live_server.url}/api/v1/organisations/{org.pk}/members",
        data=json.dumps({"username": "live_invitee"}).encode(),
        headers={"Authorization": f"Bearer {key}", "Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=20) as response:
        assert response.status == 201
        assert json.loads(response.read())["status"] == "pending"
    cookie_only = urllib.request.Request(
        f"{live_server.url}/api/v1/organisations/{org.pk}/members",
        data=json.dumps({"username": "live_invitee"}).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(cookie_only, timeout=20)
    assert refused.value.code in (401, 403)  # no token, no session: nobody to act for
    assert MembershipInvitation.objects.count() == 1
