"""Weight, measured in the browser: a light home page, no render-blocking script, lazy images.

The page-by-page checks (render-blocking scripts, lazy images below the fold) run in
test_layout.py, which opens every key page at both widths anyway.
"""

import pytest

from tests.browser.pages import visit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HOME_BUDGET = 100 * 1024  # bytes transferred for HTML, CSS, fonts and scripts


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
