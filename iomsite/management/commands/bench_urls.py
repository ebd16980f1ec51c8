"""The pages ``bench/run.py`` measures, with the queries each one runs: ``manage.py bench_urls``."""

import json
import math

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse
from django.utils import translation

from iomsite.generate import PREFIX


def bench_pages():
    """``[(label, path)]`` of the key pages, chosen among generated content (the same items at every scale)."""
    from consultations.models import ConsultationEvent, ConsultationSeries
    from consultations.views import PER_PAGE
    from publications.models import Publication, TocEntry
    from regions.models import Region
    from themes.models import Theme

    def first(queryset, what, **preferred):
        item = queryset.filter(**preferred).first() or queryset.first()
        if item is None:
            raise CommandError(f"No generated {what}: run manage.py generate_content first.")
        return item

    theme = first(
        Theme.objects.published().filter(slug__startswith=PREFIX, level=2).order_by("tree_id", "lft"),
        "depth-3 theme",
        slug=f"{PREFIX}theme-0-0-0",
    )
    series = first(
        ConsultationSeries.objects.published().filter(slug__startswith=PREFIX), "series", slug=f"{PREFIX}series-1"
    )
    events = ConsultationEvent.objects.published().filter(series=series).count()
    last_page = max(1, math.ceil(events / PER_PAGE))
    publication = first(
        Publication.objects.published().filter(slug__startswith=PREFIX).order_by("pk"),
        "publication",
        slug=f"{PREFIX}publication-1",
    )
    chapter = first(
        TocEntry.objects.published().filter(publication__slug__startswith=PREFIX, kind=TocEntry.Kind.CHAPTER),
        "chapter",
        publication__slug=f"{PREFIX}publication-2",
        slug="chapter-5",
    )
    region = first(
        Region.objects.published().filter(slug__startswith=PREFIX, kind=Region.Kind.REGION),
        "region",
        slug=f"{PREFIX}region-0",
    )
    listing = series.get_absolute_url()
    return [
        ("home", reverse("home")),
        ("theme (depth 3)", theme.get_absolute_url()),
        ("listing, page 1", listing),
        (f"listing, last page ({last_page})", f"{listing}?page={last_page}"),
        ("publication", publication.get_absolute_url()),
        ("chapter", chapter.get_absolute_url()),
        ("region", region.get_absolute_url()),
        ("search", reverse("search:search") + "?q=migration"),
    ]


def count_queries(path, warm_up=True):
    """Queries of one anonymous request with the page cache off (after a warm-up request).

    The warm-up fills what the site keeps in its cache (site settings, the search sync
    time), so the count is the steady state every later visitor gets.
    """
    client = Client()
    with override_settings(IOMSITE_PAGE_CACHE=False, ALLOWED_HOSTS=["testserver"]):
        if warm_up:
            client.get(path)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
    if response.status_code != 200:
        raise CommandError(f"{path} answered {response.status_code}")
    return len(queries.captured_queries)


class Command(BaseCommand):
    help = "Print, as JSON, the key pages of the benchmark and the number of queries each one runs."

    def handle(self, *args, **options):
        with translation.override(settings.LANGUAGE_CODE):
            pages = bench_pages()
        queries = {label: count_queries(path) for label, path in pages}
        self.stdout.write(json.dumps({"pages": pages, "queries": queries}, ensure_ascii=False))
