"""Media under the publishing rules: who may change what, and what visitors see afterwards (issue 17).

Role (Editor, Publisher, sectioned Editor) × media state (draft: nothing live uses it; live: a
live publication uses it) × path (replace the file, replace the alt text, delete, upload).
"""

import pytest
from django.contrib.auth.models import Group
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile

from iomsite.models import Document, Image
from iomsite.workflow.models import Section
from iomsite.workflow.roles import EDITOR
from tests.iomsite.factories import make_document, make_image, pdf_bytes, png_bytes
from tests.publications.factories import make_publication
from tests.workflow.conftest import client_for, make_user

pytestmark = pytest.mark.django_db

OLD_ALT, NEW_ALT = "A blue rectangle.", "A red square, the new one."


def image_form(image, **changes):
    data = {
        "title": image.title,
        "section": image.section_id or "",
        "alt_text_en": image.alt_text_en,
        "alt_text_fr": image.alt_text_fr or "",
        "alt_text_es": image.alt_text_es or "",
        "caption_en": image.caption_en or "",
        "caption_fr": "",
        "caption_es": "",
        "credit": image.credit,
        "focal_x": image.focal_x,
        "focal_y": image.focal_y,
    }
    data.update(changes)
    return data


def change_image(client, image, **changes):
    return client.post(f"/admin/iomsite/image/{image.pk}/change/", image_form(image, **changes))


def new_png(color=(200, 0, 0)):
    return SimpleUploadedFile("new.png", png_bytes((400, 300), color=color))


def live_image():
    image = make_image(alt_text=OLD_ALT)
    publication = make_publication(cover=image)
    return image, publication


def public_html(client, publication):
    return client.get(publication.get_absolute_url()).content.decode()


# Editors -----------------------------------------------------------------------------------


def test_editor_changes_a_draft_image_directly(editor_client):
    image = make_image(alt_text=OLD_ALT)
    assert change_image(editor_client, image, alt_text_en=NEW_ALT, file=new_png()).status_code == 302
    image.refresh_from_db()
    assert image.alt_text_en == NEW_ALT and image.width == 400 and not image.draft


def test_editor_replacing_alt_of_a_live_image_makes_a_draft(editor_client, client):
    image, publication = live_image()
    response = change_image(editor_client, image, alt_text_en=NEW_ALT)
    assert response.status_code == 302
    image.refresh_from_db()
    assert image.alt_text_en == OLD_ALT
    assert image.draft == {"alt_text_en": NEW_ALT}
    html = public_html(client, publication)
    assert OLD_ALT in html and NEW_ALT not in html
    # The editor's form shows the draft, with the note and no publish button.
    page = editor_client.get(f"/admin/iomsite/image/{image.pk}/change/").content.decode()
    assert NEW_ALT in page and "Draft changes, not live yet." in page and "Publish changes" not in page


def test_editor_replacing_the_file_of_a_live_image_makes_a_draft(editor_client, client):
    image, publication = live_image()
    live_name, live_url = image.file.name, image.renditions()[0][0]
    assert change_image(editor_client, image, file=new_png()).status_code == 302
    image.refresh_from_db()
    assert image.file.name == live_name and image.width == 800
    draft_name = image.draft["file"]
    assert default_storage.exists(draft_name) and image.draft["width"] == 400
    assert client.get(live_url).status_code == 200  # visitors keep the live file
    assert client.get(f"/media/{draft_name}").status_code == 404  # the draft's file is not public
    assert client.get(f"/admin/iomsite/image/{image.pk}/draft-file/").status_code == 302  # admin sign-in
    assert editor_client.get(f"/admin/iomsite/image/{image.pk}/draft-file/").status_code == 200
    assert live_url in public_html(client, publication)


def test_publisher_publishes_the_editors_draft(
    editor_client, publisher_client, client, django_capture_on_commit_callbacks
):
    image, publication = live_image()
    change_image(editor_client, image, alt_text_en=NEW_ALT, file=new_png())
    image.refresh_from_db()
    live_name, draft_name = image.file.name, image.draft["file"]
    page = publisher_client.get(f"/admin/iomsite/image/{image.pk}/change/").content.decode()
    assert "Publish changes" in page
    image.show_draft()
    with django_capture_on_commit_callbacks(execute=True):
        response = change_image(publisher_client, image, _publish_draft="1")
    assert response.status_code == 302
    image = Image.objects.get(pk=image.pk)
    assert image.file.name == draft_name and image.alt_text_en == NEW_ALT and not image.draft
    assert image.width == 400
    assert not default_storage.exists(live_name)  # the replaced file is gone
    assert NEW_ALT in public_html(client, publication)
    history = publisher_client.get(f"/admin/iomsite/image/{image.pk}/history/").content.decode()
    assert "Published the draft changes of" in history and "Saved draft changes" in history


def test_discarding_a_draft_removes_its_file(editor_client, django_capture_on_commit_callbacks):
    image, _publication = live_image()
    change_image(editor_client, image, file=new_png())
    image.refresh_from_db()
    draft_name = image.draft["file"]
    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(f"/admin/iomsite/image/{image.pk}/change/", {"_discard_draft": "1"})
    assert response.status_code == 302
    image.refresh_from_db()
    assert not image.draft and not default_storage.exists(draft_name)


def test_an_image_of_a_scheduled_item_is_held_too(editor_client):
    from datetime import timedelta

    from django.utils import timezone

    from iomsite.models import Status

    image = make_image(alt_text=OLD_ALT)
    make_publication(cover=image, status=Status.PUBLISHED, publish_at=timezone.now() + timedelta(days=1))
    change_image(editor_client, image, alt_text_en=NEW_ALT)
    image.refresh_from_db()
    assert image.alt_text_en == OLD_ALT and image.draft == {"alt_text_en": NEW_ALT}


def test_editor_replacing_a_live_documents_file_and_title_makes_a_draft(editor_client, client):
    document = make_document(title="Report 2018")
    make_publication(document=document)
    url = document.get_absolute_url()
    response = editor_client.post(
        f"/admin/iomsite/document/{document.pk}/change/",
        {
            "title": "Report 2018, corrected",
            "language": "en",
            "section": "",
            "file": SimpleUploadedFile("v2.pdf", pdf_bytes()),
        },
    )
    assert response.status_code == 302
    document.refresh_from_db()
    assert document.title == "Report 2018" and set(document.draft) >= {"title", "file", "file_size", "kind"}
    assert client.get(url).status_code == 200 and document.get_absolute_url() == url


def test_editor_cannot_make_a_document_downloadable_on_its_own(editor_client, client):
    document = make_document()
    editor_client.post(
        f"/admin/iomsite/document/{document.pk}/change/",
        {"title": document.title, "language": "en", "section": "", "standalone": "on"},
    )
    document.refresh_from_db()
    assert not document.standalone
    assert client.get(document.get_absolute_url()).status_code == 404


@pytest.mark.parametrize("kind", ["image", "document"])
def test_editors_cannot_delete_media(editor_client, kind):
    obj = make_image() if kind == "image" else make_document()
    assert editor_client.post(f"/admin/iomsite/{kind}/{obj.pk}/delete/", {"post": "yes"}).status_code == 403
    assert type(obj).objects.filter(pk=obj.pk).exists()


def test_editor_upload_is_a_draft_checked_by_content(editor_client):
    data = image_form(Image(title="Upload", alt_text_en=OLD_ALT, credit=""))
    assert editor_client.post("/admin/iomsite/image/add/", {**data, "file": new_png()}).status_code == 302
    response = editor_client.post("/admin/iomsite/image/add/", {**data, "file": SimpleUploadedFile("x.png", b"<svg>")})
    assert response.status_code == 200 and response.context["adminform"].form.errors["file"]
    assert Image.objects.count() == 1


# Publishers --------------------------------------------------------------------------------


def test_publisher_changes_a_live_image_at_once(publisher_client, client):
    image, publication = live_image()
    assert change_image(publisher_client, image, alt_text_en=NEW_ALT).status_code == 302
    image.refresh_from_db()
    assert image.alt_text_en == NEW_ALT and not image.draft
    assert NEW_ALT in public_html(client, publication)


def test_publisher_may_publish_a_document_on_its_own(publisher_client, client):
    document = make_document()
    publisher_client.post(
        f"/admin/iomsite/document/{document.pk}/change/",
        {"title": document.title, "language": "en", "section": "", "standalone": "on"},
    )
    assert client.get(document.get_absolute_url()).status_code == 200


# Sections ----------------------------------------------------------------------------------


@pytest.fixture
def teams():
    from tests.regions.helpers import make_region

    americas, europe = make_region("americas", title="Americas"), make_region("europe", title="Europe")
    groups = {}
    for name, root in (("Americas team", americas), ("Europe team", europe)):
        group = Group.objects.create(name=name)
        group.permissions.set(Group.objects.get(name=EDITOR).permissions.all())
        Section.objects.create(group=group, name=name).set_roots(root)
        groups[name] = group
    return {name: Section.objects.get(group=group) for name, group in groups.items()}


@pytest.fixture
def amy_client(django_user_model, teams):
    return client_for(make_user(django_user_model, "amy", teams["Americas team"].group))


def test_sectioned_editor_sees_and_changes_only_her_sections_media(amy_client, teams):
    own = make_image(title="Own picture", section=teams["Americas team"])
    other = make_image(title="Kingdom of secrets", section=teams["Europe team"])
    shared = make_image(title="Site logo")
    listing = amy_client.get("/admin/iomsite/image/").content.decode()
    assert "Own picture" in listing and "Kingdom of secrets" not in listing and "Site logo" not in listing
    assert amy_client.get(f"/admin/iomsite/image/{own.pk}/change/").status_code == 200
    for image in (other, shared):
        assert amy_client.get(f"/admin/iomsite/image/{image.pk}/change/").status_code == 404
        assert change_image(amy_client, image, alt_text_en=NEW_ALT).status_code == 404
        image.refresh_from_db()
        assert image.alt_text_en == OLD_ALT
    # The chooser (autocomplete of a publication's cover) offers her section's and site-wide images only.
    found = amy_client.get(
        "/admin/autocomplete/",
        {"app_label": "publications", "model_name": "publication", "field_name": "cover", "term": ""},
    ).json()
    names = {row["text"] for row in found["results"]}
    assert "Own picture" in names and "Site logo" in names and "Kingdom of secrets" not in names


def test_sectioned_editor_uploads_into_her_section_only(amy_client, teams):
    data = image_form(Image(title="Upload", alt_text_en=OLD_ALT, credit=""))
    response = amy_client.post(
        "/admin/iomsite/image/add/", {**data, "section": teams["Europe team"].pk, "file": new_png()}
    )
    assert response.status_code == 200 and response.context["adminform"].form.errors["section"]
    response = amy_client.post("/admin/iomsite/image/add/", {**data, "section": "", "file": new_png()})
    assert response.status_code == 200 and response.context["adminform"].form.errors["section"]
    response = amy_client.post(
        "/admin/iomsite/image/add/", {**data, "section": teams["Americas team"].pk, "file": new_png()}
    )
    assert response.status_code == 302
    assert Image.objects.get().section == teams["Americas team"]


def test_sectioned_editors_live_image_change_is_a_draft(amy_client, teams):
    image = make_image(alt_text=OLD_ALT, section=teams["Americas team"])
    make_publication(cover=image)
    change_image(amy_client, image, alt_text_en=NEW_ALT)
    image.refresh_from_db()
    assert image.alt_text_en == OLD_ALT and image.draft == {"alt_text_en": NEW_ALT}


def test_sectioned_previewer_downloads_only_her_sections_drafts(amy_client, teams):
    own = make_document(section=teams["Americas team"])
    other = make_document(section=teams["Europe team"])
    assert amy_client.get(own.get_absolute_url()).status_code == 200
    assert amy_client.get(other.get_absolute_url()).status_code == 404
    assert Document.objects.count() == 2
