from django.conf import settings
from django.http import Http404
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
        return context


def _absolute(request, path):
    return request.build_absolute_uri(path)


def book_data(request, publication, translations=()):
    site = SiteSettings.load()
    data = {
        "@context": "https://schema.org",
        "@type": "Book",
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
    if entry.is_readable:
        context["json_ld"] = chapter_data(request, entry, entry.reading_position())
    response = render(request, "publications/entry_detail.html", context)
    return never_cache_preview(response, not publication.is_live)


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
