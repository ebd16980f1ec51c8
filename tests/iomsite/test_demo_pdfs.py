"""The demo's PDFs are real documents: text to search and read aloud, headings as bookmarks, their language."""

import io

import pytest
from pypdf import PdfReader

from iomsite.demo import demo_pdf
from iomsite.models import Document

pytestmark = pytest.mark.django_db


def outline_titles(reader):
    titles = []

    def walk(items):
        for item in items:
            if isinstance(item, list):
                walk(item)
            else:
                titles.append(item.title)

    walk(reader.outline)
    return titles


def test_a_pdf_has_text_bookmarks_language_and_several_pages_per_chapter():
    chapters = [("Chapter 1 – Migration in numbers", "How many people move."), ("Chapter 2 – Remittances", "")]
    reader = PdfReader(io.BytesIO(demo_pdf("A report", ["Complete report"], "en", chapters)))
    assert reader.trailer["/Root"]["/Lang"] == "en"
    assert reader.metadata.title == "A report"
    assert outline_titles(reader)[:3] == ["Contents", "Chapter 1 – Migration in numbers", "Key points"]
    assert "Chapter 2 – Remittances" in outline_titles(reader)
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "Complete report" in text and "Fair recruitment protects workers" in text
    assert len(reader.pages) >= 2 + 2 * len(chapters)  # title, contents, then at least two pages a chapter


def test_french_and_spanish_documents_say_their_language_and_keep_their_accents():
    french = PdfReader(io.BytesIO(demo_pdf("État de la migration", ["Rapport complet"], "fr")))
    assert french.trailer["/Root"]["/Lang"] == "fr"
    text = "".join(page.extract_text() for page in french.pages)
    assert "État de la migration" in text and "coopération entre États" in text and "Table des matières" in text
    spanish = PdfReader(io.BytesIO(demo_pdf("Informe", [], "es")))
    assert spanish.trailer["/Root"]["/Lang"] == "es" and "cooperación" in spanish.pages[2].extract_text()


def test_the_demo_library_holds_searchable_pdfs(demo):
    documents = list(Document.objects.filter(file__endswith=".pdf"))
    assert documents
    for document in documents:
        with document.file.open("rb") as handle:
            reader = PdfReader(io.BytesIO(handle.read()))
        assert reader.trailer["/Root"]["/Lang"] == document.language, document.title
        assert document.title.split(" – ")[0][:20] in reader.pages[0].extract_text(), document.title
    report = Document.objects.get(title="World Migration Report 2018")
    with report.file.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    chapters = [title for title in outline_titles(reader) if title.startswith("Chapter ")]
    assert len(chapters) >= 10 and len(reader.pages) >= 2 * len(chapters)
