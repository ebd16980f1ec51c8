"""Weight, measured in the browser: a light home page, no render-blocking script, lazy images."""

import pytest

from tests.browser.conftest import PHONE
from tests.browser.pages import KEY_PAGES, visit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HOME_BUDGET = 100 * 1024  # bytes transferred for HTML, CSS, fonts and scripts

BLOCKING_SCRIPTS_JS = """() => [...document.head.querySelectorAll('script[src]')]
  .filter((s) => !s.defer && !s.async && s.type !== 'module')
  .map((s) => s.outerHTML)"""

EAGER_BELOW_THE_FOLD_JS = """() => [...document.images]
  .filter((img) => img.getBoundingClientRect().top > innerHeight && img.getAttribute('loading') !== 'lazy')
  .map((img) => {
    const top = Math.round(img.getBoundingClientRect().top);
    return `${img.currentSrc || img.src} (alt "${img.alt}", ${top} px down)`;
  })"""


def test_the_home_page_without_images_weighs_under_100_kb(page, demo):
    responses = []
    page.on("response", lambda response: responses.append(response))
    visit(page, "/en/")
    page.wait_for_load_state("load")

    sizes = {}
    for response in responses:
        if response.request.resource_type == "image":
            continue
        transferred = response.request.sizes()
        sizes[response.url] = transferred["responseBodySize"] + transferred["responseHeadersSize"]
    total = sum(sizes.values())
    detail = "\n".join(f"  {size:>7} B  {url}" for url, size in sorted(sizes.items(), key=lambda item: -item[1]))
    assert total < HOME_BUDGET, f"home page without images: {total} B transferred (budget {HOME_BUDGET} B)\n{detail}"

    # The browser's own account agrees (Resource Timing: the document and what it loaded).
    measured = page.evaluate(
        """() => [...performance.getEntriesByType('navigation'), ...performance.getEntriesByType('resource')]
          .filter((entry) => entry.initiatorType !== 'img')
          .reduce((sum, entry) => sum + (entry.transferSize || entry.encodedBodySize), 0)"""
    )
    assert 0 < measured < HOME_BUDGET, f"Resource Timing says {measured} B"


def test_no_render_blocking_script_and_images_below_the_fold_load_lazily(page, demo):
    problems = []
    for viewport in (None, PHONE):
        if viewport:
            page.set_viewport_size(viewport)
        for path in KEY_PAGES.values():
            visit(page, path)
            for script in page.evaluate(BLOCKING_SCRIPTS_JS):
                problems.append(f"{path}: render-blocking script in <head>: {script}")
            for image in page.evaluate(EAGER_BELOW_THE_FOLD_JS):
                problems.append(f"{path} at {page.viewport_size['width']} px: image below the fold not lazy: {image}")
    assert not problems, "\n".join(sorted(set(problems)))
