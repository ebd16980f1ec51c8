from django.db.models.functions import Greatest

from iomsite.sitemaps import SectionSitemap
from publications.models import Publication, TocEntry


class PublicationSitemap(SectionSitemap):
    changefreq = "monthly"
    priority = 0.6

    def items(self):
        return Publication.objects.published().order_by("pk")

    def lastmod(self, obj):
        return obj.updated_at


class ChapterSitemap(SectionSitemap):
    changefreq = "yearly"
    priority = 0.4
    lastmod_field = Greatest("updated_at", "publication__updated_at")

    def items(self):
        return TocEntry.objects.published().select_related("publication").order_by("pk")

    def lastmod(self, obj):
        return max(obj.updated_at, obj.publication.updated_at)
