"""Backups hold password hashes and subscriber addresses: only their owner may read them, and
live session keys (which would let anyone holding a copy sign in as an editor) are left out."""

import io
import os
import sqlite3
import stat
import subprocess
import tarfile

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client

from iomsite.backups import default_archive_path

pytestmark = pytest.mark.django_db(transaction=True)


def mode(path):
    return stat.S_IMODE(os.stat(path).st_mode)


@pytest.fixture
def loose_umask():
    previous = os.umask(0o022)  # what a shell usually has: files 0644, folders 0755
    yield
    os.umask(previous)


@pytest.fixture
def signed_in(django_user_model):
    user = django_user_model.objects.create_superuser("editor", "e@example.org", "pw-for-tests-only")
    client = Client()
    client.force_login(user)
    return client.cookies["sessionid"].value


def test_the_default_archive_is_0600_in_a_0700_folder(settings, tmp_path, loose_umask):
    settings.VAR_DIR = tmp_path / "var"
    call_command("backup", stdout=io.StringIO())
    folder = tmp_path / "var" / "backups"
    [archive] = list(folder.iterdir())
    assert mode(folder) == 0o700
    assert mode(archive) == 0o600


def test_an_existing_backups_folder_is_closed_too(settings, tmp_path, loose_umask):
    settings.VAR_DIR = tmp_path / "var"
    default_archive_path().parent.mkdir(parents=True, mode=0o755)
    call_command("backup", stdout=io.StringIO())
    assert mode(default_archive_path().parent) == 0o700


def test_an_archive_written_elsewhere_is_0600_and_its_new_folder_0700(tmp_path, loose_umask):
    target = tmp_path / "offsite" / "copy.tar.gz"
    call_command("backup", output=target, stdout=io.StringIO())
    assert mode(target) == 0o600 and mode(target.parent) == 0o700
    with tarfile.open(target) as archive:
        for member in archive.getmembers():
            assert member.mode & 0o077 == 0, (member.name, oct(member.mode))  # extracted, still private


def test_sessions_are_left_out(tmp_path, signed_in):
    target = tmp_path / "site.tar.gz"
    call_command("backup", output=target, stdout=io.StringIO())
    with tarfile.open(target) as archive:
        names = archive.getnames()
        database = next(name for name in names if name.startswith("database."))
        archive.extract(database, tmp_path, filter="data")
        manifest = archive.extractfile("manifest.json").read().decode()
    dump = tmp_path / database
    assert signed_in.encode() not in dump.read_bytes()  # not even in the file's free pages
    assert '"django_session": 0' in manifest
    if connection.vendor == "sqlite":
        with sqlite3.connect(dump) as copy:
            assert copy.execute("SELECT COUNT(*) FROM django_session").fetchone() == (0,)
            assert copy.execute("SELECT COUNT(*) FROM auth_user").fetchone() == (1,)
    else:
        listing = subprocess.run(["pg_restore", "--list", str(dump)], capture_output=True, text=True, check=True).stdout
        assert "TABLE DATA public auth_user" in listing
        assert "TABLE DATA public django_session" not in listing
        assert "TABLE public django_session" in listing  # the table itself is kept, empty


def test_the_live_sqlite_database_file_is_private(tmp_path, loose_umask):
    from django.db.backends.sqlite3.base import DatabaseWrapper

    path = tmp_path / "db.sqlite3"
    path.touch(mode=0o644)
    wrapper = DatabaseWrapper({**connection.settings_dict, "ENGINE": "django.db.backends.sqlite3", "NAME": str(path),
                               "OPTIONS": {}, "TEST": {}, "CONN_MAX_AGE": 0, "CONN_HEALTH_CHECKS": False,
                               "ATOMIC_REQUESTS": False, "AUTOCOMMIT": True, "TIME_ZONE": None})  # fmt: skip
    wrapper.ensure_connection()
    wrapper.close()
    assert mode(path) == 0o600
