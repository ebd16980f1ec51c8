"""Preview: staff see a draft exactly as visitors will, with a banner, never cached; nobody else does."""

import pytest
from django.contrib.contenttypes.models import ContentType

from tests.iomsite.factories import make_page
from tests.workflow.conftest import SECRET
from tests.workflow.helpers import admin_url, change_url

pytestmark = pytest.mark.django_db


def test_change_form_has_preview_and_view_on_site_only_when_live(editor_client, publisher_client):
    draft = make_page(published=False)
    html = editor_client.get(change_url(draft)).content.decode()
    assert f'href="{admin_url(draft, "preview")}"' in html
    assert "viewsitelink" not in html
    live = make_page(published=True)
    html = publisher_client.get(change_url(live)).content.decode()
    assert "previewlink" in html and "viewsitelink" in html


def test_staff_preview_of_a_draft(editor_client):
    draft = make_page(published=False, title="Secret plans")
    response = editor_client.get(admin_url(draft, "preview"))
    assert response.status_code == 302 and response["Location"] == draft.get_absolute_url()
    page = editor_client.get(response["Location"])
    assert page.status_code == 200
    assert page.context["preview"] is True
    assert 'class="preview-banner"' in page.content.decode()
    assert "no-cache" in page["Cache-Control"] and "private" in page["Cache-Control"]


def test_anonymous_gets_no_preview(client):
    draft = make_page(published=False, title="Secret plans")
    response = client.get(admin_url(draft, "preview"))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    response = client.get(draft.get_absolute_url())
    assert response.status_code == 404 and "Secret plans" not in response.content.decode()


def test_logged_in_non_staff_gets_no_preview(client, django_user_model):
    user = django_user_model.objects.create_user("visitor", "v@example.org", "pw-for-tests-only")
    client.force_login(user)
    draft = make_page(published=False, title="Secret plans")
    assert client.get(admin_url(draft, "preview")).status_code == 302  # to the admin login
    response = client.get(draft.get_absolute_url())
    assert response.status_code == 404 and "Secret plans" not in response.content.decode()


def test_view_on_site_redirects_for_what_one_may_see(editor_client, client):
    live = make_page(published=True)
    ct = ContentType.objects.get_for_model(live)
    response = editor_client.get(f"/admin/r/{ct.pk}/{live.pk}/")
    assert response.status_code == 302 and response["Location"].endswith(live.get_absolute_url())
    assert editor_client.get(f"/admin/r/{ct.pk}/999999/").status_code == 404
    assert client.get(f"/admin/r/{ct.pk}/{live.pk}/").status_code == 302  # anonymous: to the login page


# One preview rule (iomsite.preview): no session touched for visitors, sections for previewers.


@pytest.fixture
def reports(world):
    """A live report with a chapter, and two drafts with a chapter each: inside and outside Amy's section."""
    from tests.publications.factories import make_entry, make_publication

    live = make_publication("live-report", title="Live report")
    live.regions.set([world["honduras"]])
    inside = make_publication("honduras-draft", title="Honduras draft", published=False)
    inside.regions.set([world["honduras"]])
    outside = make_publication("spain-draft", title=f"{SECRET} draft", published=False)
    outside.regions.set([world["spain"]])
    for publication in (live, inside, outside):
        make_entry(publication, f"{publication.title} chapter", slug="chapter-1")
    return {"live": live, "inside": inside, "outside": outside}


def test_anonymous_pages_never_vary_on_the_session_cookie(client, world, reports):
    from tests.regions.factories import make_figure

    make_figure(world["americas"])
    paths = (
        "/en/publications/live-report/",
        "/en/publications/live-report/chapter-1/",
        "/en/regions/americas/",
        "/en/regions/americas/figures.csv",
        "/en/regions/americas/figures.json",
    )
    for path in paths:
        response = client.get(path)
        assert response.status_code == 200, path
        assert "cookie" not in response.get("Vary", "").lower(), path


def test_a_sectioned_editor_previews_drafts_only_inside_the_section(amy_client, world, reports):
    inside = amy_client.get("/en/publications/honduras-draft/chapter-1/")
    assert inside.status_code == 200 and inside.context["preview"] is True
    assert "no-cache" in inside["Cache-Control"]
    for path in (
        "/en/publications/spain-draft/",
        "/en/publications/spain-draft/chapter-1/",
        "/en/regions/europe/spain/",
        "/en/regions/europe/spain/figures.csv",
    ):
        response = amy_client.get(path)
        assert response.status_code == 404, path
        assert SECRET not in response.content.decode(), path


def test_the_preview_button_follows_the_same_rule(django_user_model, editor_client):
    from django.contrib.auth.models import Group, Permission

    from tests.workflow.conftest import client_for, make_user

    readers = Group.objects.create(name="Readers")
    readers.permissions.set(Permission.objects.filter(codename="view_page"))
    reader = client_for(make_user(django_user_model, "rita", readers))
    draft = make_page(published=False, title="Secret plans")
    assert reader.get(change_url(draft)).status_code == 200
    assert admin_url(draft, "preview") not in reader.get(change_url(draft)).content.decode()
    assert reader.get(admin_url(draft, "preview")).status_code == 404  # the page would be "not found" for her
    assert reader.get(draft.get_absolute_url()).status_code == 404
    assert editor_client.get(admin_url(draft, "preview")).status_code == 302
