from django.urls import reverse

from iomsite.sitemaps import SectionSitemap
from regions.models import Region


class RegionSitemap(SectionSitemap):
    changefreq = "monthly"
    priority = 0.6

    def items(self):
        return Region.objects.published().order_by("tree_id", "lft")

    def lastmod(self, obj):
        return obj.updated_at


class OfficeListSitemap(SectionSitemap):
    """The regions index and the page of countries and offices."""

    changefreq = "monthly"
    priority = 0.5

    def items(self):
        return ["regions:index", "regions:offices"]

    def location(self, item):
        return reverse(item)
