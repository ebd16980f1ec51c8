from django.core.management.base import BaseCommand

from iomsite.reviews.digest import send_review_digests


class Command(BaseCommand):
    help = "Queue the weekly 'needs review' digest to content owners (run weekly from cron; the worker sends it)."

    def handle(self, *args, **options):
        send_review_digests.enqueue()
        self.stdout.write("Review digest queued.")
