"""The search page as a person uses it: industry chips lead to results, the facets sit in a drawer
after the search box, and no code shows as text."""

import pytest

from zhouqiao.catalog.states import RecordStatus
from zhouqiao.search import indexing

from .conftest import NOW

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_analyzer")]


@pytest.fixture
def published(make_achievement, city_staff):
    a = make_achievement(RecordStatus.PUBLISHED, reviewer=city_staff)  # key industries: 汽车, 新能源
    indexing.index_record("achievement", a.pk, now=NOW)
    return a


def test_a_key_industry_chip_lists_the_records_of_that_industry(client, published):
    page = client.get("/search/", {"key_industry": "automotive"}).content.decode()
    assert published.title in page and "重点产业：汽车" in page
    assert "不限产业" in page
    other = client.get("/search/", {"key_industry": "ai"}).content.decode()
    assert published.title not in other and "共 0 条结果" in other


def test_the_facets_are_a_drawer_after_the_form_and_before_the_results(client, published):
    page = client.get("/search/", {"q": "碳化硅"}).content.decode()
    assert published.title in page
    drawer, results = page.index('<details class="facets-drawer"'), page.index('class="list results"')
    assert page.index('id="search-q"') < drawer < results
    assert "TRL" not in page and "成熟度 6 级" in page
