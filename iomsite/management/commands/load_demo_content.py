from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import translation

from iomsite.registry import registry

DEMO_USERNAME = "editor"
DEMO_PASSWORD = "iomsite-demo"


class Command(BaseCommand):
    help = "Create or update the demo content of every app. Safe to run again: nothing is duplicated."

    def handle(self, *args, **options):
        # English is the source language: plain field names write the English columns.
        with translation.override(settings.LANGUAGE_CODE), transaction.atomic():
            for _order, _name, loader in registry.demo_loaders:
                loader(self.stdout)
        if settings.IOMSITE_DEMO:
            self.create_demo_user()
        self.stdout.write(self.style.SUCCESS("Demo content loaded."))

    def create_demo_user(self):
        """A demo login, only in the demo database: production settings never set IOMSITE_DEMO."""
        user_model = get_user_model()
        user, created = user_model.objects.get_or_create(
            username=DEMO_USERNAME, defaults={"is_staff": True, "is_superuser": True, "email": "editor@example.org"}
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
            self.stdout.write(f"  demo login created: {DEMO_USERNAME} / {DEMO_PASSWORD}")
