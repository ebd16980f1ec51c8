"""Realistic volumes of content for benchmarks: ``manage.py generate_content --scale N``."""

import contextlib
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import translation

from iomsite import content
from iomsite import generate as site
from iomsite.freshness import bump_version
from iomsite.search import index as search_index


@contextlib.contextmanager
def text_search_indexes_deferred(model):
    """On PostgreSQL, drop the table's GIN and RUM indexes for a bulk load and build them again at the end.

    Building such an index once over the full table is several times faster than updating
    it row by row. Runs in one transaction: a failure restores the indexes.
    """
    from django.db import connection

    if connection.vendor != "postgresql":
        yield
        return
    table = model._meta.db_table
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s AND indexdef ~ %s",
                [table, "USING (gin|rum) "],
            )
            indexes = cursor.fetchall()
            for name, _definition in indexes:
                cursor.execute(f'DROP INDEX "{name}"')
        with connection.cursor() as cursor:
            # rebuild() empties the index first; one statement instead of a delete signal per row.
            cursor.execute(f"DELETE FROM {connection.ops.quote_name(table)}")
        yield
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # deferred foreign key checks first: no pending events
            for _name, definition in indexes:
                cursor.execute(definition)


class Command(BaseCommand):
    help = (
        "Generate benchmark content with every content app's generator, in building order: scale 1 is each "
        "app's base volume (docs/performance.md lists them), scale N is N times that (fractions allowed). "
        "Idempotent: generated items have gen- slugs and a run creates only the missing ones, so a larger "
        "scale tops up."
    )

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=float, default=1.0, help="1 = the base volume; 10 = ten times it.")
        parser.add_argument("--skip-search", action="store_true", help="Leave the search index as it is.")

    def handle(self, *args, scale, skip_search, **options):
        if scale < 0:
            raise CommandError("--scale must be positive.")
        started, created = time.monotonic(), 0
        with translation.override(settings.LANGUAGE_CODE), search_index.paused():
            context = site.Context(scale=scale, media=site.media(), stdout=self.stdout)
            for generator in content.generators():  # each app after those it links to
                step = time.monotonic()
                with transaction.atomic():
                    counts = generator(context)
                created += sum(counts.values())
                made = ", ".join(f"{count} {what}" for what, count in counts.items())
                self.stdout.write(f"  {generator.name}: {made} created ({time.monotonic() - step:.1f} s)")
        from iomsite.search.models import SearchEntry

        needed = created or not SearchEntry.objects.exists()
        if skip_search or not needed:
            self.stdout.write("  search index: left as it is (nothing new)")
        else:
            step = time.monotonic()

            with translation.override(settings.LANGUAGE_CODE), text_search_indexes_deferred(SearchEntry):
                total = search_index.rebuild()
            self.stdout.write(f"  search index: {total} items ({time.monotonic() - step:.1f} s)")
        if created:
            self.vacuum()
        bump_version()  # every cached page may now be out of date
        self.stdout.write(self.style.SUCCESS(f"Content at scale {scale:g} in {time.monotonic() - started:.1f} s."))

    @staticmethod
    def vacuum():
        """PostgreSQL: fresh statistics for the planner and a visibility map for index-only scans.

        Autovacuum would get there in a while; a benchmark right after a bulk load must not wait.
        Inside a transaction (tests) VACUUM cannot run, but ANALYZE can, and must: statistics
        from before the load make the planner pick plans for tiny tables (seconds, not
        milliseconds, for a tree's publishing check).
        """
        from django.db import connection

        if connection.vendor != "postgresql":
            return
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE")
