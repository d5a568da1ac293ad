import pytest
from django.urls import reverse

from zhouqiao.web.navigation import LINK_ALLOWED, PORTAL_FUNCTIONS

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("function", PORTAL_FUNCTIONS, ids=lambda f: f["slug"])
def test_every_function_page_opens_and_lists_only_working_links(client, reference, function):
    response = client.get(reverse("web:function", args=[function["slug"]]))
    assert response.status_code == 200
    page = response.content.decode()
    assert str(function["name"]) in page
    if not function["links"]:
        assert "正在建设中" in page
    for _label, url_name in function["links"]:
        url = reverse(url_name)
        assert (url in page) == (url_name not in LINK_ALLOWED), url_name
        # public pages open; personal and staff pages send an anonymous visitor to the login page
        assert client.get(url).status_code in (200, 302), url_name


@pytest.mark.parametrize("function", PORTAL_FUNCTIONS, ids=lambda f: f["slug"])
def test_a_signed_in_user_is_never_linked_into_a_refusal(
    client, enterprise_user, city_staff, county_staff, audit_admin, function
):
    for user in (enterprise_user, city_staff, county_staff, audit_admin):
        client.force_login(user)
        page = client.get(reverse("web:function", args=[function["slug"]])).content.decode()
        for _label, url_name in function["links"]:
            url = reverse(url_name)
            shown = url in page
            assert shown == (client.get(url).status_code == 200), (user.username, url_name)
            assert shown or url_name in LINK_ALLOWED, (user.username, url_name)


def test_the_home_page_shows_the_newest_achievements_demands_and_policies(client, reference):
    page = client.get("/").content.decode()
    for heading in ("最新成果", "最新需求", "政策兑现", "活动"):
        assert heading in page
    assert "001#15" in page


def test_an_unknown_function_is_a_404(client, reference):
    assert client.get("/f/nothing/").status_code == 404


def test_the_review_link_shows_only_to_reviewers(client, city_staff, audit_admin):
    review = reverse("catalog:review_queue")
    client.force_login(city_staff)
    assert review in client.get(reverse("catalog:achievement_list")).content.decode()
    client.force_login(audit_admin)
    assert review not in client.get(reverse("catalog:achievement_list")).content.decode()
    assert client.get(review).status_code == 403
