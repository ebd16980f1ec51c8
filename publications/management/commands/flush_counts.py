from django.core.management.base import BaseCommand

from publications import counts


class Command(BaseCommand):
    help = "Write the view and download counters kept in the cache to the database (run every few minutes)."

    def handle(self, *args, **options):
        written = counts.flush()
        self.stdout.write(f"{written} views and downloads written")
