from consultations.models import ConsultationEvent, ConsultationSeries
from iomsite.sitemaps import SectionSitemap


class SeriesSitemap(SectionSitemap):
    changefreq = "monthly"
    priority = 0.6

    def items(self):
        return ConsultationSeries.objects.published().order_by("sort_order", "pk")

    def lastmod(self, obj):
        return obj.updated_at


class EventSitemap(SectionSitemap):
    changefreq = "yearly"
    priority = 0.5

    def items(self):
        return ConsultationEvent.objects.published().in_published_series().select_related("series").order_by("pk")

    def lastmod(self, obj):
        return obj.updated_at
