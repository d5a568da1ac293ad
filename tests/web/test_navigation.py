import re

import pytest
from django.urls import reverse

from zhouqiao.web import navigation
from zhouqiao.web.navigation import LINK_ALLOWED, PORTAL_FUNCTIONS

pytestmark = pytest.mark.django_db

BUILT = [f for f in PORTAL_FUNCTIONS if f.built]


def _menu(page: str) -> dict[str, str]:
    """The top menu as {name: href}."""
    nav = re.search(r'<nav class="functions".*?</nav>', page, re.S).group(0)
    return {name: href for href, name in re.findall(r'<a href="([^"]+)"[^>]*>([^<]+)</a>', nav)}


def _strip(page: str) -> dict[str, str]:
    found = re.search(r'<nav class="subnav".*?</nav>', page, re.S)
    if not found:
        return {}
    return {name: href for href, name in re.findall(r'<a href="([^"]+)"[^>]*>([^<]+)</a>', found.group(0))}


def test_each_menu_item_opens_the_working_page_of_its_function(client, reference):
    menu = _menu(client.get("/").content.decode())
    assert menu["成果展示"] == reverse("catalog:achievement_list")
    assert menu["技术交易"] == reverse("market:index")
    assert menu["资源整合"] == reverse("facilities:index")
    assert menu["专利查新"] == reverse("search:novelty")
    assert menu["信息发布"] == reverse("exchange:notice_list")
    assert menu["数据集中"] == reverse("insights:dashboard")
    assert menu["企业办事"] == reverse("policy:calculator")  # a visitor: the calculator, no login needed
    assert not any(href.startswith("/f/") for href in menu.values())


def test_project_management_opens_the_public_challenge_board(client, reference):
    page = client.get("/").content.decode()
    assert "建设中" not in page
    assert _menu(page)["项目管理"] == reverse("challenges:board")


def test_staff_and_members_are_taken_to_their_own_working_pages(
    client, reference, city_staff, enterprise_user
):
    client.force_login(city_staff)
    menu = _menu(client.get("/").content.decode())
    assert menu["数据集中"] == reverse("insights:dashboard")  # their jurisdiction's indicators
    assert menu["企业办事"] == reverse("web:workspace")
    client.force_login(enterprise_user)
    assert _menu(client.get("/").content.decode())["企业办事"] == reverse("web:workspace")


@pytest.mark.parametrize("function", BUILT, ids=lambda f: f.slug)
def test_the_old_function_address_leads_to_the_working_page(client, reference, function):
    response = client.get(reverse("web:function", args=[function.slug]))
    assert response.status_code == 302
    assert response["Location"] == navigation.entry_url(function, response.wsgi_request.user)


def test_an_unknown_function_is_a_404(client, reference):
    assert client.get("/f/nothing/").status_code == 404


def test_the_working_page_carries_the_strip_of_its_function(client, reference):
    strip = _strip(client.get(reverse("catalog:achievement_list")).content.decode())
    assert strip["企业技术需求库"] == reverse("catalog:demand_list")
    assert strip["成果包"] == reverse("catalog:package_list")
    assert strip["成果与需求检索"] == reverse("search:search")
    # and the other pages of the function carry the same strip, the current one marked
    page = client.get(reverse("catalog:demand_list")).content.decode()
    assert _strip(page)["科技成果库"] == reverse("catalog:achievement_list")
    assert f'<a href="{reverse("catalog:demand_list")}" aria-current="page">' in page


@pytest.mark.parametrize("function", BUILT, ids=lambda f: f.slug)
def test_a_signed_in_user_is_never_linked_into_a_refusal(
    client, enterprise_user, city_staff, county_staff, audit_admin, function
):
    for user in (enterprise_user, city_staff, county_staff, audit_admin):
        client.force_login(user)
        entry = navigation.entry_url(function, user)
        assert client.get(entry).status_code == 200, (user.username, entry)
        strip = _strip(client.get(entry).content.decode())
        allowed = [name for _label, name in function.links if navigation.allowed(name, user)]
        if not strip:  # a strip of one link would only repeat the menu
            assert len(allowed) < 2, (user.username, function.slug)
            continue
        for _label, url_name in function.links:
            url = reverse(url_name)
            shown = url in strip.values()
            if shown:
                assert client.get(url).status_code == 200, (user.username, url_name)
            else:
                assert url_name in LINK_ALLOWED, (user.username, url_name)


def test_staff_only_pages_are_left_out_of_an_enterprise_strip(client, reference, enterprise_user, city_staff):
    client.force_login(enterprise_user)
    strip = _strip(client.get(reverse("market:index")).content.decode())
    assert "交易监管" not in strip and "撮合洽谈" in strip
    client.force_login(city_staff)
    assert "交易监管" in _strip(client.get(reverse("market:index")).content.decode())


def test_the_review_link_shows_only_to_reviewers(client, city_staff, audit_admin):
    review = reverse("catalog:review_queue")
    client.force_login(city_staff)
    assert review in client.get(reverse("catalog:achievement_list")).content.decode()
    client.force_login(audit_admin)
    assert review not in client.get(reverse("catalog:achievement_list")).content.decode()
    assert client.get(review).status_code == 403


def test_detail_pages_belong_to_the_function_of_their_list():
    assert navigation.function_of("catalog:achievement_detail").slug == "showcase"
    assert navigation.function_of("market:auction_detail").slug == "trading"
    assert navigation.function_of("contracts:detail").slug == "trading"
    assert navigation.function_of("web:organisation_detail").slug == "resources"
    assert navigation.function_of("vouchers:order").slug == "services"
    # Listed by 互动交流 too, but it is the market's page: 技术交易 → 撮合洽谈 keeps its strip.
    assert navigation.function_of("market:negotiation_list").slug == "trading"
    assert navigation.function_of("web:home") is None


def test_the_menu_kept_for_visitors_is_everyones_own(
    rf, reference, enterprise_user, university_user, city_staff, audit_admin
):
    """The page header keeps the menu a visitor sees per page (web.templatetags.portal): whoever
    asked first, each user and visitor gets navigation.menu/strip's answer."""
    from django.contrib.auth.models import AnonymousUser
    from django.urls import resolve

    from zhouqiao.web.templatetags.portal import portal_nav

    pages = ["/", "/catalog/achievements/", "/catalog/review/", "/workspace/", "/search/"]
    for _round in range(2):  # the second round reads what the first one kept
        for user in (AnonymousUser(), enterprise_user, university_user, city_staff, audit_admin):
            for path in pages:
                request = rf.get(path)
                request.user = user
                request.resolver_match = resolve(path)
                view_name = request.resolver_match.view_name
                assert portal_nav({"request": request}) == {
                    "menu": navigation.menu(user, view_name),
                    "strip": navigation.strip(user, view_name),
                }, (getattr(user, "username", "visitor"), path)


def test_a_kept_menu_follows_a_new_duty_at_once(client, reference, enterprise_user):
    """The header's menu and strip are kept per page and per set of links the user may open
    (web.templatetags.portal): a duty granted since shows its link on the very next page."""
    from django.utils import timezone

    from zhouqiao.accounts.models import Duty, StaffAssignment

    review = reverse("catalog:review_queue")
    client.force_login(enterprise_user)
    assert review not in client.get(reverse("catalog:achievement_list")).content.decode()
    StaffAssignment.objects.create(
        user=enterprise_user, jurisdiction_id="220100", duty=Duty.REVIEWER, granted_at=timezone.now()
    )
    assert review in client.get(reverse("catalog:achievement_list")).content.decode()


def test_the_kept_menu_html_follows_the_language(client, reference):
    """The menu's HTML is kept per page and language: the same page shows it in each language."""
    catalog = reverse("catalog:achievement_list")
    chinese = _menu(client.get(catalog).content.decode())
    assert "成果展示" in chinese and "首页" in chinese
    client.post("/i18n/setlang/", {"language": "en"})
    english = _menu(client.get(catalog).content.decode())
    assert "Achievement showcase" in english and "Home" in english
    assert english["Achievement showcase"] == chinese["成果展示"] == catalog
    client.post("/i18n/setlang/", {"language": "zh-hans"})
    assert _menu(client.get(catalog).content.decode()) == chinese
