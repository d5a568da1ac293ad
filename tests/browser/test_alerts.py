"""Save a search in the browser, get told about a newly published match, read the message."""

import pytest

from tests.browser.conftest import log_in
from tests.catalog.conftest import NOW, achievement_data, walk_to
from tests.factories import PASSWORD
from tests.search.conftest import IMMEDIATE_TASKS
from zhouqiao.catalog import services
from zhouqiao.search.models import SavedSearch

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("fresh_analyzer")]


@pytest.fixture
def fresh_analyzer():
    from zhouqiao.search import analysis

    analysis.invalidate()
    yield
    analysis.invalidate()


def test_a_saved_search_brings_a_message_to_the_header(
    page, settings, stranger, university, university_user, city_staff
):
    settings.TASKS = IMMEDIATE_TASKS
    log_in(page, "stranger", PASSWORD)
    page.goto("/search/?q=碳化硅")
    page.fill("#save-name", "碳化硅动态")
    page.get_by_role("button", name="保存检索").click()
    assert "检索已保存" in page.locator(".messages").inner_text()
    assert SavedSearch.objects.get(user=stranger).name == "碳化硅动态"
    assert page.locator(".inbox .badge").count() == 0

    a = services.create_achievement(
        actor=university_user, owner_id=university.pk, data=achievement_data(), now=NOW
    )
    walk_to("achievement", a, "published", owner_user=university_user, reviewer=city_staff)

    page.goto("/")
    assert page.locator(".inbox .badge").inner_text().startswith("1")
    page.locator(".inbox").click()
    item = page.locator(".notifications li").first
    assert "碳化硅动态" in item.inner_text() and a.title in item.inner_text()
    item.get_by_role("button", name=a.title, exact=False).click()  # opens the record, marks it read
    assert page.get_by_role("heading", name=a.title).is_visible()
    assert page.locator(".inbox .badge").count() == 0
    page.goto("/search/subscriptions/")
    assert "碳化硅动态" in page.locator(".subscriptions").inner_text()
    page.get_by_role("button", name="删除").click()
    assert "您还没有保存检索" in page.content()
    assert not page.problems, "\n".join(page.problems)
