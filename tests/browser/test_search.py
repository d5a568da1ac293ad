"""Search, filter by a facet and open a match with its reason, in a real browser."""

import pytest

from tests.catalog.conftest import NOW, achievement_data, demand_data, walk_to
from zhouqiao.catalog import services
from zhouqiao.search import indexing

pytestmark = pytest.mark.browser


def test_a_visitor_searches_filters_and_opens_a_match_with_its_reason(
    page, university, university_user, enterprise, enterprise_user, city_staff
):
    a = services.create_achievement(
        actor=university_user,
        owner_id=university.pk,
        now=NOW,
        data=achievement_data(
            keywords="铝合金、焊接变形",
            abstract="铝合金副车架焊接变形控制的激光焊接工艺。",
            transfer_modes=["joint_development"],
        ),
    )
    walk_to("achievement", a, "published", owner_user=university_user, reviewer=city_staff)
    d = services.create_demand(actor=enterprise_user, owner_id=enterprise.pk, data=demand_data(), now=NOW)
    walk_to("demand", d, "published", owner_user=enterprise_user, reviewer=city_staff)
    indexing.index_record("achievement", a.pk, now=NOW)
    indexing.index_record("demand", d.pk, now=NOW)

    page.goto("/search/")
    page.fill("#search-q", "铝合金")
    page.get_by_role("button", name="检索").click()
    assert "共 2 条结果" in page.locator(".results-count").inner_text()
    page.locator(".facet-kind").get_by_role("link", name="技术需求").click()
    assert "共 1 条结果" in page.locator(".results-count").inner_text()
    page.get_by_role("link", name="查看匹配").click()
    reason = page.locator(".matches .reason").first.inner_text()
    assert "共同关键词" in reason and "行业相同" in reason
    page.locator(".matches").get_by_role("link", name=a.title).click()
    assert a.title in page.content()
