"""Content-Security-Policy: no inline script runs unless the server gave it this response's nonce.

The old policy hashed every inline script it found in the response, so an injected one was
allowed too. Now only the admin's known inline script (the rich-text editor's import map)
carries a nonce, public pages carry none, and violations are reported to /csp-report.
The browser side is tests/browser/test_csp.py.
"""

import json
import logging
import re

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import NoReverseMatch, reverse

from tests.factories import make_page

pytestmark = pytest.mark.django_db

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)([^>]*)>", re.IGNORECASE)
DATA_BLOCK = re.compile(r'type="application/(ld\+)?json"')


def directive(response, name):
    policy = response["Content-Security-Policy"]
    return next(part.strip() for part in policy.split(";") if part.strip().split(" ")[0] == name)


def nonce_of(response):
    match = re.search(r"'nonce-([^']+)'", directive(response, "script-src"))
    return match.group(1) if match else None


def test_public_pages_allow_no_inline_script_at_all(client):
    make_page(slug="contact-us")
    for url in ("/en/", "/en/contact-us/", "/en/no-such-page/"):
        response = client.get(url)
        script_src = directive(response, "script-src")
        assert script_src == "script-src 'self'", script_src  # no nonce, no hash, no 'unsafe-inline'
        assert directive(response, "report-uri") == "report-uri /csp-report"
        assert directive(response, "object-src") == "object-src 'none'"
        assert directive(response, "frame-ancestors") == "frame-ancestors 'none'"


@pytest.mark.urls("tests.security.injected_urls")
def test_an_injected_script_gets_no_pass_from_the_policy(client):
    """What the old middleware did wrong: it hashed whatever inline script the page held."""
    response = client.get("/injected/")
    assert response.status_code == 200 and b"window.injected" in response.content
    assert directive(response, "script-src") == "script-src 'self'"


def admin_pages():
    """The add page and changelist of every registered admin (where the user may add)."""
    for model in admin.site._registry:
        opts = model._meta
        for view in ("add", "changelist"):
            try:
                yield reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}")
            except NoReverseMatch:
                continue


def test_every_inline_script_in_the_admin_carries_this_responses_nonce(staff_client):
    seen_editor = False
    for url in admin_pages():
        response = staff_client.get(url)
        if response.status_code != 200:
            continue
        html = response.content.decode()
        nonce = nonce_of(response)
        for attrs in INLINE_SCRIPT.findall(html):
            if DATA_BLOCK.search(attrs):
                continue  # data, never executed
            assert nonce and f'nonce="{nonce}"' in attrs, f"{url}: inline <script{attrs}> without the nonce"
            seen_editor |= 'type="importmap"' in attrs
    assert seen_editor, "no page with the rich-text editor was checked"


def test_nonces_differ_per_response(staff_client):
    first = nonce_of(staff_client.get("/admin/iomsite/page/add/"))
    second = nonce_of(staff_client.get("/admin/iomsite/page/add/"))
    assert first and second and first != second


def test_a_cached_public_page_keeps_the_policy_without_a_nonce(client, settings):
    settings.IOMSITE_PAGE_CACHE = True
    make_page(slug="contact-us")
    first = client.get("/en/contact-us/")
    second = client.get("/en/contact-us/")
    assert second["X-Page-Cache"] == "hit"
    assert first["Content-Security-Policy"] == second["Content-Security-Policy"]
    assert "nonce" not in second["Content-Security-Policy"]


# ----------------------------------------------------------------------------- reports

REPORT = {
    "csp-report": {
        "document-uri": "https://www.example.org/en/search/?q=ana%40example.org#top",
        "referrer": "https://mail.example.com/inbox/ana@example.org",
        "violated-directive": "script-src-elem",
        "effective-directive": "script-src-elem",
        "original-policy": "script-src 'self'",
        "blocked-uri": "inline",
        "line-number": 12,
        "source-file": "https://www.example.org/en/search/?token=secret",
        "script-sample": "alert(document.cookie)",
        "status-code": 200,
        "disposition": "enforce",
    }
}


def post_report(client, body, content_type="application/csp-report", **extra):
    data = body if isinstance(body, (bytes, str)) else json.dumps(body)
    return client.post("/csp-report", data, content_type=content_type, **extra)


def test_a_report_is_logged_without_personal_data(client, caplog):
    with caplog.at_level(logging.WARNING, logger="iomsite.csp"):
        response = post_report(client, REPORT, REMOTE_ADDR="203.0.113.9", HTTP_USER_AGENT="Ana's browser")
    assert response.status_code == 204
    [record] = [r for r in caplog.records if r.name == "iomsite.csp"]
    logged = record.getMessage()
    assert "script-src-elem" in logged and "inline" in logged and "https://www.example.org/en/search/" in logged
    for personal in ("ana", "secret", "203.0.113.9", "Ana's browser", "cookie", "mail.example.com", "q="):
        assert personal not in logged


def test_reporting_api_reports_are_read_too(client, caplog):
    body = [
        {
            "type": "csp-violation",
            "url": "https://www.example.org/en/",
            "body": {"documentURL": "https://www.example.org/en/?x=1", "effectiveDirective": "script-src-elem",
                     "blockedURL": "inline", "disposition": "enforce", "lineNumber": 3},
        },
        {"type": "deprecation", "body": {"id": "x"}},
    ]  # fmt: skip
    with caplog.at_level(logging.WARNING, logger="iomsite.csp"):
        assert post_report(client, body, "application/reports+json").status_code == 204
    [record] = [r for r in caplog.records if r.name == "iomsite.csp"]
    assert '"document": "https://www.example.org/en/"' in record.getMessage()


@pytest.mark.parametrize(
    "body",
    [b"", b"not json", b"[]]", b"\xff\xfe", b"null", b"42", b'{"csp-report": 3}', b'"x"', b"[1, 2]",
     json.dumps({"csp-report": {"line-number": "x" * 100, "blocked-uri": ["a"], "document-uri": {"a": 1}}}).encode(),
     json.dumps({"a": "\x00"}).encode()],
)  # fmt: skip
def test_malformed_reports_are_a_400_or_ignored_never_an_error(body):
    response = post_report(Client(raise_request_exception=True), body)
    assert response.status_code in (204, 400)


def test_reports_are_post_only_and_small(client):
    assert client.get("/csp-report").status_code == 405
    too_big = {"csp-report": {"blocked-uri": "x" * 20000}}
    assert post_report(client, too_big).status_code == 413


def test_reports_are_rate_limited_per_address(client, caplog):
    from iomsite.security import REPORTS_PER_IP

    with caplog.at_level(logging.WARNING, logger="iomsite.csp"):
        answers = [
            post_report(client, REPORT, REMOTE_ADDR="198.51.100.1").status_code for _ in range(REPORTS_PER_IP + 5)
        ]
    assert answers.count(204) == REPORTS_PER_IP and answers[-1] == 429
    assert len([r for r in caplog.records if r.name == "iomsite.csp"]) == REPORTS_PER_IP
    assert post_report(client, REPORT, REMOTE_ADDR="198.51.100.2").status_code == 204  # someone else


def test_reports_need_no_csrf_token(db):
    assert post_report(Client(enforce_csrf_checks=True), REPORT).status_code == 204
