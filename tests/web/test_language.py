"""Chinese first, whatever the browser says; English when the visitor chooses it."""

import pytest

pytestmark = pytest.mark.django_db


def test_pages_are_chinese_even_for_an_english_browser(client, reference):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response.status_code == 200
    assert response["Content-Language"] == "zh-hans"
    page = response.content.decode()
    assert '<html lang="zh-CN">' in page
    assert "科创一网通" in page


def test_the_language_switch_turns_the_portal_english(client, reference):
    switched = client.post("/i18n/setlang/", {"language": "en", "next": "/login/"})
    assert switched.status_code == 302 and switched.url == "/login/"
    response = client.get("/login/")
    assert response["Content-Language"] == "en"
    assert '<html lang="en">' in response.content.decode()


def test_switching_back_to_chinese(client, reference):
    client.post("/i18n/setlang/", {"language": "en"})
    client.post("/i18n/setlang/", {"language": "zh-hans"})
    assert client.get("/").headers["Content-Language"] == "zh-hans"


def test_an_unknown_language_cookie_falls_back_to_chinese(client, reference, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    assert client.get("/").headers["Content-Language"] == "zh-hans"


def test_api_errors_follow_the_chosen_language_header(client, reference):
    response = client.get("/api/v1/me")
    assert response["Content-Language"] == "zh-hans"
    assert response.json()["message"] == "请先登录或提供有效的访问令牌。"
