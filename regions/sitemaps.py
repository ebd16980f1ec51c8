from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from regions.models import Region


class RegionSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.6
    i18n = True
    alternates = True
    x_default = True

    def items(self):
        return Region.objects.published().order_by("tree_id", "lft")

    def lastmod(self, obj):
        return obj.updated_at


class OfficeListSitemap(Sitemap):
    """The regions index and the page of countries and offices."""

    changefreq = "monthly"
    priority = 0.5
    i18n = True
    alternates = True
    x_default = True

    def items(self):
        return ["regions:index", "regions:offices"]

    def location(self, item):
        return reverse(item)
