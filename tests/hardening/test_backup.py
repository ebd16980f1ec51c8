"""Backup and restore: a round trip brings back every row and every file, and bad archives are refused."""

import hashlib
import io
import json
import re
import shutil
import tarfile
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import connection

from iomsite.backups import default_archive_path, media_files
from iomsite.models import Menu, MenuItem
from tests.iomsite.factories import make_document, make_image, make_page

pytestmark = pytest.mark.django_db(transaction=True)


def every_row():
    """``{table: sorted rows}`` for every table in the database."""
    rows = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            rows[table] = sorted((tuple(row) for row in cursor.fetchall()), key=repr)
    return rows


def every_file(root):
    return {relative: hashlib.sha256((root / relative).read_bytes()).hexdigest() for relative in media_files(root)}


def make_content(client):
    get_user_model().objects.create_user("editor-de-genève", "e@example.org", "pw-for-tests-only")
    page = make_page(slug="accessibilite", title="Accessibilité — «déclaration»", body="<p>Texte, 移民.</p>")
    root = MenuItem.objects.create(menu=Menu.FOOTER, title="Pied de page", url="/")
    MenuItem.objects.create(menu=Menu.FOOTER, parent=root, title="Accessibilité", page=page)
    image = make_image(title="Camp", size=(700, 400))
    make_document(title="World Migration Report 2018")
    assert client.get(image.renditions()[0][0]).status_code == 200  # a rendition on disk
    return image


def empty_installation(media_root):
    call_command("flush", interactive=False, verbosity=0)
    shutil.rmtree(media_root, ignore_errors=True)


def test_round_trip_brings_back_every_row_and_every_file(client, settings, tmp_path):
    image = make_content(client)
    before_rows, before_files = every_row(), every_file(settings.MEDIA_ROOT)
    assert len(before_files) == 2
    archive = tmp_path / "site.tar.gz"

    call_command("backup", output=archive, stdout=io.StringIO())
    empty_installation(settings.MEDIA_ROOT)
    assert every_row() != before_rows
    out = io.StringIO()
    call_command("restore", archive, stdout=out)

    assert "verified" in out.getvalue()
    assert every_row() == before_rows
    assert every_file(settings.MEDIA_ROOT) == before_files
    # Renditions were not archived; they are made again from the restored original.
    assert client.get(image.renditions()[0][0]).status_code == 200
    assert "ok" in _check_trees()


def _check_trees():
    out = io.StringIO()
    call_command("check_trees", stdout=out)
    return out.getvalue()


def test_archive_holds_database_media_and_manifest(client, settings, tmp_path):
    make_content(client)
    archive = tmp_path / "site.tar.gz"
    call_command("backup", output=archive, stdout=io.StringIO())
    with tarfile.open(archive) as tar:
        names = tar.getnames()
        manifest = json.load(tar.extractfile("manifest.json"))
    database = "database.dump" if connection.vendor == "postgresql" else "database.sqlite3"
    assert database in names
    assert not [name for name in names if name.startswith("media/renditions/")]
    assert manifest["database"]["vendor"] == connection.vendor
    assert manifest["database"]["tables"]["iomsite_menuitem"] == 2
    assert manifest["versions"]["django"]
    assert set(manifest["media"]["files"]) == set(media_files(settings.MEDIA_ROOT))
    for facts in manifest["media"]["files"].values():
        assert re.fullmatch(r"[0-9a-f]{64}", facts["sha256"])


def test_default_archive_name_is_timestamped(settings):
    path = default_archive_path()
    assert path.parent == Path(settings.VAR_DIR) / "backups"
    assert re.fullmatch(r"iomsite-\d{8}-\d{6}\.tar\.gz", path.name)


def test_restore_refuses_a_non_empty_installation_unless_forced(client, settings, tmp_path):
    make_content(client)
    archive = tmp_path / "site.tar.gz"
    call_command("backup", output=archive, stdout=io.StringIO())
    before = every_row()
    make_page(slug="added-after-the-backup")
    with pytest.raises(CommandError, match="not empty"):
        call_command("restore", archive, stdout=io.StringIO())
    call_command("restore", archive, force=True, stdout=io.StringIO())
    assert every_row() == before


def synthetic_archive(tmp_path, name, kind, linkname):
    """A small archive with a plausible manifest and one more member."""
    target = tmp_path / "crafted.tar.gz"
    manifest = json.dumps({"format": 1, "database": {"file": "database.sqlite3"}, "media": {"files": {}}}).encode()
    with tarfile.open(target, "w:gz") as out:
        for member_name, data in (("manifest.json", manifest), ("database.sqlite3", b"SQLite format 3\x00")):
            info = tarfile.TarInfo(member_name)
            info.size = len(data)
            out.addfile(info, io.BytesIO(data))
        info = tarfile.TarInfo(name)
        info.type, info.linkname = kind, linkname
        info.size = 1 if kind == tarfile.REGTYPE else 0
        out.addfile(info, io.BytesIO(b"x") if kind == tarfile.REGTYPE else None)
    return target


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name, kind, linkname",
    [
        ("../escaped.txt", tarfile.REGTYPE, ""),
        ("/tmp/absolute.txt", tarfile.REGTYPE, ""),
        ("media/../../escaped.txt", tarfile.REGTYPE, ""),
        ("media/images/link.png", tarfile.SYMTYPE, "/etc/passwd"),
        ("media/images/hard.png", tarfile.LNKTYPE, "database.sqlite3"),
        ("media/images/fifo.png", tarfile.FIFOTYPE, ""),
        ("settings.py", tarfile.REGTYPE, ""),
    ],
)
def test_restore_refuses_unsafe_archive_members_before_touching_anything(settings, tmp_path, name, kind, linkname):
    before = every_row()
    with pytest.raises(CommandError, match="Refusing archive"):
        call_command("restore", synthetic_archive(tmp_path, name, kind, linkname), stdout=io.StringIO())
    assert every_row() == before
    assert media_files(settings.MEDIA_ROOT) == []
    assert not (tmp_path / "escaped.txt").exists() and not Path("/tmp/absolute.txt").exists()


def test_restore_detects_a_damaged_file(client, settings, tmp_path):
    make_content(client)
    archive = tmp_path / "site.tar.gz"
    call_command("backup", output=archive, stdout=io.StringIO())
    damaged = tmp_path / "damaged.tar.gz"
    with tarfile.open(archive) as source, tarfile.open(damaged, "w:gz") as out:
        for member in source.getmembers():
            data = source.extractfile(member).read()
            if member.name.startswith("media/documents/"):
                data = data[:-1] + bytes([data[-1] ^ 1])
            out.addfile(member, io.BytesIO(data))
    empty_installation(settings.MEDIA_ROOT)
    before = every_row()
    with pytest.raises(CommandError, match="does not match its checksum"):
        call_command("restore", damaged, stdout=io.StringIO())
    assert every_row() == before  # nothing was changed
    assert media_files(settings.MEDIA_ROOT) == []
