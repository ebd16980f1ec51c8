from iomsite.sitemaps import ITEMS_PER_PAGE, SectionSitemap
from themes.models import NEWS_TAB, RESOURCES_TAB, Theme


class ThemeSitemap(SectionSitemap):
    """Every published theme, and each of its tabs that has something to show."""

    changefreq = "monthly"
    priority = 0.6
    items_per_page = ITEMS_PER_PAGE // 3  # up to three addresses per theme

    def items(self):
        return Theme.objects.published().order_by("tree_id", "lft")

    def page_items(self, start, stop):
        return list(self.items().with_tab_flags()[start:stop])

    def entries(self, rows):
        entries = []
        for theme in rows:
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
