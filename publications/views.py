from django.conf import settings
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe
from django.views.generic import DetailView
from mptt.utils import get_cached_trees

from iomsite.models import SiteSettings
from iomsite.pagination import paginate
from iomsite.preview import PreviewMixin, never_cache_preview, visible
from iomsite.templatetags.iomsite import og_image_url
from publications import citations, counts
from publications.forms import PublicationFilterForm
from publications.models import Publication, TocEntry

PER_PAGE = 12


@require_safe
def publication_list(request):
    published = Publication.objects.published()
    form = PublicationFilterForm(request.GET, published=published)
    publications = form.apply(published).newest_first().select_related("series", "cover")
    page = paginate(request, publications, PER_PAGE)
    context = {"page": page, "form": form, "crumbs": [(_("Publications"), reverse("publications:index"))]}
    return render(request, "publications/publication_list.html", context)


class PublicationDetailView(PreviewMixin, DetailView):
    model = Publication
    context_object_name = "publication"

    def get_queryset(self):
        return super().get_queryset().select_related("series", "cover", "document")

    def get_context_data(self, **kwargs):
        from regions.models import Region
        from themes.models import Theme

        context = super().get_context_data(**kwargs)
        publication = self.object
        entries = publication.toc_entries.select_related("document").order_by("tree_id", "lft")
        translations = list(
            publication.translations.published().only("title", "slug", "language").order_by("language", "title")
        )
        context.update(
            crumbs=[(_("Publications"), reverse("publications:index")), (publication.title, "")],
            toc=get_cached_trees(entries),
            translations=translations,
            themes=list(Theme.objects.published().filter(publications=publication).only("title", "slug", "path")),
            regions=list(Region.objects.published().filter(publications=publication).only("title", "slug", "path")),
        )
        context["json_ld"] = book_data(self.request, publication, translations)
        context["cite"] = cite_context(self.request, publication)
        return context


def citation_item(request, obj):
    """The CSL-JSON item of a publication or a table-of-contents entry, with its absolute address."""
    site_name = SiteSettings.load().name
    url = _absolute(request, obj.get_absolute_url())
    if isinstance(obj, Publication):
        return citations.publication_item(obj, url, site_name)
    return citations.chapter_item(obj, url, site_name)


def cite_context(request, obj):
    """What the Cite this block and the ``citation_*`` meta tags show."""
    item = citation_item(request, obj)
    document = obj.document if obj.document_id else None
    pdf_url = _absolute(request, document.get_absolute_url()) if document and document.kind == "pdf" else ""
    base = obj.get_absolute_url()
    return {
        "styles": citations.citations(item),
        "downloads": [(extension, f"{base}cite.{extension}") for extension in citations.FORMATS],
        "meta": citations.meta_tags(item, pdf_url),
    }


@require_safe
def cite_download(request, slug, extension, entry_slug=None):
    """BibTeX, RIS or CSL-JSON of a publication or one of its entries, as a file to save."""
    if entry_slug is None:
        obj = visible(request, Publication.objects.all()).select_related("series").filter(slug=slug).first()
        publication = obj
    else:
        obj = (
            visible(request, TocEntry.objects.all())
            .select_related("publication__series")
            .filter(publication__slug=slug, slug=entry_slug)
            .first()
        )
        publication = obj.publication if obj else None
    if obj is None:
        raise Http404(_("There is no such publication."))
    item = citation_item(request, obj)
    response = HttpResponse(citations.render(item, extension), content_type=citations.FORMATS[extension])
    response["Content-Disposition"] = f'attachment; filename="{item["id"]}.{extension}"'
    return never_cache_preview(response, not publication.is_live)


def _absolute(request, path):
    return request.build_absolute_uri(path)


def book_data(request, publication, translations=()):
    site = SiteSettings.load()
    data = {
        "@context": "https://schema.org",
        # A Book (it has an ISBN and editions) that is also a Report: schema.org allows both types.
        "@type": ["Book", "Report"],
        "@id": _absolute(request, publication.get_absolute_url()),
        "url": _absolute(request, publication.get_absolute_url()),
        "name": publication.title,
        "datePublished": (publication.publication_date or publication.year).__str__(),
        "publisher": {"@type": "Organization", "name": site.name, "url": _absolute(request, "/")},
    }
    if publication.summary:
        data["description"] = publication.summary
    if publication.isbn:
        data["isbn"] = publication.isbn_compact
    data.update(people_data(publication.authors, "author"))
    data.update(people_data(publication.editors, "editor"))
    if publication.issn:
        data["issn"] = publication.issn
    if publication.doi:
        data["sameAs"] = f"https://doi.org/{publication.doi}"
    if publication.language != "other":
        data["inLanguage"] = publication.language
    if publication.edition:
        data["bookEdition"] = str(publication.edition)
    if publication.series_id:
        data["isPartOf"] = {"@type": "BookSeries", "name": publication.series.title}
    if publication.cover_id:
        data["image"] = _absolute(request, og_image_url(publication.cover))
    if publication.document_id:
        data["encoding"] = {
            "@type": "MediaObject",
            "contentUrl": _absolute(request, publication.document.get_absolute_url()),
            "encodingFormat": publication.document.content_type,
            "contentSize": str(publication.document.file_size),
        }
    # A link has no direction; we take the edition in the site's source language as the original.
    source = settings.LANGUAGE_CODE
    for other in translations:
        ref = {
            "@type": "Book",
            "@id": _absolute(request, other.get_absolute_url()),
            "name": other.title,
            "inLanguage": other.language,
        }
        if publication.language == source and other.language != source:
            data.setdefault("workTranslation", []).append(ref)
        elif other.language == source and publication.language != source:
            data.setdefault("translationOfWork", []).append(ref)
    return data


@require_safe
def entry_detail(request, slug, entry_slug):
    entry = (
        visible(request, TocEntry.objects.all())
        .select_related("publication__series", "publication__cover", "parent", "document")
        .filter(publication__slug=slug, slug=entry_slug)
        .first()
    )
    if entry is None:
        raise Http404(_("There is no such chapter."))
    publication = entry.publication
    previous, following = entry.previous_entry(), entry.next_entry()
    chapters = list(entry.get_children().select_related("document")) if entry.kind == TocEntry.Kind.PART else []
    for neighbour in (previous, following, entry.parent, *chapters):
        if neighbour is not None:
            neighbour.publication = publication  # their URLs need its slug: no query each
    crumbs = [(_("Publications"), reverse("publications:index")), (publication.title, publication.get_absolute_url())]
    if entry.parent:
        crumbs.append((str(entry.parent), entry.parent.get_absolute_url()))
    crumbs.append((str(entry), ""))
    context = {
        "entry": entry,
        "translation_object": entry,  # the notice, hreflang and canonical follow the chapter's language
        "publication": publication,
        "toc": get_cached_trees(publication.toc_entries.order_by("tree_id", "lft")),
        "previous": previous,
        "next": following,
        "chapters": chapters,
        "crumbs": crumbs,
        "preview": not publication.is_live,
    }
    context["cite"] = cite_context(request, entry)
    if entry.is_readable:
        context["json_ld"] = chapter_data(request, entry, entry.reading_position())
    response = render(request, "publications/entry_detail.html", context)
    return never_cache_preview(response, not publication.is_live)


def people_data(names, key):
    """``{"author": [...]}`` as schema.org Person / Organization nodes, or nothing."""
    people = []
    for name in citations.parse_names(names):
        if "literal" in name:
            people.append({"@type": "Organization", "name": name["literal"]})
        else:
            people.append(
                {
                    "@type": "Person",
                    "familyName": name["family"],
                    "givenName": name["given"],
                    "name": f"{name['given']} {name['family']}",
                }
            )
    return {key: people} if people else {}


def chapter_data(request, entry, position):
    publication = entry.publication
    book = {
        "@type": "Book",
        "@id": _absolute(request, publication.get_absolute_url()),
        "name": publication.title,
    }
    if publication.isbn:
        book["isbn"] = publication.isbn_compact
    data = {
        "@context": "https://schema.org",
        "@type": "Chapter",
        "url": _absolute(request, entry.get_absolute_url()),
        "name": str(entry),
        "position": position,
        "isPartOf": book,
    }
    if entry.summary:
        data["description"] = entry.summary
    data.update(people_data(entry.authors or publication.authors or SiteSettings.load().name, "author"))
    if entry.pages:
        first, last = citations.page_range(entry.pages)
        data["pageStart"] = first
        if last:
            data["pageEnd"] = last
    if entry.doi:
        data["sameAs"] = f"https://doi.org/{entry.doi}"
    if publication.language != "other":
        data["inLanguage"] = publication.language
    if entry.document_id:
        data["encoding"] = {
            "@type": "MediaObject",
            "contentUrl": _absolute(request, entry.document.get_absolute_url()),
            "encodingFormat": entry.document.content_type,
            "contentSize": str(entry.document.file_size),
        }
    return data


@require_safe
def seen(request, slug, pk, kind, entry_slug=None):
    """The counting beacon of a publication or chapter page (decision 022): no query, no cookie, no write."""
    return counts.beacon(request, kind, pk)
