"""axe-core in the browser: no serious or critical violation on the key pages."""

import pytest

from tests.browser.conftest import axe_violations, describe_violations
from tests.browser.pages import KEY_PAGES, visit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_axe_check_itself_reports_a_missing_alt_text(page):
    """The harness is not blind: an image without alt text is a critical violation."""
    page.set_content('<html lang="en"><title>t</title><main><img src="data:image/gif;base64,R0lGOD"></main>')
    assert "image-alt" in {violation["id"] for violation in axe_violations(page)}


def test_key_pages_have_no_serious_or_critical_axe_violations(page, demo):
    report = []
    for path in KEY_PAGES.values():
        visit(page, path)
        violations = axe_violations(page)
        if violations:
            report.append(describe_violations(path, violations))
    assert not report, "axe-core found serious or critical problems:\n" + "\n".join(report)
