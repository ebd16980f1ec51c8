"""Document downloads: 404 to visitors unless a live item links the document; previewers and signed links."""

from datetime import timedelta

import pytest
import time_machine
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from consultations.models import EventDocument
from iomsite.models import Document, Image, Status
from tests.consultations.factories import make_event
from tests.consultations.factories import make_series as make_consultation_series
from tests.iomsite.factories import make_document, make_image, make_page, pdf_bytes, png_bytes
from tests.publications.factories import make_entry, make_publication
from tests.regions.helpers import make_region
from tests.themes.factories import make_theme

pytestmark = pytest.mark.django_db


def status(client, document, **params):
    return client.get(document.get_absolute_url(), params).status_code


def test_a_document_nothing_links_is_404_to_visitors(client):
    assert status(client, make_document()) == 404


def test_the_whole_report_of_a_live_publication_downloads_and_is_cached(client):
    document = make_document(title="World Migration Report 2018")
    make_publication(document=document)
    response = client.get(document.get_absolute_url())
    assert response.status_code == 200
    assert "public" in response["Cache-Control"]
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


def test_a_draft_publications_report_is_404(client):
    document = make_document()
    make_publication(document=document, published=False)
    assert status(client, document) == 404


def test_an_embargoed_report_opens_at_its_hour_without_any_job(client):
    at = timezone.now() + timedelta(hours=2)
    document = make_document()
    make_publication(document=document, status=Status.PUBLISHED, publish_at=at)
    with time_machine.travel(at - timedelta(seconds=1)):
        assert status(client, document) == 404
    with time_machine.travel(at + timedelta(seconds=1)):
        assert status(client, document) == 200


def test_a_chapter_follows_its_publication(client):
    live_doc, draft_doc = make_document(), make_document()
    make_entry(make_publication(), "Chapter 1", document=live_doc)
    make_entry(make_publication(published=False), "Chapter 1", document=draft_doc)
    assert status(client, live_doc) == 200
    assert status(client, draft_doc) == 404


def test_an_unpublished_events_key_documents_are_404(client):
    series = make_consultation_series()
    live_event, draft_event = make_event(series), make_event(series, published=False)
    shown, hidden = make_document(), make_document()
    EventDocument.objects.create(event=live_event, document=shown)
    EventDocument.objects.create(event=draft_event, document=hidden)
    assert status(client, shown) == 200
    assert status(client, hidden) == 404
    live_event.status = Status.DRAFT
    live_event.save()
    assert status(client, shown) == 404


def test_an_event_of_a_draft_series_hides_its_documents(client):
    event = make_event(make_consultation_series(published=False))
    document = make_document()
    EventDocument.objects.create(event=event, document=document)
    assert status(client, document) == 404


def test_many_to_many_and_inline_rows_count(client):
    region_doc, theme_doc = make_document(), make_document()
    make_region("africa", title="Africa").documents.add(region_doc)
    make_theme("labour").documents.create(document=theme_doc)
    assert status(client, region_doc) == 200
    assert status(client, theme_doc) == 200


def test_a_link_in_a_live_pages_rich_text_counts_a_drafts_does_not(client):
    linked, drafted = make_document(), make_document()
    make_page(body=f'<p><a href="{linked.get_absolute_url()}">Report</a></p>')
    make_page(published=False, body=f'<p><a href="{drafted.get_absolute_url()}">Report</a></p>')
    assert status(client, linked) == 200
    assert status(client, drafted) == 404


def test_a_document_published_on_its_own(client):
    assert status(client, make_document(standalone=True)) == 200


def test_ids_cannot_be_enumerated_into_drafts(client):
    public = make_document()
    make_publication(document=public)
    hidden = [make_document() for _ in range(3)]
    make_publication(document=hidden[0], published=False)
    found = []
    for pk in range(1, max(d.pk for d in [public, *hidden]) + 3):
        document = Document.objects.filter(pk=pk).first()
        name = document.download_name if document else "x.pdf"
        if client.get(f"/documents/{pk}/{name}").status_code == 200:
            found.append(pk)
    assert found == [public.pk]


def test_previewers_download_drafts_never_cached(editor_client, client):
    document = make_document()
    response = editor_client.get(document.get_absolute_url())
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    assert status(client, document) == 404


def test_signed_link_valid_expired_tampered(client):
    document, other = make_document(), make_document()
    key = document.preview_token()
    response = client.get(document.get_absolute_url(), {"key": key})
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert response["Referrer-Policy"] == "no-referrer"
    assert status(client, document, key=key[:-2] + ("AA" if not key.endswith("AA") else "BB")) == 404
    assert status(client, document, key=key.replace(f"{document.pk}:", f"{other.pk}:", 1)) == 404
    assert status(client, other, key=key) == 404  # another document's key
    assert status(client, document, key="") == 404
    with time_machine.travel(timezone.now() + timedelta(days=6, hours=23)):
        assert status(client, document, key=key) == 200
    with time_machine.travel(timezone.now() + timedelta(days=7, minutes=1)):
        assert status(client, document, key=key) == 404


@pytest.mark.parametrize("size", [1, 8])
def test_download_queries_do_not_grow(client, django_assert_max_num_queries, size):
    documents = [make_document() for _ in range(size)]
    for document in documents:
        make_publication(document=document)
        make_entry(make_publication(published=False), "Chapter", document=document)
        make_page(body=f'<a href="{document.get_absolute_url()}">x</a>', published=False)
    assert status(client, documents[0]) == 200  # a first request learns when the next scheduled draft is due
    with django_assert_max_num_queries(2):
        assert status(client, documents[-1]) == 200
    lonely = make_document()
    with CaptureQueriesContext(connection) as missing:
        assert client.get("/documents/999999/x.pdf").status_code == 404  # the site's 404 page
    with django_assert_max_num_queries(len(missing) + 3):  # the document, its live uses, its rich-text links
        assert status(client, lonely) == 404


def test_originals_are_never_served_under_media(client):
    image = make_image()
    document = make_document(standalone=True)
    assert client.get(f"/media/{image.file.name}").status_code == 404
    assert client.get(f"/media/{document.file.name}").status_code == 404
    assert client.get(image.renditions()[0][0]).status_code == 200


def test_a_replaced_files_original_and_renditions_leave_storage(client, django_capture_on_commit_callbacks):
    image = make_image(size=(700, 400))
    old_url, old_name = image.renditions()[0][0], image.file.name
    assert client.get(old_url).status_code == 200
    old_renditions = default_storage.listdir(f"renditions/{image.pk}")[1]
    assert old_renditions
    with django_capture_on_commit_callbacks(execute=True):
        image.file = ContentFile(png_bytes((500, 300), color=(200, 0, 0)), name="new.png")
        image.save()
    assert not default_storage.exists(old_name)
    assert default_storage.exists(image.file.name)
    assert client.get(old_url).status_code == 404
    assert not any(default_storage.exists(f"renditions/{image.pk}/{name}") for name in old_renditions)
    assert client.get(image.renditions()[0][0]).status_code == 200

    document = make_document()
    replaced = document.file.name
    with django_capture_on_commit_callbacks(execute=True):
        document.file = ContentFile(pdf_bytes(), name="v2.pdf")
        document.save()
    assert not default_storage.exists(replaced) and default_storage.exists(document.file.name)


def test_deleted_media_leave_storage(client, django_capture_on_commit_callbacks):
    image, document = make_image(), make_document()
    url = image.renditions()[0][0]
    client.get(url)
    names = [image.file.name, document.file.name]
    with django_capture_on_commit_callbacks(execute=True):
        Image.objects.filter(pk=image.pk).delete()  # the bulk path too
        document.delete()
    assert not any(default_storage.exists(name) for name in names)
    assert default_storage.listdir(f"renditions/{image.pk}")[1] == []
