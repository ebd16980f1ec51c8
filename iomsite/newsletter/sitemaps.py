from django.urls import reverse

from iomsite.sitemaps import SectionSitemap


class NewsletterSitemap(SectionSitemap):
    """The sign-up page, in every language."""

    changefreq = "yearly"
    priority = 0.3

    def items(self):
        return ["newsletter:signup"]

    def location(self, item):
        return reverse(item)
