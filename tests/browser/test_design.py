"""The design as a visitor meets it on a 375 px phone and a 1280 px screen.

Header height, the menu and "In this section" disclosures (with and without JavaScript), tab
bars, chart labels and maps, measured in Chromium.
"""

import pytest
from playwright.sync_api import expect

from regions.models import Region
from tests.browser.conftest import DESKTOP, PHONE
from tests.browser.pages import KEY_PAGES, visit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HEADER_MAX = 120  # px at 375 px: a sixth of a phone's screen at most


def test_on_a_phone_the_header_stays_under_120_px_and_search_is_at_hand(page, demo):
    page.set_viewport_size(PHONE)
    problems = []
    for path in KEY_PAGES.values():
        visit(page, path)
        height = page.locator("header.site-header").bounding_box()["height"]
        if height > HEADER_MAX:
            problems.append(f"{path}: header {height:.0f} px tall at 375 px")
        brand = page.locator(".brand").bounding_box()
        if brand["height"] > 56:
            problems.append(f"{path}: the brand wraps ({brand['height']:.0f} px)")
    assert not problems, "\n".join(problems)
    # Search is one tap away: the field is in the header, in the first screen.
    visit(page, "/en/")
    search = page.get_by_role("searchbox", name="Search the site")
    expect(search).to_be_visible()
    assert search.bounding_box()["y"] + search.bounding_box()["height"] <= HEADER_MAX


@pytest.mark.parametrize("javascript", [True, False], ids=["with-js", "without-js"])
def test_the_menu_is_a_disclosure_on_a_phone_and_open_on_a_wide_screen(browser, live_server, demo, javascript):
    context = browser.new_context(base_url=live_server.url, viewport=PHONE, java_script_enabled=javascript)
    page = context.new_page()
    visit(page, "/en/")
    primary = page.get_by_role("navigation", name="Main")
    expect(primary).to_be_hidden()
    page.get_by_text("Menu", exact=True).click()
    expect(primary).to_be_visible()
    primary.get_by_role("link", name="Regions", exact=True).click()
    page.wait_for_url("**/en/regions/")
    page.set_viewport_size(DESKTOP)
    expect(page.get_by_text("Menu", exact=True)).to_be_hidden()
    expect(page.get_by_role("navigation", name="Main")).to_be_visible()
    context.close()


def test_in_this_section_comes_before_the_content_on_a_phone_and_beside_it_on_a_wide_screen(page, demo):
    page.set_viewport_size(PHONE)
    visit(page, KEY_PAGES["theme"])
    summary = page.locator("summary", has_text="In this section")
    side = page.locator("details.section-nav nav")
    expect(side).to_be_hidden()
    assert summary.bounding_box()["y"] < page.locator("h1").bounding_box()["y"]
    summary.focus()
    page.keyboard.press("Enter")
    expect(side).to_be_visible()
    page.set_viewport_size(DESKTOP)
    visit(page, KEY_PAGES["theme"])
    expect(page.locator("summary", has_text="In this section")).to_be_hidden()
    nav = page.locator("details.section-nav nav").bounding_box()
    assert nav["x"] + nav["width"] <= page.locator("h1").bounding_box()["x"]  # a column on the left


def test_tab_bars_keep_one_row_with_the_current_tab_attached(page, demo):
    for size in (PHONE, DESKTOP):
        page.set_viewport_size(size)
        for path in (KEY_PAGES["region"], KEY_PAGES["theme-resources"]):
            visit(page, path)
            tabs = page.locator("ul.tabs")
            bar = tabs.bounding_box()
            tops = {round(box["y"]) for box in (item.bounding_box() for item in tabs.locator("li").all())}
            assert len(tops) == 1, f"{path} at {size['width']} px: tabs on {len(tops)} rows"
            current = tabs.locator("a[aria-current]").bounding_box()
            assert abs(current["y"] + current["height"] - (bar["y"] + bar["height"])) <= 2, path
            # No sideways scroll of the page itself: the bar scrolls on its own if it must.
            assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


CHART_TEXT_JS = """() => [...document.querySelectorAll('.bar-chart li')].map((item) => {
  const label = item.querySelector('.bar-label').getBoundingClientRect();
  const svg = item.querySelector('svg').getBoundingClientRect();
  const value = item.querySelector('text');
  const valueBox = value.getBoundingClientRect();
  const line = item.querySelector('line').getBoundingClientRect();
  return {
    label: item.querySelector('.bar-label').textContent.trim(),
    labelPx: parseFloat(getComputedStyle(item.querySelector('.bar-label')).fontSize),
    valuePx: valueBox.height / (value.getBBox().height / parseFloat(getComputedStyle(value).fontSize)),
    labelBottom: label.bottom, svgTop: svg.top, lineTop: line.top,
    valueLeft: valueBox.left, valueRight: valueBox.right, svgLeft: svg.left, svgRight: svg.right,
  };
})"""


def test_region_charts_are_readable_on_a_phone(page, demo):
    for size in (PHONE, DESKTOP):
        page.set_viewport_size(size)
        visit(page, KEY_PAGES["region"])
        rows = page.evaluate(CHART_TEXT_JS)
        assert len(rows) >= 4
        for row in rows:
            where = f"{row['label']} at {size['width']} px"
            assert row["labelPx"] >= 12, f"{where}: label {row['labelPx']} px"
            assert row["valuePx"] >= 12, f"{where}: value {row['valuePx']:.1f} px"
            # The label sits above its bar, so neither the zero line nor the bar crosses it.
            assert row["labelBottom"] <= row["svgTop"] + 0.5 and row["lineTop"] >= row["labelBottom"] - 0.5, where
            assert row["svgLeft"] - 0.5 <= row["valueLeft"] and row["valueRight"] <= row["svgRight"] + 0.5, where


MARKERS_INSIDE_JS = """() => [...document.querySelectorAll('svg.map circle')].map((dot) => {
  const shape = dot.parentElement.querySelector('path');
  const point = new DOMPoint(dot.cx.baseVal.value, dot.cy.baseVal.value);
  return {country: dot.parentElement.getAttribute('href') || dot.parentElement.dataset.code,
          inside: shape.isPointInFill(point)};
})"""


def test_each_office_dot_is_inside_its_country_shape(page, demo):
    for path in ("/en/regions/offices/", KEY_PAGES["country"], KEY_PAGES["region"]):
        visit(page, path)
        dots = page.evaluate(MARKERS_INSIDE_JS)
        assert dots, f"{path}: no office on the map"
        outside = [dot["country"] for dot in dots if not dot["inside"]]
        assert not outside, f"{path}: office dots outside their country: {outside}"
    # A click on a country of the world map goes to its offices in the list below.
    visit(page, "/en/regions/offices/")
    page.locator('svg.map a[href="#country-ke"]').click()
    page.wait_for_url("**/en/regions/offices/#country-ke")
    expect(page.locator("#country-ke")).to_be_in_viewport()


def test_an_unpublished_country_is_not_a_link_on_the_map(page, demo):
    honduras = Region.objects.get(iso_code="HN")
    visit(page, KEY_PAGES["region"])
    assert page.locator(f'svg.map a[href="{honduras.get_absolute_url()}"]').count() == 1
    honduras.status = "draft"
    honduras.save()
    visit(page, KEY_PAGES["region"])
    assert page.locator("svg.map a").count() >= 1
    assert page.locator(f'svg.map a[href="{honduras.get_absolute_url()}"]').count() == 0
    assert "Honduras" not in page.locator("svg.map").inner_html()
