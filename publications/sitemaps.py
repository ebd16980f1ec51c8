from django.contrib.sitemaps import Sitemap

from publications.models import Publication, TocEntry


class PublicationSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.6
    i18n = True
    alternates = True
    x_default = True

    def items(self):
        return Publication.objects.published().order_by("pk")

    def lastmod(self, obj):
        return obj.updated_at


class ChapterSitemap(Sitemap):
    changefreq = "yearly"
    priority = 0.4
    i18n = True
    alternates = True
    x_default = True

    def items(self):
        return TocEntry.objects.published().select_related("publication").order_by("pk")

    def lastmod(self, obj):
        return max(obj.updated_at, obj.publication.updated_at)
