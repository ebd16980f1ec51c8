from iomsite.sitemaps import SectionSitemap
from publications.news.models import Article


class ArticleSitemap(SectionSitemap):
    changefreq = "monthly"
    priority = 0.6

    def items(self):
        return Article.objects.published().order_by("pk")

    def lastmod(self, obj):
        return obj.updated_at
