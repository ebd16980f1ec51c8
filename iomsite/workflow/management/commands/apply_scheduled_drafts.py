from django.core.management.base import BaseCommand

from iomsite.workflow.schedule import apply_due


class Command(BaseCommand):
    help = (
        "Publish the scheduled drafts of live items whose time has come. Not needed for visitors (the first "
        "request after the time applies them, and the task worker does too); useful after a restore or in cron."
    )

    def handle(self, *args, **options):
        count = apply_due()
        self.stdout.write(f"{count} scheduled draft(s) published.")
