from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

HOME_EVENTS = 4


def home_items():
    """Up to four events for the home page: what is coming first, then the ones that ended last."""
    from consultations.models import ConsultationEvent

    events = ConsultationEvent.objects.published().in_published_series().select_related("series", "country")
    # Two short scans of the last-day index rather than sorting every event; the second only when fewer
    # than four are coming. Keys first, then the few rows with their series and country.
    items = first(events.upcoming(), HOME_EVENTS)
    if len(items) < HOME_EVENTS:
        items += first(events.latest_past(), HOME_EVENTS - len(items))
    return items


def first(ordered, count):
    """The first ``count`` rows of ``ordered``: chosen on primary keys alone, then read with their joins."""
    return list(ordered.filter(pk__in=ordered.values("pk")[:count]))


def home_more_url():
    from django.urls import reverse

    return reverse("consultations:index")


def searchable_events():
    from consultations.models import ConsultationEvent

    return ConsultationEvent.objects.published().in_published_series()


class ConsultationsConfig(AppConfig):
    name = "consultations"
    verbose_name = _("Consultations")

    def ready(self):
        from consultations import demo
        from consultations.models import ConsultationEvent, ConsultationSeries
        from consultations.sitemaps import EventSitemap, SeriesSitemap
        from iomsite.registry import HomeSection, registry

        registry.add_sitemap("consultation-series", SeriesSitemap)
        registry.add_sitemap("consultation-events", EventSitemap)
        registry.add_home_section(
            HomeSection(
                key="consultations",
                title=_("Consultations"),
                template="consultations/includes/home_section.html",
                get_items=home_items,
                order=30,
                more_url=home_more_url,
            )
        )
        registry.add_search_model(ConsultationSeries, "series", _("Consultation series"))
        registry.add_search_model(
            ConsultationEvent,
            "event",
            _("Consultation events"),
            queryset=searchable_events,
            depends_on=((ConsultationSeries, "series"),),
        )
        registry.add_demo_loader(40, "consultations", demo.load)
