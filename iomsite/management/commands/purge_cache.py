"""``manage.py purge_cache``: retire every cached page and remembered value, in every process (decision 018)."""

from django.core.management.base import BaseCommand

from iomsite.freshness import purge_everything


class Command(BaseCommand):
    help = "Retire every cached page and remembered value (and tell a cache in front, if one is set)."

    def handle(self, *args, **options):
        purge_everything()
        if options["verbosity"]:
            self.stdout.write("Every cached page and value is retired.")
