from django.contrib.sitemaps import Sitemap

from consultations.models import ConsultationEvent, ConsultationSeries


class SeriesSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.6
    i18n = True
    alternates = True
    x_default = True

    def items(self):
        return ConsultationSeries.objects.published().order_by("sort_order", "pk")

    def lastmod(self, obj):
        return obj.updated_at


class EventSitemap(Sitemap):
    changefreq = "yearly"
    priority = 0.5
    i18n = True
    alternates = True
    x_default = True

    def items(self):
        return ConsultationEvent.objects.published().in_published_series().select_related("series").order_by("pk")

    def lastmod(self, obj):
        return obj.updated_at
