from datetime import datetime, time

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from themes.models import Theme, news_of

FEED_ITEMS = 20


class ThemeNewsFeed(Feed):
    """A theme's news articles, newest first, linking to their pages. Published themes only: feeds have no preview."""

    def get_object(self, request, path):
        return get_object_or_404(Theme.objects.published(), path=path)

    def title(self, obj):
        return _("%(theme)s: news") % {"theme": obj.title}

    def link(self, obj):
        return obj.news_url

    def description(self, obj):
        return obj.summary

    def items(self, obj):
        articles = news_of(obj)
        return articles[:FEED_ITEMS] if articles is not None else []

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.standfirst

    def item_link(self, item):
        return item.get_absolute_url()

    def item_guid(self, item):
        return f"urn:iomsite:news-article:{item.pk}"  # stable when the article's slug changes

    item_guid_is_permalink = False

    def item_pubdate(self, item):
        return timezone.make_aware(datetime.combine(item.date, time(12)))


class ThemeNewsAtomFeed(ThemeNewsFeed):
    feed_type = Atom1Feed

    def subtitle(self, obj):
        return obj.summary
