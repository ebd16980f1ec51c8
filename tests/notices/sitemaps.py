from iomsite.sitemaps import SectionSitemap
from tests.notices.models import Notice


class NoticeSitemap(SectionSitemap):
    def items(self):
        return Notice.objects.published().order_by("pk")
