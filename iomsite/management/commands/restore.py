from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from iomsite.backups import restore_backup


class Command(BaseCommand):
    help = (
        "Bring back the database and media files of an archive made by `manage.py backup`, into an "
        "empty installation, then check every table's row count and every file's checksum against the "
        "archive's manifest. Stop the application first."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", type=Path)
        parser.add_argument(
            "--force",
            action="store_true",
            help="Restore even though the installation holds content: the database is replaced and media "
            "files of the same name are overwritten.",
        )

    def handle(self, *args, archive, force=False, **options):
        if not archive.is_file():
            raise CommandError(f"No such archive: {archive}")
        manifest = restore_backup(archive, force=force, log=self.stdout.write)
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored {archive} (made {manifest['created']}) and verified "
                f"{len(manifest['database']['tables'])} tables and {len(manifest['media']['files'])} media files."
            )
        )
