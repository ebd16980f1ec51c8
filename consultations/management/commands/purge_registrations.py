from django.conf import settings
from django.core.management.base import BaseCommand

from consultations.registration import purge


class Command(BaseCommand):
    help = (
        "Erase registrants' personal data for events that ended more than IOMSITE_REGISTRATION_RETENTION_DAYS "
        "days ago (the rows stay for counts). Run daily from cron."
    )

    def handle(self, *args, **options):
        erased = purge()
        days = settings.IOMSITE_REGISTRATION_RETENTION_DAYS
        self.stdout.write(f"Erased the personal data of {erased} registration(s) (events over {days} days ago).")
