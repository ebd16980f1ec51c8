"""No leaks: a draft, a scheduled or an expired item is absent from every public surface.

For each content type, items in each non-live state carry a marker in their title;
every public surface is fetched (own URL, listings, home, menus, related blocks,
search, sitemap, feeds, calendars) and must not show the marker. The page cache is
on in the last test: a page cached while an item was live forgets it once it changes.
"""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from consultations.models import ConsultationEvent, ConsultationSeries
from iomsite.models import MenuItem, Page, Status
from publications.models import Publication, TocEntry
from regions.models import Region
from tests.helpers import sitemap_section_urls
from tests.iomsite.factories import make_page
from themes.models import Theme

pytestmark = pytest.mark.django_db(transaction=True)

MARK = "Leakcanary"
NOW = timezone.now()
STATES = {
    "draft": {"status": Status.DRAFT, "publish_at": NOW - timedelta(days=10)},
    "scheduled": {"status": Status.PUBLISHED, "publish_at": NOW + timedelta(days=10)},
    "expired": {
        "status": Status.PUBLISHED,
        "publish_at": NOW - timedelta(days=10),
        "unpublish_at": NOW - timedelta(days=1),
    },
}
LIVE = {"status": Status.PUBLISHED, "publish_at": NOW - timedelta(days=10)}


@pytest.fixture
def world():
    """Live parents and, under them, one hidden item of every type in every state."""
    live_theme = Theme.objects.create(title="Labour Migration", slug="labour-migration", **LIVE)
    region = Region.objects.create(kind="region", title="Americas", slug="americas", **LIVE)
    country = Region.objects.create(
        kind="country", title="Honduras", slug="honduras", iso_code="HN", parent=region, **LIVE
    )
    series = ConsultationSeries.objects.create(title="IOM-CSO Annual Consultations", slug="cso", **LIVE)
    live_publication = Publication.objects.create(title="World Migration Report", slug="wmr", year=2018, **LIVE)
    TocEntry.objects.create(publication=live_publication, kind="chapter", title="Live chapter", slug="live")
    hidden = {}
    for state, fields in STATES.items():
        title = f"{MARK} {state}"
        hidden[("page", state)] = make_page(f"page-{state}", title=f"{title} page", **fields)
        MenuItem.objects.create(menu="footer", title=f"{title} menu", page=hidden[("page", state)])
        hidden[("theme", state)] = Theme.objects.create(
            title=f"{title} theme", slug=f"theme-{state}", parent=live_theme, **fields
        )
        hidden[("region", state)] = Region.objects.create(
            kind="country",
            title=f"{title} country",
            slug=f"country-{state}",
            iso_code={"draft": "SV", "scheduled": "HT", "expired": "PA"}[state],
            parent=region,
            **fields,
        )
        hidden[("series", state)] = ConsultationSeries.objects.create(
            title=f"{title} series", slug=f"series-{state}", **fields
        )
        hidden[("event", state)] = ConsultationEvent.objects.create(
            series=series,
            title=f"{title} event",
            slug=f"event-{state}",
            start_date=date(2017, 9, 11),
            city="Nairobi",
            country=country,
            **fields,
        )
        hidden[("event", state)].themes.add(live_theme)
        publication = Publication.objects.create(
            title=f"{title} publication", slug=f"publication-{state}", year=2018, **fields
        )
        publication.themes.add(live_theme)
        publication.regions.add(region)
        hidden[("publication", state)] = publication
        hidden[("chapter", state)] = TocEntry.objects.create(
            publication=publication, kind="chapter", title=f"{title} chapter", slug=f"chapter-{state}"
        )
    # A published event of a draft series and a published chapter of a draft publication are hidden too.
    for state in STATES:
        ConsultationEvent.objects.create(
            series=hidden[("series", state)],
            title=f"{MARK} event of a {state} series",
            slug="orphan",
            start_date=date(2018, 9, 25),
            city="Geneva",
            **LIVE,
        )
    return {"theme": live_theme, "region": region, "country": country, "series": series, "hidden": hidden,
            "publication": live_publication}  # fmt: skip


def surfaces(world):
    theme, region, series = world["theme"], world["region"], world["series"]
    urls = [
        "/en/",
        "/en/themes/",
        theme.get_absolute_url(),
        theme.get_absolute_url() + "resources/",
        theme.get_absolute_url() + "news-and-media/",
        "/en/regions/",
        region.get_absolute_url(),
        region.get_absolute_url() + "coverage/",
        region.get_absolute_url() + "resources/",
        "/en/regions/offices/",
        "/en/consultations/",
        series.get_absolute_url(),
        series.get_absolute_url() + "calendar.ics",
        series.get_absolute_url() + "feed/",
        "/en/consultations/feed/",
        "/en/consultations/feed/atom/",
        "/en/publications/",
        "/en/publications/feed/",
        "/en/publications/feed/atom/",
        world["publication"].get_absolute_url(),
        "/sitemap.xml",
        *sitemap_section_urls(),
        f"/en/search/?q={MARK}",
        "/fr/",
        f"/fr/search/?q={MARK}",
    ]
    return urls


def test_hidden_items_have_no_public_url(client, world):
    for (kind, state), obj in world["hidden"].items():
        response = client.get(obj.get_absolute_url())
        assert response.status_code == 404, (kind, state, obj.get_absolute_url())
        assert MARK not in response.content.decode()


def body_of(response):
    return (b"".join(response.streaming_content) if response.streaming else response.content).decode()


def test_hidden_items_absent_from_every_public_surface(client, world):
    # Their titles, and their addresses without the language prefix (sitemaps and alternates list those too).
    hidden_paths = {obj.get_absolute_url().split("/", 2)[2] for obj in world["hidden"].values()}
    for url in surfaces(world):
        response = client.get(url)
        assert response.status_code in (200, 404), url
        if "/search/" in url:
            assert response.context["page"].paginator.count == 0, url
            continue
        body = body_of(response)
        assert MARK.lower() not in body.lower(), url
        for path in hidden_paths:
            assert f"/{path}" not in body, (url, path)


def test_page_cache_forgets_an_item_once_it_is_unpublished(client, world, settings):
    settings.IOMSITE_PAGE_CACHE = True
    visible = Theme.objects.create(title=f"{MARK} soon gone", slug="soon-gone", parent=world["theme"], **LIVE)
    pages = ["/en/themes/", world["theme"].get_absolute_url(), "/sitemap-themes.xml", f"/en/search/?q={MARK}+gone"]
    for url in pages:
        assert "soon-gone" in client.get(url).content.decode(), url
        assert client.get(url)["X-Page-Cache"] == "hit", url
    visible.status = Status.DRAFT
    visible.save()
    for url in pages:
        assert "soon-gone" not in client.get(url).content.decode(), url
    assert client.get(visible.get_absolute_url()).status_code == 404


def test_page_in_menu_absent_while_hidden(client, world):
    html = client.get("/en/").content.decode()
    assert "menu" not in " ".join(line for line in html.splitlines() if MARK in line)
    for page in Page.objects.filter(title__startswith=MARK):  # as the admin saves them: menus follow at once
        page.status, page.publish_at, page.unpublish_at = Status.PUBLISHED, NOW - timedelta(days=1), None
        page.save()
    assert f"{MARK} draft menu" in client.get("/en/").content.decode()


# Live + draft: a draft's new title, body and chapter stay off every public surface until published.

DRAFT_MARK = "Draftleak"


def draft_of(obj, change):
    """A stored draft of ``obj`` made the way the admin makes one: changed in a transaction that is undone."""
    from iomsite.workflow import drafts

    with drafts.rolled_back():
        change(obj)
        data = drafts.snapshot(type(obj)._default_manager.get(pk=obj.pk))
    drafts.save_draft(type(obj)._default_manager.get(pk=obj.pk), data, None)


def retitle(obj, body=True):
    obj.title = f"{DRAFT_MARK} {obj.title}"
    if body and hasattr(obj, "body"):
        obj.body = f"<p>{DRAFT_MARK} words</p>"
    if hasattr(obj, "summary"):
        obj.summary = f"{DRAFT_MARK} summary"
    obj.save()


@pytest.fixture
def drafted(world):
    page = make_page("about-us", title="About us", **LIVE)
    publication = world["publication"]

    def new_chapter(obj):
        retitle(obj)
        TocEntry.objects.create(publication=obj, kind="chapter", title=f"{DRAFT_MARK} chapter", slug="draft-only")

    for obj in (page, world["theme"], world["region"], world["country"], world["series"]):
        draft_of(obj, retitle)
    draft_of(publication, new_chapter)
    event = ConsultationEvent.objects.filter(series=world["series"], status=Status.PUBLISHED).first()
    if event is not None:
        draft_of(event, retitle)
    return {**world, "page": page}


def test_live_items_with_drafts_show_only_the_live_version_everywhere(client, drafted):
    from iomsite.workflow.models import Draft

    assert Draft.objects.count() >= 6
    urls = [*surfaces(drafted), drafted["page"].get_absolute_url(), drafted["country"].get_absolute_url()]
    urls += [drafted["publication"].get_absolute_url() + "draft-only/", f"/en/search/?q={DRAFT_MARK}"]
    for language in ("fr", "es"):
        urls.append(drafted["publication"].get_absolute_url().replace("/en/", f"/{language}/", 1))
    for url in urls:
        response = client.get(url)
        assert response.status_code in (200, 404), url
        if "/search/" in url:
            assert response.context["page"].paginator.count == 0, url
            continue
        assert DRAFT_MARK.lower() not in body_of(response).lower(), url
    assert client.get(drafted["publication"].get_absolute_url() + "draft-only/").status_code == 404
