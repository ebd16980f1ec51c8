"""One-archive backups of the database and the media files (``manage.py backup`` / ``restore``).

The archive is a ``.tar.gz`` with three kinds of members:

- ``database.dump`` (PostgreSQL, ``pg_dump --format=custom``) or ``database.sqlite3``
  (a consistent copy made with SQLite's online backup API);
- ``media/<path>``: every media file except renditions, which are derived from the
  originals and made again on the first request;
- ``manifest.json``: versions, the row count of every table and the SHA-256 and size of
  every file, checked after a restore.

Archives hold password hashes, subscriber addresses and one-time-password secrets: they
are written 0600 in a 0700 folder (members too, so an extracted copy stays private), and
sessions are left out (the table is kept, empty): a copy must never let anyone in as an
editor. Off-site copies are encrypted before they leave the host (docs/operations.md).

On PostgreSQL the counts and the dump come from one snapshot (``pg_export_snapshot`` and
``pg_dump --snapshot``), so they agree even while editors keep working. Media files are
archived after the database: a file uploaded meanwhile is extra, never missing.
"""

import contextlib
import datetime
import hashlib
import json
import os
import platform
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path, PurePosixPath

import django
from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.management.base import CommandError
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder

FORMAT = 1
MANIFEST = "manifest.json"
DATABASE_MEMBERS = {"postgresql": "database.dump", "sqlite": "database.sqlite3"}
MEDIA = "media"
SKIPPED_MEDIA = ("renditions/",)
CHUNK = 1024 * 1024
PRIVATE_FILE, PRIVATE_FOLDER = 0o600, 0o700


def skipped_tables():
    """Tables whose rows are never archived: sessions (live sign-ins)."""
    from django.contrib.sessions.backends.db import SessionStore as DatabaseStore
    from django.utils.module_loading import import_string

    tables = {"django_session"}
    store = import_string(f"{settings.SESSION_ENGINE}.SessionStore")
    if issubclass(store, DatabaseStore):
        tables.add(store.get_model_class()._meta.db_table)
    return tables


def private_folder(path):
    """Create ``path`` (and missing parents) 0700, or close it to others if it exists."""
    path = Path(path)
    path.mkdir(parents=True, exist_ok=True, mode=PRIVATE_FOLDER)
    os.chmod(path, PRIVATE_FOLDER)


def default_archive_path():
    stamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%d-%H%M%S")
    return Path(settings.VAR_DIR) / "backups" / f"iomsite-{stamp}.tar.gz"


def sha256_of(path):
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while block := handle.read(CHUNK):
            digest.update(block)
    return digest.hexdigest()


def media_files(root):
    """Relative POSIX paths of the media files worth keeping, sorted."""
    root = Path(root)
    if not root.is_dir():
        return []
    found = []
    for folder, dirs, names in os.walk(root):
        dirs.sort()
        for name in sorted(names):
            path = Path(folder, name)
            relative = path.relative_to(root).as_posix()
            if name.startswith(".") or relative.startswith(SKIPPED_MEDIA) or not path.is_file():
                continue  # unfinished uploads (.upload-*.part), renditions, sockets…
            found.append(relative)
    return found


# ----------------------------------------------------------------------------- database


def vendor():
    if connection.vendor not in DATABASE_MEMBERS:
        raise CommandError(f"Backups support PostgreSQL and SQLite, not {connection.vendor}.")
    return connection.vendor


def postgres_client(program):
    """Command line and environment for pg_dump/pg_restore from Django's connection settings."""
    params = connection.settings_dict
    env = {**os.environ}
    args = [program, "--no-password"]  # never wait for a password prompt
    for option, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if params.get(key):
            args.append(f"{option}={params[key]}")
    if params.get("PASSWORD"):
        env["PGPASSWORD"] = params["PASSWORD"]  # not on the command line, where `ps` shows it
    options = params.get("OPTIONS", {})
    for key, variable in (
        ("sslmode", "PGSSLMODE"),
        ("sslrootcert", "PGSSLROOTCERT"),
        ("sslcert", "PGSSLCERT"),
        ("sslkey", "PGSSLKEY"),
        ("connect_timeout", "PGCONNECT_TIMEOUT"),
    ):
        if options.get(key) is not None:
            env[variable] = str(options[key])
    args.append(f"--dbname={params['NAME']}")
    return args, env


def run(args, env=None):
    try:
        result = subprocess.run(args, env=env, capture_output=True, text=True, check=False)
    except FileNotFoundError:
        raise CommandError(f"{args[0]} is not installed (Debian: apt-get install postgresql-client).") from None
    if result.returncode != 0:
        raise CommandError(f"{args[0]} failed ({result.returncode}): {result.stderr.strip()[-2000:]}")
    return result.stdout


def quote(name):
    return connection.ops.quote_name(name)


def count_tables(cursor, tables):
    counts = {}
    for table in sorted(tables):
        cursor.execute(f"SELECT COUNT(*) FROM {quote(table)}")
        counts[table] = cursor.fetchone()[0]
    return counts


def dump_postgres(target):
    """``pg_dump`` of one snapshot, and the row counts of that same snapshot."""
    raw = connection.get_new_connection(connection.get_connection_params())
    try:
        raw.set_session(isolation_level="REPEATABLE READ", readonly=True)
        with raw.cursor() as cursor:
            cursor.execute("SET LOCAL statement_timeout = 0")
            cursor.execute("SELECT pg_export_snapshot(), current_setting('server_version')")
            snapshot, server_version = cursor.fetchone()
            cursor.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = ANY(current_schemas(false)) ORDER BY tablename"
            )
            counts = count_tables(cursor, [row[0] for row in cursor.fetchall()])
            skipped = skipped_tables() & set(counts)
            counts.update(dict.fromkeys(skipped, 0))
            args, env = postgres_client("pg_dump")
            excluded = [f"--exclude-table-data={quote(table)}" for table in sorted(skipped)]
            run([*args, "--format=custom", f"--snapshot={snapshot}", *excluded, f"--file={target}"], env)
            version = run([args[0], "--version"]).strip()
        raw.rollback()
    finally:
        raw.close()
    return counts, {"server": f"PostgreSQL {server_version}", "client": version}


def dump_sqlite(target):
    connection.ensure_connection()
    os.close(os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE))
    copy = sqlite3.connect(target)
    try:
        connection.connection.backup(copy)  # consistent even while others write
        tables = [
            row[0]
            for row in copy.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
        ]
        for table in sorted(skipped_tables() & set(tables)):
            copy.execute(f'DELETE FROM "{table}"')
        copy.commit()
        copy.execute("VACUUM")  # deleted rows would stay readable in the file's free pages
        counts = {table: copy.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0] for table in sorted(tables)}
    finally:
        copy.close()
    return counts, {"server": f"SQLite {sqlite3.sqlite_version}"}


def live_counts():
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
        return count_tables(cursor, tables)


def applied_migrations():
    latest = {}
    if not MigrationRecorder(connection).has_table():
        return latest
    for app, name in MigrationRecorder.Migration.objects.values_list("app", "name").order_by("app", "name"):
        latest.setdefault(app, []).append(name)
    return {app: names[-1] for app, names in latest.items()}


# ----------------------------------------------------------------------------- backup


class HashingReader:
    """Wraps a file for ``tarfile.addfile``: hashes exactly what goes into the archive."""

    def __init__(self, handle):
        self.handle = handle
        self.digest = hashlib.sha256()

    def read(self, size=-1):
        data = self.handle.read(size)
        self.digest.update(data)
        return data


def create_backup(output, log=print):
    """Write the archive to ``output`` (atomically: a partial archive never has the final name)."""
    output = Path(output)
    if not output.parent.exists() or output.parent == default_archive_path().parent:
        private_folder(output.parent)  # a folder we make, or ours; another existing one is the operator's
    kind = vendor()
    work = Path(tempfile.mkdtemp(prefix=".backup-", dir=output.parent))
    try:
        db_member = DATABASE_MEMBERS[kind]
        db_file = work / db_member
        counts, db_versions = dump_postgres(db_file) if kind == "postgresql" else dump_sqlite(db_file)
        log(f"database: {len(counts)} tables, {sum(counts.values())} rows")
        manifest = {
            "format": FORMAT,
            "created": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
            "versions": {
                "django": django.get_version(),
                "python": platform.python_version(),
                "database": db_versions,
            },
            "migrations": applied_migrations(),
            "database": {
                "vendor": kind,
                "file": db_member,
                "sha256": sha256_of(db_file),
                "size": db_file.stat().st_size,
                "tables": counts,
            },
            "media": {"skipped": list(SKIPPED_MEDIA), "files": {}},
        }
        partial = work / "archive.tar.gz"
        os.close(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE))
        media_root = Path(settings.MEDIA_ROOT)
        with tarfile.open(partial, "w:gz") as archive:
            archive.add(db_file, arcname=db_member, recursive=False, filter=_private)
            for relative in media_files(media_root):
                path = media_root / relative
                with open(path, "rb") as handle:
                    info = _private(archive.gettarinfo(arcname=f"{MEDIA}/{relative}", fileobj=handle))
                    reader = HashingReader(handle)
                    archive.addfile(info, reader)
                manifest["media"]["files"][relative] = {"sha256": reader.digest.hexdigest(), "size": info.size}
            data = json.dumps(manifest, indent=2, sort_keys=True).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size, info.mtime, info.mode = len(data), int(datetime.datetime.now().timestamp()), PRIVATE_FILE
            archive.addfile(info, _BytesReader(data))
        log(f"media: {len(manifest['media']['files'])} files")
        with open(partial, "rb") as handle:
            os.fsync(handle.fileno())
        os.replace(partial, output)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return manifest


def _private(info):
    """A member readable by its owner only, owned by nobody in particular."""
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    info.mode = PRIVATE_FILE
    return info


class _BytesReader:
    def __init__(self, data):
        self.data, self.offset = data, 0

    def read(self, size=-1):
        end = len(self.data) if size < 0 else self.offset + size
        chunk = self.data[self.offset : end]
        self.offset += len(chunk)
        return chunk


# ----------------------------------------------------------------------------- restore


def safe_member_path(name):
    """The member's relative path, or a CommandError for anything that could land elsewhere."""
    if not name or "\x00" in name or "\\" in name or name.startswith("/") or ":" in name.split("/")[0]:
        raise CommandError(f"Refusing archive: unsafe member name {name!r}.")
    path = PurePosixPath(name)
    if path.is_absolute() or any(part in ("..", "") for part in name.split("/")):
        raise CommandError(f"Refusing archive: unsafe member name {name!r}.")
    return path


def check_members(archive):
    """Every member is a regular file (or folder) with a safe name we expect; returns them by name."""
    members = {}
    for member in archive.getmembers():
        path = safe_member_path(member.name.rstrip("/") if member.isdir() else member.name)
        if member.isdir() and path.parts[0] == MEDIA:
            continue
        if not member.isreg():
            raise CommandError(f"Refusing archive: {member.name!r} is not a regular file.")
        if member.name not in (MANIFEST, *DATABASE_MEMBERS.values()) and path.parts[0] != MEDIA:
            raise CommandError(f"Refusing archive: unexpected member {member.name!r}.")
        if member.name in members:
            raise CommandError(f"Refusing archive: {member.name!r} appears twice.")
        members[member.name] = member
    return members


def read_manifest(archive, members):
    if MANIFEST not in members:
        raise CommandError("Refusing archive: it has no manifest.json.")
    try:
        manifest = json.load(archive.extractfile(members[MANIFEST]))
    except ValueError as error:
        raise CommandError(f"Refusing archive: unreadable manifest ({error}).") from None
    if manifest.get("format") != FORMAT:
        raise CommandError(f"Refusing archive: manifest format {manifest.get('format')!r}, expected {FORMAT}.")
    expected = {manifest["database"]["file"], *(f"{MEDIA}/{path}" for path in manifest["media"]["files"])}
    present = set(members) - {MANIFEST}
    if expected != present:
        missing, extra = sorted(expected - present), sorted(present - expected)
        raise CommandError(f"Refusing archive: members do not match the manifest (missing {missing}, extra {extra}).")
    return manifest


def check_checksums(archive, members, manifest):
    expected = {manifest["database"]["file"]: manifest["database"]["sha256"]}
    expected.update({f"{MEDIA}/{path}": facts["sha256"] for path, facts in manifest["media"]["files"].items()})
    for name, sha256 in expected.items():
        digest = hashlib.sha256()
        with archive.extractfile(members[name]) as source:
            while block := source.read(CHUNK):
                digest.update(block)
        if digest.hexdigest() != sha256:
            raise CommandError(f"Refusing archive: {name} does not match its checksum in the manifest (damaged).")


def occupied():
    """What the installation already holds: users, content rows, media files."""
    found = []
    with connection.cursor() as cursor:
        existing = set(connection.introspection.table_names(cursor))
    # Rows that `migrate` itself makes (content types, permissions, groups) do not count.
    project = Path(settings.BASE_DIR).resolve()
    tables = {"auth_user"} if "auth_user" in existing else set()
    for model in apps.get_models():
        app_path = Path(model._meta.app_config.path).resolve()
        ours = project in app_path.parents and "site-packages" not in app_path.parts
        if ours and model._meta.db_table in existing:
            tables.add(model._meta.db_table)
    with connection.cursor() as cursor:
        for table, count in count_tables(cursor, tables).items():
            if count:
                found.append(f"{count} rows in {table}")
    files = media_files(settings.MEDIA_ROOT)
    if files:
        found.append(f"{len(files)} media files")
    return found


def copy_member(archive, member, target, expected_sha256, mode=0o644):
    """Write a member to ``target`` atomically (with ``mode``), checking its SHA-256 on the way."""
    target.parent.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    fd, temp = tempfile.mkstemp(dir=target.parent, prefix=".restore-", suffix=".part")
    try:
        with os.fdopen(fd, "wb") as out, archive.extractfile(member) as source:
            while block := source.read(CHUNK):
                digest.update(block)
                out.write(block)
            out.flush()
            os.fsync(out.fileno())
        if digest.hexdigest() != expected_sha256:
            raise CommandError(f"{member.name}: checksum does not match the manifest; the archive is damaged.")
        os.chmod(temp, mode)  # media: readable by the web server; the database dump: private
        os.replace(temp, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temp)
        raise


def restore_database(kind, dump):
    connection.close()  # our own connection must hold no locks while tables are replaced
    if kind == "postgresql":
        args, env = postgres_client("pg_restore")
        options = ["--clean", "--if-exists", "--no-owner", "--no-acl", "--single-transaction", "--exit-on-error"]
        run([*args, *options, str(dump)], env)
    else:
        connection.ensure_connection()
        source = sqlite3.connect(dump)
        try:
            source.backup(connection.connection)
        finally:
            source.close()
        connection.close()
    ContentType.objects.clear_cache()  # ids may differ from the ones cached before the restore


def restore_backup(path, force=False, log=print):
    kind = vendor()
    media_root = Path(settings.MEDIA_ROOT)
    with tarfile.open(path, "r:gz") as archive:
        members = check_members(archive)
        manifest = read_manifest(archive, members)
        if manifest["database"]["vendor"] != kind:
            raise CommandError(
                f"This archive holds a {manifest['database']['vendor']} database; this installation uses {kind}."
            )
        found = occupied()
        if found and not force:
            summary = ", ".join(found[:5]) + (f" and {len(found) - 5} more" if len(found) > 5 else "")
            raise CommandError(
                f"Refusing to restore into an installation that is not empty ({summary}). "
                "Use --force to replace the database and overwrite media files of the same name."
            )
        check_checksums(archive, members, manifest)  # a damaged archive changes nothing
        media_root.mkdir(parents=True, exist_ok=True)
        root = media_root.resolve()
        targets = {}
        for relative in manifest["media"]["files"]:
            target = (media_root / safe_member_path(relative)).resolve()
            if root not in target.parents:
                raise CommandError(f"Refusing archive: {relative!r} would land outside the media folder.")
            targets[relative] = target
        work = Path(tempfile.mkdtemp(prefix=".restore-"))
        try:
            dump = work / manifest["database"]["file"]
            database = members[manifest["database"]["file"]]
            copy_member(archive, database, dump, manifest["database"]["sha256"], mode=PRIVATE_FILE)
            restore_database(kind, dump)
        finally:
            shutil.rmtree(work, ignore_errors=True)
        log(f"database: restored {len(manifest['database']['tables'])} tables")
        for relative, target in targets.items():
            copy_member(archive, members[f"{MEDIA}/{relative}"], target, manifest["media"]["files"][relative]["sha256"])
        log(f"media: restored {len(targets)} files")
    verify(manifest)
    return manifest


def verify(manifest):
    """Compare the installation with the manifest: every table's rows, every file's checksum."""
    problems = []
    counts = live_counts()
    for table, expected in manifest["database"]["tables"].items():
        if counts.get(table) != expected:
            problems.append(f"table {table}: {counts.get(table)} rows, manifest says {expected}")
    media_root = Path(settings.MEDIA_ROOT)
    for relative, facts in manifest["media"]["files"].items():
        path = media_root / relative
        if not path.is_file():
            problems.append(f"media {relative}: missing")
        elif sha256_of(path) != facts["sha256"]:
            problems.append(f"media {relative}: checksum differs")
    if problems:
        raise CommandError("Restore verification failed:\n  " + "\n  ".join(problems))
