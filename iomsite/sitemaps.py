from django.contrib.sitemaps import Sitemap

from iomsite.models import Page


class PageSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.4
    i18n = True
    alternates = True
    x_default = True

    def items(self):
        return Page.objects.published().order_by("pk")

    def lastmod(self, obj):
        return obj.updated_at
