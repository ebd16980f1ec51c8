"""The sitemap: an index at /sitemap.xml, each section in pages of bounded size."""

import re
from datetime import datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from iomsite import content
from iomsite.models import Page
from iomsite.sitemaps import ITEMS_PER_PAGE, PageSitemap, SectionSitemap
from tests.helpers import sitemap_pages
from tests.iomsite.factories import live, make_page

pytestmark = pytest.mark.django_db

LANGUAGES = ("en", "fr", "es")


def locations(response):
    assert response.status_code == 200
    return re.findall(r"<loc>([^<]+)</loc>", response.content.decode())


def many_pages(count, start=0):
    Page.objects.bulk_create(
        Page(
            slug=f"bulk-{index}", title=f"Bulk {index}", title_fr="Vrac", title_es="Lote", body="<p>Body.</p>", **live()
        )
        for index in range(start, start + count)
    )


@pytest.fixture
def small_pages(monkeypatch):
    """Two items a page for the basic pages section."""
    monkeypatch.setattr(PageSitemap, "items_per_page", 2)


def test_robots_points_at_the_index(client):
    body = client.get("/robots.txt").content.decode()
    assert "Sitemap: http://testserver/sitemap.xml" in body
    assert b"<sitemapindex" in client.get("/sitemap.xml").content


def test_index_lists_every_section(client):
    listed = locations(client.get("/sitemap.xml"))
    for section in content.sitemaps():
        assert f"http://testserver/sitemap-{section}.xml" in listed


def test_a_section_lists_its_items_in_every_language_with_alternates(client):
    make_page("about-us", title_fr="À propos", title_es="Quiénes somos")
    xml = client.get("/sitemap-pages.xml").content.decode()
    for language in LANGUAGES:
        assert f"<loc>http://testserver/{language}/about-us/</loc>" in xml
    assert 'hreflang="x-default" href="http://testserver/about-us/"' in xml


def test_a_draft_is_absent_from_every_section_page(client):
    make_page("open-page")
    make_page("secret-draft", published=False)
    make_page("gone-page", unpublish_at=timezone.now() - timedelta(hours=1))
    text = sitemap_pages(client)
    assert "/en/open-page/" in text
    assert "secret-draft" not in text and "gone-page" not in text


def test_a_long_section_is_split_into_pages_the_index_lists(client, small_pages):
    many_pages(5)
    make_page("secret-draft", published=False)
    listed = locations(client.get("/sitemap.xml"))
    section = "http://testserver/sitemap-pages.xml"
    assert [url for url in listed if url.startswith(section)] == [section, f"{section}?p=2", f"{section}?p=3"]
    seen = []
    for page in (1, 2, 3):
        urls = locations(client.get(f"/sitemap-pages.xml?p={page}"))
        assert len(urls) == len(LANGUAGES) * (1 if page == 3 else 2)
        seen += [url for url in urls if "/en/" in url]
    assert seen == [f"http://testserver/en/bulk-{index}/" for index in range(5)]  # in order, each once


@pytest.mark.parametrize("page", ["4", "0", "two", "99999999999"])
def test_a_page_beyond_the_last_is_a_404(client, small_pages, page):
    many_pages(5)
    assert client.get(f"/sitemap-pages.xml?p={page}").status_code == 404


def test_an_unknown_section_is_a_404(client):
    assert client.get("/sitemap-nothing.xml").status_code == 404


def test_index_gives_the_latest_change_of_each_section(client):
    make_page("older")
    newest = make_page("newer")
    xml = client.get("/sitemap.xml").content.decode()
    entry = re.search(r"<loc>http://testserver/sitemap-pages.xml</loc><lastmod>([^<]+)</lastmod>", xml)
    assert entry and datetime.fromisoformat(entry.group(1)) == newest.updated_at


def test_every_section_is_ordered_for_pagination():
    for section, sitemap in content.sitemaps().items():
        site = sitemap()
        assert isinstance(site, SectionSitemap), section
        items = site.items()
        assert isinstance(items, list) or items.ordered, section
        assert site.limit <= 3 * ITEMS_PER_PAGE * len(LANGUAGES), section  # well under 50,000 addresses


def queries(client, url):
    client.get(url)  # warm-up: site settings
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def test_queries_per_sitemap_page_are_the_same_at_two_sizes(client, small_pages):
    urls = [
        "/sitemap.xml",
        "/sitemap-pages.xml",
        "/sitemap-pages.xml?p=2",
        *[f"/sitemap-{s}.xml" for s in content.sitemaps()],
    ]
    many_pages(4)
    small = {url: queries(client, url) for url in urls}
    many_pages(40, start=4)
    large = {url: queries(client, url) for url in urls}
    assert small == large
    assert max(large.values()) <= 10
