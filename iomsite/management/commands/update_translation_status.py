from django.core.management.base import BaseCommand

from iomsite.languages import rebuild


class Command(BaseCommand):
    help = (
        "Bring the translation status (translated, partly, missing, stale per language) of every content object "
        "up to date: after content was loaded in bulk or restored. Saves keep it up to date by themselves."
    )

    def handle(self, *args, **options):
        total = rebuild(self.stdout)
        self.stdout.write(self.style.SUCCESS(f"Checked {total} objects."))
