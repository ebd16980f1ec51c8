"""Sitemaps: an index at ``/sitemap.xml`` and each section in pages of bounded size.

Each item is listed, and announced as an alternate, only in the languages it is really
translated into (``get_languages_for_item``): English shown under ``/fr/`` is no French page.

Django's ``Sitemap`` with ``i18n`` builds the list of every (item, language) pair of a
section on each request, and its ``get_latest_lastmod()`` reads every item for the
index. ``SectionSitemap`` reads one page of items (one query) and the section's size
and latest change (one aggregate), so the index and every section page cost the same
whatever the amount of content. ``items()`` must be ordered on a unique key: pages are
slices of it.
"""

from django.contrib.sitemaps import Sitemap
from django.core.paginator import Paginator
from django.db.models import Count, Max
from django.utils.functional import cached_property

from iomsite import freshness, languages
from iomsite.models import Page

# Items (not URLs) per section page: each is listed in every language, each time with
# its alternates in every language and x-default: about 2 MB of XML for 1,000 items.
ITEMS_PER_PAGE = 1000


class InEveryLanguage:
    """The (item, language) pairs of a sitemap, read one page of items at a time (for ``Paginator``)."""

    def __init__(self, sitemap):
        self.sitemap = sitemap
        self.languages = sitemap._languages()

    def count(self):
        return self.sitemap.item_count * len(self.languages)

    def __len__(self):
        return self.count()

    def __getitem__(self, window):
        # Pages are whole items (``limit`` is a multiple of the languages), each in the languages
        # it really exists in: a page lists at most ``limit`` addresses, fewer where translations lack.
        width = len(self.languages)
        rows = self.sitemap.page_items(window.start // width, -(-window.stop // width))
        return [
            (entry, code) for entry in self.sitemap.entries(rows) for code in self.sitemap.get_languages_for_item(entry)
        ]


class SectionSitemap(Sitemap):
    """A section of the sitemap, in every language with its alternates, ``items_per_page`` items a page."""

    i18n = True
    alternates = True
    x_default = True
    items_per_page = ITEMS_PER_PAGE
    lastmod_field = "updated_at"  # a field or expression of the items: the index's lastmod

    @property
    def limit(self):
        return self.items_per_page * len(self._languages())

    @property
    def paginator(self):
        return Paginator(InEveryLanguage(self), self.limit)

    @cached_property
    def summary(self):
        """``(number of items, latest change or None)`` in one query."""
        items = self.items()
        if isinstance(items, list | tuple):
            return len(items), None
        freshness.shows(freshness.changes_tag(items.model))  # the latest change moves with every edit
        row = items.order_by().aggregate(count=Count("pk"), latest=Max(self.lastmod_field))
        return row["count"], row["latest"]

    @property
    def item_count(self):
        return self.summary[0]

    def get_latest_lastmod(self):
        return self.summary[1]

    def page_items(self, start, stop):
        return list(self.items()[start:stop])

    def get_languages_for_item(self, item):
        """The languages an entry is really translated into (``iomsite.languages``): its addresses and alternates.

        An entry may be ``(object, tab)``; an entry that is no translated object (a named
        page, a listing) exists in every language.
        """
        obj = item[0] if isinstance(item, tuple) else item
        if languages.translated_fields(obj):
            return languages.translated_languages(obj)
        return self._languages()

    def entries(self, rows):
        """The sitemap entries of a page's items: one each, unless a section lists more addresses per item."""
        return rows


class PageSitemap(SectionSitemap):
    changefreq = "monthly"
    priority = 0.4

    def items(self):
        return Page.objects.published().order_by("pk")

    def lastmod(self, obj):
        return obj.updated_at
