"""Helpers shared by the tests of several apps."""

import contextlib
import re

from django.db import transaction
from django.urls import reverse

from iomsite import content


def sitemap_pages(client):
    """The text of every page the sitemap index (``/sitemap.xml``) points to, in one string.

    The index itself lists only section pages; the addresses of the content are in those.
    """
    index = client.get(reverse("sitemap"))
    assert index.status_code == 200
    bodies = []
    for location in re.findall(r"<loc>([^<]+)</loc>", index.content.decode()):
        response = client.get(location)
        assert response.status_code == 200, location
        bodies.append(response.content.decode())
    return "\n".join(bodies)


def sitemap_section_urls():
    """The first page of every section of the sitemap."""
    return [reverse("sitemap_section", kwargs={"section": section}) for section in content.sitemaps()]


def run_tasks(limit=1000):
    """What ``manage.py db_worker`` does, in this process and inside the test's transaction.

    Every ready task (``run_after`` passed, oldest and most urgent first) is claimed and run
    by the library's own worker code, one at a time, including tasks that the tasks enqueue.
    The command itself cannot run here: it closes database connections between tasks, which
    ends a test's transaction; ``tests/iomsite/test_mail.py`` runs it as a real process.
    Returns the results that ran.
    """
    from django_tasks_db.management.commands.db_worker import Worker
    from django_tasks_db.models import DBTaskResult

    worker = Worker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="tests",
        excluded_queue_names=[],
    )
    ran = []
    while len(ran) < limit:
        with transaction.atomic():  # as the worker claims a task (a browser test's database autocommits)
            result = DBTaskResult.objects.ready().get_locked()  # in the model's order: priority, run_after, age
            if result is None:
                break
            result.claim(worker.worker_id)
        worker.run_task(result)
        result.refresh_from_db()
        ran.append(result)
    return ran


@contextlib.contextmanager
def module_content(django_db_blocker, media):
    """For a module-scoped fixture: database access, test settings, and everything written rolled back.

    Media go to ``media``, the cache is local and empty, the page cache is off and static files
    need no manifest, as in every test (``tests/conftest.py``), for content built once per module.
    """
    from django.conf import settings
    from django.core.cache import cache
    from django.db import transaction
    from django.test.utils import override_settings

    local = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    plain = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=media, CACHES=local, IOMSITE_PAGE_CACHE=False),
        override_settings(STORAGES={**settings.STORAGES, "staticfiles": plain}),
        transaction.atomic(),
    ):
        cache.clear()
        try:
            yield
        finally:
            transaction.set_rollback(True)
            cache.clear()
