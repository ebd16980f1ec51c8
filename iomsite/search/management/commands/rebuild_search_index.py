from django.core.management.base import BaseCommand

from iomsite.search.index import rebuild


class Command(BaseCommand):
    help = "Empty the search index and fill it again from all published content, in every language."

    def handle(self, *args, **options):
        total = rebuild(self.stdout)
        self.stdout.write(self.style.SUCCESS(f"Indexed {total} objects."))
