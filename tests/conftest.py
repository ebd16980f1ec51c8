import os

import pytest


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
