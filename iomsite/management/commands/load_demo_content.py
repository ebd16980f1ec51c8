from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import translation

from iomsite import content

DEMO_USERNAME = "editor"
DEMO_PASSWORD = "iomsite-demo"


class Command(BaseCommand):
    help = "Create or update the demo content of every app. Safe to run again: nothing is duplicated."

    def handle(self, *args, **options):
        # English is the source language: plain field names write the English columns.
        with translation.override(settings.LANGUAGE_CODE), transaction.atomic():
            for loader in content.demo_loaders():
                loader(self.stdout)
        if settings.IOMSITE_DEMO:
            self.create_demo_user()
        self.stdout.write(self.style.SUCCESS("Demo content loaded."))

    def create_demo_user(self):
        """Demo logins, only in the demo database: production settings never set IOMSITE_DEMO.

        ``editor`` may do everything; ``demo-editor`` and ``demo-publisher`` show the roles. They
        are password-only accounts: no two-step sign-in, unlike real publishers and managers.
        """
        from django.contrib.auth.models import Group

        from iomsite.accounts.models import PasswordOnlyAccount

        user_model = get_user_model()
        logins = [
            (DEMO_USERNAME, {"is_superuser": True}, None),
            ("demo-editor", {}, "Editor"),
            ("demo-publisher", {}, "Publisher"),
        ]
        for username, extra, group in logins:
            user, created = user_model.objects.get_or_create(
                username=username, defaults={"is_staff": True, "email": f"{username}@example.org", **extra}
            )
            if created:
                user.set_password(DEMO_PASSWORD)
                user.save()
                self.stdout.write(f"  demo login created: {username} / {DEMO_PASSWORD}")
            if group:
                user.groups.add(*Group.objects.filter(name=group))
            # Demo logins sign in with the password alone, whatever the roles' two-step requirement.
            PasswordOnlyAccount.objects.get_or_create(user=user, defaults={"reason": "Demo login (demo database)"})
