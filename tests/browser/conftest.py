"""Real-browser tests: Playwright for Python driving Debian's Chromium against the live server.

One browser for the tests of this folder, a fresh context (cookies, storage, viewport) per
test. Playwright never downloads a browser here: it starts ``/usr/bin/chromium`` (``.ci/run``
installs Debian's package when it is missing). Playwright gives the browser a fresh
temporary profile (user-data dir) at every launch.

While Playwright's sync API is started, this thread has a running asyncio loop, and Django
refuses database calls from such a thread unless ``DJANGO_ALLOW_ASYNC_UNSAFE`` is set: the
tests and the live server share this process (and, on SQLite, the in-memory database), so
we set it while the browser runs. Both end with this folder, so the rest of the suite runs
with Django's usual checks and a database without our snapshot.
"""

import os
import re
import sqlite3
from pathlib import Path

import pytest
from django.core.cache import cache
from django.core.management import call_command

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
HERE = Path(__file__).resolve().parent
SCREENSHOTS = HERE / "screenshots"
AXE_JS = HERE / "node_modules" / "axe-core" / "axe.min.js"
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 375, "height": 740}
TIMEOUT_MS = 10_000


def pytest_collection_modifyitems(config, items):
    """Every test in this folder drives the browser: it must say so, so ``-m browser`` finds it."""
    for item in items:
        if HERE in Path(str(item.fspath)).resolve().parents:
            assert item.get_closest_marker("browser"), f"{item.nodeid} lacks @pytest.mark.browser"


@pytest.fixture(scope="package")
def browser():
    if not os.path.exists(CHROMIUM):
        message = f"{CHROMIUM} is missing: apt-get install chromium (.ci/run does it)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    before = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
            yield chromium
            chromium.close()
    finally:
        if before is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = before


class BrowserProblems:
    """JavaScript errors and Content-Security-Policy refusals seen during a test."""

    def __init__(self):
        self.errors = []

    def on_console(self, message):
        text = message.text
        if message.type == "error" and ("Content Security Policy" in text or "Refused to" in text):
            self.errors.append(f"console: {text}")

    def on_page_error(self, error):
        self.errors.append(f"page error: {error}")


@pytest.fixture
def context(browser, live_server):
    ctx = browser.new_context(base_url=live_server.url, viewport=DESKTOP, locale="en-GB")
    ctx.set_default_timeout(TIMEOUT_MS)
    ctx.set_default_navigation_timeout(TIMEOUT_MS)
    yield ctx
    ctx.close()


@pytest.fixture
def page(context):
    """A page in a fresh context; the test fails if a script error or a CSP refusal happened."""
    problems = BrowserProblems()
    tab = context.new_page()
    tab.on("console", problems.on_console)
    tab.on("pageerror", problems.on_page_error)
    tab.problems = problems
    yield tab
    assert not problems.errors, "\n".join(problems.errors)


_demo_dump = {}


@pytest.fixture(scope="package", autouse=True)
def _drop_demo_snapshot(django_db_blocker):
    """After the last browser test: the snapshot goes, so other tests see only their own tables."""
    yield
    if "snapshot" in _demo_dump:
        with django_db_blocker.unblock():
            _demo_dump.pop("snapshot").drop()


@pytest.fixture(scope="session")
def demo_media(tmp_path_factory):
    """One media folder for the session: the demo images and PDFs are written once."""
    return tmp_path_factory.mktemp("demo-media")


@pytest.fixture
def demo(live_server, settings, demo_media):
    """The demo content of every app, as ``make run`` shows it (the page cache is off in tests).

    ``load_demo_content`` takes seconds (images, PDFs, the search index), and every test
    starts from an empty database (the live server needs transactional tests): the first
    test loads it and keeps a copy of the whole database; the next ones put the copy back,
    the same rows with the same ids. Fixtures that add rows must come after this one.
    """
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection

    settings.MEDIA_ROOT = demo_media
    snapshot = DatabaseSnapshot.for_connection(connection)
    if not _demo_dump:
        call_command("load_demo_content", stdout=open(os.devnull, "w"))  # noqa: SIM115
        snapshot.take(demo_media.parent)
        _demo_dump["snapshot"] = snapshot
    else:
        _demo_dump["snapshot"].restore()
    ContentType.objects.clear_cache()
    cache.clear()


class DatabaseSnapshot:
    """A copy of the whole test database, put back in milliseconds.

    SQLite's in-memory test database: SQLite's backup API, both ways. PostgreSQL: a copy
    of every table beside it (``flush`` empties only Django's tables, so the copies stay),
    put back with DELETE and INSERT … SELECT in one transaction (foreign keys are
    deferred; generated columns are left to compute themselves), then the sequences moved
    past the restored ids. Anything else: ``dumpdata``,
    restored with ``flush`` and ``loaddata``.
    """

    def __init__(self, connection):
        self.connection = connection

    @classmethod
    def for_connection(cls, connection):
        if connection.vendor == "sqlite" and connection.creation.is_in_memory_db(connection.settings_dict["NAME"]):
            return SQLiteSnapshot(connection)
        if connection.vendor == "postgresql":
            return PostgresSnapshot(connection)
        return cls(connection)

    def take(self, folder):
        self.path = folder / "demo-content.json"
        call_command("dumpdata", output=str(self.path), verbosity=0)

    def drop(self):
        self.path.unlink(missing_ok=True)

    def restore(self):
        from iomsite.search.index import paused

        call_command("flush", interactive=False, inhibit_post_migrate=True, verbosity=0)
        with paused():  # the dump has the search index already
            call_command("loaddata", str(self.path), verbosity=0)


class SQLiteSnapshot(DatabaseSnapshot):
    def take(self, folder):
        self.connection.ensure_connection()
        self.copy = sqlite3.connect(":memory:", check_same_thread=False)
        self.connection.connection.backup(self.copy)

    def restore(self):
        self.connection.ensure_connection()
        self.copy.backup(self.connection.connection)

    def drop(self):
        self.copy.close()


class PostgresSnapshot(DatabaseSnapshot):
    def take(self, folder):
        self.tables = sorted(self.connection.introspection.django_table_names(only_existing=True))
        self.columns = {}
        with self.connection.cursor() as cursor:
            for number, table in enumerate(self.tables):
                cursor.execute(f'DROP TABLE IF EXISTS "browser_snapshot_{number}"')  # --reuse-db
                cursor.execute(f'CREATE TABLE "browser_snapshot_{number}" AS TABLE "{table}"')
                # Generated columns (the search vector) are computed again on insert.
                cursor.execute(
                    "SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema()"
                    " AND table_name = %s AND is_generated = 'NEVER' ORDER BY ordinal_position",
                    [table],
                )
                self.columns[table] = ", ".join(f'"{name}"' for (name,) in cursor.fetchall())

    def restore(self):
        from django.apps import apps
        from django.core.management.color import no_style
        from django.db import transaction

        models = apps.get_models(include_auto_created=True)
        with transaction.atomic(using=self.connection.alias), self.connection.cursor() as cursor:
            for table in self.tables:  # DELETE beats TRUNCATE on small tables; checks wait for the commit
                cursor.execute(f'DELETE FROM "{table}"')
            for number, table in enumerate(self.tables):
                columns = self.columns[table]
                cursor.execute(f'INSERT INTO "{table}" ({columns}) SELECT {columns} FROM "browser_snapshot_{number}"')
            for statement in self.connection.ops.sequence_reset_sql(no_style(), models):
                cursor.execute(statement)

    def drop(self):
        with self.connection.cursor() as cursor:
            for number in range(len(self.tables)):
                cursor.execute(f'DROP TABLE IF EXISTS "browser_snapshot_{number}"')


@pytest.fixture
def admin_user(demo, django_user_model):
    return django_user_model.objects.create_superuser("ed", "ed@example.org", "a-browser-test-password")


@pytest.fixture
def admin_page(page, admin_user):
    """``page``, logged in to the admin through its login form."""
    page.goto("/admin/login/?next=/admin/")
    page.get_by_label("Username").fill("ed")
    page.get_by_label("Password").fill("a-browser-test-password")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/admin/")
    return page


LOAD_ALL_IMAGES_JS = """async () => {
  const images = [...document.images];
  images.forEach((img) => { img.loading = 'eager'; });
  await Promise.all(images.map((img) => img.decode().catch(() => null)));
}"""


def screenshot(page, name):
    """Full-page screenshot into tests/browser/screenshots/ (git-ignored) for a person to look at.

    With ``IOMSITE_SCREENSHOTS`` set to a folder (``make screenshots``: docs/screenshots/), a small
    copy goes there too, to be committed when the design changes: the first screen as a PNG of few
    colours and the whole page as a JPEG (half size on a wide screen).
    """
    SCREENSHOTS.mkdir(exist_ok=True)
    # Lazy images below the fold would show as blank boxes: load them all first.
    page.evaluate(LOAD_ALL_IMAGES_JS)
    safe = re.sub(r"[^\w.-]+", "-", name).strip("-")
    path = SCREENSHOTS / f"{safe}.png"
    page.screenshot(path=str(path), full_page=True)
    folder = os.environ.get("IOMSITE_SCREENSHOTS")
    if folder:
        save_small_copies(path, Path(folder), safe, page.viewport_size)


def save_small_copies(path, folder, name, viewport):
    from PIL import Image

    folder.mkdir(parents=True, exist_ok=True)
    with Image.open(path) as full:
        full = full.convert("RGB")
        first = full.crop((0, 0, full.width, min(full.height, viewport["height"])))
        first.quantize(colors=96, method=Image.Quantize.MEDIANCUT).save(folder / f"{name}.png", optimize=True)
        if full.width > 800:
            full = full.resize((full.width // 2, full.height // 2), Image.Resampling.LANCZOS)
        full.save(folder / f"{name}-full.jpg", quality=60, optimize=True, progressive=True)


_axe_source = {}


def axe_violations(page, impacts=("serious", "critical")):
    """Run axe-core on the current page; return its violations of the given impacts."""
    if "js" not in _axe_source:
        assert AXE_JS.exists(), f"{AXE_JS} is missing: run `make browser-deps` (npm ci --prefix tests/browser)"
        _axe_source["js"] = AXE_JS.read_text()
    # evaluate() runs through the DevTools protocol, so the site's strict CSP does not refuse it.
    page.evaluate(_axe_source["js"])
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [violation for violation in result["violations"] if violation["impact"] in impacts]


def describe_violations(url, violations):
    lines = []
    for violation in violations:
        lines.append(f"{url}: [{violation['impact']}] {violation['id']}: {violation['help']} ({violation['helpUrl']})")
        for node in violation["nodes"][:5]:
            lines.append(f"    {' '.join(node['target'])}: {node['failureSummary'].splitlines()[-1].strip()}")
            lines.append(f"      {node['html'][:200]}")
    return "\n".join(lines)
