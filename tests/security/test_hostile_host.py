"""A Host header outside ALLOWED_HOSTS gets the site's 400 page on every URL, never a 500.

Scanners and misrouted traffic send any Host; Django refuses it (DisallowedHost), and
nothing on the way to the answer may ask for the host again.
"""

import pytest
from django.test import Client

from tests.factories import make_document, make_image, make_page

pytestmark = pytest.mark.django_db

HOSTILE = [
    "evil.example",
    "evil.example:8000",
    "127.0.0.1@evil.example",
    "localhost.evil.example",
    "a b",
    "x" * 300,
    "[::1",
]


@pytest.fixture
def urls(settings, tmp_path):
    """One URL of each kind: pages, static, media, documents, renditions, admin, feeds, errors."""
    static_root = tmp_path / "static"
    (static_root / "iomsite").mkdir(parents=True)
    (static_root / "iomsite" / "site.css").write_text("body{}")
    settings.STATIC_ROOT = static_root
    make_page(slug="contact-us", title="Contact us")
    image = make_image(title="Camp")
    document = make_document(title="Report")
    return [
        "/",
        "/en/",
        "/en/contact-us/",
        "/en/no-such-page/",
        "/en/search/?q=migration",
        "/en/newsletter/",
        "/static/iomsite/site.css",
        "/static/no-such-file.css",
        f"/media/{image.file.name}",
        image.renditions()[0][0],
        document.get_absolute_url(),
        "/admin/",
        "/admin/login/",
        "/robots.txt",
        "/sitemap.xml",
        "/healthz",
        "/en/feed/",
    ]


@pytest.mark.parametrize("page_cache", [False, True])
def test_every_url_answers_a_hostile_host_with_the_sites_400(settings, urls, page_cache):
    settings.IOMSITE_PAGE_CACHE = page_cache
    settings.DEBUG = False
    client = Client(raise_request_exception=True)
    for host in HOSTILE:
        for url in urls:
            response = client.get(url, HTTP_HOST=host)
            assert response.status_code == 400, (host, url, response.status_code)
            html = response.content.decode()
            assert 'class="error-page"' in html and "Bad request" in html, (host, url)
            assert "evil.example" not in html  # nothing built from the refused host
            assert response["Cache-Control"].startswith("no-store") or "no-cache" in response["Cache-Control"]


def test_a_post_with_a_hostile_host_is_a_400_too(urls):
    response = Client().post("/admin/login/", {"username": "x", "password": "y"}, HTTP_HOST="evil.example")
    assert response.status_code == 400


def test_allowed_hosts_still_work(urls):
    client = Client()
    assert client.get("/en/contact-us/", HTTP_HOST="localhost").status_code == 200
    assert client.get("/static/iomsite/site.css", HTTP_HOST="127.0.0.1").status_code == 200


def test_absolute_url_tag_falls_back_to_the_path_when_the_host_is_refused(rf):
    from django.template import Context, Template

    request = rf.get("/en/", HTTP_HOST="evil.example")
    html = Template("{% load iomsite %}{% absolute_url '/en/x/' %}").render(Context({"request": request}))
    assert html == "/en/x/"
