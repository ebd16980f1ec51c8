from pathlib import Path

from django.core.management.base import BaseCommand

from iomsite.backups import create_backup, default_archive_path


class Command(BaseCommand):
    help = (
        "Write the database (pg_dump on PostgreSQL, a consistent copy on SQLite) and the media files "
        "into one archive, var/backups/iomsite-YYYYmmdd-HHMMSS.tar.gz unless --output is given. "
        "Renditions are left out: they are made again from the originals."
    )

    def add_arguments(self, parser):
        parser.add_argument("--output", type=Path, help="Where to write the archive (.tar.gz).")

    def handle(self, *args, output=None, **options):
        output = output or default_archive_path()
        manifest = create_backup(output, log=self.stdout.write)
        rows, files = sum(manifest["database"]["tables"].values()), len(manifest["media"]["files"])
        self.stdout.write(self.style.SUCCESS(f"Backup written to {output}: {rows} rows, {files} media files."))
