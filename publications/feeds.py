from datetime import datetime, time

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed, Enclosure
from django.utils.translation import gettext_lazy as _

from iomsite.models import SiteSettings
from publications.models import Publication

FEED_SIZE = 20


class LatestPublicationsFeed(Feed):
    description = _("The latest reports and papers, with their downloads.")

    def title(self):
        return _("Publications – %(site)s") % {"site": SiteSettings.load().name}

    def link(self):
        return reverse("publications:index")

    def get_object(self, request, *args, **kwargs):
        return request  # items() needs it for absolute download links; the Feed instance is shared

    def items(self, request):
        items = list(Publication.objects.published().newest_first().select_related("series", "document")[:FEED_SIZE])
        for item in items:
            item.download_url = request.build_absolute_uri(item.document.get_absolute_url()) if item.document else ""
        return items

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary

    def item_pubdate(self, item):
        if item.publication_date:
            return timezone.make_aware(datetime.combine(item.publication_date, time(12)))
        return item.publish_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_categories(self, item):
        return [item.series.title] if item.series_id else []

    def item_enclosures(self, item):
        document = item.document
        if document is None:
            return []
        return [Enclosure(item.download_url, str(document.file_size), document.content_type)]


class LatestPublicationsAtomFeed(LatestPublicationsFeed):
    feed_type = Atom1Feed
    subtitle = LatestPublicationsFeed.description
