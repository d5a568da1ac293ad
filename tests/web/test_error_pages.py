"""Error pages: in the site's frame, in Chinese, with a way back; the 500 page needs nothing."""

import pytest
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.test import Client
from django.urls import path

from zhouqiao.urls import urlpatterns as site_urlpatterns
from zhouqiao.web.views import server_error


def _refuse(request):
    raise PermissionDenied


def _bad(request):
    raise SuspiciousOperation("bad")


def _crash(request):
    raise RuntimeError("boom")


urlpatterns = [
    path("test-403/", _refuse),
    path("test-400/", _bad),
    path("test-500/", _crash),
    *site_urlpatterns,
]
handler400 = "zhouqiao.web.views.bad_request"
handler403 = "zhouqiao.web.views.permission_denied"
handler404 = "zhouqiao.web.views.page_not_found"
handler500 = "zhouqiao.web.views.server_error"


def _in_the_frame(page: str):
    assert '<html lang="zh-CN">' in page
    assert 'class="masthead"' in page and "科创一网通" in page
    assert '<nav class="functions"' in page  # the menu: the person can go on from here
    assert '<a href="/">返回首页</a>' in page
    for english in ("Not Found", "Forbidden", "Bad Request", "Server Error"):
        assert english not in page


@pytest.mark.django_db
def test_an_unknown_address_is_a_chinese_404_in_the_site_frame(client, settings):
    assert settings.DEBUG is False
    response = client.get("/no/such/page/", HTTP_REFERER="http://testserver/market/")
    assert response.status_code == 404
    page = response.content.decode()
    _in_the_frame(page)
    assert "页面不存在" in page
    assert '<a href="http://testserver/market/">返回上一页</a>' in page


@pytest.mark.django_db
def test_the_back_link_never_leads_off_the_site(client):
    page = client.get("/no/such/page/", HTTP_REFERER="https://evil.example/").content.decode()
    assert "evil.example" not in page and "返回上一页" not in page


@pytest.mark.django_db
@pytest.mark.urls("tests.web.test_error_pages")
def test_a_refusal_is_a_chinese_403_with_a_login_link_for_visitors(client):
    response = client.get("/test-403/")
    assert response.status_code == 403
    page = response.content.decode()
    _in_the_frame(page)
    assert "您无权访问这个页面" in page
    assert "/login/?next=/test-403/" in page


@pytest.mark.django_db
def test_a_staff_only_page_refuses_a_member_in_words(client, enterprise_user):
    client.force_login(enterprise_user)
    response = client.get("/office/audit/")
    assert response.status_code == 403
    page = response.content.decode()
    assert "您无权访问这个页面" in page and "登录后再试" not in page


@pytest.mark.django_db
@pytest.mark.urls("tests.web.test_error_pages")
def test_a_bad_request_is_a_chinese_400(client):
    response = client.get("/test-400/")
    assert response.status_code == 400
    _in_the_frame(response.content.decode())
    assert "请求有误" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.urls("tests.web.test_error_pages")
def test_a_crash_is_a_chinese_500_in_the_site_look():
    response = Client(raise_request_exception=False).get("/test-500/")
    assert response.status_code == 500
    page = response.content.decode()
    assert '<html lang="zh-CN">' in page and 'class="masthead"' in page
    assert "服务器出错" in page and '<a href="/">返回首页</a>' in page
    assert "boom" not in page and "Traceback" not in page


def test_the_500_page_renders_without_the_database(rf):
    """No django_db mark: any query would raise. The page still renders."""
    response = server_error(rf.get("/"))
    assert response.status_code == 500
    assert "服务器出错" in response.content.decode()
