"""Database outage: stop the real PostgreSQL cluster under a running gunicorn, then start it again.

Visitors get the static 503 page quickly, cached pages are still served, /readyz says 503
while /healthz says 200, and the first request after the database returns succeeds with
no restart of the application.
"""

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.db import connection

from tests.iomsite.factories import make_page

ROOT = Path(__file__).resolve().parents[2]
pytestmark = [pytest.mark.postgres, pytest.mark.last, pytest.mark.django_db(transaction=True)]


def unavailable(reason):
    if os.environ.get("CI") == "true":
        pytest.fail(reason)
    pytest.skip(reason)


def cluster_for(port):
    """``(version, name)`` of the local cluster listening on ``port``, from pg_lsclusters."""
    try:
        listing = subprocess.run(["pg_lsclusters", "--no-header"], capture_output=True, text=True, check=True).stdout
    except (FileNotFoundError, subprocess.CalledProcessError):
        unavailable("pg_lsclusters is not available: the database is not a local Debian cluster")
    for line in listing.splitlines():
        version, name, cluster_port, *_rest = line.split()
        if int(cluster_port) == port:
            return version, name
    unavailable(f"no local PostgreSQL cluster listens on port {port}")


def pg_ctlcluster(version, name, action):
    args = ["pg_ctlcluster", version, name, action] + (["-m", "fast"] if action == "stop" else [])
    return subprocess.run(args, capture_output=True, text=True, timeout=60)


def wait_until_ready(port, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if subprocess.run(["pg_isready", "-q", "-h", "127.0.0.1", "-p", str(port)]).returncode == 0:
            return
        time.sleep(0.5)
    raise AssertionError(f"PostgreSQL on port {port} did not come back within {timeout} s")


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get(url):
    """``(status, body, headers, seconds)``; errors are answers too."""
    started = time.monotonic()
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            status, body, headers = response.status, response.read().decode(), response.headers
    except urllib.error.HTTPError as error:
        status, body, headers = error.code, error.read().decode(), error.headers
    return status, body, headers, time.monotonic() - started


@pytest.fixture
def gunicorn(tmp_path):
    settings_dict = connection.settings_dict
    env = {
        **os.environ,
        "DATABASE_URL": "postgres://{USER}:{PASSWORD}@{HOST}:{PORT}/{NAME}".format(**settings_dict),
        "DJANGO_DEBUG": "1",  # no collectstatic needed; the outage path is the same
        "IOMSITE_VAR_DIR": str(tmp_path),  # its own file cache
        "IOMSITE_PAGE_CACHE": "1",
        "DJANGO_CONN_MAX_AGE": "60",  # persistent connections, health-checked: they must recover
    }
    env.pop("REDIS_URL", None)
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "iomsite.wsgi", "-b", f"127.0.0.1:{port}", "-w", "1", "--timeout", "30"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90  # a busy CI machine boots Django slowly
        while True:
            try:
                urllib.request.urlopen(base + "/healthz", timeout=10)
                break
            except OSError:  # refused while booting, or slow to answer
                if time.monotonic() > deadline or process.poll() is not None:
                    raise
                time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_database_outage_gives_503_fast_and_the_site_recovers_by_itself(gunicorn):
    if os.geteuid() != 0:
        unavailable("stopping the PostgreSQL cluster needs root")
    port = int(connection.settings_dict.get("PORT") or 5432)
    version, name = cluster_for(port)
    make_page(slug="cached-before", title="Cached before the outage")
    make_page(slug="first-after", title="First page after the outage")

    assert get(gunicorn + "/en/cached-before/")[0] == 200
    status, body, headers, _seconds = get(gunicorn + "/en/cached-before/")
    assert status == 200 and headers["X-Page-Cache"] == "hit"
    assert get(gunicorn + "/readyz")[0] == 200

    stopped = pg_ctlcluster(version, name, "stop")
    try:
        assert stopped.returncode == 0, stopped.stderr
        status, body, headers, seconds = get(gunicorn + "/en/first-after/")
        assert status == 503
        assert "Temporarily unavailable" in body and "First page after the outage" not in body
        assert headers["Retry-After"] and "no-store" in headers["Cache-Control"]
        assert seconds < 10, seconds  # refused at once or after the 3 s connect timeout; a hang would be far longer
        status, body, _headers, seconds = get(gunicorn + "/en/cached-before/")
        assert status == 200 and "Cached before the outage" in body  # the page cache needs no database
        assert get(gunicorn + "/readyz")[0] == 503
        assert get(gunicorn + "/healthz")[0] == 200
    finally:
        started = pg_ctlcluster(version, name, "start")
        wait_until_ready(port)
        connection.close()  # the test's own connection died with the cluster
    assert started.returncode == 0, started.stderr

    status, body, _headers, _seconds = get(gunicorn + "/en/first-after/")
    assert status == 200 and "First page after the outage" in body
    assert get(gunicorn + "/readyz")[0] == 200
