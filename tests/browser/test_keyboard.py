"""Keyboard only: the skip link, every control reachable with Tab and showing focus, tabs and menus."""

import re

import pytest
from playwright.sync_api import expect

from iomsite.models import MenuItem
from tests.browser.pages import KEY_PAGES, visit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FOCUS_PROPS = ("outlineStyle", "outlineWidth", "outlineColor", "boxShadow", "backgroundColor", "borderColor")

# Numbers every visible control in document order and records how it looks unfocused.
TAG_CONTROLS_JS = """(props) => {
  const selector = 'a[href], button, input:not([type=hidden]), select, textarea, summary, [tabindex]';
  const controls = [...document.querySelectorAll(selector)].filter((el) => {
    if (el.disabled || el.tabIndex < 0 || el.closest('[aria-hidden="true"], [inert]')) return false;
    const box = el.getBoundingClientRect();
    return box.width > 0 && box.height > 0 && getComputedStyle(el).visibility !== 'hidden';
  });
  return controls.map((el, i) => {
    el.dataset.kbd = String(i);
    const style = getComputedStyle(el);
    return {
      index: i,
      label: `${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''} "${text(el)}"`,
      radio: el.type === 'radio' ? el.name : null,
      style: Object.fromEntries(props.map((p) => [p, style[p]])),
    };
  });
  function text(el) { return (el.innerText || el.value || el.name || '').trim().slice(0, 40); }
}"""

# Records every focus change: which control, how it looks focused, the colour around it.
RECORD_FOCUS_JS = r"""(props) => {
  window.__stops = [];
  document.addEventListener('focusin', (event) => {
    const el = event.target;
    const style = getComputedStyle(el);
    const box = el.getBoundingClientRect();
    window.__stops.push({
      index: el.dataset.kbd === undefined ? null : Number(el.dataset.kbd),
      label: `${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''} "${text(el)}"`,
      style: Object.fromEntries(props.map((p) => [p, style[p]])),
      // Inside the page (scrolling aside): not parked off its left or top edge, not clipped to nothing.
      onPage: box.right + scrollX > 0 && box.bottom + scrollY > 0 && box.width > 1 && box.height > 1,
      backdrop: backdrop(el.parentElement),
    });
  });
  // The colour around the element, where an outline is drawn: the first opaque background up the tree.
  function backdrop(node) {
    for (; node; node = node.parentElement) {
      const color = getComputedStyle(node).backgroundColor;
      if (color && color !== 'transparent' && !/rgba\(.*, 0\)$/.test(color)) return color;
    }
    return 'rgb(255, 255, 255)';
  }
  function text(el) { return (el.innerText || el.value || '').trim().slice(0, 40); }
}"""


def luminance(color):
    channels = [int(float(part)) / 255 for part in re.findall(r"[\d.]+", color)[:3]]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(one, two):
    lighter, darker = sorted((luminance(one), luminance(two)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def shows_focus(before, after):
    """A visible change when focused: an outline of at least 1 px, or a new shadow, background or border."""
    if after["outlineStyle"] != "none" and float(after["outlineWidth"].removesuffix("px") or 0) >= 1:
        return True
    return any(before[prop] != after[prop] for prop in ("boxShadow", "backgroundColor", "borderColor"))


def tab_through(page):
    """Press Tab through the whole page; return the controls and what each Tab stop looked like."""
    controls = page.evaluate(TAG_CONTROLS_JS, list(FOCUS_PROPS))
    page.evaluate(RECORD_FOCUS_JS, list(FOCUS_PROPS))
    for _ in range(len(controls) + 3):
        page.keyboard.press("Tab")
    stops = []
    for stop in page.evaluate("window.__stops"):
        if stops and stop["index"] is not None and stop["index"] <= stops[-1]["index"]:
            break  # round to the top again
        stops.append(stop)
    return controls, stops


def test_the_skip_link_is_the_first_tab_stop_and_moves_focus_to_main(page, demo):
    for path in (KEY_PAGES["home"], KEY_PAGES["theme"], KEY_PAGES["chapter"]):
        visit(page, path)
        page.keyboard.press("Tab")
        skip = page.locator("a.skip-link")
        expect(skip).to_be_focused()
        box = skip.bounding_box()
        assert box["x"] >= 0 and box["y"] >= 0 and box["width"] > 20, f"{path}: skip link off screen when focused"
        page.keyboard.press("Enter")
        expect(page.locator("main#main")).to_be_focused()
        # The next Tab goes on from the main content, past the header.
        page.keyboard.press("Tab")
        inside_main = page.evaluate("document.activeElement.closest('main') !== null")
        focused = page.evaluate("document.activeElement.outerHTML")
        assert inside_main, f"{path}: after the skip link, Tab went to {focused}"


def test_every_control_is_reachable_with_tab_and_shows_focus(page, demo):
    problems = []
    for path in KEY_PAGES.values():
        visit(page, path)
        controls, stops = tab_through(page)
        reached = {stop["index"] for stop in stops if stop["index"] is not None}
        radio_groups_reached = {controls[i]["radio"] for i in reached if controls[i]["radio"]}
        for control in controls:
            if control["index"] in reached or (control["radio"] and control["radio"] in radio_groups_reached):
                continue
            problems.append(f"{path}: never reached with Tab: {control['label']}")
        for stop in stops:
            if stop["index"] is None:
                problems.append(f"{path}: Tab stop on an element that does not look interactive: {stop['label']}")
                continue
            if not stop["onPage"]:
                problems.append(f"{path}: focused but off the page or clipped: {stop['label']}")
            if not shows_focus(controls[stop["index"]]["style"], stop["style"]):
                problems.append(f"{path}: no visible focus indicator on {stop['label']}: {stop['style']}")
            elif stop["style"]["outlineStyle"] != "none":
                # WCAG 1.4.11: the focus outline needs 3:1 against the colour around it.
                ratio = contrast(stop["style"]["outlineColor"], stop["backdrop"])
                if ratio < 3:
                    problems.append(
                        f"{path}: focus outline {stop['style']['outlineColor']} on {stop['backdrop']} "
                        f"has contrast {ratio:.1f}:1 (< 3:1) on {stop['label']}"
                    )
    assert not problems, "\n".join(problems)


def focus_by_tabbing(page, locator, limit=80):
    for _ in range(limit):
        page.keyboard.press("Tab")
        if locator.evaluate("el => el === document.activeElement"):
            return
    raise AssertionError(f"{locator} not reached in {limit} Tab presses")


def test_theme_tabs_work_with_the_keyboard(page, demo):
    visit(page, "/en/themes/labour-migration/")
    tabs = page.get_by_role("navigation", name="Sections of this theme")
    for name, url in (("Resources", "resources/"), ("News and Media", "news-and-media/"), ("Overview", "")):
        link = tabs.get_by_role("link", name=name, exact=True)
        focus_by_tabbing(page, link)
        page.keyboard.press("Enter")
        page.wait_for_url(f"**/en/themes/labour-migration/{url}")
        expect(tabs.get_by_role("link", name=name, exact=True)).to_have_attribute("aria-current", "page")


def test_header_submenus_open_with_the_keyboard(page, demo):
    themes = MenuItem.objects.get(menu="header", title="Themes")
    MenuItem.objects.create(menu="header", parent=themes, title="Labour Migration", url="/en/themes/labour-migration/")
    visit(page, "/en/")
    primary = page.get_by_role("navigation", name="Main")
    focus_by_tabbing(page, primary.get_by_role("link", name="Themes", exact=True))
    page.keyboard.press("Tab")
    child = primary.get_by_role("link", name="Labour Migration")
    expect(child).to_be_focused()
    expect(child).to_be_visible()
    page.keyboard.press("Enter")
    page.wait_for_url("**/en/themes/labour-migration/")


def test_search_options_open_with_the_keyboard(page, demo):
    visit(page, "/en/search/")
    summary = page.locator("details.advanced > summary")
    expect(page.get_by_label("Type")).to_be_hidden()
    focus_by_tabbing(page, summary)
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    expect(page.get_by_label("Type")).to_be_focused()
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Space")
    expect(page.get_by_label("Type")).to_be_hidden()
