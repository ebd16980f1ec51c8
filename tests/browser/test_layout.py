"""Every key page on a 375 px phone and a 1280 px screen.

Phone: no sideways scrolling. Wide screen: the main content uses the width. Both: no
render-blocking script in <head>, every image below the fold loads lazily. Full-page
screenshots at both widths go to tests/browser/screenshots/ (git-ignored) for a person to look at.
"""

import pytest

from tests.browser.conftest import DESKTOP, PHONE, screenshot
from tests.browser.pages import KEY_PAGES, visit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The elements wider than the window, to name the culprit when a page scrolls sideways.
TOO_WIDE_JS = """() => {
  const limit = document.documentElement.clientWidth;
  const found = [];
  for (const el of document.querySelectorAll('body *')) {
    const box = el.getBoundingClientRect();
    if (box.right > limit + 1 && box.width > 0) {
      let inScroller = false;
      for (let p = el.parentElement; p; p = p.parentElement) {
        const style = getComputedStyle(p);
        if (['auto', 'scroll', 'hidden', 'clip'].includes(style.overflowX)) { inScroller = true; break; }
      }
      if (!inScroller) {
        const id = el.id ? '#' + el.id : '';
        const cls = el.classList.length ? '.' + [...el.classList].join('.') : '';
        found.push(`${el.tagName.toLowerCase()}${id}${cls} (right edge ${Math.round(box.right)} px)`);
      }
    }
  }
  return found.slice(0, 8);
}"""

BLOCKING_SCRIPTS_JS = """() => [...document.head.querySelectorAll('script[src]')]
  .filter((s) => !s.defer && !s.async && s.type !== 'module')
  .map((s) => s.outerHTML)"""

EAGER_BELOW_THE_FOLD_JS = """() => [...document.images]
  .filter((img) => img.getBoundingClientRect().top > innerHeight && img.getAttribute('loading') !== 'lazy')
  .map((img) => {
    const top = Math.round(img.getBoundingClientRect().top);
    return `${img.currentSrc || img.src} (alt "${img.alt}", ${top} px down)`;
  })"""


def loading_problems(page, path):
    """Render-blocking scripts, and images below the fold that do not wait to be scrolled to."""
    width = page.viewport_size["width"]
    problems = [f"{path}: render-blocking script in <head>: {script}" for script in page.evaluate(BLOCKING_SCRIPTS_JS)]
    problems += [
        f"{path} at {width} px: image below the fold without loading=lazy: {image}"
        for image in page.evaluate(EAGER_BELOW_THE_FOLD_JS)
    ]
    return problems


def test_on_a_375_px_phone_no_key_page_scrolls_sideways(page, demo):
    page.set_viewport_size(PHONE)
    problems = []
    for name, path in KEY_PAGES.items():
        visit(page, path)
        problems += loading_problems(page, path)
        screenshot(page, f"{name}-375")
        scroll_width, inner_width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        if scroll_width > inner_width:
            culprits = ", ".join(page.evaluate(TOO_WIDE_JS))
            problems.append(f"{path}: {scroll_width} px wide in a {inner_width} px window; too wide: {culprits}")
    assert not problems, "\n".join(problems)


def test_on_a_1280_px_screen_key_pages_use_the_width(page, demo):
    page.set_viewport_size(DESKTOP)
    problems = []
    for name, path in KEY_PAGES.items():
        visit(page, path)
        problems += loading_problems(page, path)
        screenshot(page, f"{name}-1280")
        scroll_width, inner_width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        main_width = page.locator("main").bounding_box()["width"]
        if main_width <= 900:
            problems.append(f"{path}: main is only {main_width:.0f} px wide at 1280 px")
        if scroll_width > inner_width:
            problems.append(f"{path}: scrolls sideways at 1280 px ({scroll_width} px)")
    assert not problems, "\n".join(problems)
