from django.utils.translation import gettext_lazy as _

from iomsite.content import SINGLE, Content, ContentAppConfig, Home, Search

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


def searchable_events():
    from consultations.models import ConsultationEvent

    return (
        ConsultationEvent.objects.published().in_published_series().select_related("series").prefetch_related("themes")
    )


class ConsultationsConfig(ContentAppConfig):
    name = "consultations"
    verbose_name = _("Consultations")
    url_prefix = "consultations"
    title = _("Consultations")
    content = (
        Content("ConsultationsOverview", shape=SINGLE),
        Content("ConsultationSeries", key="series", search=Search("series", _("Consultation series"))),
        Content("SeriesDocument", part_of="series"),
        Content(
            "ConsultationEvent",
            key="event",
            listed_in="series",
            sections={"region": "country", "theme": "themes"},
            search=Search("event", _("Consultation events"), queryset=searchable_events),
            review_days=None,  # a record of what took place: its report, not a review date, keeps it current
        ),
        Content("EventDocument", part_of="event"),
        # Not content visitors see: declared so that section rules and the seam know whose rows they are.
        Content("Registration", part_of="event", redirects=False, drafted=False),
    )
    sitemaps = {
        "consultation-series": "consultations.sitemaps.SeriesSitemap",
        "consultation-events": "consultations.sitemaps.EventSitemap",
    }
    home = Home(
        _("Consultations"),
        "consultations/includes/home_section.html",
        home_items,
        order=30,
        more_url="consultations:index",
    )
    order = 40
    demo = "consultations.demo.load"
    generate = "consultations.generate.generate"
    bench = "consultations.generate.bench_pages"
