from datetime import datetime, time

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from themes.models import Theme

FEED_ITEMS = 20


class ThemeNewsFeed(Feed):
    """A theme's news items, newest first. Published themes only: feeds have no preview."""

    def get_object(self, request, path):
        return get_object_or_404(Theme.objects.published(), path=path)

    def title(self, obj):
        return _("%(theme)s: news") % {"theme": obj.title}

    def link(self, obj):
        return obj.news_url

    def description(self, obj):
        return obj.summary

    def items(self, obj):
        news = obj.news_items.all()[:FEED_ITEMS]
        for item in news:
            item.theme = obj  # no query per item for its link
        return news

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary

    def item_link(self, item):
        return item.get_absolute_url()

    def item_guid(self, item):
        return f"urn:iomsite:theme-news:{item.pk}"  # stable even when the theme moves

    item_guid_is_permalink = False

    def item_pubdate(self, item):
        return timezone.make_aware(datetime.combine(item.date, time(12)))


class ThemeNewsAtomFeed(ThemeNewsFeed):
    feed_type = Atom1Feed

    def subtitle(self, obj):
        return obj.summary
