from django.core.management.base import BaseCommand

from consultations.registration import due_reminders, send_due_reminders


class Command(BaseCommand):
    help = (
        "Queue the day-before reminders that are due and not sent yet (each is sent once). Each confirmation "
        "already schedules its reminder as a task; run this hourly from cron as a safety net (moved events)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--now", action="store_true", help="Send in this process instead of queuing a task.")

    def handle(self, *args, now=False, **options):
        if now:
            sent = send_due_reminders.call()
            self.stdout.write(f"{sent} reminder(s) queued.")
        else:
            send_due_reminders.enqueue()
            self.stdout.write(f"Reminder task queued ({len(due_reminders())} due now).")
