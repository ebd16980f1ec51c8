"""RSS and Atom feeds of consultation events: all series, or one."""

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from consultations.models import ConsultationEvent, ConsultationSeries

ITEMS = 30


class EventFeed(Feed):
    url_name = "feed"

    def get_object(self, request, slug=None):
        return get_object_or_404(ConsultationSeries.objects.published(), slug=slug) if slug else None

    def title(self, obj):
        return obj.title if obj else _("IOM consultations")

    def description(self, obj):
        return obj.summary if obj and obj.summary else _("Consultation events organised by IOM and its partners.")

    def link(self, obj):
        return obj.get_absolute_url() if obj else reverse("consultations:index")

    def feed_url(self, obj):
        name = "series_" if obj else ""
        kwargs = {"slug": obj.slug} if obj else {}
        return reverse(f"consultations:{name}{self.url_name}", kwargs=kwargs)

    def items(self, obj):
        events = (
            ConsultationEvent.objects.published()
            .in_published_series()
            .select_related("series", "country")
            .with_places()
        )
        if obj is not None:
            events = events.filter(series=obj)
        return events.order_by("-start_date", "-pk")[:ITEMS]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        where = f" · {item.location}" if item.location else ""
        parts = [f"{item.dates_display}{where}", str(item.lifecycle.label), item.theme, item.summary]
        return "\n".join(part for part in parts if part)

    def item_link(self, item):
        return item.get_absolute_url()

    def item_pubdate(self, item):
        return item.publish_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_categories(self, item):
        return [item.series.title]


class AtomEventFeed(EventFeed):
    feed_type = Atom1Feed
    url_name = "atom"

    def subtitle(self, obj):
        return self.description(obj)
