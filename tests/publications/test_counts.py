"""Counts without tracking (issue 24, decision 022): views and downloads per item × language × day."""

import csv
import io
import re
import time

import pytest
from django.conf import settings
from django.core.cache import cache

from publications import counts
from publications.models import DailyCount
from tests.iomsite.factories import make_document
from tests.publications.factories import make_entry, make_publication

pytestmark = pytest.mark.django_db

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36"
GOOGLEBOT = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"
BUCKET = counts.BUCKET_SECONDS
LATER = 2 * BUCKET  # the bucket of now and the grace bucket after it have closed


@pytest.fixture
def chapter(db):
    publication = make_publication("wmr", title="World Migration Report 2018")
    return make_entry(
        publication, "A global overview", number="Chapter 2", slug="overview", document=make_document("Chapter 2")
    )


def beacon_of(html):
    return re.search(r'<img class="beacon" src="([^"]+)"', html).group(1)


def read(client, url, agent=BROWSER):
    """What a browser does: the page, then the images on it (here, the beacon)."""
    html = client.get(url, HTTP_USER_AGENT=agent).content.decode()
    return client.get(beacon_of(html), HTTP_USER_AGENT=agent)


def flush():
    return counts.flush(now=time.time() + LATER)  # the current bucket has closed


def test_one_view_is_counted_once_with_no_database_write(client, chapter, django_assert_num_queries):
    html = client.get("/en/publications/wmr/overview/", HTTP_USER_AGENT=BROWSER).content.decode()
    assert not DailyCount.objects.exists()  # the page itself counts nothing
    with django_assert_num_queries(0):
        response = client.get(beacon_of(html), HTTP_USER_AGENT=BROWSER)
    assert response.status_code == 200 and response["Content-Type"] == "image/gif"
    assert "no-store" in response["Cache-Control"] and not response.cookies
    assert not DailyCount.objects.exists()  # counted in the cache, written later in a batch
    assert flush() == 1
    row = DailyCount.objects.get()
    assert (row.publication_pk, row.entry_pk, row.language, row.views, row.downloads) == (
        chapter.publication_id,
        chapter.pk,
        "en",
        1,
        0,
    )
    assert flush() == 0  # a bucket is written once


def test_views_add_up_per_language_and_item(client, chapter):
    for _n in range(3):
        read(client, "/en/publications/wmr/overview/")
    read(client, "/fr/publications/wmr/overview/")
    read(client, "/en/publications/wmr/")
    flush()
    read(client, "/en/publications/wmr/overview/")
    flush()
    rows = {(row.entry_pk, row.language): row.views for row in DailyCount.objects.all()}
    assert rows == {(chapter.pk, "en"): 4, (chapter.pk, "fr"): 1, (None, "en"): 1}


def test_bots_and_prefetches_are_not_counted(client, chapter):
    read(client, "/en/publications/wmr/overview/", agent=GOOGLEBOT)
    read(client, "/en/publications/wmr/overview/", agent="curl/8.5.0")
    read(client, "/en/publications/wmr/overview/", agent="")
    html = client.get("/en/publications/wmr/overview/").content.decode()
    client.get(beacon_of(html), HTTP_USER_AGENT=BROWSER, HTTP_SEC_PURPOSE="prefetch")
    client.get(chapter.document.get_absolute_url(), HTTP_USER_AGENT=GOOGLEBOT)
    assert flush() == 0 and not DailyCount.objects.exists()


def test_a_page_from_the_page_cache_is_still_counted(client, chapter, settings):
    settings.IOMSITE_PAGE_CACHE = True
    first = client.get("/en/publications/wmr/overview/", HTTP_USER_AGENT=BROWSER)
    second = client.get("/en/publications/wmr/overview/", HTTP_USER_AGENT=BROWSER)
    assert second["X-Page-Cache"] == "hit"
    for page in (first, second):
        beacon = client.get(beacon_of(page.content.decode()), HTTP_USER_AGENT=BROWSER)
        assert "X-Page-Cache" not in beacon  # never kept by the page cache
    flush()
    assert DailyCount.objects.get().views == 2


def test_downloads_count_for_the_chapter_in_the_publication_language(client, chapter):
    url = chapter.document.get_absolute_url()
    assert client.get(url, HTTP_USER_AGENT=BROWSER).status_code == 200
    client.get(url, HTTP_USER_AGENT=BROWSER, HTTP_RANGE="bytes=0-99")  # a PDF reader's partial read
    client.head(url, HTTP_USER_AGENT=BROWSER)
    flush()
    row = DailyCount.objects.get()
    assert (row.entry_pk, row.language, row.views, row.downloads) == (chapter.pk, "en", 0, 1)


def test_no_personal_data_is_kept(client, chapter):
    read(client, "/en/publications/wmr/overview/", agent=BROWSER + " secret-agent-marker")
    client.get(chapter.document.get_absolute_url(), HTTP_USER_AGENT=BROWSER, REMOTE_ADDR="203.0.113.77")
    kept = [str(key) + repr(value) for key, value in cache._cache.items()]
    assert not any("secret-agent-marker" in text or "203.0.113.77" in text or "127.0.0.1" in text for text in kept)
    flush()
    fields = {field.name for field in DailyCount._meta.get_fields()}
    assert fields == {"id", "day", "language", "publication_pk", "entry_pk", "views", "downloads"}


def test_staff_previews_carry_no_beacon(admin_client):
    draft = make_publication("draft", published=False)
    make_entry(draft, "Draft chapter", slug="dc")
    for url in ("/en/publications/draft/", "/en/publications/draft/dc/"):
        html = admin_client.get(url).content.decode()
        assert 'class="beacon"' not in html


def test_admin_report_chart_and_csv(admin_client, client, chapter, django_assert_max_num_queries):
    other = make_entry(chapter.publication, "Regional dimensions", number="Chapter 3", slug="regional")
    for _n in range(2):
        read(client, "/en/publications/wmr/overview/")
    read(client, "/es/publications/wmr/regional/")
    client.get(chapter.document.get_absolute_url(), HTTP_USER_AGENT=BROWSER)
    # The report flushes the closed buckets itself.
    DailyCount.objects.all().delete()
    counts.flush(now=time.time() + LATER)
    changelist = admin_client.get(f"/{settings.ADMIN_URL}publications/publication/").content.decode()
    url = re.search(r'<a href="([^"]+)">Most read and downloaded</a>', changelist).group(1)
    assert url == f"/{settings.ADMIN_URL}publications/publication/reading/"  # editors find it from the list
    html = admin_client.get(url).content.decode()
    assert "Most read and downloaded" in html and "<svg" in html and "<script" not in html.split("<svg")[1]
    rows = re.findall(r"<tr><td>(.*?)</td><td>(\d+)</td><td>(\d+)</td>", html)
    assert rows[0] == ("World Migration Report 2018 › Chapter 2 – A global overview", "2", "1")
    assert rows[1] == ("World Migration Report 2018 › Chapter 3 – Regional dimensions", "1", "0")
    html = admin_client.get(url, {"language": "es"}).content.decode()
    assert "Chapter 3" in html and "Chapter 2 – A global" not in html
    response = admin_client.get(url, {"format": "csv", "days": "7"})
    assert response["Content-Type"].startswith("text/csv")
    table = list(csv.reader(io.StringIO(response.content.decode())))
    assert table[0][:5] == ["publication", "entry", "title", "views", "downloads"]
    assert table[1][:5] == ["wmr", "overview", "World Migration Report 2018 › Chapter 2 – A global overview", "2", "1"]
    assert table[2][table[0].index("views_es")] == "1"
    with django_assert_max_num_queries(12):
        admin_client.get(url)
    for index in range(30):
        entry = make_entry(chapter.publication, f"Extra {index}", slug=f"extra-{index}")
        counts.record("c", entry.pk, "en")
    counts.flush(now=time.time() + LATER)
    assert other.pk
    with django_assert_max_num_queries(12):
        html = admin_client.get(url).content.decode()
    assert html.count("<tr><td>") == 20  # the top 20
    assert flush() == 0 and not cache.get_many([f"counts:{counts._bucket()}:n"])  # every bucket written once


def test_report_needs_permission(client, chapter):
    url = f"/{settings.ADMIN_URL}publications/publication/reading/"
    assert client.get(url).status_code == 302  # to the admin sign-in
