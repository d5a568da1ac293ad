"""The home page: headline figures from the records, the newest records of each function, the
发布需求 / 发布成果 buttons for those who may post, and a bounded number of queries."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from tests.catalog.conftest import NOW, achievement_data, demand_data, walk_to
from tests.factories import staff_in
from zhouqiao.accounts.models import Duty
from zhouqiao.catalog import services
from zhouqiao.catalog.states import RecordStatus
from zhouqiao.web.home_page import headline_amount

pytestmark = pytest.mark.django_db


@pytest.fixture
def make_achievement(university, university_user):
    def make(status, reviewer=None, **overrides):
        a = services.create_achievement(
            actor=university_user, owner_id=university.pk, data=achievement_data(**overrides), now=NOW
        )
        return walk_to("achievement", a, status, owner_user=university_user, reviewer=reviewer)

    return make


@pytest.fixture
def make_demand(enterprise, enterprise_user):
    def make(status, reviewer=None, **overrides):
        d = services.create_demand(
            actor=enterprise_user, owner_id=enterprise.pk, data=demand_data(**overrides), now=NOW
        )
        return walk_to("demand", d, status, owner_user=enterprise_user, reviewer=reviewer)

    return make


@pytest.fixture
def published(make_achievement, make_demand, city_staff):
    make_achievement(RecordStatus.PUBLISHED, reviewer=city_staff, title="银烧结封装技术")
    make_achievement(RecordStatus.SUBMITTED, title="尚在审核的成果")
    make_demand(RecordStatus.PUBLISHED, reviewer=city_staff, title="电驱散热需求")


def _figure(page: str, label: str) -> str:
    start = page.index(f"<dt>{label}</dt>")
    dd = page[page.index("<dd>", start) : page.index("</dd>", start)]
    return re.sub(r"<[^>]+>", "", dd).strip()


def test_the_figures_count_the_published_records_only(client, published):
    page = client.get("/").content.decode()
    assert _figure(page, "已发布科技成果") == "1项"
    assert _figure(page, "征集中的技术需求") == "1项"
    assert "银烧结封装技术" in page and "电驱散热需求" in page
    assert "尚在审核的成果" not in page


def test_large_totals_read_in_wan_and_yi():
    assert headline_amount(Decimal("123456789.00")) == "1.23亿元"
    assert headline_amount(Decimal("4567890.12")) == "456.79万元"
    assert headline_amount(Decimal("0")) == "0元"
    assert headline_amount(None) == "0元"


def test_a_visitor_is_led_to_sign_in_before_posting(client, reference):
    page = client.get("/").content.decode()
    assert f'href="/login/?next={reverse("catalog:demand_create")}"' in page.replace("%2F", "/")
    assert "发布成果" in page and "登录后即可发布" in page


def test_a_member_posts_straight_away(client, enterprise_user):
    client.force_login(enterprise_user)
    page = client.get("/").content.decode()
    assert f'href="{reverse("catalog:demand_create")}"' in page
    assert f'href="{reverse("catalog:achievement_create")}"' in page


def test_staff_without_an_organisation_see_no_post_buttons(client, reference):
    client.force_login(staff_in("220000", Duty.AUDIT_ADMIN, username="auditor"))
    page = client.get("/").content.decode()
    assert ">发布需求</a>" not in page and ">发布成果</a>" not in page


def test_policies_are_cited_by_document_and_article(client, reference):
    page = client.get("/").content.decode()
    assert "》第" in page  # 《…》第十五条
    assert "001#" not in page  # the document and article cite it: no code after them


def test_no_under_construction_tile_and_no_page_of_links(client, reference):
    page = client.get("/").content.decode()
    assert "建设中" not in page
    assert 'href="/f/' not in page


def test_the_home_page_takes_a_bounded_number_of_queries(
    client,
    published,
    make_achievement,
    make_demand,
    city_staff,
    enterprise_user,
    django_assert_max_num_queries,
):
    """One query per block whatever the number of records (the header's to-do counts included)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(enterprise_user)
    client.get("/")  # warm the session
    with CaptureQueriesContext(connection) as few:
        client.get("/")
    for n in range(3):
        make_achievement(RecordStatus.PUBLISHED, reviewer=city_staff, title=f"又一项成果{n}")
        make_demand(RecordStatus.PUBLISHED, reviewer=city_staff, title=f"又一项需求{n}")
    with django_assert_max_num_queries(len(few)):
        page = client.get("/").content.decode()
    assert "又一项成果2" in page
    assert len(few) <= 45


def test_a_newly_published_record_shows_within_a_minute(
    client, make_achievement, city_staff, enterprise_user
):
    """What every visitor sees alike is kept for half a minute; a signed-in user reads afresh."""
    import time

    import time_machine
    from django.test import Client

    from zhouqiao.web.home_page import PUBLIC_SECONDS

    assert "刚刚发布的成果" not in client.get("/").content.decode()  # now kept for visitors
    make_achievement(RecordStatus.PUBLISHED, reviewer=city_staff, title="刚刚发布的成果")
    member = Client()
    member.force_login(enterprise_user)
    assert "刚刚发布的成果" in member.get("/").content.decode()
    assert PUBLIC_SECONDS < 60
    with time_machine.travel(time.time() + PUBLIC_SECONDS + 1, tick=False):
        page = client.get("/").content.decode()
    assert "刚刚发布的成果" in page
    assert _figure(page, "已发布科技成果") == "1项"
