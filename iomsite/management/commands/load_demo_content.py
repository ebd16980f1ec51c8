import contextlib

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import translation

from iomsite import content
from iomsite.demo import keep_existing

DEMO_USERNAME = "editor"
DEMO_PASSWORD = "iomsite-demo"


class Command(BaseCommand):
    help = (
        "Add the demo content that is missing. Safe to run again: nothing is duplicated, and nothing an editor "
        "changed is overwritten. --reset puts every demo item back as the demo has it."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Put the demo items back as the demo has them (editors' changes to them are lost).",
        )

    def handle(self, *args, **options):
        # English is the source language: plain field names write the English columns.
        guard = contextlib.nullcontext() if options["reset"] else keep_existing(content.all_content_models())
        with translation.override(settings.LANGUAGE_CODE), transaction.atomic(), guard:
            for loader in content.demo_loaders():
                loader(self.stdout)
        if settings.IOMSITE_DEMO:
            self.create_demo_user()
        if options["reset"]:
            self.stdout.write(self.style.SUCCESS("Demo content reset."))
        else:
            self.stdout.write(self.style.SUCCESS("Demo content loaded (existing items kept as they are)."))

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
