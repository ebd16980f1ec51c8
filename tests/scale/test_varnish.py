"""A real Varnish 7 in front, with the VCL of docs/varnish/iomsite.vcl: pages served from it, purged by tag.

An edit through the site (the admin, in the app server) sends ``PURGE`` with the changed
tags; the next request for the edited page is fresh, an unrelated page is still a hit.
PostgreSQL and Redis, as in production; in CI ``.ci/run`` installs varnish and varnish-modules.
"""

import http.cookiejar
import os
import re
import shutil
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from django.db import connection

from tests.iomsite.factories import make_page
from tests.scale.test_two_processes import free_port, redis_url, wait_for

ROOT = Path(__file__).resolve().parents[2]
VCL = ROOT / "docs" / "varnish" / "iomsite.vcl"
pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def varnishd():
    found = shutil.which("varnishd") or ("/usr/sbin/varnishd" if os.path.exists("/usr/sbin/varnishd") else None)
    if found is None:
        if os.environ.get("CI") == "true":
            pytest.fail("varnishd must be installed in CI (.ci/run installs varnish and varnish-modules)")
        pytest.skip("install varnish and varnish-modules to run the Varnish test")
    return found


@pytest.fixture
def behind_varnish(tmp_path):
    binary = varnishd()
    settings_dict = connection.settings_dict
    app_port, varnish_port = free_port(), free_port()
    env = {
        **os.environ,
        "DATABASE_URL": "postgres://{USER}:{PASSWORD}@{HOST}:{PORT}/{NAME}".format(**settings_dict),
        "REDIS_URL": redis_url(),
        "DJANGO_DEBUG": "1",
        "IOMSITE_PAGE_CACHE": "1",
        "DJANGO_CONN_MAX_AGE": "0",
        "IOMSITE_TWO_FACTOR_ROLES": "",
        "IOMSITE_PURGE_BACKEND": "iomsite.pagecache.VarnishPurge",
        "IOMSITE_VARNISH_URLS": f"http://127.0.0.1:{varnish_port}",
    }
    subprocess.run(["redis-cli", "-u", env["REDIS_URL"], "flushdb"], check=False, capture_output=True)
    vcl = tmp_path / "site.vcl"
    vcl.write_text(VCL.read_text().replace('.port = "8000";', f'.port = "{app_port}";'))
    app = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "iomsite.wsgi", "-b", f"127.0.0.1:{app_port}", "-w", "1"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    cache = subprocess.Popen(
        [
            binary,
            "-F",
            "-j",
            "none",
            "-f",
            str(vcl),
            "-a",
            f"127.0.0.1:{varnish_port}",
            "-n",
            str(tmp_path / "varnish"),
            "-s",
            "malloc,32m",
            "-p",
            "http_resp_hdr_len=65536",
            "-p",
            "http_resp_size=262144",
        ],  # fmt: skip
        stdout=open(tmp_path / "varnish.log", "w"),  # noqa: SIM115
        stderr=subprocess.STDOUT,
    )
    try:
        wait_for(f"http://127.0.0.1:{app_port}/healthz")
        try:
            wait_for(f"http://127.0.0.1:{varnish_port}/healthz")
        except AssertionError:
            raise AssertionError((tmp_path / "varnish.log").read_text()[-3000:]) from None
        yield f"http://127.0.0.1:{app_port}", f"http://127.0.0.1:{varnish_port}"
    finally:
        for process in (app, cache):
            process.terminate()
            process.wait(timeout=10)


def fetch(url):
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.headers.get("X-Varnish-Cache"), response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("X-Varnish-Cache"), ""


def test_varnish_serves_pages_and_an_edit_purges_only_its_tags(behind_varnish, django_user_model, settings):
    app, varnish = behind_varnish
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]  # what the server checks
    edited = make_page("edited", title="Edited page")
    make_page("unrelated", title="Unrelated page")
    django_user_model.objects.create_superuser("ops", "ops@example.org", "a-long-test-password-1")

    for path in ("/en/edited/", "/en/unrelated/"):
        assert fetch(varnish + path)[:2] == (200, "MISS")
        status, state, body = fetch(varnish + path)
        assert (status, state) == (200, "HIT") and "page" in body

    # The edit goes through the site: the admin's "unpublish" action, in the app server.
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))

    def csrf_from(html):
        return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)

    login_html = opener.open(f"{varnish}/admin/login/").read().decode()
    form = {"username": "ops", "password": "a-long-test-password-1", "csrfmiddlewaretoken": csrf_from(login_html)}
    opener.open(urllib.request.Request(f"{varnish}/admin/login/?next=/admin/", urllib.parse.urlencode(form).encode()))
    changelist = opener.open(f"{varnish}/admin/iomsite/page/").read().decode()
    token = csrf_from(changelist)
    action = {"action": "unpublish_now", "_selected_action": str(edited.pk), "csrfmiddlewaretoken": token}
    request = urllib.request.Request(
        f"{varnish}/admin/iomsite/page/", urllib.parse.urlencode(action).encode(), headers={"Referer": varnish}
    )
    opener.open(request).read()
    edited.refresh_from_db()
    assert edited.status == "draft"

    assert fetch(varnish + "/en/edited/")[0] == 404  # purged: fresh from the site, which says not found
    assert fetch(varnish + "/en/unrelated/")[:2] == (200, "HIT")  # another page's copy stays


def test_a_purge_without_tags_is_refused(behind_varnish):
    """A PURGE must name its tags (``xkey-purge``); from outside the purgers acl it would get 403."""
    _app, varnish = behind_varnish
    request = urllib.request.Request(varnish + "/", method="PURGE")
    with pytest.raises(urllib.error.HTTPError) as error:
        urllib.request.urlopen(request, timeout=5)
    assert error.value.code == 400  # from 127.0.0.1 (a purger) without the header it needs
