"""The Content-Security-Policy in a real browser: an injected inline script does not run, and
Chromium reports the refusal to the site's /csp-report endpoint, which logs it."""

import logging
import threading

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


class ReportWaiter(logging.Handler):
    """Sets an event when the report endpoint logs a violation (the browser sends it on its own time)."""

    def __init__(self):
        super().__init__(level=logging.WARNING)
        self.seen = threading.Event()
        self.messages = []

    def emit(self, record):
        self.messages.append(record.getMessage())
        self.seen.set()


@pytest.fixture
def reports():
    waiter = ReportWaiter()
    logger = logging.getLogger("iomsite.csp")
    logger.addHandler(waiter)
    yield waiter
    logger.removeHandler(waiter)


@pytest.mark.urls("tests.security.injected_urls")
def test_an_injected_inline_script_is_blocked_and_reported(context, live_server, reports):
    """The server sends a page with a script nobody allowed (as a stored injection would)."""
    url = f"{live_server.url}/injected/"
    page = context.new_page()
    refused = []
    page.on(
        "console", lambda message: refused.append(message.text) if "Content Security Policy" in message.text else None
    )
    response = page.goto(url)

    assert response.status == 200 and "window.injected" in response.text()
    assert page.evaluate("window.injected") is None  # the script never ran
    assert page.get_by_text("Hello").is_visible()  # the rest of the page is there
    assert refused and "inline script" in refused[0]
    assert reports.seen.wait(10), "the browser sent no CSP report to /csp-report"
    report = reports.messages[0]
    assert "script-src" in report and '"blocked": "inline"' in report
    assert f'"document": "{url}"' in report
