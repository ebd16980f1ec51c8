import json
import re
from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from iomsite.models import Status
from tests.helpers import sitemap_pages
from tests.iomsite.factories import make_document, make_image
from tests.news.factories import make_article
from tests.themes.factories import add_content, grow_tree, make_chain, make_theme
from themes.models import ThemeLink, Video

pytestmark = pytest.mark.django_db


def html(response):
    return response.content.decode()


# Addresses and tree navigation


def test_urls_at_depth_one_to_four(client):
    nodes = make_chain("labour-migration", "ethical-recruitment", "iris", "fees", title="Topic")
    for depth, node in enumerate(nodes, start=1):
        response = client.get(node.get_absolute_url())
        assert response.status_code == 200, depth
        assert response.context["theme"] == node
        assert [a.pk for a in response.context["ancestors"]] == [n.pk for n in nodes[: depth - 1]]
    assert nodes[3].get_absolute_url() == "/en/themes/labour-migration/ethical-recruitment/iris/fees/"


def test_unknown_paths_are_404(client):
    make_chain("labour", "ethical")
    for url in ("/en/themes/ethical/", "/en/themes/labour/nothing/", "/en/themes/labour/ethical/more/"):
        assert client.get(url).status_code == 404


def test_breadcrumbs_children_and_siblings(client):
    labour, ethical, iris = make_chain("labour", "ethical", "iris")
    sibling = make_theme("fair-wages", parent=labour, title="Fair Wages")
    make_theme("policy", title="Migration Policy")
    page = html(client.get(ethical.get_absolute_url()))
    crumbs = re.search(r'<nav class="breadcrumbs.*?</nav>', page, re.S).group()
    assert crumbs.index("Themes") < crumbs.index("Labour") < crumbs.index("Ethical")
    assert 'aria-current="page">Ethical' in crumbs
    side = re.search(r'<nav class="side-nav.*?</nav>', page, re.S).group()
    assert labour.get_absolute_url() in side  # heading: the parent
    assert sibling.get_absolute_url() in side and "Migration Policy" not in side
    assert iris.get_absolute_url() in side  # the current topic's children, nested
    assert "Topics in Ethical" in page and iris.get_absolute_url() in page
    assert page.count("<h1") == 1


def test_index_lists_main_topics_with_their_subtopics(client):
    labour, ethical, iris = make_chain("labour", "ethical", "iris")
    make_theme("policy")
    page = html(client.get("/en/themes/"))
    assert labour.get_absolute_url() in page and ethical.get_absolute_url() in page
    assert "/en/themes/policy/" in page
    assert iris.get_absolute_url() not in page  # two levels on the index
    assert page.count("<h1") == 1


# Tabs


def tab_links(page):
    nav = re.search(r'<ul class="tabs">.*?</ul>', page, re.S)
    return re.findall(r'href="([^"]+)"', nav.group()) if nav else []


def test_tabs_appear_only_with_content(client):
    theme = make_theme("labour")
    url = theme.get_absolute_url()
    assert tab_links(html(client.get(url))) == []  # the overview alone: no tab bar
    assert client.get(theme.resources_url).status_code == 404
    assert client.get(theme.news_url).status_code == 404

    ThemeLink.objects.create(theme=theme, title="ILO", url="https://www.ilo.org/")
    assert tab_links(html(client.get(url))) == [url, theme.resources_url]
    assert client.get(theme.resources_url).status_code == 200
    assert client.get(theme.news_url).status_code == 404

    Video.objects.create(theme=theme, title="A film", url="https://vimeo.com/123456789")
    assert tab_links(html(client.get(url))) == [url, theme.resources_url, theme.news_url]
    page = html(client.get(theme.news_url))
    assert "A film" in page and 'aria-current="page">News and Media' in page


def test_resources_tab_lists_documents_links_and_publications(client):
    theme = make_theme("labour")
    document = make_document("Labour migration at a glance")
    theme.documents.create(document=document, sort_order=2)
    theme.documents.create(document=make_document("Comes first"), sort_order=1)
    ThemeLink.objects.create(theme=theme, title="Alliance 8.7", url="https://www.alliance87.org/")
    page = html(client.get(theme.resources_url))
    assert page.index("Comes first") < page.index("Labour migration at a glance")
    assert document.get_absolute_url() in page and "(PDF," in page
    assert 'href="https://www.alliance87.org/"' in page


def test_resources_tab_shows_published_publications_only(client):
    from publications.models import Publication

    theme = make_theme("labour")
    fields = {"summary": "s", "year": 2017}
    live = Publication.objects.create(
        title="Ethical recruitment", slug="ethical", status=Status.PUBLISHED, publish_at=timezone.now(), **fields
    )
    draft = Publication.objects.create(title="Secret report", slug="secret", **fields)
    live.themes.add(theme)
    draft.themes.add(theme)
    page = html(client.get(theme.resources_url))
    assert "Ethical recruitment" in page and "Secret report" not in page
    live.status = Status.DRAFT
    live.save()
    assert client.get(theme.resources_url).status_code == 404  # nothing left to show


def test_overview_shows_body_infographics_and_projects_in_order(client):
    theme = make_theme("labour", body="<h2>Our vision</h2><p>Safe work.</p>")
    image = make_image(caption="Image caption", credit="© IOM 2018", size=(1600, 900))
    theme.infographics.create(image=image, sort_order=2)
    theme.infographics.create(image=image, caption="Own caption", credit="© Other", sort_order=1)
    theme.projects.create(title="IRIS", kind="initiative", url="/en/themes/labour/")
    theme.projects.create(title="Pre-departure training", summary="Before they board.", image=image)
    page = html(client.get(theme.get_absolute_url()))
    assert "Our vision" in page
    assert page.index("Own caption") < page.index("Image caption")
    assert "© Other" in page and "© IOM 2018" in page
    assert 'srcset="' in page and "640w" in page and 'sizes="' in page
    assert page.index("Featured projects") < page.index("Pre-departure training")
    assert page.index("Key initiatives") < page.index("IRIS")


def test_news_items_newest_first_and_paginated(client):
    theme = make_theme("labour")
    start = timezone.localdate() - timedelta(days=100)
    for n in range(25):
        make_article(f"item-{n:02}", title=f"Item {n:02}", date=start + timedelta(days=n), themes=[theme])
    page = html(client.get(theme.news_url))
    assert page.index("Item 24") < page.index("Item 23")
    assert "Item 04" not in page and "Item 05" in page
    assert "Item 04" in html(client.get(theme.news_url + "?page=2"))
    for bad in ("3", "0", "x", "-1", "99999999"):
        assert client.get(theme.news_url, {"page": bad}).status_code == 404


def test_no_third_party_request_before_the_visitor_asks(client):
    theme = make_theme("labour")
    youtube = Video.objects.create(theme=theme, title="With a still", url="https://youtu.be/abcdefghijk?t=90")
    youtube.thumbnail = make_image()
    youtube.save()
    vimeo = Video.objects.create(theme=theme, title="Title only", url="https://vimeo.com/123456789")
    page = html(client.get(theme.news_url))
    assert "<iframe" not in page
    # Nothing on the page is fetched from another site: every src is ours.
    assert all(src.startswith("/") for src in re.findall(r'\bsrc="([^"]+)"', page))
    assert all(url.startswith("/") for url in re.findall(r'srcset="([^" ]+)', page))
    # Each thumbnail links to the video's own page (no JavaScript) and carries the player address (JavaScript).
    assert f'href="{youtube.get_absolute_url()}"' in page and f'href="{vimeo.get_absolute_url()}"' in page
    assert 'data-embed="https://www.youtube-nocookie.com/embed/abcdefghijk?rel=0&amp;start=90&amp;autoplay=1"' in page
    assert 'data-embed="https://player.vimeo.com/video/123456789?dnt=1&amp;autoplay=1"' in page
    assert "Title only" in page and 'href="https://vimeo.com/123456789"' in page
    assert "/static/themes/video.js" in page


def test_video_page_holds_the_privacy_enhanced_player(client):
    theme = make_theme("labour")
    video = Video.objects.create(theme=theme, title="A film", url="https://www.youtube.com/watch?v=abcdefghijk")
    response = client.get(video.get_absolute_url())
    page = html(response)
    assert '<iframe class="video-frame" src="https://www.youtube-nocookie.com/embed/abcdefghijk?rel=0"' in page
    assert "youtube.com/embed" not in page and page.count("<h1") == 1
    assert "frame-src https://www.youtube-nocookie.com https://player.vimeo.com" in response["Content-Security-Policy"]
    other = make_theme("other")
    Video.objects.create(theme=other, title="Elsewhere", url="https://vimeo.com/1")
    assert client.get(f"{theme.news_url}videos/{video.pk + 1}/").status_code == 404  # not this theme's video


# Redirects after a move


def test_old_addresses_answer_301_after_a_move_also_for_tabs(client):
    labour, ethical, iris = make_chain("labour", "ethical", "iris")
    ThemeLink.objects.create(theme=iris, title="Link", url="https://example.org/")
    video = Video.objects.create(theme=iris, title="Film", url="https://vimeo.com/42")
    make_article(title="News", themes=[iris])
    policy = make_theme("policy")
    ethical.move_to(policy, "last-child")
    cases = {
        "/en/themes/labour/ethical/": "/en/themes/policy/ethical/",
        "/en/themes/labour/ethical/iris/": "/en/themes/policy/ethical/iris/",
        "/en/themes/labour/ethical/iris/resources/": "/en/themes/policy/ethical/iris/resources/",
        "/en/themes/labour/ethical/iris/news-and-media/?page=1": (
            "/en/themes/policy/ethical/iris/news-and-media/?page=1"
        ),
        f"/en/themes/labour/ethical/iris/news-and-media/videos/{video.pk}/": (
            f"/en/themes/policy/ethical/iris/news-and-media/videos/{video.pk}/"
        ),
        "/en/themes/labour/ethical/iris/news-and-media/rss/": "/en/themes/policy/ethical/iris/news-and-media/rss/",
        "/fr/themes/labour/ethical/": "/fr/themes/policy/ethical/",
    }
    for old, new in cases.items():
        response = client.get(old)
        assert response.status_code == 301, old
        assert response["Location"] == new
        assert client.get(new).status_code == 200, new


def test_old_address_of_a_draft_does_not_redirect_visitors(client, staff_client):
    root, child = make_chain("root", "child")
    child.slug = "renamed"
    child.status = Status.DRAFT
    child.save()
    assert client.get("/en/themes/root/child/").status_code == 404
    assert staff_client.get("/en/themes/root/child/")["Location"] == "/en/themes/root/renamed/"


# Publishing: drafts, preview, scheduling


def test_draft_parent_hides_its_published_children_everywhere(client):
    labour, ethical, iris = make_chain("labour", "ethical", "iris")
    sibling = make_theme("fair-wages", parent=labour)
    make_article(title="News", themes=[iris])
    ethical.status = Status.DRAFT
    ethical.save()
    for url in (ethical.get_absolute_url(), iris.get_absolute_url(), iris.news_url, iris.news_url + "rss/"):
        assert client.get(url).status_code == 404, url
    for url in ("/en/themes/", labour.get_absolute_url(), sibling.get_absolute_url(), "/en/"):
        page = html(client.get(url))
        assert ethical.get_absolute_url() not in page, url
        assert iris.get_absolute_url() not in page, url
    sitemap = sitemap_pages(client)
    assert labour.get_absolute_url() in sitemap and ethical.get_absolute_url() not in sitemap
    assert iris.get_absolute_url() not in sitemap


def test_draft_is_404_for_visitors_and_a_no_cache_preview_for_staff(client, staff_client):
    theme = make_theme("secret-plan", published=False, title="Secret plan")
    response = client.get(theme.get_absolute_url())
    assert response.status_code == 404 and "Secret plan" not in html(response)
    response = staff_client.get(theme.get_absolute_url())
    assert response.status_code == 200 and "Preview" in html(response)
    assert "no-cache" in response["Cache-Control"]


def test_published_child_of_a_draft_parent_is_a_preview_for_staff(staff_client):
    parent, child = make_chain("parent", "child")
    parent.status = Status.DRAFT
    parent.save()
    response = staff_client.get(child.get_absolute_url())
    assert response.status_code == 200 and response.context["preview"] is True
    assert "no-cache" in response["Cache-Control"]


def test_editors_preview_drafts_inside_their_section_only(django_user_model):
    from django.contrib.auth.models import Group
    from django.test import Client

    from iomsite.workflow.models import Section
    from iomsite.workflow.roles import EDITOR

    labour, ethical = make_chain("labour", "ethical")
    trafficking = make_theme("trafficking")
    inside = make_theme("draft-inside", parent=trafficking, published=False)
    outside = make_theme("draft-outside", parent=ethical, published=False)
    group = Group.objects.create(name="Counter-trafficking team")
    group.permissions.set(Group.objects.get(name=EDITOR).permissions.all())
    Section.objects.create(group=group, name="Counter-trafficking").set_roots(trafficking)
    user = django_user_model.objects.create_user("tina", "t@example.org", "pw-for-tests-only", is_staff=True)
    user.groups.set([group])
    editor = Client()
    editor.force_login(user)
    response = editor.get(inside.get_absolute_url())
    assert response.status_code == 200 and response.context["preview"] is True
    assert editor.get(outside.get_absolute_url()).status_code == 404
    assert editor.get(labour.get_absolute_url()).status_code == 200  # published: like any visitor


def test_live_page_is_not_marked_as_preview(client, staff_client):
    theme = make_theme("open")
    for browser in (client, staff_client):
        response = browser.get(theme.get_absolute_url())
        assert response.context["preview"] is False and "Preview:" not in html(response)


def test_scheduled_theme_goes_live_on_time(client):
    start = timezone.now() + timedelta(hours=1)
    theme = make_theme("launch", publish_at=start)
    assert client.get(theme.get_absolute_url()).status_code == 404
    with time_machine.travel(start + timedelta(minutes=1)):
        assert client.get(theme.get_absolute_url()).status_code == 200


def test_expired_theme_leaves_the_site(client):
    theme = make_theme("gone", unpublish_at=timezone.now() - timedelta(minutes=1))
    assert client.get(theme.get_absolute_url()).status_code == 404
    assert "/en/themes/gone/" not in html(client.get("/en/themes/"))


# Feeds, sitemap, home, JSON-LD, languages


def test_news_feeds(client):
    theme = make_theme("labour", title="Labour Migration")
    make_article("older", title="Older", date=timezone.localdate() - timedelta(days=3), themes=[theme])
    make_article("newer", title="Newer", standfirst="Fresh.", themes=[theme])
    make_article("draft-news", title="Drafted", themes=[theme], published=False)
    rss = client.get(theme.news_url + "rss/")
    assert rss["Content-Type"].startswith("application/rss+xml")
    body = html(rss)
    assert "Labour Migration: news" in body and body.index("Newer") < body.index("Older")
    assert "http://testserver/en/news/newer/" in body and "urn:iomsite:news-article:" in body
    assert "Drafted" not in body and "#news-" not in body
    atom = client.get(theme.news_url + "atom/")
    assert atom["Content-Type"].startswith("application/atom+xml") and "Newer" in html(atom)
    assert f'href="{theme.news_url}rss/"' in html(client.get(theme.news_url))


def test_sitemap_lists_themes_and_their_tabs_with_content(client):
    theme = make_theme("labour", title_fr="Migration de main-d’œuvre")
    ThemeLink.objects.create(theme=theme, title="Link", url="https://example.org/")
    make_theme("hidden", published=False)
    sitemap = sitemap_pages(client)
    assert "http://testserver/en/themes/labour/" in sitemap
    assert "http://testserver/en/themes/labour/resources/" in sitemap
    assert "/en/themes/labour/news-and-media/" not in sitemap
    assert 'hreflang="fr" href="http://testserver/fr/themes/labour/"' in sitemap
    assert "/themes/hidden/" not in sitemap


def test_sitemap_pages_of_themes_keep_each_theme_with_its_tabs(client, monkeypatch):
    from themes.sitemaps import ThemeSitemap

    monkeypatch.setattr(ThemeSitemap, "items_per_page", 2)  # themes, not addresses, per page
    for slug in ("alpha", "beta", "gamma"):
        ThemeLink.objects.create(theme=make_theme(slug), title="Link", url="https://example.org/")
    first = client.get("/sitemap-themes.xml").content.decode()
    second = client.get("/sitemap-themes.xml?p=2").content.decode()
    assert "/en/themes/alpha/resources/" in first and "/en/themes/beta/resources/" in first
    assert "/en/themes/gamma/</loc>" in second and "/en/themes/gamma/resources/" in second
    assert "gamma" not in first and "alpha" not in second
    assert client.get("/sitemap-themes.xml?p=3").status_code == 404


def test_home_section_shows_main_topics_only(client):
    labour, ethical = make_chain("labour", "ethical", title="Topic")
    make_theme("draft-topic", published=False, title="Draft topic")
    page = html(client.get("/en/"))
    assert labour.get_absolute_url() in page and ethical.get_absolute_url() not in page
    assert "Draft topic" not in page and 'href="/en/themes/"' in page


def test_json_ld_breadcrumbs(client):
    labour, ethical = make_chain("labour", "ethical")
    page = html(client.get(ethical.resources_url.replace("resources/", "")))
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S).group(1))
    names = [item["name"] for item in data["breadcrumb"]["itemListElement"]]
    assert names == ["Themes", "Labour", "Ethical"]
    assert data["breadcrumb"]["itemListElement"][-1]["item"] == "http://testserver/en/themes/labour/ethical/"


def test_french_page_with_english_fallback_marked(client):
    theme = make_theme("labour", title="Labour Migration", summary="English summary.")
    theme.title_fr = "Migration de main-d'œuvre"
    theme.save()
    page = html(client.get("/fr/themes/labour/"))
    assert '<html lang="fr">' in page
    assert "<h1>Migration de main-d&#x27;œuvre</h1>" in page
    assert '<p class="lead" lang="en">English summary.</p>' in page


# Speed: a fixed number of queries whatever the size of the tree and of the content


def page_urls(theme):
    video = theme.videos.first()
    return [
        "/en/themes/",
        theme.get_absolute_url(),
        theme.resources_url,
        theme.news_url,
        video.get_absolute_url(),
        theme.news_url + "rss/",
    ]


def count_queries(client, urls):
    """Queries per page, the first time (site settings not cached yet: at most one more) and after."""
    cold, warm = {}, {}
    for url in urls:
        for counts in (cold, warm):
            with CaptureQueriesContext(connection) as queries:
                response = client.get(url)
            assert response.status_code == 200, url
            counts[url] = len(queries)
    assert max(cold.values()) <= 10, cold
    return warm


@pytest.mark.parametrize("language", ["en", "fr"])
def test_query_bound_at_10_and_1000_topics(client, language):
    image, document = make_image(), make_document()
    # Small: ten topics, one item of each kind on the page under test (depth 3, with children).
    labour, ethical, iris = make_chain("labour", "ethical", "iris")
    for slug in ("fees", "contracts"):
        make_theme(slug, parent=iris)
    for slug in ("wages", "skills"):
        make_theme(slug, parent=ethical)
    for slug in ("policy", "training", "trafficking"):
        make_theme(slug)
    add_content(iris, count=1, image=image, document=document)
    urls = [url.replace("/en/", f"/{language}/", 1) for url in page_urls(iris)]
    small = count_queries(client, urls)

    # Big: a thousand more topics, and thirty items of each kind.
    assert grow_tree(roots=4, children=25, grandchildren=9) == 1004
    for n in range(60):
        make_theme(f"sibling-{n}", parent=ethical)
        make_theme(f"child-{n}", parent=iris)
    add_content(iris, count=30, image=image)
    big = count_queries(client, urls)

    assert big == small
    assert max(big.values()) <= 10, big
