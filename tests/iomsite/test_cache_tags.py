"""Cache tags (issue 18, decision 018): an edit retires only the cached pages that show what it changed."""

import pytest
from django.core.management import call_command
from django.test import Client

from iomsite import freshness
from iomsite.models import MenuItem, Status
from tests.iomsite.factories import make_page
from tests.publications.factories import make_publication
from tests.themes.factories import make_chain, make_theme

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    from iomsite.pagecache import local

    settings.IOMSITE_PAGE_CACHE = True
    local.clear()
    yield
    local.clear()


def state(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.get("X-Page-Cache"), response.content.decode()


@pytest.fixture
def site():
    labour, ethical = make_chain("labour", "ethical")
    health = make_theme("health")
    related = make_publication("on-labour", title="On labour")
    related.themes.add(labour)
    unrelated = make_publication("on-health", title="On health")
    unrelated.themes.add(health)
    make_page("about", title="About us")
    MenuItem.objects.create(menu="footer", title="Work", url="/en/themes/labour/")
    return {"labour": labour, "ethical": ethical, "health": health, "related": related, "unrelated": unrelated}


SHOWING_LABOUR = [
    "/en/themes/labour/",  # its page
    "/en/themes/labour/ethical/",  # a child's breadcrumbs
    "/en/themes/",  # the parent listing
    "/en/",  # home: the main topics
    "/en/publications/on-labour/",  # a related block
    "/sitemap.xml",  # the sitemap's index (its latest change)
    "/sitemap-themes.xml",  # and its section
]
UNRELATED = ["/en/publications/on-health/", "/en/about/"]


def warm(client, urls):
    for url in urls:
        state(client, url)
        assert state(client, url)[0] == "hit", url


def test_an_edit_of_one_theme_retires_what_shows_it_and_nothing_else(client, site):
    warm(client, SHOWING_LABOUR + UNRELATED)
    labour = site["labour"]
    labour.title = "Decent work"
    labour.save()
    for url in SHOWING_LABOUR:
        cache_state, html = state(client, url)
        assert cache_state == "miss", url
        if "sitemap" not in url:
            assert "Decent work" in html, url
    for url in UNRELATED:
        assert state(client, url)[0] == "hit", url


def test_unpublishing_a_theme_retires_every_list_and_the_page_answers_404(client, site):
    warm(client, SHOWING_LABOUR)
    ethical = site["ethical"]
    ethical.status = Status.DRAFT
    ethical.save()
    assert client.get("/en/themes/labour/ethical/").status_code == 404
    cache_state, html = state(client, "/en/themes/labour/")
    assert cache_state == "miss" and "/en/themes/labour/ethical/" not in html


def test_a_new_item_retires_the_lists_that_would_show_it(client, site):
    warm(client, ["/en/themes/", "/en/about/"])
    make_theme("migration-data", title="Migration data")
    cache_state, html = state(client, "/en/themes/")
    assert cache_state == "miss" and "Migration data" in html
    assert state(client, "/en/about/")[0] == "hit"  # reads no list of themes


def test_a_menu_change_retires_every_page_showing_the_menu(client, site):
    warm(client, UNRELATED)
    MenuItem.objects.filter(title="Work").update(title="Work!")  # a bulk change: no signal, nothing retired
    assert state(client, "/en/about/")[0] == "hit"
    item = MenuItem.objects.get(title="Work!")
    item.title = "Our work"
    item.save()
    for url in UNRELATED:
        cache_state, html = state(client, url)
        assert cache_state == "miss" and "Our work" in html, url


def test_responses_carry_their_tags_for_a_cache_in_front(client, site):
    response = client.get("/en/themes/labour/")
    tags = response["xkey"].split()
    assert response["Surrogate-Key"] == response["xkey"]
    assert {f"theme:{site['labour'].pk}", "theme:list", "all"} <= set(tags)
    assert f"publication:{site['unrelated'].pk}" not in tags
    hit = client.get("/en/themes/labour/")
    assert hit["X-Page-Cache"] == "hit" and hit["xkey"] == response["xkey"]


def test_purge_everything_by_command(client, site):
    warm(client, UNRELATED)
    call_command("purge_cache", verbosity=0)
    for url in UNRELATED:
        assert state(client, url)[0] == "miss", url


def test_a_render_during_a_change_is_not_stored(client, site, monkeypatch):
    """A change saved while a page renders may have been read half-way: that copy is not kept."""
    original = freshness.seal

    def change_meanwhile(tags, sequence, timeout):
        freshness.bump({"something:1"})
        return original(tags, sequence, timeout)

    monkeypatch.setattr(freshness, "seal", change_meanwhile)
    assert state(client, "/en/about/")[0] == "miss"
    monkeypatch.setattr(freshness, "seal", original)
    assert state(client, "/en/about/")[0] == "miss"
    assert state(client, "/en/about/")[0] == "hit"


def test_another_process_sees_the_change_through_the_shared_cache(client, site):
    """The in-process tier is only a copy: a change made elsewhere is seen on the next request."""
    from iomsite.pagecache import local

    warm(client, ["/en/themes/labour/"])
    local.clear()  # as if a second process: only the shared cache holds the page
    assert state(client, "/en/themes/labour/")[0] == "hit"
    local.clear()
    freshness.bump({f"theme:{site['labour'].pk}"})
    assert state(client, "/en/themes/labour/")[0] == "miss"


def test_query_parameters_in_any_order_share_one_copy_and_tracking_ones_are_ignored(client, site):
    assert client.get("/en/publications/?a=1&b=2")["X-Page-Cache"] == "miss"
    assert client.get("/en/publications/?b=2&a=1")["X-Page-Cache"] == "hit"
    assert client.get("/en/publications/?b=2&a=1&utm_source=mail&fbclid=x")["X-Page-Cache"] == "hit"


def test_a_bogus_session_cookie_does_not_bypass_the_cache(site):
    visitor = Client()
    visitor.get("/en/about/")
    visitor.cookies["sessionid"] = "not-a-session';--"
    assert visitor.get("/en/about/")["X-Page-Cache"] == "hit"


def test_a_site_manager_purges_everything_from_the_admin(client, site, django_user_model):
    from iomsite.models import SiteSettings
    from tests.iomsite.test_redirects import role_client

    SiteSettings.objects.create(name="IOM")
    warm(client, UNRELATED)
    manager = role_client(django_user_model, "mona", "Site manager")
    changelist = manager.get("/admin/iomsite/sitesettings/")
    assert "purge_cache" in changelist.content.decode()
    response = manager.post(
        "/admin/iomsite/sitesettings/",
        {"action": "purge_cache", "_selected_action": "1"},
        follow=True,
    )
    assert "Every cached page and value is retired." in response.content.decode()
    for url in UNRELATED:
        assert state(client, url)[0] == "miss", url
    editor = role_client(django_user_model, "edna", "Editor")
    refused = editor.post("/admin/iomsite/sitesettings/", {"action": "purge_cache", "_selected_action": "1"})
    assert refused.status_code == 403


def lock_key(url):
    from django.test import RequestFactory

    from iomsite.pagecache import PageCacheMiddleware

    return PageCacheMiddleware.key(RequestFactory().get(url)) + ":rendering"


def rendering_elsewhere(url):
    """Hold the render lock of ``url`` as another process rendering it would."""
    from django.core.cache import cache

    assert cache.add(lock_key(url), 1, 10)
    return lock_key(url)


def test_while_another_process_renders_an_edited_page_visitors_get_its_last_copy(client, site):
    from django.core.cache import cache

    from iomsite.models import Page

    warm(client, ["/en/about/"])
    about = Page.objects.get(slug="about")
    about.title = "About the organisation"
    about.save()
    lock = rendering_elsewhere("/en/about/")
    response = client.get("/en/about/")
    assert response["X-Page-Cache"] == "stale" and "About us" in response.content.decode()
    assert "no-cache" in response["Cache-Control"] and "xkey" not in response  # kept by no cache in front
    cache.delete(lock)  # the other render is done (or its lock ran out)
    cache_state, html = state(client, "/en/about/")
    assert cache_state == "miss" and "About the organisation" in html


def test_no_stale_copy_after_a_change_that_hides_something(client, site):
    from iomsite.models import Page

    warm(client, ["/en/about/"])
    about = Page.objects.get(slug="about")
    about.status = Status.DRAFT
    about.save()
    rendering_elsewhere("/en/about/")
    assert client.get("/en/about/").status_code == 404  # rendered here, never the published copy


def test_one_render_at_a_time_the_lock_is_released_after_it(client, site):
    from django.core.cache import cache

    from iomsite.pagecache import PageCacheMiddleware

    seen = []
    original = PageCacheMiddleware.render

    def render(self, request, key, sequence):
        seen.append(cache.get(key + ":rendering"))
        return original(self, request, key, sequence)

    PageCacheMiddleware.render = render
    try:
        state(client, "/en/about/")
    finally:
        PageCacheMiddleware.render = original
    assert seen == [1]  # this render held the lock
    assert cache.get(lock_key("/en/about/")) is None  # and let it go


def test_publishing_a_draft_retires_the_lists_that_now_show_it(client, site):
    draft = make_theme("coming-soon", published=False, title="Coming soon")
    warm(client, ["/en/themes/", "/en/"])
    from django.utils import timezone

    draft.status = Status.PUBLISHED
    draft.publish_at = timezone.now()
    draft.save()
    for url in ("/en/themes/", "/en/"):
        cache_state, html = state(client, url)
        assert cache_state == "miss" and "Coming soon" in html, url
