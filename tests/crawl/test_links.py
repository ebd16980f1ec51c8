"""Every link works: a visitor's walk through the whole site, demo and generated content.

The crawler starts at ``/`` and at each language's home page, follows every same-site
link (pagination, filters, language switcher, canonical and alternate links included),
types a common word into the search form, and requests every file it is offered. The
content is the demo (what ``make run`` shows) plus ``generate_content`` at a small
scale, so that every kind of listing (search, a consultation series, the publications,
a theme's news) has at least three pages. Everything is rolled back afterwards.
"""

import io
import os
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.core.management import call_command
from django.test import Client

from tests.crawl.crawler import HTML, Crawler
from tests.helpers import module_content

pytestmark = pytest.mark.django_db

SCALE = 0.03
LANGUAGES = ("en", "fr", "es")
SEARCH_WORDS = ("migration",)
# One of each kind of listing, with the pages it must have at least.
LISTINGS = {
    "search": ("/{lang}/search/", 3),
    "consultation series": ("/{lang}/consultations/gen-series-1/", 3),
    "publications": ("/{lang}/publications/", 3),
    "news": ("/{lang}/news/", 3),
    "theme news": ("/{lang}/themes/gen-theme-0/news-and-media/", 2),
}


@pytest.fixture(scope="module")
def crawl(django_db_setup, django_db_blocker, tmp_path_factory):
    with module_content(django_db_blocker, tmp_path_factory.mktemp("crawl-media")):
        call_command("load_demo_content", stdout=open(os.devnull, "w"))  # noqa: SIM115
        call_command("generate_content", scale=SCALE, stdout=io.StringIO())  # also rebuilds the search index
        crawler = Crawler(Client(), search_words=SEARCH_WORDS)
        crawler.crawl("/", *(f"/{code}/" for code in LANGUAGES))
    return crawler


def listing_pages(crawl, url):
    """The pages of a listing, from ``url`` onwards by its "Next" links."""
    pages, page = [], crawl.pages.get(url)
    while page is not None and page not in pages:
        pages.append(page)
        page = crawl.pages.get(page.next_url) if page.next_url else None
    return pages


def describe(crawl, url):
    return f"{url} (linked from {crawl.linked_from.get(url, 'the start')})"


def test_the_walk_ends(crawl):
    """A site of this size has a few thousand addresses: links that breed new addresses never end."""
    assert not crawl.unfinished, f"still {len(crawl.unfinished)} to visit, e.g. {crawl.unfinished[-1]}"


def test_the_walk_covers_the_site(crawl):
    html = [page for page in crawl.pages.values() if page.content_type.startswith(HTML)]
    assert len(html) > 1000, len(html)
    for code in LANGUAGES:
        for kind, (url, _pages) in LISTINGS.items():
            if kind != "search":
                assert url.format(lang=code) in crawl.pages, f"the walk never reached {kind} in {code}"
    kinds = {urlsplit(url).path.split("/")[2] for url in crawl.pages if url.count("/") > 2}
    assert {"themes", "consultations", "regions", "publications", "search"} <= kinds, kinds
    assert any(url.startswith("/documents/") for url in crawl.pages), "no document download was offered"


def test_every_address_answers(crawl):
    """200, or a deliberate redirect to a page that answers 200: no link leads to a 404 or a 500."""
    broken = []
    for url in crawl.pages:
        landed = crawl.final(url)
        if landed is None or landed.status != 200:
            broken.append(f"{landed.status if landed else 'redirect loop'}: {describe(crawl, url)}")
    assert not broken, "\n".join(broken[:30])


def test_links_carry_each_query_parameter_once(crawl):
    """A filter, search word or page number appears once per link, and no address starts its query twice."""
    doubled = []
    for url in crawl.pages:
        query = urlsplit(url).query
        names = [name for name, _value in parse_qsl(query, keep_blank_values=True)]
        if "?" in query or len(names) != len(set(names)):
            doubled.append(describe(crawl, url))
    assert not doubled, "\n".join(doubled[:30])


@pytest.mark.parametrize("code", LANGUAGES)
@pytest.mark.parametrize("kind", LISTINGS)
def test_next_shows_other_items(crawl, kind, code):
    """From page 1, each "Next" leads to the following page, which shows items the previous one did not."""
    url, wanted = LISTINGS[kind]
    url = url.format(lang=code)
    if kind == "search":
        url = next(u for u in crawl.pages if u.startswith(url) and "page=" not in u and "q=" in u)
    pages = listing_pages(crawl, url)
    assert len(pages) >= wanted, f"{kind}: {len(pages)} pages from {url} by its Next links"
    for number, (page, following) in enumerate(zip(pages, pages[1:], strict=False), start=1):
        assert following.status == 200, f"{kind}: Next from page {number} ({page.url}) answers {following.status}"
        new = following.items - page.items
        assert following.items and new, (
            f"{kind}: Next from page {number} ({page.url}) leads to {following.url}, "
            f"which shows no item that page {number} did not show"
        )
        assert f"page={number + 1}" in following.url


def test_every_paginated_page_offers_the_next(crawl):
    """Wherever a listing has a "Next" link, following it was part of the walk and gave a page."""
    for url, page in crawl.pages.items():
        if page.next_url:
            assert page.next_url in crawl.pages, describe(crawl, url)
            assert crawl.final(page.next_url).status == 200, describe(crawl, page.next_url)


def test_no_french_or_spanish_page_shows_an_english_heading_without_saying_so(crawl):
    """On /fr/ and /es/, a page whose h1 is English, or that is no translation, carries the fallback note (issue 20).

    English is recognised by its ``lang="en"`` marking, or by the page's heading being the
    English page's while the page does not announce itself as a translation (no
    ``hreflang`` for its own address). Headings that are the same word in both languages
    ("Publications") on translated pages are fine.
    """
    unsaid, checked = [], 0
    for url, page in crawl.pages.items():
        if page.status != 200 or not page.h1 or not url.startswith(("/fr/", "/es/")):
            continue
        checked += 1
        english = crawl.pages.get("/en/" + url[4:])
        announced = urlsplit(url).path in {urlsplit(address).path for address in page.alternates.values()}
        same_as_english = english is not None and english.h1 == page.h1 and english.h1_lang in ("", "en")
        if (page.h1_lang == "en" or (same_as_english and not announced)) and not page.fallback_note:
            unsaid.append(f"{url}: {page.h1!r}")
    assert checked > 100
    assert not unsaid, f"{len(unsaid)} pages:\n" + "\n".join(unsaid[:40])


def test_french_and_spanish_pages_in_english_are_not_announced_as_translations(crawl):
    """A page shown wholly in English names its English address as canonical, and no hreflang for itself."""
    wrong, checked = [], 0
    for url, page in crawl.pages.items():
        if page.fallback_note != "missing" or not url.startswith(("/fr/", "/es/")):
            continue
        checked += 1
        path = urlsplit(url).path
        announced = path in {urlsplit(address).path for address in page.alternates.values()}
        if announced or urlsplit(page.canonical).path != "/en/" + path[4:]:
            wrong.append(f"{url}: canonical {page.canonical}, alternates {page.alternates}")
    assert checked and not wrong, wrong[:20]
