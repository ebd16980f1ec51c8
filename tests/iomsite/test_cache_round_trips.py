"""A page-cache hit costs one round trip to the shared cache and no query (issue 27, decision 019)."""

import pytest

from tests.cachecount import CountingCache
from tests.iomsite.factories import make_page

pytestmark = pytest.mark.django_db


@pytest.fixture
def counted(settings):
    from iomsite.pagecache import local

    settings.IOMSITE_PAGE_CACHE = True
    settings.CACHES = {"default": {"BACKEND": "tests.cachecount.CountingCache", "LOCATION": "counted"}}
    local.clear()
    CountingCache.calls.clear()
    yield CountingCache.calls
    local.clear()


def round_trips(calls, do):
    calls.clear()
    response = do()
    return response, list(calls)


def test_a_hit_costs_one_round_trip_and_no_query(client, counted, django_assert_num_queries):
    make_page("cached", title="Cached page")
    assert client.get("/en/cached/")["X-Page-Cache"] == "miss"
    with django_assert_num_queries(0):
        response, trips = round_trips(counted, lambda: client.get("/en/cached/"))
    assert response["X-Page-Cache"] == "hit"
    assert trips == ["get_many"]


def test_a_hit_from_the_shared_cache_alone_costs_one_round_trip(client, counted, django_assert_num_queries):
    """Another process stored it and nothing changed since: the page and the sequence in one get_many."""
    from iomsite.pagecache import local

    make_page("shared", title="Shared page")
    client.get("/en/shared/")
    local.clear()
    with django_assert_num_queries(0):
        response, trips = round_trips(counted, lambda: client.get("/en/shared/"))
    assert response["X-Page-Cache"] == "hit" and trips == ["get_many"]
    response, trips = round_trips(counted, lambda: client.get("/en/shared/"))  # now in this process's tier too
    assert response["X-Page-Cache"] == "hit" and trips == ["get_many"]


def test_after_an_unrelated_edit_a_hit_still_costs_one_round_trip(client, counted):
    from tests.themes.factories import make_theme

    make_page("stays", title="Stays")
    theme = make_theme("elsewhere")
    client.get("/en/stays/")
    theme.title = "Elsewhere, edited"
    theme.save()
    response, trips = round_trips(counted, lambda: client.get("/en/stays/"))
    assert response["X-Page-Cache"] == "hit" and trips == ["get_many"]


def test_a_conditional_hit_answers_304_in_one_round_trip(client, counted, django_assert_num_queries):
    make_page("etag")
    etag = client.get("/en/etag/")["ETag"]
    with django_assert_num_queries(0):
        response, trips = round_trips(counted, lambda: client.get("/en/etag/", HTTP_IF_NONE_MATCH=etag))
    assert response.status_code == 304 and trips == ["get_many"]
    assert response["ETag"] == etag and "xkey" in response
