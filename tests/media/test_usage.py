"""“Used on” for every image and document, and no deleting of media in use (issue 26)."""

import re

import pytest
from django.test import Client

from consultations.models import EventDocument
from iomsite.models import Document, Image
from tests.consultations.factories import make_event
from tests.consultations.factories import make_series as make_consultation_series
from tests.iomsite.factories import make_document, make_image, make_page
from tests.publications.factories import make_entry, make_publication
from tests.regions.helpers import make_region
from tests.themes.factories import make_theme

pytestmark = pytest.mark.django_db


def used_on(client, obj):
    html = client.get(f"/admin/iomsite/{obj._meta.model_name}/{obj.pk}/change/").content.decode()
    match = re.search(r'<ul class="media-uses">(.*?)</ul>', html, re.S)
    return match.group(1) if match else html


def test_a_documents_change_page_lists_live_and_draft_uses_in_every_language(staff_client):
    document = make_document()
    make_publication(title="World Migration Report 2018", document=document)
    make_entry(make_publication(title="Draft Atlas", published=False), "Chapter 3", document=document)
    EventDocument.objects.create(event=make_event(make_consultation_series(), title="Dialogue 2015"), document=document)
    make_region("africa", title="Africa").documents.add(document)
    make_page(
        title="Contact",
        body="<p>English only.</p>",
        body_fr=f'<p><a href="{document.get_absolute_url()}">Rapport</a></p>',
    )
    listed = used_on(staff_client, document)
    assert "World Migration Report 2018" in listed and "live" in listed
    assert "Draft Atlas" in listed and "draft" in listed  # the chapter is listed as its publication
    assert "Dialogue 2015" in listed and "Africa" in listed
    assert "Contact" in listed  # the link is in the French text only
    assert listed.index("World Migration Report 2018") < listed.index("Draft Atlas")  # live first


def test_an_images_uses_link_to_their_change_pages(staff_client):
    image = make_image()
    theme = make_theme("labour-migration", image=image)
    listed = used_on(staff_client, image)
    assert f'href="/admin/themes/theme/{theme.pk}/change/"' in listed


def test_an_unused_image_says_so(staff_client):
    assert "Not used on any page yet." in used_on(staff_client, make_image())


def test_deleting_media_in_use_is_refused_with_the_list(publisher_client):
    document = make_document()
    make_region("africa", title="Africa").documents.add(document)  # a many-to-many: no database protection
    make_page(title="Draft notes", published=False, body=f'<a href="{document.get_absolute_url()}">x</a>')
    url = f"/admin/iomsite/document/{document.pk}/delete/"
    page = publisher_client.get(url).content.decode()
    assert "Africa" in page and "Draft notes" in page
    assert "protected related objects" in page
    publisher_client.post(url, {"post": "yes"})
    assert Document.objects.filter(pk=document.pk).exists()
    # The bulk action refuses too.
    response = publisher_client.post(
        "/admin/iomsite/document/", {"action": "delete_selected", "_selected_action": [document.pk], "post": "yes"}
    )
    assert Document.objects.filter(pk=document.pk).exists(), response.status_code


def test_deleting_an_unused_image_works(publisher_client):
    image = make_image()
    assert publisher_client.post(f"/admin/iomsite/image/{image.pk}/delete/", {"post": "yes"}).status_code == 302
    assert not Image.objects.exists()


def test_the_preview_link_on_the_change_page_opens_the_draft_for_anyone_holding_it(editor_client):
    document = make_document()
    html = editor_client.get(f"/admin/iomsite/document/{document.pk}/change/").content.decode()
    link = re.search(r'value="(http://testserver/documents/[^"]+)"', html).group(1).replace("&amp;", "&")
    journalist = Client()
    assert journalist.get(document.get_absolute_url()).status_code == 404
    assert journalist.get(link.removeprefix("http://testserver")).status_code == 200
