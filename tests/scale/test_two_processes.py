"""Scale-out: two app processes share PostgreSQL and Redis; an edit through one
invalidates the page the other has cached."""

import http.cookiejar
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from django.db import connection

from tests.iomsite.factories import make_page

ROOT = Path(__file__).resolve().parents[2]
pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def redis_url():
    url = os.environ.get("IOMSITE_TEST_REDIS_URL")
    if not url:
        if os.environ.get("CI") == "true":
            pytest.fail("IOMSITE_TEST_REDIS_URL must be set in CI (.ci/run starts Redis)")
        pytest.skip("set IOMSITE_TEST_REDIS_URL to run against a real Redis")
    return url


@pytest.fixture
def two_processes():
    settings_dict = connection.settings_dict
    database_url = "postgres://{USER}:{PASSWORD}@{HOST}:{PORT}/{NAME}".format(**settings_dict)
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url(),
        "DJANGO_DEBUG": "1",
        "IOMSITE_PAGE_CACHE": "1",
        "DJANGO_CONN_MAX_AGE": "0",
        "IOMSITE_TWO_FACTOR_ROLES": "",  # the superuser signs in with a password (tests/security covers 2FA)
    }
    subprocess.run(["redis-cli", "-u", env["REDIS_URL"], "flushdb"], check=False, capture_output=True)
    ports, processes = [free_port(), free_port()], []
    for port in ports:
        processes.append(
            subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "iomsite.wsgi", "-b", f"127.0.0.1:{port}", "-w", "1"],
                cwd=ROOT,
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        )
    try:
        for port in ports:
            wait_for(f"http://127.0.0.1:{port}/healthz")
        yield [f"http://127.0.0.1:{port}" for port in ports]
    finally:
        for process in processes:
            process.terminate()
            process.wait(timeout=10)


def wait_for(url, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except (urllib.error.URLError, OSError):  # refused, reset, or a worker still importing the site: timed out
            time.sleep(0.2)
    raise AssertionError(f"{url} did not start")


def fetch(url):
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.headers.get("X-Page-Cache"), response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("X-Page-Cache"), ""


def test_edit_through_one_process_invalidates_the_other(two_processes, django_user_model, settings):
    first, second = two_processes
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]  # what the servers check
    page = make_page("shared", title="Shared page")
    django_user_model.objects.create_superuser("ops", "ops@example.org", "a-long-test-password-1")

    assert fetch(f"{second}/en/shared/")[:2] == (200, "miss")
    assert fetch(f"{second}/en/shared/")[:2] == (200, "hit")

    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))

    def csrf_from(html):
        return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)

    login_html = opener.open(f"{first}/admin/login/").read().decode()
    form = {"username": "ops", "password": "a-long-test-password-1", "csrfmiddlewaretoken": csrf_from(login_html)}
    opener.open(urllib.request.Request(f"{first}/admin/login/?next=/admin/", urllib.parse.urlencode(form).encode()))
    changelist = opener.open(f"{first}/admin/iomsite/page/").read().decode()
    action = {
        "action": "unpublish_now",
        "_selected_action": str(page.pk),
        "csrfmiddlewaretoken": csrf_from(changelist),
    }
    request = urllib.request.Request(
        f"{first}/admin/iomsite/page/", urllib.parse.urlencode(action).encode(), headers={"Referer": first}
    )
    result = opener.open(request).read().decode()
    page.refresh_from_db()
    assert page.status == "draft", result[:3000]

    status, _cache, _body = fetch(f"{second}/en/shared/")
    assert status == 404
