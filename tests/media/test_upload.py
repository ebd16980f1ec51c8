"""Several files at once (issue 26): each a draft image or document, titled from its file name."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from iomsite.models import Document, Image
from iomsite.uploads import title_from
from tests.iomsite.factories import make_image, pdf_bytes, png_bytes
from tests.media.test_media_workflow import amy_client, teams  # noqa: F401 (fixtures)
from tests.publications.factories import make_publication

pytestmark = pytest.mark.django_db

UPLOAD = "/admin/iomsite/image/upload/"


def pngs(*names):
    return [SimpleUploadedFile(name, png_bytes((300 + i, 200), color=(i * 40, 0, 0))) for i, name in enumerate(names)]


def test_three_images_at_once_become_drafts_without_alt_text(editor_client):
    listing = editor_client.get("/admin/iomsite/image/").content.decode()
    assert UPLOAD in listing  # the editor finds the button on the library's list
    response = editor_client.post(UPLOAD, {"files": pngs("camp-at-dawn.png", "border_crossing.png", "IMG 2041.png")})
    assert response.status_code == 302 and response["Location"].endswith("?alt=missing")
    titles = sorted(Image.objects.values_list("title", flat=True))
    assert titles == ["Border crossing", "Camp at dawn", "IMG 2041"]
    assert all(not image.alt_text_en and image.width >= 300 for image in Image.objects.all())
    listing = editor_client.get(response["Location"]).content.decode()
    assert all(title in listing for title in titles)
    assert "3 files uploaded as drafts." in listing


def test_images_and_documents_together(editor_client):
    files = [*pngs("photo.png"), SimpleUploadedFile("annual-report-2018.pdf", pdf_bytes())]
    assert editor_client.post(UPLOAD, {"files": files}).status_code == 302
    assert Image.objects.get().title == "Photo"
    document = Document.objects.get()
    assert document.title == "Annual report 2018" and document.kind == "pdf"


@pytest.mark.parametrize(
    "bad",
    [
        SimpleUploadedFile("holiday.png", b"not really a picture"),
        SimpleUploadedFile("tool.exe", b"MZ\x90\x00 executable"),
        SimpleUploadedFile("logo.svg", b"<svg xmlns='http://www.w3.org/2000/svg'><script>x</script></svg>"),
    ],
)
def test_every_file_is_checked_by_content_and_nothing_is_kept_on_a_refusal(editor_client, bad):
    response = editor_client.post(UPLOAD, {"files": [*pngs("fine.png"), bad]})
    assert response.status_code == 200
    assert bad.name in response.content.decode() and "Nothing was uploaded" in response.content.decode()
    assert not Image.objects.exists() and not Document.objects.exists()


def test_an_image_without_alt_text_cannot_be_used_on_a_page(publisher_client):
    image = make_image(alt_text="")
    publication = make_publication()
    response = publisher_client.post(
        f"/admin/publications/publication/{publication.pk}/change/",
        {**publication_form(publisher_client, publication), "cover": image.pk},
    )
    assert response.status_code == 200
    assert "has no alternative text yet" in response.content.decode()
    publication.refresh_from_db()
    assert publication.cover is None
    image.alt_text_en = "Families waiting at the border."
    image.save()
    response = publisher_client.post(
        f"/admin/publications/publication/{publication.pk}/change/",
        {**publication_form(publisher_client, publication), "cover": image.pk, "_publish": "1"},
    )  # the publication is live: its change is a draft until published (decision 016)
    assert response.status_code == 302
    publication.refresh_from_db()
    assert publication.cover == image


def test_the_alt_text_of_a_used_image_cannot_be_emptied(publisher_client):
    from tests.media.test_media_workflow import change_image

    image = make_image()
    make_publication(cover=image)
    response = change_image(publisher_client, image, alt_text_en="")
    assert response.status_code == 200 and response.context["adminform"].form.errors["alt_text_en"]


def test_a_sectioned_editor_uploads_into_her_section(amy_client, teams):  # noqa: F811
    response = amy_client.post(UPLOAD, {"files": pngs("a.png"), "section": teams["Europe team"].pk})
    assert response.status_code == 200 and not Image.objects.exists()
    response = amy_client.post(UPLOAD, {"files": pngs("a.png", "b.png"), "section": teams["Americas team"].pk})
    assert response.status_code == 302
    assert set(Image.objects.values_list("section", flat=True)) == {teams["Americas team"].pk}


def test_anonymous_and_viewers_cannot_upload(client):
    assert client.post(UPLOAD, {"files": pngs("a.png")}).status_code == 302  # to the sign-in page
    assert not Image.objects.exists()


def test_titles_from_file_names():
    assert title_from("world-migration_report 2018.pdf") == "World migration report 2018"
    assert title_from("/tmp/../x.png") == "X"
    assert title_from(".png") == "Png" or title_from(".png")


def publication_form(client, publication):
    """The publication's change form as the browser would post it (every field, inlines included)."""
    response = client.get(f"/admin/publications/publication/{publication.pk}/change/")
    form = response.context["adminform"].form
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value is None or name in getattr(form, "_readonly", ()):
            continue
        if isinstance(value, (list, tuple)):
            data[name] = [str(v) for v in value]
        elif isinstance(value, bool):
            if value:
                data[name] = "on"
        else:
            data[name] = value
    for formset in response.context["inline_admin_formsets"]:
        management = formset.formset.management_form
        for name in management.fields:
            data[f"{management.prefix}-{name}"] = management[name].value()
    data.pop("publish_at", None)
    if "publish_at_0" not in data and publication.publish_at:
        from django.utils import timezone

        local = timezone.localtime(publication.publish_at)
        data["publish_at_0"], data["publish_at_1"] = local.strftime("%Y-%m-%d"), local.strftime("%H:%M:%S")
    return data
