"""The news listing: filters (kind, theme, region, year), pagination followed as a visitor does, feeds, budgets."""

import re
from datetime import date, timedelta
from html import unescape

import pytest

from tests.news.factories import make_article
from tests.regions.factories import make_region
from tests.themes.factories import make_theme

pytestmark = pytest.mark.django_db


def titles(response):
    assert response.status_code == 200
    found = re.findall(r'<h3><a href="/\w+/news/[-\w]+/"[^>]*>([^<]+)</a></h3>', response.content.decode())
    return [unescape(title) for title in found]


def next_link(response):
    found = re.search(r'<a href="([^"]+)" rel="next"', response.content.decode())
    return unescape(found.group(1)) if found else None


@pytest.fixture
def news():
    labour, health = make_theme("labour-migration"), make_theme("migration-health")
    ethical = make_theme("ethical-recruitment", parent=labour)
    americas = make_region("americas")
    honduras = make_region("honduras", parent=americas, kind="country")
    europe = make_region("europe")
    make_article("a", title="Recruiters pledge", date=date(2024, 3, 1), themes=[ethical], regions=[honduras])
    make_article("b", title="Clinic opens", kind="press-release", date=date(2023, 6, 1), themes=[health])
    make_article("c", title="A worker's story", kind="story", date=date(2024, 1, 5), regions=[europe])
    make_article("d", title="Secret draft", published=False, date=date(2024, 2, 1), themes=[labour])
    return {"labour": labour, "americas": americas, "honduras": honduras}


def test_filters_narrow_the_list_and_offer_only_what_is_there(client, news):
    assert titles(client.get("/en/news/")) == ["Recruiters pledge", "A worker's story", "Clinic opens"]
    assert titles(client.get("/en/news/", {"kind": "story"})) == ["A worker's story"]
    assert titles(client.get("/en/news/", {"theme": "labour-migration"})) == ["Recruiters pledge"]  # a sub-topic's
    assert titles(client.get("/en/news/", {"region": "americas"})) == ["Recruiters pledge"]  # a country's
    assert titles(client.get("/en/news/", {"region": "honduras"})) == ["Recruiters pledge"]  # an older link
    assert titles(client.get("/en/news/", {"year": "2023"})) == ["Clinic opens"]
    assert titles(client.get("/en/news/", {"year": "2024", "kind": "news"})) == ["Recruiters pledge"]
    form = client.get("/en/news/").context["form"]
    assert [value for value, _label in form.fields["year"].choices] == ["", "2024", "2023"]  # not the draft's
    assert [value for value, _label in form.fields["kind"].choices] == ["", "news", "press-release", "story"]


@pytest.mark.parametrize(
    "query", [{"kind": "nope"}, {"year": "1900"}, {"year": "x" * 300}, {"theme": "<script>"}, {"page": "9"}]
)
def test_bad_filters_are_reported_not_500(client, news, query):
    response = client.get("/en/news/", query)
    if "page" in query:
        assert response.status_code == 404
    else:
        assert response.status_code == 200 and "Some filters were not understood" in response.content.decode()


def test_pagination_followed_through_next_links(client):
    start = date(2024, 1, 1)
    for n in range(30):
        make_article(f"item-{n:02}", title=f"Item {n:02}", date=start + timedelta(days=n))
    seen, url, pages = [], "/en/news/", 0
    while url:
        response = client.get(url)
        seen += titles(response)
        url = next_link(response) and "/en/news/" + next_link(response)
        pages += 1
    assert pages == 3
    assert seen == [f"Item {n:02}" for n in range(29, -1, -1)]


def test_the_filtered_feed_is_the_regions_feed(client, news):
    response = client.get("/en/news/", {"region": "americas"})
    feed = re.search(r'<a href="(/en/news/feed/\?[^"]+)">', response.content.decode()).group(1)
    body = client.get(unescape(feed)).content.decode()
    assert "/en/news/a/" in body and "/en/news/c/" not in body and "Secret draft" not in body
    assert "News: Americas" in body
    atom = client.get("/en/news/feed/atom/", {"theme": "migration-health"})
    assert atom["Content-Type"].startswith("application/atom+xml") and "/en/news/b/" in atom.content.decode()


QUERY_BOUND = 10  # the site-wide budget of a cold visitor page (drafts add one cold lookup of the next scheduled draft)


@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize("count", [3, 120])
def test_query_count_is_fixed(client, django_assert_max_num_queries, language, count):
    from tests.iomsite.factories import make_image
    from tests.publications.factories import make_publication

    theme, region = make_theme("labour-migration"), make_region("europe")
    image, report = make_image(), make_publication("report")
    for n in range(count):
        article = make_article(f"article-{n}", image=image, themes=[theme], regions=[region])
        article.publications.add(report)
    for url in (
        f"/{language}/",
        f"/{language}/news/",
        f"/{language}/news/?theme=labour-migration&region=europe&year={date.today().year}&page=1",
        f"/{language}/news/article-1/",
        f"/{language}/news/feed/",
        f"/{language}/news/feed/?region=europe",
        f"/{language}/themes/labour-migration/news-and-media/",
        f"/{language}/themes/labour-migration/news-and-media/rss/",
    ):
        with django_assert_max_num_queries(QUERY_BOUND):
            assert client.get(url).status_code == 200, url
