from django.utils.translation import gettext_lazy as _

from iomsite.content import TREE, Content, ContentAppConfig, Home, Search

HOME_SECTION_SIZE = 4


def lead_publication():
    from publications.models import Publication

    return Publication.objects.published().newest_first().select_related("series", "cover")[:1]


def latest_publications():
    """The newest publications after the one that leads the page."""
    from publications.models import Publication

    return Publication.objects.published().newest_first().select_related("series", "cover")[1 : HOME_SECTION_SIZE + 1]


def searchable_publications():
    from publications.models import Publication

    return Publication.objects.published().prefetch_related("themes", "regions", "document__publication_text__pages")


def searchable_chapters():
    """Front matter and chapters of live publications (parts only group chapters)."""
    from publications.models import TocEntry

    return (
        TocEntry.objects.published()
        .readable()
        .select_related("publication")
        .prefetch_related("publication__themes", "publication__regions", "document__publication_text__pages")
    )


class PublicationsConfig(ContentAppConfig):
    name = "publications"
    verbose_name = _("Publications")
    url_prefix = "publications"
    title = _("Publications")
    content = (
        Content(
            "Publication",
            sections={"theme": "themes", "region": "regions"},
            search=Search(
                "publication",
                _("Publication"),
                queryset=searchable_publications,
                results="publications.pdftext.publication_hits",
            ),
        ),
        # Chapters come and go with their publication: pages, search, sitemaps, preview, sections.
        Content(
            "TocEntry",
            shape=TREE,
            key="chapter",
            part_of="publication",
            search=Search(
                "chapter", _("Chapter"), queryset=searchable_chapters, results="publications.pdftext.chapter_hits"
            ),
        ),
    )
    sitemaps = {
        "publications": "publications.sitemaps.PublicationSitemap",
        "publication-chapters": "publications.sitemaps.ChapterSitemap",
    }
    # The newest publication leads the home page; the next ones follow the themes and events.
    home = (
        Home(_("Featured publication"), "publications/includes/home_lead.html", lead_publication, order=5, key="lead"),
        Home(
            _("Publications"),
            "publications/includes/home_section.html",
            latest_publications,
            order=35,
            more_url="publications:index",
        ),
    )
    order = 50
    demo = "publications.demo.load"
    generate = "publications.generate.generate"
    bench = "publications.generate.bench_pages"

    def ready(self):
        super().ready()
        from iomsite.api import api
        from publications.api import router

        api.add_router("/publications", router)
