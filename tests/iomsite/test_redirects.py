"""Old addresses keep working, for every content type, in every language; the redirect manager; the 404 report."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile

from iomsite import content
from iomsite.models import NotFound, Redirect
from iomsite.redirects import address
from tests.factories import examples
from tests.iomsite.factories import live, make_document, make_page
from tests.news.factories import make_article
from tests.themes.factories import make_chain, make_theme

pytestmark = pytest.mark.django_db

LANGUAGES = ("en", "fr", "es")
LIVE = live()


def addressed_models():
    """The declared models whose pages have their own address (not an anchor or a filter)."""
    return [item for item in content.content_models() if item.has_address]


def renamed(obj):
    obj.slug = f"{obj.slug}-renamed"[:90]
    obj.save()
    obj.refresh_from_db()
    return obj


def follows(client, old, new):
    """``old`` (language-neutral) answers in every language with a permanent redirect to ``new`` there."""
    for language in LANGUAGES:
        response = client.get(f"/{language}{old}")
        assert response.status_code == 301, (language, old)
        assert response["Location"] == f"/{language}{new}", (language, old)
        assert client.get(response["Location"]).status_code == 200, (language, new)


OWN_SLUG = [item for item in addressed_models() if "slug" in {f.name for f in item.model._meta.fields}]
UNDER_ANOTHER = [item for item in addressed_models() if item.relations()]


def ids(item):
    return item.model._meta.label


def test_every_content_type_with_a_page_is_covered():
    covered = {item.model for item in [*OWN_SLUG, *UNDER_ANOTHER]}
    fixed = {item.model for item in addressed_models() if item.shape == content.SINGLE}  # one address, forever
    assert {item.model for item in addressed_models()} == covered | fixed


@pytest.mark.parametrize("item", OWN_SLUG, ids=ids)
def test_a_new_slug_leaves_a_redirect_in_every_language(client, item):
    obj = examples()[item.model](**LIVE)
    old = address(obj)
    new = address(renamed(obj))
    assert old != new
    follows(client, old, new)


@pytest.mark.parametrize("item", UNDER_ANOTHER, ids=ids)
def test_renaming_what_it_hangs_under_leaves_a_redirect_for_it_too(client, item):
    obj = examples()[item.model](**LIVE)
    old = address(obj)
    name, _related = item.relations()[0]
    renamed(getattr(obj, name))
    obj.refresh_from_db()
    new = address(type(obj)._default_manager.select_related(*item.address_fields()).get(pk=obj.pk))
    assert old != new
    follows(client, old, new)


def test_a_moved_topic_and_its_tabs_feeds_and_query_string(client):
    labour, ethical = make_chain("labour", "ethical")
    ethical.documents.create(document=make_document())
    make_article(title="News", themes=[ethical])
    policy = make_theme("policy")
    ethical.move_to(policy, "last-child")
    for tail in ("resources/", "news-and-media/", "news-and-media/rss/"):
        response = client.get(f"/fr/themes/labour/ethical/{tail}?page=2")
        assert response.status_code == 301
        assert response["Location"] == f"/fr/themes/policy/ethical/{tail}?page=2"


def test_chains_collapse_and_a_drafted_target_is_not_revealed(client):
    root, child = make_chain("root", "child")
    root.slug = "first"
    root.save()
    child.refresh_from_db()
    child.move_to(make_theme("second"), "last-child")
    # Both old addresses lead straight to where the topic is now: one hop each.
    assert client.get("/en/themes/root/child/")["Location"] == "/en/themes/second/child/"
    assert client.get("/en/themes/first/child/")["Location"] == "/en/themes/second/child/"
    child.refresh_from_db()
    child.status = "draft"
    child.save()
    response = client.get("/en/themes/root/child/")
    assert response.status_code == 404  # visitors are not told where a draft went


def test_an_address_in_use_again_is_the_new_page(client):
    page = make_page("about")
    renamed(page)
    assert client.get("/en/about/").status_code == 301
    make_page("about", title="About, again")
    assert not Redirect.objects.filter(old_path="/about/").exists()
    assert "About, again" in client.get("/en/about/").content.decode()


def test_deleting_the_target_drops_its_redirects(client):
    page = renamed(make_page("gone"))
    assert Redirect.objects.count() == 1
    page.delete()
    assert not Redirect.objects.exists()
    assert client.get("/en/gone/").status_code == 404


# The redirect manager ------------------------------------------------------------------


def role_client(django_user_model, username, role):
    from django.contrib.auth.models import Group

    from tests.workflow.conftest import client_for, make_user

    return client_for(make_user(django_user_model, username, Group.objects.get(name=role)))


@pytest.fixture
def manager_client(django_user_model):
    return role_client(django_user_model, "mona", "Site manager")


@pytest.fixture
def editor_client(django_user_model):
    return role_client(django_user_model, "edna", "Editor")


def test_only_site_managers_manage_redirects(manager_client, editor_client):
    assert manager_client.get("/admin/iomsite/redirect/").status_code == 200
    assert manager_client.get("/admin/iomsite/notfound/").status_code == 200
    assert editor_client.get("/admin/iomsite/redirect/").status_code == 403
    assert editor_client.get("/admin/iomsite/notfound/").status_code == 403


def test_add_edit_and_delete_a_redirect_by_hand(client, manager_client):
    target = make_page("contact-us")
    data = {"old_path": "https://old.example.org/en/contact.php", "new_path": "", "content_type": "", "object_id": ""}
    response = manager_client.post("/admin/iomsite/redirect/add/", {**data, "new_path": "/contact-us/"})
    assert response.status_code == 302
    redirect = Redirect.objects.get()
    assert redirect.old_path == "/contact.php" and not redirect.automatic
    for language in LANGUAGES:
        assert client.get(f"/{language}/contact.php")["Location"] == f"/{language}/contact-us/"
    page_type = ContentType.objects.get_for_model(target)
    change = f"/admin/iomsite/redirect/{redirect.pk}/change/"
    response = manager_client.post(change, {**data, "old_path": "/contact.php", "content_type": page_type.pk,
                                            "object_id": target.pk})  # fmt: skip
    assert response.status_code == 302
    renamed(target)
    assert client.get("/es/contact.php")["Location"] == "/es/contact-us-renamed/"  # follows the page
    assert manager_client.post(f"/admin/iomsite/redirect/{redirect.pk}/delete/", {"post": "yes"}).status_code == 302
    assert client.get("/en/contact.php").status_code == 404


def test_loops_are_refused_with_a_clear_message(manager_client):
    Redirect.objects.create(old_path="/b/", new_path="/a/")
    data = {"content_type": "", "object_id": ""}
    for old, new in (("/a/", "/a/"), ("/a/", "/b/")):
        response = manager_client.post("/admin/iomsite/redirect/add/", {**data, "old_path": old, "new_path": new})
        assert response.status_code == 200
        assert "loop" in response.content.decode() or "its own address" in response.content.decode()
    assert Redirect.objects.count() == 1
    page = make_page("here")
    page_type = ContentType.objects.get_for_model(page)
    response = manager_client.post(
        "/admin/iomsite/redirect/add/", {"old_path": "/here/", "new_path": "", "content_type": page_type.pk,
                                         "object_id": page.pk})  # fmt: skip
    assert response.status_code == 200 and "at that address now" in response.content.decode()


def test_a_hand_made_chain_is_saved_as_one_hop(client, manager_client):
    Redirect.objects.create(old_path="/old/", new_path="/middle/")
    data = {"content_type": "", "object_id": "", "old_path": "/middle/", "new_path": "https://example.org/end"}
    assert manager_client.post("/admin/iomsite/redirect/add/", data).status_code == 302
    assert Redirect.objects.get(old_path="/old/").new_path == "https://example.org/end"
    assert client.get("/en/old/")["Location"] == "https://example.org/end"


def csv_upload(text):
    return SimpleUploadedFile("redirects.csv", text.encode(), content_type="text/csv")


def test_csv_import_by_path_or_item(client, manager_client):
    page = make_page("terms")
    theme = make_theme("labour")
    rows = (
        f"old path,new path\n/terms.html,/terms/\n/themes/work/,themes.theme:{theme.pk}\n/ext/,https://example.org/\n"
    )
    response = manager_client.post("/admin/iomsite/redirect/import/", {"file": csv_upload(rows)})
    assert response.status_code == 302
    assert Redirect.objects.count() == 3
    assert client.get("/fr/terms.html")["Location"] == "/fr/terms/"
    assert client.get("/es/themes/work/")["Location"] == "/es/themes/labour/"
    assert client.get("/en/ext/")["Location"] == "https://example.org/"
    assert Redirect.objects.get(old_path="/terms.html").new_path == page.get_absolute_url()[3:]


def test_a_bad_csv_imports_nothing_and_names_each_line(manager_client):
    rows = "/fine/,/terms/\n/alone/\n/x/,themes.theme:999999\n/fine/,/twice/\n/loop/,/loop/\n"
    response = manager_client.post("/admin/iomsite/redirect/import/", {"file": csv_upload(rows)})
    assert response.status_code == 200
    page = response.content.decode()
    for line in (2, 3, 4, 5):
        assert f"Line {line}:" in page
    assert "Line 1:" not in page
    assert not Redirect.objects.exists()
    response = manager_client.post("/admin/iomsite/redirect/import/", {"file": csv_upload("\xff")})
    assert response.status_code == 200  # not a 500
    binary = SimpleUploadedFile("x.csv", b"\xff\xfe\x00", content_type="text/csv")
    assert "UTF-8" in manager_client.post("/admin/iomsite/redirect/import/", {"file": binary}).content.decode()


# The 404 report --------------------------------------------------------------------------


def test_public_404s_are_counted_by_address_alone(client, manager_client):
    for language in LANGUAGES:
        client.get(f"/{language}/old-campaign/?email=someone@example.org", HTTP_REFERER="https://example.org/x")
    client.get("/en/other-missing/")
    client.get("/admin/nothing-here/")  # not a public page
    rows = {row.path: row.hits for row in NotFound.objects.all()}
    assert rows == {"/old-campaign/": 3, "/other-missing/": 1}
    stored = " ".join(str(value) for row in NotFound.objects.values() for value in row.values())
    assert "someone" not in stored and "example.org" not in stored and "127.0.0.1" not in stored
    report = manager_client.get("/admin/iomsite/notfound/").content.decode()
    assert report.index("/old-campaign/") < report.index("/other-missing/")  # the most frequent first
    add = manager_client.get("/admin/iomsite/redirect/add/?old_path=/old-campaign/")
    assert add.context["adminform"].form.initial["old_path"] == "/old-campaign/"


def test_the_report_stays_bounded(client, monkeypatch):
    from iomsite import redirects

    monkeypatch.setattr(redirects, "NOT_FOUND_LIMIT", 20)
    client.get("/en/wanted/")
    client.get("/en/wanted/")
    for index in range(40):
        client.get(f"/en/random-{index}/")
    assert NotFound.objects.count() <= 20
    assert NotFound.objects.filter(path="/wanted/").exists()  # asked for twice: kept
