import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from iomsite.models import MenuItem, Page, SiteSettings
from iomsite.pagination import page_window
from tests.iomsite.factories import make_page

# The demo content is loaded once for the module (tests/conftest.py): every test here sees it.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo")]
ROOT = Path(__file__).resolve().parents[2]


def test_root_redirects_to_a_language(client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="fr-CH,fr;q=0.9")
    assert response.status_code == 302
    assert response["Location"] == "/fr/"


def test_home_shows_header_and_footer_facts(client, demo):
    html = client.get("/en/").content.decode()
    for fact in (
        "International Organization for Migration",
        "Support Syria",
        "Find A Way",
        "Covid-19",
        "17 Route des Morillons",
        "1218 Grand-Saconnex",
        "+41 22 717 9111",
        "Contact Us",
        "IOM Manila Administrative Centre",
        "IOM Panama Administrative Centre",
        "Countries and Offices",
        "Report Abuse",
        "Scam Alert",
        "Terms and Conditions",
        "Governing Bodies",
        "Follow us",
    ):
        assert fact in html, fact
    assert html.count("<h1") == 1
    assert 'href="#main"' in html and 'id="main"' in html
    assert '<html lang="en">' in html


def test_demo_loader_is_idempotent(demo):
    counts = (Page.objects.count(), MenuItem.objects.count(), SiteSettings.objects.count())
    call_command("load_demo_content", stdout=open(os.devnull, "w"))  # noqa: SIM115
    assert (Page.objects.count(), MenuItem.objects.count(), SiteSettings.objects.count()) == counts
    MenuItem.objects.rebuild()  # a consistent tree: rebuilding changes nothing
    assert MenuItem.objects.count() == counts[1]


def test_demo_user_only_in_demo_database(settings, django_user_model):
    settings.IOMSITE_DEMO = False
    call_command("load_demo_content", stdout=open(os.devnull, "w"))  # noqa: SIM115
    assert not django_user_model.objects.exists()
    settings.IOMSITE_DEMO = True
    call_command("load_demo_content", stdout=open(os.devnull, "w"))  # noqa: SIM115
    assert django_user_model.objects.filter(username="editor", is_staff=True).exists()


def test_menu_item_to_a_draft_page_is_hidden(client, demo):
    Page.objects.filter(slug="scam-alert").update(status="draft")
    html = client.get("/en/").content.decode()
    assert "Scam Alert" not in html


def test_site_settings_edited_in_admin_show_in_footer(client, staff_client, demo):
    response = staff_client.post(
        "/admin/iomsite/sitesettings/1/change/",
        {
            "name_en": "International Organization for Migration",
            "short_name": "IOM",
            "address_en": "New address line",
            "phone": "+41 22 000 0000",
        },
    )
    assert response.status_code == 302
    html = client.get("/en/").content.decode()
    assert "New address line" in html and "+41 22 000 0000" in html


def test_basic_page_renders_with_one_h1(client):
    make_page("about-us", title="About us", body="<h2>Mandate</h2><p>Text</p>")
    html = client.get("/en/about-us/").content.decode()
    assert html.count("<h1") == 1 and "Mandate" in html


def test_reserved_page_slug_refused():
    from django.core.exceptions import ValidationError

    page = Page(title="Themes", slug="themes")
    with pytest.raises(ValidationError):
        page.full_clean()


def test_404_in_site_style(client, demo):
    response = client.get("/en/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Page not found" in html and "17 Route des Morillons" in html


def test_500_page_needs_no_database():
    from django.template import loader

    html = loader.get_template("500.html").render()
    assert "Something went wrong" in html


def test_health_and_readiness(client):
    assert client.get("/healthz").content == b"ok"
    assert client.get("/readyz").json() == {"database": "ok"}


def test_robots_names_the_sitemap(client):
    body = client.get("/robots.txt").content.decode()
    assert "Sitemap: http://testserver/sitemap.xml" in body


@pytest.mark.parametrize(
    "number, total, expected",
    [
        (1, 1, [1]),
        (1, 5, [1, 2, 3, None, 5]),
        (13, 40, [1, None, 11, 12, 13, 14, 15, None, 40]),
        (40, 40, [1, None, 38, 39, 40]),
    ],
)
def test_page_window(number, total, expected):
    assert page_window(number, total) == expected


def test_missing_secret_key_refuses_to_start():
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SECRET_KEY"}
    env.update({"DJANGO_DEBUG": "0", "DJANGO_SETTINGS_MODULE": "iomsite.settings"})
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode != 0
    lines = [line for line in result.stderr.strip().splitlines() if line]
    assert lines == ["iomsite: DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off; refusing to start."]


def test_admin_pages_render(staff_client, demo):
    for url in (
        "/admin/",
        "/admin/iomsite/page/",
        "/admin/iomsite/page/add/",
        "/admin/iomsite/menuitem/",
        "/admin/iomsite/image/",
        "/admin/iomsite/image/add/",
        "/admin/iomsite/document/add/",
        "/admin/iomsite/sitesettings/1/change/",
    ):
        assert staff_client.get(url).status_code == 200, url


def test_home_query_count_is_fixed(client, demo, django_assert_max_num_queries):
    # One query per home block (the lead publication, themes, events, latest publications,
    # regions) plus the page's own; menus and settings come from the cache.
    client.get("/en/")
    with django_assert_max_num_queries(7):
        client.get("/en/")
    for index in range(30):
        make_page(f"extra-{index}")
    with django_assert_max_num_queries(7):
        client.get("/en/")


def test_menu_follows_a_scheduled_page_without_any_edit(client, demo):
    page = Page.objects.get(slug="scam-alert")
    now = timezone.now()
    # Both moments fall well within the ten minutes menus are otherwise kept.
    page.publish_at, page.unpublish_at = now + timedelta(minutes=2), now + timedelta(minutes=4)
    page.save()
    assert "Scam Alert" not in client.get("/en/").content.decode()  # the menus are now cached
    with time_machine.travel(now + timedelta(minutes=2, seconds=5)):
        assert "Scam Alert" in client.get("/en/").content.decode()
    with time_machine.travel(now + timedelta(minutes=4, seconds=5)):
        assert "Scam Alert" not in client.get("/en/").content.decode()


def test_menus_cost_no_query_once_read(client, demo, django_assert_num_queries):
    from iomsite.menus import Menus

    client.get("/en/")
    with django_assert_num_queries(0):
        assert Menus().header


def test_menu_drops_a_page_the_moment_it_expires(client, demo):
    page = Page.objects.get(slug="scam-alert")
    now = timezone.now()
    page.unpublish_at = now + timedelta(milliseconds=400)
    page.save()
    with time_machine.travel(now, tick=False):
        assert "Scam Alert" in client.get("/en/").content.decode()
    with time_machine.travel(now + timedelta(milliseconds=700), tick=False):
        assert client.get(page.get_absolute_url()).status_code == 404
        assert "Scam Alert" not in client.get("/en/").content.decode()
