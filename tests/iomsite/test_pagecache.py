from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from iomsite.models import Status
from tests.iomsite.factories import make_page

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    settings.IOMSITE_PAGE_CACHE = True


def test_anonymous_page_is_served_from_cache_without_queries(client, django_assert_num_queries):
    make_page("cached", title="Cached page")
    first = client.get("/en/cached/")
    assert first["X-Page-Cache"] == "miss"
    with django_assert_num_queries(0):
        second = client.get("/en/cached/")
    assert second["X-Page-Cache"] == "hit"
    assert second.content == first.content
    assert "public" in second["Cache-Control"] and second["ETag"]


def test_conditional_get_answers_304(client):
    make_page("etag")
    etag = client.get("/en/etag/")["ETag"]
    response = client.get("/en/etag/", HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304


def test_edit_publish_unpublish_invalidate(client):
    page = make_page("edited", title="Old title")
    assert "Old title" in client.get("/en/edited/").content.decode()
    page.title = "New title"
    page.save()
    assert "New title" in client.get("/en/edited/").content.decode()
    page.status = Status.DRAFT
    page.save()
    assert client.get("/en/edited/").status_code == 404


def test_menu_change_invalidates_every_page(client):
    from iomsite.models import MenuItem

    make_page("with-menu")
    client.get("/en/with-menu/")
    MenuItem.objects.create(menu="footer", title="Brand new link", url="/x/")
    assert "Brand new link" in client.get("/en/with-menu/").content.decode()


def test_scheduled_publication_appears_when_due_without_any_job(client):
    now = timezone.now()
    make_page("listing")
    make_page("future", title="Future page", publish_at=now + timedelta(minutes=10))
    with time_machine.travel(now, tick=False):
        assert client.get("/en/future/").status_code == 404
        cached = client.get("/en/listing/")
        assert int(cached["Cache-Control"].split("max-age=")[1].split(",")[0]) <= 600
    with time_machine.travel(now + timedelta(minutes=11), tick=False):
        assert client.get("/en/future/").status_code == 200


def test_staff_and_preview_never_cached(staff_client):
    make_page("draft", published=False, title="Draft for staff")
    response = staff_client.get("/en/draft/")
    assert response.status_code == 200
    assert "X-Page-Cache" not in response
    anonymous = Client()
    assert anonymous.get("/en/draft/").status_code == 404


def test_language_and_host_are_part_of_the_key(client, settings):
    settings.ALLOWED_HOSTS = ["a.example", "b.example", "testserver"]
    make_page("lang")
    english = client.get("/en/lang/")
    french = client.get("/fr/lang/")
    assert english.content != french.content
    assert client.get("/en/lang/", HTTP_HOST="a.example")["X-Page-Cache"] == "miss"


def test_post_and_errors_not_cached(client):
    assert client.get("/en/missing/").status_code == 404
    assert client.get("/en/missing/").get("X-Page-Cache") is None


@pytest.mark.django_db(transaction=True)
def test_an_edit_retires_cached_pages_again_when_it_commits():
    """Another process may render between the save and the commit, from the old rows."""
    from django.db import transaction

    from iomsite.freshness import content_version

    before = content_version()
    with transaction.atomic():
        make_page("committed", title="Committed")
        during = content_version()
        assert during > before  # this process never serves what it just changed
    assert content_version() > during


def test_a_value_is_never_kept_past_a_scheduled_moment_under_a_second_away():
    from iomsite.freshness import timeout_until

    now = timezone.now()
    with time_machine.travel(now, tick=False):
        assert timeout_until(now + timedelta(milliseconds=700)) == 0
        assert timeout_until(now + timedelta(seconds=90, milliseconds=700)) == 90
        assert timeout_until(None) == 600
