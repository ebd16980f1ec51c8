"""The proof of the seam: a content app that exists only in the tests gets everything from its declaration.

``tests.notices`` is installed by ``tests/settings.py``; no line of ``iomsite`` names it.
"""

import io
import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.core import checks
from django.core.management import call_command
from django.utils import timezone

from iomsite import content
from iomsite.models import MenuItem, Status
from iomsite.workflow.roles import EDITOR, PUBLISHER
from tests.helpers import sitemap_pages
from tests.notices.factories import make_notice
from tests.notices.models import Notice, NoticeLink
from tests.workflow.conftest import client_for, make_user, team_group

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
MARK = "Hiddennotice"


def test_no_line_of_the_core_names_it():
    for path in (ROOT / "iomsite").rglob("*"):
        if path.is_file() and path.suffix in {".py", ".html", ".txt"}:
            assert not re.search(r"\bnotices?\b", path.read_text(encoding="utf-8"), re.I), path


def test_the_seam_knows_it_and_the_checks_pass():
    assert "notices" in content.content_app_labels()
    assert content.get(NoticeLink).owner.model is Notice
    assert content.section_paths(NoticeLink) == {"region": "notice__region"}
    assert "notices" in content.reserved_slugs()
    assert [error for error in checks.run_checks() if error.id.startswith("iomsite.")] == []


def test_its_pages_are_wired_in_every_language(client):
    notice = make_notice("road-closed", title="Road closed")
    assert notice.get_absolute_url() == "/en/notices/road-closed/"
    for language in ("en", "fr", "es"):
        assert client.get(f"/{language}/notices/").status_code == 200
        response = client.get(f"/{language}/notices/road-closed/")
        assert response.status_code == 200 and "Road closed" in response.content.decode()


def test_a_basic_page_cannot_take_its_prefix():
    from django.core.exceptions import ValidationError

    from iomsite.models import Page

    with pytest.raises(ValidationError):
        Page(title="Notices", slug="notices", body="<p>x</p>").full_clean()


def test_drafts_never_leak_through_the_core_surfaces(client):
    from iomsite.search.index import rebuild

    now = timezone.now()
    make_notice("live-notice", title="Visible notice")
    states = {
        "draft": {"status": Status.DRAFT},
        "scheduled": {"publish_at": now + timedelta(days=1)},
        "expired": {"publish_at": now - timedelta(days=2), "unpublish_at": now - timedelta(days=1)},
    }
    for state, fields in states.items():
        make_notice(f"hidden-{state}", title=f"{MARK} {state}", **fields)
    rebuild()
    for state in states:
        assert client.get(f"/en/notices/hidden-{state}/").status_code == 404
    sitemaps = sitemap_pages(client)
    assert "/notices/live-notice/" in sitemaps and "hidden-" not in sitemaps
    results = client.get("/en/search/?q=notice")
    assert [entry.url for entry in results.context["page"]] == ["/en/notices/live-notice/"]
    assert client.get(f"/en/search/?q={MARK}").context["page"].paginator.count == 0
    assert MARK not in client.get("/en/feed/").content.decode()


def test_search_filters_it_by_region(client):
    from iomsite.search.index import rebuild
    from tests.regions.factories import make_region

    africa, europe = make_region("africa"), make_region("europe")
    make_notice("in-africa", title="Notice about Africa", region=africa)
    make_notice("in-europe", title="Notice about Europe", region=europe)
    rebuild()
    results = client.get(f"/en/search/?q=notice&region={africa.pk}").context["page"]
    assert [entry.url for entry in results] == ["/en/notices/in-africa/"]
    assert "notice" in [kind for kind, _label in client.get("/en/search/").context["kinds"]]


def test_staff_preview_and_sections(client, django_user_model, world):
    editor = client_for(make_user(django_user_model, "edna", Group.objects.get(name=EDITOR)))
    inside = make_notice("inside", title="Honduras notice", region=world["honduras"], published=False)
    outside = make_notice("outside", title="Spain notice", region=world["spain"], published=False)
    response = editor.get(inside.get_absolute_url())
    assert response.status_code == 200 and response.context["preview"] is True
    assert "no-cache" in response["Cache-Control"]
    assert client.get(inside.get_absolute_url()).status_code == 404
    amy = client_for(make_user(django_user_model, "amy", team_group("Americas team", region=world["americas"])))
    assert amy.get(inside.get_absolute_url()).status_code == 200
    assert amy.get(outside.get_absolute_url()).status_code == 404
    html = amy.get("/admin/notices/notice/").content.decode()
    assert "Honduras notice" in html and "Spain notice" not in html
    assert amy.get(f"/admin/notices/notice/{outside.pk}/change/").status_code == 404
    assert amy.get(f"/admin/notices/notice/{inside.pk}/preview/")["Location"] == inside.get_absolute_url()


def test_roles_include_it_and_editors_never_publish(django_user_model):
    editor = Group.objects.get(name=EDITOR).permissions.values_list("codename", flat=True)
    publisher = Group.objects.get(name=PUBLISHER).permissions.values_list("codename", flat=True)
    assert {"add_notice", "change_notice", "view_notice", "add_noticelink"} <= set(editor)
    assert "publish_content" not in editor and "publish_content" in publisher
    edna = client_for(make_user(django_user_model, "edna", Group.objects.get(name=EDITOR)))
    edna.post(
        "/admin/notices/notice/add/",
        {"title_en": "Sneaky", "slug": "sneaky", "body_en": "<p>x</p>", "status": "published", "_publish": "1",
         "links-TOTAL_FORMS": "0", "links-INITIAL_FORMS": "0"},
    )  # fmt: skip
    assert Notice.objects.get(slug="sneaky").status == Status.DRAFT


def test_an_edit_retires_its_cached_page(client, settings):
    settings.IOMSITE_PAGE_CACHE = True
    notice = make_notice("cached", title="First words")
    assert client.get("/en/notices/cached/")["X-Page-Cache"] == "miss"
    assert client.get("/en/notices/cached/")["X-Page-Cache"] == "hit"
    notice.title = "Second words"
    notice.save()
    response = client.get("/en/notices/cached/")
    assert response["X-Page-Cache"] == "miss" and "Second words" in response.content.decode()
    NoticeLink.objects.create(notice=notice, url="https://example.org/part")  # a part retires it too
    assert "example.org/part" in client.get("/en/notices/cached/").content.decode()


def test_a_new_slug_leaves_a_redirect_in_every_language(client):
    notice = make_notice("old-name")
    notice.slug = "new-name"
    notice.save()
    for language in ("en", "fr", "es"):
        assert client.get(f"/{language}/notices/old-name/")["Location"] == f"/{language}/notices/new-name/"


def test_demo_content_menu_and_generation():
    call_command("load_demo_content", stdout=io.StringIO())
    assert Notice.objects.filter(slug="office-hours", status=Status.PUBLISHED).exists()
    assert MenuItem.objects.filter(menu="header", title="Notices", url="/notices/").exists()
    out = io.StringIO()
    call_command("generate_content", scale=0.2, skip_search=True, stdout=out)
    assert "notices: 2 notices created" in out.getvalue()
    assert Notice.objects.filter(slug__startswith="gen-notice-").count() == 2
    call_command("generate_content", scale=0.2, skip_search=True, stdout=io.StringIO())
    assert Notice.objects.filter(slug__startswith="gen-notice-").count() == 2  # idempotent
    from iomsite.management.commands.bench_urls import bench_pages

    assert ("notice", "/en/notices/gen-notice-1/") in bench_pages()
