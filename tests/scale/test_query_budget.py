"""Every public page type runs the same, small number of queries whatever the amount of content.

Content comes from the benchmark generators (``manage.py generate_content``) at two small
scales: the larger one tops up the smaller one, so the same items exist at both sizes
and only their number (and the siblings, rows and pages around them) grows. Each page is
requested once to warm up, then counted, with the page cache off, in English, French
and Spanish.
"""

import io
import math
from dataclasses import dataclass

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from iomsite import content
from iomsite.generate import PREFIX
from iomsite.management.commands.bench_urls import count_queries
from tests.helpers import module_content

pytestmark = pytest.mark.django_db  # the test database exists only when a test of the run asks for it

SMALL, LARGE = 0.1, 0.25  # 500 and 1,250 events; 2 and 4 pages in a series listing
LANGUAGES = ("en", "fr", "es")
BUDGET = 10


@dataclass
class Items:
    """The generated items the pages are about (the same objects at both sizes)."""

    page: object
    theme: object
    video: object
    series: object
    event: object
    region: object
    country: object
    publication: object
    chapter: object
    part: object
    last_series_page: int


def items():
    from consultations.models import ConsultationEvent, ConsultationSeries
    from consultations.views import PER_PAGE
    from iomsite.models import Page
    from publications.models import Publication, TocEntry
    from regions.models import Region
    from themes.models import Theme, Video

    series = ConsultationSeries.objects.get(slug=f"{PREFIX}series-1")
    events = ConsultationEvent.objects.published().filter(series=series)
    publication = Publication.objects.get(slug=f"{PREFIX}publication-1")  # foreword and two parts
    return Items(
        page=Page.objects.published().filter(slug__startswith=PREFIX).order_by("pk").first(),
        theme=Theme.objects.get(slug=f"{PREFIX}theme-0-0-0"),
        video=Video.objects.filter(theme__in=Theme.objects.published().filter(slug__startswith=PREFIX, level=2))
        .order_by("pk")
        .first(),
        series=series,
        event=events.order_by("-start_date").first(),
        region=Region.objects.get(slug=f"{PREFIX}region-0"),
        country=Region.objects.get(slug=f"{PREFIX}country-0-0-0"),
        publication=publication,
        chapter=TocEntry.objects.get(publication=publication, slug="chapter-3"),
        part=TocEntry.objects.get(publication=publication, slug="part-1"),
        last_series_page=math.ceil(events.count() / PER_PAGE),
    )


def series_filters(it):
    event = it.series.events.published().exclude(country=None).order_by("-start_date").select_related("country").first()
    return f"?year={event.year}&country={event.country.iso_code}"


# (label, path in the active language). Every public page type, its tabs, filters, feeds and downloads.
PAGES = {
    "home": lambda it: reverse("home"),
    "basic page": lambda it: it.page.get_absolute_url(),
    "themes index": lambda it: reverse("themes:index"),
    "theme, overview (depth 3)": lambda it: it.theme.get_absolute_url(),
    "theme, resources tab": lambda it: it.theme.resources_url,
    "theme, news and media tab": lambda it: it.theme.news_url,
    "theme, video": lambda it: it.video.get_absolute_url(),
    "theme news, RSS": lambda it: reverse("themes:news_rss", kwargs={"path": it.theme.path}),
    "theme news, Atom": lambda it: reverse("themes:news_atom", kwargs={"path": it.theme.path}),
    "consultations index": lambda it: reverse("consultations:index"),
    "series, page 1": lambda it: it.series.get_absolute_url(),
    "series, last page": lambda it: f"{it.series.get_absolute_url()}?page={it.last_series_page}",
    "series, year and country filters": lambda it: it.series.get_absolute_url() + series_filters(it),
    "event": lambda it: it.event.get_absolute_url(),
    "event, .ics": lambda it: it.event.get_ical_url(),
    "series, .ics": lambda it: reverse("consultations:series_ical", kwargs={"slug": it.series.slug}),
    "events, RSS": lambda it: reverse("consultations:feed"),
    "events, Atom": lambda it: reverse("consultations:atom"),
    "series events, RSS": lambda it: reverse("consultations:series_feed", kwargs={"slug": it.series.slug}),
    "regions index": lambda it: reverse("regions:index"),
    "offices": lambda it: reverse("regions:offices"),
    "region, overview": lambda it: it.region.get_absolute_url(),
    "region, trends tab": lambda it: reverse("regions:trends", kwargs={"path": it.region.path}),
    "region, countries tab": lambda it: reverse("regions:coverage", kwargs={"path": it.region.path}),
    "region, resources tab": lambda it: reverse("regions:resources", kwargs={"path": it.region.path}),
    "country, overview": lambda it: it.country.get_absolute_url(),
    "country, offices tab": lambda it: reverse("regions:coverage", kwargs={"path": it.country.path}),
    "figures, CSV": lambda it: reverse("regions:figures_csv", kwargs={"path": it.region.path}),
    "figures, JSON": lambda it: reverse("regions:figures_json", kwargs={"path": it.region.path}),
    "publications listing": lambda it: reverse("publications:index"),
    "publications listing, page 2": lambda it: reverse("publications:index") + "?page=2",
    "publications listing, filters": lambda it: (
        reverse("publications:index") + f"?series={it.publication.series.slug}&year={it.publication.year}&language=en"
    ),
    "publications listing, theme and region": lambda it: (
        reverse("publications:index")
        + f"?theme={it.publication.themes.first().slug}&region={it.publication.regions.first().slug}"
    ),
    "publication": lambda it: it.publication.get_absolute_url(),
    "chapter": lambda it: it.chapter.get_absolute_url(),
    "part": lambda it: it.part.get_absolute_url(),
    "publications, RSS": lambda it: reverse("publications:feed"),
    "publications, Atom": lambda it: reverse("publications:feed_atom"),
    "search form": lambda it: reverse("search:search"),
    "search": lambda it: reverse("search:search") + "?q=migration",
    "search, page 2": lambda it: reverse("search:search") + "?q=migration&page=2",
    "search, filters": lambda it: (
        reverse("search:search") + f"?q=migration&type=event&year={it.event.year}&region={it.region.pk}"
    ),
    "search, theme filter": lambda it: reverse("search:search") + f"?q=migration&theme={it.theme.get_root().pk}",
    "newsletter": lambda it: reverse("newsletter:signup"),
    "sitemap": lambda it: reverse("sitemap"),
    "sitemap, themes": lambda it: reverse("sitemap_section", kwargs={"section": "themes"}),
    "sitemap, events": lambda it: reverse("sitemap_section", kwargs={"section": "consultation-events"}),
    "sitemap, chapters": lambda it: reverse("sitemap_section", kwargs={"section": "publication-chapters"}),
}


NEUTRAL = {"sitemap", "sitemap, themes", "sitemap, events", "sitemap, chapters"}  # one address for every language


def measure():
    """``{(label, language): (path, queries)}`` for the current content.

    The English pass warms each page up first; the other languages warm up the site
    settings (cached per language) on the home page.
    """
    it = items()
    counts = {}
    for language in LANGUAGES:
        with translation.override(language):
            count_queries(reverse("home"), warm_up=False)
            for label, path in PAGES.items():
                if label in NEUTRAL and language != LANGUAGES[0]:
                    continue
                url = path(it)
                counts[(label, language)] = (url, count_queries(url, warm_up=language == LANGUAGES[0]))
    return counts


CASES = [(label, language) for label in PAGES for language in LANGUAGES if label not in NEUTRAL or language == "en"]


@pytest.fixture(scope="module")
def measured(django_db_setup, django_db_blocker, tmp_path_factory):
    """Queries per page at both sizes; the content is rolled back afterwards."""
    sizes = {}
    with module_content(django_db_blocker, tmp_path_factory.mktemp("media")):
        for scale in (SMALL, LARGE):
            call_command("generate_content", scale=scale, stdout=io.StringIO())
            sizes[scale] = measure()
    return sizes


@pytest.mark.parametrize(("label", "language"), CASES)
def test_same_queries_at_both_sizes_and_within_budget(measured, label, language):
    small_path, small = measured[SMALL][(label, language)]
    large_path, large = measured[LARGE][(label, language)]
    # A search page runs each result kind's hook (a chapter's PDF page hits: two queries) only when
    # a result of that kind has a document on the page: bounded by the kinds, not by the content.
    allowed = 2 * len([spec for spec in content.search_specs() if spec.results]) if label.startswith("search") else 0
    assert abs(small - large) <= allowed, (
        f"{label} ({language}): {small} queries at {small_path}, {large} at {large_path}"
    )
    assert large <= BUDGET, f"{label} ({language}): {large} queries at {large_path}, budget {BUDGET}"


def test_sizes_differ(measured):
    """The larger size really is larger where it matters: more pages in the series listing."""
    small_path, _small = measured[SMALL][("series, last page", "en")]
    large_path, _large = measured[LARGE][("series, last page", "en")]
    assert small_path != large_path
