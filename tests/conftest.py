import io
import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def pytest_sessionstart(session):
    """Compile the translation catalogues that are missing or older than their .po (a fresh clone has none).

    ``make test`` runs ``make messages`` first; a bare ``pytest`` or ``make test-fast`` gets the same here.
    """
    stale = [
        po
        for po in ROOT.glob("**/locale/*/LC_MESSAGES/*.po")
        if ".venv" not in po.parts
        and (not po.with_suffix(".mo").exists() or po.with_suffix(".mo").stat().st_mtime < po.stat().st_mtime)
    ]
    if stale:
        from django.core.management import call_command

        call_command("compilemessages", ignore_patterns=[".venv", "node_modules"], verbosity=0)


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    """Plain static storage (no manifest needed), media in a temp folder, local-memory cache."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    settings.IOMSITE_PAGE_CACHE = False  # tests/iomsite/test_pagecache.py turns it on
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Two-step sign-in is required of publishers, site managers and superusers in production;
    # tests that sign in with force_login() would all stop at it. tests/security/test_two_factor.py
    # turns the requirement back on and goes through it as editors do.
    settings.IOMSITE_TWO_FACTOR_ROLES = ()
    from django.core.cache import cache
    from django.utils import translation

    cache.clear()
    translation.activate("en")  # plain field names write the English columns (modeltranslation)
    yield
    translation.activate("en")
    cache.clear()


@pytest.fixture(scope="module")
def demo_media(tmp_path_factory):
    return tmp_path_factory.mktemp("demo-media")


@pytest.fixture(scope="module")
def demo_content(django_db_setup, django_db_blocker, demo_media):
    """The demo content of every app, loaded once for the module and rolled back after it.

    Loading it takes seconds (images, PDFs, trees); per test it was most of the suite's
    setup time. Each test using it runs inside this transaction, in its own savepoint, so
    its changes are rolled back as usual. Not for transactional tests (``transaction=True``):
    they empty the database.
    """
    from django.core.management import call_command
    from django.db import transaction
    from django.test.utils import override_settings

    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=demo_media):
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            call_command("load_demo_content", stdout=io.StringIO())
        except BaseException:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
            raise
    yield
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        atomic.__exit__(None, None, None)


@pytest.fixture
def demo(demo_content, db, settings, demo_media):
    """The demo content (``demo_content``) in a test; its images and PDFs in the module's media folder."""
    settings.MEDIA_ROOT = demo_media


@pytest.fixture
def staff_user(django_user_model):
    return django_user_model.objects.create_superuser("staff", "staff@example.org", "pw-for-tests-only")


@pytest.fixture
def staff_client(staff_user):
    """A logged-in superuser, separate from the anonymous ``client``."""
    from django.test import Client

    staff = Client()
    staff.force_login(staff_user)
    return staff


def on_postgres():
    return os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://"))


def pytest_collection_modifyitems(config, items):
    """Tests marked ``postgres`` need PostgreSQL: on SQLite they are deselected, not skipped.

    CI runs the suite twice (SQLite, then PostgreSQL), so every test runs once in CI.
    """
    if on_postgres():
        return
    kept, dropped = [], []
    for item in items:
        (dropped if item.get_closest_marker("postgres") else kept).append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept
