"""manage.py check_links: broken internal links always, external ones on request (a local server only)."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from io import StringIO

import pytest
from django.core.management import call_command

from iomsite.models import MenuItem
from iomsite.workflow.models import BrokenLink
from tests.iomsite.factories import make_page
from tests.workflow.helpers import change_url

pytestmark = pytest.mark.django_db


class Handler(BaseHTTPRequestHandler):
    def _answer(self, body):
        if self.path == "/missing":
            self.send_response(404)
        elif self.path == "/no-head" and self.command == "HEAD":
            self.send_response(405)
        else:
            self.send_response(200)
        self.end_headers()
        if body:
            self.wfile.write(b"ok")

    def do_HEAD(self):
        self._answer(body=False)

    def do_GET(self):
        self._answer(body=True)

    def log_message(self, *args):
        pass


@pytest.fixture
def website():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture
def content(website):
    live = make_page(slug="about", title="About us")
    draft = make_page(slug="plans", published=False)
    body = "".join(
        f'<p><a href="{href}">link</a></p>'
        for href in (
            live.get_absolute_url(),
            draft.get_absolute_url(),
            "/en/no-such-page/",
            "/en/",
            "mailto:info@example.org",
            "#top",
            f"{website}/ok",
            f"{website}/missing",
            f"{website}/no-head",
        )
    )
    source = make_page(slug="links", title="Useful links", body=body)
    MenuItem.objects.create(menu="footer", title="Gone", url="/nowhere-at-all/")
    return source


def run(*args):
    out = StringIO()
    call_command("check_links", *args, stdout=out)
    return out.getvalue()


def test_internal_links_are_checked_as_visitors_see_them(content):
    output = run()
    broken = dict(BrokenLink.objects.values_list("url", "problem"))
    assert set(broken) == {"/en/plans/", "/en/no-such-page/", "/nowhere-at-all/"}
    assert all(kind == "internal" for kind in BrokenLink.objects.values_list("kind", flat=True))
    assert "links to other websites not checked (use --external)" in output
    row = BrokenLink.objects.get(url="/en/plans/")
    assert row.object_repr == "Useful links" and row.field == "body_en" and row.status_code == 404


def test_external_links_on_request(content, website):
    output = run("--external", "--allow-private", "--timeout", "2")
    external = set(BrokenLink.objects.filter(kind="external").values_list("url", flat=True))
    assert external == {f"{website}/missing"}  # /no-head answers GET after refusing HEAD
    assert "3 links to other websites checked, 1 broken" in output
    assert BrokenLink.objects.filter(kind="internal").count() == 3


def test_external_checks_are_bounded_and_skip_private_addresses(content, website):
    output = run("--external", "--allow-private", "--max-external", "1")
    assert "2 not checked (limits)" in output
    run("--external")  # loopback is a private address: not probed without --allow-private
    assert not BrokenLink.objects.filter(kind="external").exists()


def test_a_new_run_replaces_the_report(content):
    run()
    assert BrokenLink.objects.filter(url="/en/plans/").exists()
    make_page_live = type(content).objects.filter(slug="plans")
    make_page_live.update(status="published")
    run()
    assert not BrokenLink.objects.filter(url="/en/plans/").exists()


def test_admin_report_links_to_the_item(content, editor_client):
    run()
    response = editor_client.get("/admin/workflow/brokenlink/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "/en/no-such-page/" in html and f'href="{change_url(content)}"' in html
    assert editor_client.get("/admin/workflow/brokenlink/add/").status_code == 403
