"""Finding a technology and checking novelty, as the people doing it: a visitor types a keyword in
the header's search box and opens a result (also on a phone, where the first result must show on
the first screen); a university researcher signs in, runs a 查重/查新 check and downloads the
report. No URL is typed after the home page."""

import pytest
from playwright.sync_api import expect

from tests.browser.a11y import assert_accessible

pytestmark = pytest.mark.browser

KEYWORD = "燃料电池"  # a word in several demo titles (碳化硅 waits on issue 15)


def _search_from_header(journey):
    page = journey.page
    page.fill("#site-q", KEYWORD)
    journey.button("搜索", within=page.locator("header"), exact=True)
    expect(page.locator(".results-count")).to_contain_text("共")
    return page.locator("ol.results > li.card").first


def test_a_visitor_finds_a_technology_by_keyword_and_opens_it(journey):
    page = journey.page
    first = _search_from_header(journey)
    expect(first).to_contain_text(KEYWORD)
    assert_accessible(page)  # the search results
    title = first.locator("a").first.inner_text()
    journey.click(first.get_by_role("link", name=title, exact=True))
    expect(page.get_by_role("heading", level=1)).to_contain_text(title)
    assert_accessible(page)  # the achievement (or demand) page
    journey.within_budget(2)


def test_on_a_phone_the_first_result_shows_on_the_first_screen(journey):
    page = journey.page
    page.set_viewport_size({"width": 390, "height": 844})
    first = _search_from_header(journey)
    box = first.bounding_box()
    assert box is not None and box["y"] < 844, f"first result starts at {box and box['y']:.0f}px"
    drawer = page.locator("details.facets-drawer")
    expect(drawer).not_to_have_attribute("open", "")
    journey.click(drawer.locator("summary"))  # the facets open on a tap
    expect(page.locator(".facets h2").first).to_be_visible()
    journey.within_budget(2)


def test_a_researcher_produces_a_novelty_report(journey):
    page = journey.page
    journey.log_in("university")
    journey.link("专利查新", within=page.locator("nav.functions"), exact=True)
    page.fill("#id_title", "氢燃料电池低铂催化剂")
    page.fill("#id_text", "采用核壳结构低铂催化剂，降低燃料电池电堆铂载量，提高耐久性。")
    page.fill("#id_keywords", "燃料电池、催化剂")
    journey.button("开始查重", within=page.locator("main"), exact=True)
    result = page.locator(".novelty-result")
    expect(result.locator(".conclusion")).to_be_visible()
    expect(result.locator("tbody tr").first).to_contain_text("燃料电池")
    assert_accessible(page)
    with page.expect_download() as download:
        journey.button("下载查新报告（PDF）", within=result, exact=True)
    assert download.value.suggested_filename.endswith(".pdf")
    journey.within_budget(5)
