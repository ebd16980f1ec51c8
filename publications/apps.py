from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

HOME_SECTION_SIZE = 4


class PublicationsConfig(AppConfig):
    name = "publications"
    verbose_name = _("Publications")

    def ready(self):
        from django.urls import reverse

        from iomsite.registry import HomeSection, registry
        from publications import demo
        from publications.models import Publication, TocEntry
        from publications.sitemaps import ChapterSitemap, PublicationSitemap

        registry.add_sitemap("publications", PublicationSitemap)
        registry.add_sitemap("publication-chapters", ChapterSitemap)
        # The newest publication leads the home page; the next ones follow the themes and events.
        registry.add_home_section(
            HomeSection(
                key="lead",
                title=_("Featured publication"),
                template="publications/includes/home_lead.html",
                get_items=lead_publication,
                order=5,
            )
        )
        registry.add_home_section(
            HomeSection(
                key="publications",
                title=_("Publications"),
                template="publications/includes/home_section.html",
                get_items=latest_publications,
                order=35,
                more_url=lambda: reverse("publications:index"),
            )
        )
        registry.add_search_model(Publication, "publication", _("Publication"), queryset=searchable_publications)
        registry.add_search_model(
            TocEntry,
            "chapter",
            _("Chapter"),
            queryset=searchable_chapters,
            depends_on=((Publication, "publication"),),  # chapters come and go with their publication
        )
        registry.add_demo_loader(50, "publications", demo.load)


def lead_publication():
    from publications.models import Publication

    return Publication.objects.published().newest_first().select_related("series", "cover")[:1]


def latest_publications():
    """The newest publications after the one that leads the page."""
    from publications.models import Publication

    return Publication.objects.published().newest_first().select_related("series", "cover")[1 : HOME_SECTION_SIZE + 1]


def searchable_publications():
    from publications.models import Publication

    return Publication.objects.published().prefetch_related("themes", "regions")


def searchable_chapters():
    """Front matter and chapters of live publications (parts only group chapters)."""
    from publications.models import TocEntry

    return (
        TocEntry.objects.published()
        .readable()
        .select_related("publication")
        .prefetch_related("publication__themes", "publication__regions")
    )
