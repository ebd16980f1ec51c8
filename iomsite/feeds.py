"""The site-wide feed of the latest content, read from the search index (published only)."""

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from iomsite.models import SiteSettings
from iomsite.search.models import SearchEntry

LATEST = 30


class LatestContentFeed(Feed):
    description = _("The latest content published on the site, in every section.")

    def title(self):
        return _("%(site)s: latest content") % {"site": SiteSettings.load().name}

    def link(self):
        return reverse("home")

    def items(self):
        entries = SearchEntry.objects.filter(language=get_language()).live().exclude(kind="chapter")
        return entries.order_by("-publish_at", "-pk")[:LATEST]

    def item_title(self, entry):
        return entry.title

    def item_description(self, entry):
        return entry.summary or entry.body[:300]

    def item_link(self, entry):
        return entry.url

    def item_guid(self, entry):
        return f"urn:iomsite:{entry.content_type_id}:{entry.object_id}"

    item_guid_is_permalink = False

    def item_pubdate(self, entry):
        return entry.publish_at


class LatestContentAtomFeed(LatestContentFeed):
    feed_type = Atom1Feed
    subtitle = LatestContentFeed.description
