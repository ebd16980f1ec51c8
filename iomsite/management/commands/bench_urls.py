"""The pages ``bench/run.py`` measures, with the queries each one runs: ``manage.py bench_urls``."""

import json

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse
from django.utils import translation

from iomsite import content


def bench_pages():
    """``[(label, path)]`` of the key pages: home, each content app's (``ContentAppConfig.bench``), search.

    The apps choose among generated content, the same items at every scale.
    """
    return [("home", reverse("home")), *content.bench_pages(), ("search", reverse("search:search") + "?q=migration")]


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
