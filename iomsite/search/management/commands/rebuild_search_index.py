from django.core.management.base import BaseCommand
from django.db import connection

from iomsite.search.backends import ensure_rank_indexes
from iomsite.search.index import rebuild


class Command(BaseCommand):
    help = (
        "Empty the search index and fill it again from all published content, in every language. "
        "On PostgreSQL, also creates the RUM ranking indexes if the rum extension has been installed since."
    )

    def handle(self, *args, **options):
        if connection.vendor == "postgresql" and ensure_rank_indexes(connection):
            self.stdout.write("Ranking from the RUM indexes (rum extension present).")
        total = rebuild(self.stdout)
        self.stdout.write(self.style.SUCCESS(f"Indexed {total} objects."))
