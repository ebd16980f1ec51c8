"""Search inside the reports (issue 24): PDF text read in a task, page by page, found by the site search."""

import re

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction

from publications.models import DocumentText, TocEntry
from publications.pdftext import read_pages, text_pdf
from tests.helpers import run_tasks as run_ready_tasks
from tests.iomsite.factories import make_document, pdf_bytes
from tests.publications.factories import make_entry, make_publication

pytestmark = pytest.mark.django_db(transaction=True)

PAGES = [
    "Migration and migrants: a global overview.\nIntroduction to the chapter.",
    "International migrants numbered an estimated 244 million people.",
    "Remittances sent home by migrant workers reached record levels this year.",
]


def run_tasks():
    """The worker claims tasks under a row lock, which PostgreSQL allows only in a transaction."""
    with transaction.atomic():
        return run_ready_tasks()


def pdf_document(pages=PAGES, title="Chapter 2 PDF", **fields):
    return make_document(title, content=text_pdf(pages), name="chapter.pdf", **fields)


def search(client, query, lang="en"):
    response = client.get(f"/{lang}/search/", {"q": query})
    assert response.status_code == 200
    return response


def result_items(html):
    return re.findall(r"<li>\s*<p class=\"meta\">.*?</li>", html, re.S)


@pytest.fixture
def chapter(db):
    publication = make_publication("wmr", title="World Migration Report 2018")
    return make_entry(publication, "A global overview", number="Chapter 2", slug="overview", document=pdf_document())


def test_the_generated_pdf_has_real_text_per_page():
    pages = read_pages(ContentFile(text_pdf(PAGES)))
    assert len(pages) == 3 and "Remittances sent home" in pages[2] and "244 million" in pages[1]


def test_text_is_read_in_a_task_and_stored_per_page(chapter):
    text_of = DocumentText.objects.get(document=chapter.document)
    assert text_of.state == DocumentText.State.PENDING  # queued by the save, not read in the request
    assert not text_of.pages.exists()
    results = run_tasks()
    assert [result.status for result in results] == ["SUCCESSFUL"]
    text_of.refresh_from_db()
    assert text_of.state == DocumentText.State.TEXT and text_of.page_count == 3
    assert [page.number for page in text_of.pages.all()] == [1, 2, 3]
    assert "Remittances" in text_of.pages.get(number=3).text
    # Saving again does not read the same file again.
    chapter.save()
    assert run_tasks() == []


def test_a_hit_inside_the_pdf_links_the_chapter_with_the_page(client, chapter):
    assert "overview" not in search(client, "remittances").content.decode()  # not read yet
    run_tasks()
    html = search(client, "remittances").content.decode()
    items = result_items(html)
    assert len(items) == 1
    item = items[0]
    assert 'href="/en/publications/wmr/overview/"' in item  # the result is the chapter's page
    assert "<mark>Remittances</mark> sent home" in item  # the snippet is from the page that matched
    assert "Page 3 of the PDF" in item
    pdf_link = re.search(r'<a href="([^"]+)">Page 3 of the PDF</a>', item).group(1)
    assert pdf_link == f"{chapter.document.get_absolute_url()}#page=3"
    assert client.get(pdf_link.split("#")[0]).status_code == 200  # the visitor can open it


def test_french_interface_finds_the_english_pdf(client, chapter):
    run_tasks()
    html = search(client, "remittances", "fr").content.decode()
    assert "/fr/publications/wmr/overview/" in html and "Page 3 du PDF" in html


def test_the_whole_report_pdf_is_searched_too(client):
    make_publication("report-x", title="Annual report", document=pdf_document(["Nothing here.", "Diaspora bonds."]))
    run_tasks()
    item = result_items(search(client, "diaspora").content.decode())[0]
    assert 'href="/en/publications/report-x/"' in item and "Page 2 of the PDF" in item


def test_draft_publications_pdf_text_is_never_found(client):
    draft = make_publication("secret", published=False)
    make_entry(draft, "Hidden chapter", slug="hidden", document=pdf_document(["Confidential remittances."]))
    run_tasks()
    assert DocumentText.objects.get().state == DocumentText.State.TEXT
    html = search(client, "confidential").content.decode()
    assert "/secret/hidden/" not in html and "Confidential" not in html and not result_items(html)


def test_scanned_pdf_is_flagged_to_editors(admin_client):
    publication = make_publication("scans")
    scanned = make_entry(publication, "Scanned chapter", slug="scanned", document=make_document("Scan", pdf_bytes()))
    make_entry(publication, "Text chapter", slug="text", document=pdf_document())
    run_tasks()
    assert DocumentText.objects.get(document=scanned.document).state == DocumentText.State.NO_TEXT
    changelist = f"/{settings.ADMIN_URL}publications/tocentry/"
    html = admin_client.get(changelist, {"pdf_text": "no_text"}).content.decode()
    assert "Scanned chapter" in html and "Text chapter" not in html
    assert "No text: a scan?" in html
    html = admin_client.get(changelist).content.decode()
    assert "3 pages of text" in html and "PDF text" in html


def test_replaced_file_is_read_again(client, chapter):
    run_tasks()
    document = chapter.document
    document.file = ContentFile(text_pdf(["Entirely new words about asylum."]), name="new.pdf")
    document.save()
    TocEntry.objects.get(pk=chapter.pk).save()  # the chapter is saved with the replaced file
    run_tasks()
    assert DocumentText.objects.get(document=document).page_count == 1
    assert "Page 1 of the PDF" in search(client, "asylum").content.decode()
    assert "overview" not in search(client, "remittances").content.decode()


def test_damaged_pdf_is_marked_failed_not_retried(chapter):
    run_tasks()
    document = chapter.document
    # A file that passed the upload check and was damaged in storage afterwards.
    with open(document.file.path, "wb") as handle:
        handle.write(b"%PDF-1.4\nnot really a pdf")
    DocumentText.objects.filter(document=document).update(source="")
    chapter.save()
    run_tasks()
    assert DocumentText.objects.get(document=document).state == DocumentText.State.FAILED


def test_search_with_pdf_hits_has_a_fixed_query_count(client, django_assert_max_num_queries):
    def add(count, start):
        publication = make_publication(f"report-{start}")
        for index in range(start, start + count):
            make_entry(
                publication,
                f"Chapter {index}",
                slug=f"c{index}",
                document=pdf_document([f"Page about remittances {index}."], title=f"PDF {index}"),
            )
        run_tasks()

    add(3, 0)
    search(client, "remittances")
    with django_assert_max_num_queries(12):
        response = search(client, "remittances")
    assert response.content.decode().count("Page 1 of the PDF") == 3
    add(25, 100)
    with django_assert_max_num_queries(12):
        response = search(client, "remittances")
    assert response.content.decode().count("Page 1 of the PDF") == 20  # one results page
