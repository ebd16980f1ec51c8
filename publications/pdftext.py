"""Search inside the reports: the text of each PDF that a publication or chapter offers.

A saved publication or chapter with a PDF queues ``extract_text`` (django-tasks, decision
014) when its file has not been read yet; the worker reads the text page by page with
pypdf, stores it (``DocumentText``, ``DocumentPage``) and re-indexes the publications and
chapters that offer the file, whose search entry then carries the text. A PDF with no text
layer (a scan) is marked so that editors see it in the admin. ``page_hits`` tells the
search results on which page of a chapter's PDF the words are, with a snippet from that page.
"""

import logging
import re

from django.db import connection, transaction
from django.utils import timezone
from django_tasks import task

logger = logging.getLogger(__name__)

MAX_PAGES = 2000  # a longer file is read up to here
# What one search entry carries (a tsvector holds at most 1 MB; the whole report is long).
MAX_INDEXED_CHARS = 300_000
MIN_TEXT_CHARS = 20  # fewer readable characters over the whole file: a scan


def read_pages(fileobj):
    """The text of each page (at most ``MAX_PAGES``); raises on a file pypdf cannot open."""
    from pypdf import PdfReader

    reader = PdfReader(fileobj)
    pages = []
    for page in reader.pages[:MAX_PAGES]:
        try:
            text = page.extract_text() or ""
        except Exception:  # one broken page must not lose the others
            logger.warning("PDF page unreadable", exc_info=True)
            text = ""
        pages.append(re.sub(r"[ \t\r\f\v]+", " ", text.replace("\x00", "")).strip())
    return pages


def needs_reading(document):
    from publications.models import DocumentText

    if document is None or document.kind != "pdf":
        return False
    known = DocumentText.objects.filter(document=document).values_list("source", flat=True).first()
    return known != document.file.name


def queue_extraction(document):
    """Queue the reading of ``document`` when the transaction commits (nothing if it was read)."""
    if not needs_reading(document):
        return
    from publications.models import DocumentText

    DocumentText.objects.update_or_create(document=document, defaults={"state": DocumentText.State.PENDING})
    document_id = document.pk
    transaction.on_commit(lambda: extract_text.enqueue(document_id))


@task()
def extract_text(document_id):
    """Read the PDF's text, store it page by page, re-index what offers it."""
    from iomsite.models import Document
    from publications.models import DocumentPage, DocumentText

    document = Document.objects.filter(pk=document_id).first()
    if document is None:
        return "gone"
    state, pages = DocumentText.State.TEXT, []
    try:
        with document.file.open("rb") as handle:
            pages = read_pages(handle)
    except Exception:  # a damaged file is reported to editors, not retried forever
        logger.warning("PDF text not readable: document %s", document_id, exc_info=True)
        state = DocumentText.State.FAILED
    if state == DocumentText.State.TEXT and sum(len(text) for text in pages) < MIN_TEXT_CHARS:
        state = DocumentText.State.NO_TEXT
    language = document.language if document.language in ("en", "fr", "es") else "en"
    with transaction.atomic():
        text_of, _created = DocumentText.objects.update_or_create(
            document=document,
            defaults={
                "state": state,
                "source": document.file.name,
                "page_count": len(pages),
                "extracted_at": timezone.now(),
            },
        )
        text_of.pages.all().delete()
        if state == DocumentText.State.TEXT:
            DocumentPage.objects.bulk_create(
                DocumentPage(text_of=text_of, number=number, text=text, language=language)
                for number, text in enumerate(pages, start=1)
                if text
            )
        reindex_offering(document)
    return state


def reindex_offering(document):
    """Index again the publications and chapters that offer ``document`` (their entries carry its text)."""
    from iomsite.freshness import bump_version
    from iomsite.search.index import index_object
    from publications.models import Publication, TocEntry

    for obj in [
        *Publication.objects.filter(document=document),
        *TocEntry.objects.filter(document=document).select_related("publication"),
    ]:
        index_object(obj)
    transaction.on_commit(bump_version)


def indexed_text(document):
    """The PDF text a search entry carries: uses ``document.publication_text.pages`` when prefetched."""
    if document is None:
        return ""
    try:
        text_of = document.publication_text
    except document._meta.model.publication_text.RelatedObjectDoesNotExist:
        return ""
    return text_of.full_text()[:MAX_INDEXED_CHARS]


# ----------------------------------------------------------------------------- search results


def _words(query):
    from iomsite.search.backends import words_of

    return words_of(query)


def page_hits(document_ids, query):
    """``{document id: (page number, snippet HTML)}``: the first page of each PDF where ``query`` matches.

    One query whatever the number of documents (the results page has at most 20).
    """
    from publications.models import DocumentPage

    if not document_ids:
        return {}
    pages = DocumentPage.objects.filter(text_of__document_id__in=document_ids)
    from iomsite.search.backends import CONFIGS, MARK_END, MARK_START, is_postgres

    if is_postgres():
        config = "CASE p.language WHEN 'fr' THEN 'french' WHEN 'es' THEN 'spanish' ELSE 'english' END::regconfig"
        condition = " OR ".join(
            f"(p.language = '{code}' AND p.vector @@ websearch_to_tsquery('{name}'::regconfig, %s))"
            for code, name in CONFIGS.items()
        )
        # The first matching page of each document, then a snippet made for that page only.
        sql = (
            f"SELECT t.document_id, p.number, ts_headline({config}, p.text, websearch_to_tsquery({config}, %s), %s) "
            "FROM (SELECT DISTINCT ON (p.text_of_id) p.id FROM publications_documentpage p "
            "JOIN publications_documenttext t ON t.id = p.text_of_id "
            f"WHERE t.document_id = ANY(%s) AND ({condition}) ORDER BY p.text_of_id, p.number) AS first "
            "JOIN publications_documentpage p ON p.id = first.id "
            "JOIN publications_documenttext t ON t.id = p.text_of_id"
        )
        options = f"StartSel={MARK_START}, StopSel={MARK_END}, MaxWords=35, MinWords=15"
        with connection.cursor() as cursor:
            cursor.execute(sql, [query, options, list(document_ids), *[query] * len(CONFIGS)])
            rows = cursor.fetchall()
        return {document_id: (number, _marked(snippet)) for document_id, number, snippet in rows}
    words = _words(query)
    if not words:
        return {}
    for word in words:
        pages = pages.filter(text__icontains=word)
    found = {}
    for document_id, number, text in pages.order_by("number").values_list("text_of__document_id", "number", "text"):
        if document_id not in found:
            found[document_id] = (number, _python_snippet(text, words))
    return found


def _marked(raw):
    from django.utils.html import escape
    from django.utils.safestring import mark_safe

    from iomsite.search.backends import MARK_END, MARK_START

    return mark_safe(escape(raw).replace(MARK_START, "<mark>").replace(MARK_END, "</mark>"))


def _python_snippet(text, words):
    from django.utils.html import escape
    from django.utils.safestring import mark_safe

    lower = text.lower()
    positions = [lower.find(word) for word in words if lower.find(word) >= 0]
    start = max(0, min(positions) - 80) if positions else 0
    excerpt = ("…" if start else "") + text[start : start + 260] + ("…" if start + 260 < len(text) else "")
    html = escape(excerpt)
    for word in sorted(set(words), key=len, reverse=True):
        html = re.sub(f"({re.escape(escape(word))})", r"<mark>\1</mark>", html, flags=re.IGNORECASE)
    return mark_safe(html)


# ----------------------------------------------------------------------------- PDFs with text (demo, tests, bench)


def _pdf_string(text):
    text = text.encode("latin-1", "replace").decode("latin-1")
    return "(" + text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") + ")"


def text_pdf(pages):
    """Bytes of a PDF whose pages carry ``pages`` (a list of str, lines split on newlines) as real text.

    Plain Helvetica, A4, no compression: what the demo content, the tests and the benchmark need.
    """
    objects = ["<< /Type /Catalog /Pages 2 0 R >>", None, "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    kids = []
    for text in pages:
        lines = []
        for raw in text.splitlines() or [""]:
            while len(raw) > 95:  # wrap long lines at a space
                cut = raw.rfind(" ", 0, 95) if " " in raw[:95] else 95
                lines.append(raw[:cut])
                raw = raw[cut:].lstrip()
            lines.append(raw)
        stream = "BT /F1 11 Tf 14 TL 56 790 Td " + " ".join(f"{_pdf_string(line)} '" for line in lines[:54]) + " ET"
        objects.append(f"<< /Length {len(stream.encode('latin-1'))} >>\nstream\n{stream}\nendstream")
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> "
            f"/Contents {len(objects)} 0 R >>"
        )
        kids.append(f"{len(objects)} 0 R")
    objects[1] = f"<< /Type /Pages /Kids [{' '.join(kids)}] /Count {len(kids)} >>"
    out, offsets = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n"), []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n{body}\nendobj\n".encode("latin-1")
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += "".join(f"{offset:010d} 00000 n \n" for offset in offsets).encode()
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def _annotate(model, entries, query):
    from django.utils.translation import gettext as _

    from iomsite.models import Document

    rows = model.objects.filter(pk__in=[entry.object_id for entry in entries], document__isnull=False).values_list(
        "pk", "document_id", "document__title", "document__kind"
    )
    documents = {pk: Document(pk=document_id, title=title, kind=kind) for pk, document_id, title, kind in rows}
    hits = page_hits({document.pk for document in documents.values()}, query)
    for entry in entries:
        document = documents.get(entry.object_id)
        found = hits.get(document.pk) if document else None
        if found:
            number, entry.snippet = found
            entry.where = _("Page %(number)s of the PDF") % {"number": number}
            # PDF readers open at the page given after #page= (RFC 8118).
            entry.where_url = f"{document.get_absolute_url()}#page={number}"


def chapter_hits(entries, query):
    """Search results hook: chapters whose PDF matches say on which page, with that page's snippet."""
    from publications.models import TocEntry

    _annotate(TocEntry, entries, query)


def publication_hits(entries, query):
    """Search results hook: the same for a publication's complete PDF."""
    from publications.models import Publication

    _annotate(Publication, entries, query)
