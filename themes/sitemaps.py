from django.contrib.sitemaps import Sitemap

from themes.models import NEWS_TAB, RESOURCES_TAB, Theme


class ThemeSitemap(Sitemap):
    """Every published theme, and each of its tabs that has something to show."""

    changefreq = "monthly"
    priority = 0.6
    i18n = True
    alternates = True
    x_default = True

    def items(self):
        entries = []
        for theme in Theme.objects.published().with_tab_flags().order_by("tree_id", "lft"):
            entries.append((theme, None))
            if theme.has_documents or theme.has_links or getattr(theme, "has_publications", False):
                entries.append((theme, RESOURCES_TAB))
            if theme.has_news or theme.has_videos:
                entries.append((theme, NEWS_TAB))
        return entries

    def location(self, item):
        theme, tab = item
        if tab == RESOURCES_TAB:
            return theme.resources_url
        if tab == NEWS_TAB:
            return theme.news_url
        return theme.get_absolute_url()

    def lastmod(self, item):
        return item[0].updated_at
