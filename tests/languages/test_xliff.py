"""XLIFF 2.0: the English text of chosen items out to translators, their translation back in, after a preview."""

import pytest
from defusedxml import ElementTree
from django.contrib.auth.models import Group

from iomsite.languages import statuses
from iomsite.models import Page
from iomsite.workflow.roles import EDITOR
from tests.iomsite.factories import make_page
from tests.workflow.conftest import client_for, make_user

pytestmark = pytest.mark.django_db

NS = "{urn:oasis:names:tc:xliff:document:2.0}"
CHANGELIST = "/admin/iomsite/page/"
IMPORT = "/admin/iomsite/page/xliff-import/"
FRENCH = {
    "title": "Alerte à l’escroquerie",
    "summary": "Méfiez-vous des offres.",
    "body": '<p>Ne payez <strong>jamais</strong> pour un emploi.</p><script>alert("x")</script>',
}


def export(client, *pages, language="fr"):
    response = client.post(
        CHANGELIST, {"action": f"export_xliff_{language}", "_selected_action": [page.pk for page in pages]}
    )
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="page-en-{language}.xlf"'
    return response.content


def translate(data, texts):
    """What a translator's tool does: a target after each source."""
    from xml.etree import ElementTree as Writer

    Writer.register_namespace("", NS[1:-1])
    root = ElementTree.fromstring(data)
    for unit in root.iter(f"{NS}unit"):
        segment = unit.find(f"{NS}segment")
        target = segment.find(f"{NS}target")
        if target is None:
            target = Writer.SubElement(segment, f"{NS}target")
        target.text = texts[unit.get("id")]
    return Writer.tostring(root, encoding="utf-8", xml_declaration=True)


def upload(client, data, **extra):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(IMPORT, {"file": SimpleUploadedFile("fr.xlf", data, "application/xliff+xml"), **extra})


def scam():
    return make_page(
        "scam", title="Scam alert", summary="Beware of offers.", body="<p>Never <strong>pay</strong> for a job.</p>"
    )


def test_export_holds_the_english_text_with_its_formatting(staff_client):
    page = scam()
    root = ElementTree.fromstring(export(staff_client, page))
    assert root.get("version") == "2.0" and root.get("srcLang") == "en" and root.get("trgLang") == "fr"
    file = root.find(f"{NS}file")
    assert file.get("original") == f"iomsite.page:{page.pk}"
    sources = {unit.get("id"): unit.find(f"{NS}segment/{NS}source").text for unit in file.iter(f"{NS}unit")}
    assert sources == {
        "title": "Scam alert",
        "summary": "Beware of offers.",
        "body": "<p>Never <strong>pay</strong> for a job.</p>",
    }


def test_round_trip_previews_then_imports_sanitised(staff_client):
    page = scam()
    translated = translate(export(staff_client, page), FRENCH)
    preview = upload(staff_client, translated)
    assert preview.status_code == 200
    html = preview.content.decode()
    assert "3 changes into French" in html and "Alerte à l’escroquerie" in html
    page.refresh_from_db()
    assert not page.title_fr  # nothing saved by the preview
    assert statuses(page)["fr"].state == "missing"

    response = staff_client.post(IMPORT, {"xml": translated.decode(), "_apply": "1"})
    assert response.status_code == 302
    page.refresh_from_db()
    assert page.title_fr == FRENCH["title"] and page.summary_fr == FRENCH["summary"]
    assert page.body_fr == "<p>Ne payez <strong>jamais</strong> pour un emploi.</p>"  # the sanitiser applied
    assert page.title_en == "Scam alert"
    assert statuses(page)["fr"].state == "translated"
    assert "language-fallback" not in staff_client.get("/fr/scam/").content.decode()


def test_an_unchanged_file_changes_nothing(staff_client):
    page = scam()
    data = export(staff_client, page)
    assert "0 changes into French" in upload(staff_client, data).content.decode()


@pytest.mark.parametrize(
    "data",
    [
        b"not xml at all",
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]><x>&b;</x>',
        b'<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.0" srcLang="en" trgLang="de"/>',
        b'<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.0" srcLang="en" trgLang="fr">'
        b'<file id="f" original="auth.user:1"><unit id="title"><segment><source>x</source><target>y</target>'
        b"</segment></unit></file></xliff>",
        b'<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.0" srcLang="en" trgLang="fr">'
        b'<file id="f" original="iomsite.page:999999"><unit id="title"><segment><source>x</source></segment>'
        b"</unit></file></xliff>",
    ],
    ids=["not-xml", "entities", "language", "other-model", "gone"],
)
def test_a_bad_file_is_a_form_error(staff_client, data):
    scam()
    response = upload(staff_client, data)
    assert response.status_code == 200
    assert 'class="errorlist nonfield"' in response.content.decode()
    assert not Page.objects.exclude(title_fr=None).exclude(title_fr="").exists()


def test_an_editor_cannot_change_a_live_item_by_import(django_user_model, staff_client):
    page = scam()
    translated = translate(export(staff_client, page), FRENCH)
    editor = client_for(make_user(django_user_model, "edna", Group.objects.get(name=EDITOR)))
    html = upload(editor, translated).content.decode()
    assert "only a publisher may change" in html and "Import these changes" not in html
    editor.post(IMPORT, {"xml": translated.decode(), "_apply": "1"})
    page.refresh_from_db()
    assert not page.title_fr
