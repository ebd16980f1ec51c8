"""Bad input at every public URL: never a 500, errors in the site's own page, nothing echoed raw.

The URLs come from the URL resolver (every route without parameters) and from the demo
content (the sitemap, then every same-site link found on those pages), so a new page
type is covered as soon as it is routed or linked.
"""

import re
from collections import defaultdict
from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.exceptions import Resolver404

from iomsite.models import Page
from tests.helpers import sitemap_pages
from tests.iomsite.factories import live

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert('x')</script>"
ERROR_PAGE = 'class="error-page"'
PER_ROUTE = 2  # pages of one kind behave alike: test a couple of each
ADMIN = "/admin/"
NOT_PUBLIC = (ADMIN, "/i18n/", "/static/")


@pytest.fixture(autouse=True)
def _media(settings, demo_media):
    settings.MEDIA_ROOT = demo_media


@pytest.fixture(scope="module")
def site(demo_content, django_db_blocker, demo_media):
    """The pages of the demo content (loaded once for the module, tests/conftest.py), crawled once."""
    from django.test.utils import override_settings

    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=demo_media):
        yield crawl()


def route_patterns(resolver=None, prefix=""):
    """``(route, pattern)`` for every URL pattern, with the route as a display string."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from route_patterns(pattern, route)
        elif isinstance(pattern, URLPattern):
            yield route, pattern


def parameterless_paths():
    paths = set()
    for route, _pattern in route_patterns():
        route = route.replace("en/", "en/", 1)
        if "<" in route or "(?P" in route or "\\" in route or route.startswith(("^", "admin")):
            continue
        path = "/" + route.lstrip("^").rstrip("$")
        if path.startswith("/en/") or not path.startswith(NOT_PUBLIC):
            paths.add(path)
    return paths


def same_site_links(html):
    for href in re.findall(r'href="([^"#]+)"', html):
        parts = urlsplit(href.replace("&amp;", "&"))
        if not parts.netloc and parts.path.startswith("/") and not parts.path.startswith(NOT_PUBLIC):
            yield parts.path + (f"?{parts.query}" if parts.query else "")


def route_of(path):
    try:
        match = resolve(urlsplit(path).path)
    except Resolver404:
        return None
    return match.route or match.view_name


def crawl(limit=400):
    """Every public page reachable from the home page and the sitemap, at most PER_ROUTE per route."""
    client = Client()
    sitemap = sitemap_pages(client)
    queue = ["/en/", *sorted(parameterless_paths())]
    queue += [urlsplit(loc).path for loc in re.findall(r"<loc>([^<]+)</loc>", sitemap)]
    seen, per_route, pages = set(), defaultdict(int), []
    while queue and len(pages) < limit:
        path = queue.pop(0)
        route = route_of(path)
        if path in seen or route is None or per_route[route] >= PER_ROUTE:
            continue
        seen.add(path)
        response = client.get(path)
        assert response.status_code < 500, (path, response.status_code)
        if response.status_code != 200:
            continue
        per_route[route] += 1
        pages.append(path)
        if "text/html" in response.get("Content-Type", ""):
            queue.extend(same_site_links(response.content.decode()))
    return pages


def one_per_route(paths):
    chosen = {}
    for path in paths:
        chosen.setdefault(route_of(path), path)
    return list(chosen.values())


def html_of(response):
    if response.streaming or "text/html" not in response.get("Content-Type", ""):
        return ""
    return response.content.decode("utf-8", "replace")


def assert_safe(response, path):
    assert response.status_code < 500, (path, response.status_code)
    body = response.content.decode("utf-8", "replace") if not response.streaming else ""
    assert SCRIPT not in body, f"{path} echoes input unescaped"
    assert "<script>alert" not in body, f"{path} echoes input unescaped"
    if response.status_code in (400, 403, 404) and "text/html" in response.get("Content-Type", ""):
        assert ERROR_PAGE in body, f"{path} answers {response.status_code} without the site's error page"
    return response


def test_the_crawl_covers_every_kind_of_public_page(site):
    kinds = {route_of(path) for path in site}
    assert len(site) >= 20, site
    for prefix in ("/en/themes/", "/en/consultations/", "/en/regions/", "/en/publications/", "/en/search/"):
        assert any(path.startswith(prefix) for path in site), prefix
    assert len(kinds) >= 15, kinds


BAD_QUERIES = [
    "page=0",
    "page=-1",
    "page=abc",
    "page=1.5",
    "page=99999999999999999999999",
    "page=%00",
    "q=%27%20OR%201%3D1%20--",
    "q=%22unterminated",
    "q=a%20%26%20%7C%20!%20(%20:*",
    "q=" + "x" * 5000,
    "q=%3Cscript%3Ealert(%27x%27)%3C%2Fscript%3E",
    "sort=-id;DROP%20TABLE%20x",
    "year=abc&theme=abc&region=-1&type=%3Cscript%3Ealert(%27x%27)%3C%2Fscript%3E",
    "year=99999999999&theme=99999999999999999999&region=1e9",
    "q=caf%C3%A9&lang=xx",
    "q=%ff%fe",
]


@pytest.mark.parametrize("query", BAD_QUERIES)
def test_odd_query_strings_never_break_a_page(site, client, query):
    for path in one_per_route(site):
        separator = "&" if "?" in path else "?"
        url = f"{path}{separator}{query}"
        response = assert_safe(client.get(url), url)
        if "%00" in query and path.startswith(("/en/search/",)):
            assert response.status_code == 400, url


@pytest.fixture(scope="module")
def paginated(site):
    """Listings (pages whose ?page=99999 is a 404 while ?page=1 is their first page)."""
    client, found = Client(), []
    for path in [*site, "/en/search/?q=migration"]:
        separator = "&" if "?" in path else "?"
        if client.get(f"{path}{separator}page=1").status_code != 200:
            continue
        if client.get(f"{path}{separator}page=99999").status_code == 404:
            found.append(path)
    return found


def test_listings_are_found(paginated):
    for prefix in ("/en/publications/", "/en/consultations/", "/en/search/"):
        assert any(path.startswith(prefix) for path in paginated), (prefix, paginated)


@pytest.mark.parametrize("page", ["0", "-1", "abc", "99999", "1.5", "%00", "1e3", "%EF%BC%91", "+1", " 1", "2"])
def test_bad_page_numbers_are_404_on_every_listing(paginated, client, page):
    for path in paginated:
        separator = "&" if "?" in path else "?"
        url = f"{path}{separator}page={page}"
        response = assert_safe(client.get(url), url)
        if page == "2":
            assert response.status_code in (200, 404), url  # a real page only if there is enough content
        else:  # search refuses NUL bytes outright (400); a bad number is a page that does not exist
            assert response.status_code in ((400, 404) if page == "%00" else (404,)), (url, response.status_code)


@pytest.mark.parametrize(
    "path",
    [
        "/en/%ff%fe/",
        "/en/themes/%c3%28/",
        "/en/search/%80/",
        "/%ff/",
        "/en/themes/" + "x" * 5000 + "/",
        "/en/%00/",
        "/en/themes/%00/",
        "/en/" + "%3Cscript%3Ealert('x')%3C/script%3E/",
    ],
)
def test_odd_paths_are_404_or_400(site, client, path):
    response = assert_safe(client.get(path), path)
    assert response.status_code in (400, 404), (path, response.status_code)


@pytest.mark.parametrize("path", ["/xx/", "/de/themes/", "/zz-yy/publications/", "/EN/", "/en-gb/"])
def test_unknown_languages_are_404(site, client, path):
    response = assert_safe(client.get(path, follow=True), path)  # /xx/ → /en/xx/
    assert response.status_code == 404, (path, response.status_code)


def test_unknown_accept_language_falls_back_to_english(site, client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="xx-YY, tlh;q=0.9, *;q=0.1")
    assert response.status_code == 302 and response["Location"] == "/en/"


@pytest.mark.parametrize(
    "path",
    [
        "/media/../../etc/passwd",
        "/media/%2e%2e/%2e%2e/etc/passwd",
        "/media/..%2f..%2fetc%2fpasswd",
        "/media/%252e%252e/%252e%252e/etc/passwd",
        "/media/images/..%5c..%5c..%5cetc%5cpasswd",
        "/media//etc/passwd",
        "/media/%00/etc/passwd",
        "/media/renditions/1/..%2f..%2f..%2fetc%2fpasswd-320.webp",
        "/static/../iomsite/settings.py",
        "/static/%2e%2e/iomsite/settings.py",
        "/documents/1/..%2f..%2fetc%2fpasswd",
        "/en/%2e%2e/%2e%2e/etc/passwd",
    ],
)
def test_traversal_paths_reveal_nothing(site, client, path):
    response = assert_safe(client.get(path), path)
    assert response.status_code in (400, 404), (path, response.status_code)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert b"root:" not in body and b"SECRET_KEY" not in body


def form_pages(site):
    """Pages whose HTML has a POST form, with the form's action."""
    client, forms = Client(), {}
    for path in site:
        html = html_of(client.get(path))
        for match in re.finditer(r'<form[^>]*method="post"[^>]*>', html, re.IGNORECASE):
            action = re.search(r'action="([^"]*)"', match.group(0))
            forms[action.group(1) if action and action.group(1) else urlsplit(path).path] = path
    return forms


def test_there_are_public_forms_to_test(site):
    assert "/en/newsletter/" in form_pages(site)


def test_posts_without_csrf_token_are_refused(site):
    client = Client(enforce_csrf_checks=True)
    for action in form_pages(site):
        response = client.post(action, {"email": "someone@example.org"})
        assert response.status_code == 403, (action, response.status_code)
        assert SCRIPT not in html_of(response)


def test_csrf_refusal_is_the_sites_403_page(site):
    response = Client(enforce_csrf_checks=True).post("/en/newsletter/", {"email": "someone@example.org"})
    assert response.status_code == 403
    assert ERROR_PAGE in html_of(response)


def test_huge_post_bodies_are_refused(site):
    client = Client()
    huge = "x" * (6 * 1024 * 1024)
    for action in [*form_pages(site), "/en/search/", "/en/"]:
        response = assert_safe(client.post(action, {"email": "a@example.org", "comment": huge}), action)
        assert response.status_code in (400, 403, 405, 413), (action, response.status_code)
        # A body Django has no parser for is never read: the form is simply empty.
        assert_safe(client.post(action, data=b"x" * (6 * 1024 * 1024), content_type="application/octet-stream"), action)


@pytest.mark.parametrize(
    "email",
    [
        "",
        "not-an-address",
        "a@",
        "@example.org",
        "a@b@example.org",
        "someone@example.org\x00",
        "someone@example.org\r\nBcc: victim@example.org",
        SCRIPT + "@example.org",
        "x" * 300 + "@example.org",
        "someone@" + "x" * 300 + ".org",
    ],
)
def test_invalid_emails_are_refused_in_the_form(site, client, email):
    from iomsite.newsletter.models import Subscriber

    page = client.get("/en/newsletter/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode()).group(1)
    form = dict(re.findall(r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"', page.content.decode()))
    form |= {"csrfmiddlewaretoken": token, "email": email}
    before = Subscriber.objects.count()
    response = assert_safe(client.post("/en/newsletter/", form), email)
    assert response.status_code in (200, 400), response.status_code
    assert Subscriber.objects.count() == before


def test_a_broken_body_saved_by_an_editor_still_renders_everywhere(site, client):
    page = Page.objects.create(
        slug="broken-markup", title="Broken markup", summary="Broken", body="<a" * 5000 + SCRIPT, **live()
    )
    for url in ("/en/broken-markup/", "/en/search/?q=broken"):
        response = assert_safe(client.get(url), url)
        assert response.status_code == 200, url
    assert "<script" not in page.body_text
