from datetime import datetime, time

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from iomsite.models import SiteSettings
from publications.news.forms import NewsFilterForm
from publications.news.models import Article

FEED_SIZE = 20


class NewsFeed(Feed):
    """The latest articles, site-wide or narrowed like the listing (``?region=…``, ``?theme=…``, ``?kind=…``).

    A region's or a theme's news feed is this feed with its filter; a refused filter is ignored.
    """

    def get_object(self, request, *args, **kwargs):
        published = Article.objects.published()
        form = NewsFilterForm(request.GET, published=published)
        form.items = form.apply(published)
        return form

    def title(self, form):
        site = SiteSettings.load().name
        chosen = [form.chosen_title(name) for name in ("region", "theme", "kind")]
        chosen = [label for label in chosen if label]
        if chosen:
            return _("News: %(filters)s – %(site)s") % {"filters": ", ".join(chosen), "site": site}
        return _("News – %(site)s") % {"site": site}

    def link(self, form):
        query = {name: value for name, value in form.cleaned_data.items() if value and name != "year"}
        return reverse("news:index") + (f"?{urlencode(query)}" if query else "")

    def description(self, form):
        return _("The latest news, press releases and stories.")

    def items(self, form):
        return form.items.newest_first().select_related("kind")[:FEED_SIZE]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.standfirst

    def item_link(self, item):
        return item.get_absolute_url()

    def item_pubdate(self, item):
        return timezone.make_aware(datetime.combine(item.date, time(12)))

    def item_updateddate(self, item):
        return item.updated_at

    def item_categories(self, item):
        return [item.kind.title]


class NewsAtomFeed(NewsFeed):
    feed_type = Atom1Feed

    def subtitle(self, form):
        return self.description(form)
