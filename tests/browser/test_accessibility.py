"""axe-core in the browser: no serious or critical violation on the key pages."""

import pytest

from tests.browser.conftest import axe_violations, describe_violations
from tests.browser.pages import KEY_PAGES, visit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_key_pages_have_no_serious_or_critical_axe_violations(page, demo):
    report = []
    for path in KEY_PAGES.values():
        visit(page, path)
        violations = axe_violations(page)
        if violations:
            report.append(describe_violations(path, violations))
    assert not report, "axe-core found serious or critical problems:\n" + "\n".join(report)


def test_key_pages_on_a_phone_have_no_serious_or_critical_axe_violations(page, demo):
    page.set_viewport_size({"width": 375, "height": 740})
    report = []
    for path in KEY_PAGES.values():
        visit(page, path)
        violations = axe_violations(page)
        if violations:
            report.append(describe_violations(path, violations))
    assert not report, "axe-core found serious or critical problems at 375 px:\n" + "\n".join(report)
