"""Publications in the open data API: the list (filters, pages) and each with its table of contents."""

from django.http import Http404
from mptt.utils import get_cached_trees
from ninja import Query, Router, Schema
from pydantic import Field

from iomsite.api import is_translated, language_of, override, page_of
from publications.models import Publication

router = Router(tags=["publications"])


class DocumentOut(Schema):
    url: str
    type: str
    size: int
    language: str


class EntryOut(Schema):
    kind: str
    number: str
    title: str
    url: str
    pages: str
    translated: bool
    document: DocumentOut | None = None
    children: list["EntryOut"] = []


class PublicationOut(Schema):
    id: int
    slug: str
    title: str
    translated: bool
    year: int
    publication_date: str | None
    series: str | None
    edition: int | None
    language: str
    isbn: str
    issn: str
    doi: str
    summary: str
    url: str
    document: DocumentOut | None = None


class PublicationDetailOut(PublicationOut):
    contents: list[EntryOut]


class PublicationPage(Schema):
    language: str
    count: int
    page: int
    pages: int
    per_page: int
    results: list[PublicationOut]


class Filters(Schema):
    lang: str = Field("en", description="Content language: en, fr or es (fallback to English is flagged).")
    page: int = Field(1, ge=1, le=10000)
    year: int | None = Field(None, ge=1951, le=2100)
    series: str | None = Field(None, max_length=100, description="A series slug.")
    language: str | None = Field(None, max_length=8, description="The publication's own language.")


def _document(document, request):
    if document is None:
        return None
    return {
        "url": request.build_absolute_uri(document.get_absolute_url()),
        "type": document.kind,
        "size": document.file_size,
        "language": document.language,
    }


def _publication(publication, request, language):
    return {
        "id": publication.pk,
        "slug": publication.slug,
        "title": publication.title,
        "translated": is_translated(publication, "title", language),
        "year": publication.year,
        "publication_date": publication.publication_date.isoformat() if publication.publication_date else None,
        "series": publication.series.title if publication.series_id else None,
        "edition": publication.edition,
        "language": publication.language,
        "isbn": publication.isbn,
        "issn": publication.issn,
        "doi": publication.doi,
        "summary": publication.summary,
        "url": request.build_absolute_uri(publication.get_absolute_url()),
        "document": _document(publication.document if publication.document_id else None, request),
    }


def _entry(entry, publication, request, language):
    entry.publication = publication  # its URL needs the slug: no query
    return {
        "kind": entry.kind,
        "number": entry.number,
        "title": entry.title,
        "url": request.build_absolute_uri(entry.get_absolute_url()),
        "pages": entry.pages,
        "translated": is_translated(entry, "title", language),
        "document": _document(entry.document if entry.document_id else None, request),
        "children": [_entry(child, publication, request, language) for child in entry.get_children()],
    }


@router.get("/", response=PublicationPage, summary="Published publications, newest first")
def publications(request, filters: Query[Filters]):
    language = language_of(filters.lang)
    with override(language):
        queryset = Publication.objects.published().newest_first().select_related("series", "document")
        if filters.year:
            queryset = queryset.filter(year=filters.year)
        if filters.series:
            queryset = queryset.filter(series__slug=filters.series)
        if filters.language:
            queryset = queryset.filter(language=filters.language)
        rows, meta = page_of(queryset, filters.page, request.path)
        return {"language": language, **meta, "results": [_publication(p, request, language) for p in rows]}


@router.get("/{slug}", response=PublicationDetailOut, summary="One publication with its table of contents")
def publication(request, slug: str, lang: str = "en"):
    language = language_of(lang)
    with override(language):
        found = Publication.objects.published().select_related("series", "document").filter(slug=slug).first()
        if found is None:
            raise Http404("No such publication.")
        entries = found.toc_entries.select_related("document").order_by("tree_id", "lft")
        data = _publication(found, request, language)
        data["contents"] = [_entry(node, found, request, language) for node in get_cached_trees(entries)]
        return data
