from django.contrib.sitemaps import Sitemap
from django.urls import reverse


class NewsletterSitemap(Sitemap):
    """The sign-up page, in every language."""

    changefreq = "yearly"
    priority = 0.3
    i18n = True
    alternates = True
    x_default = True

    def items(self):
        return ["newsletter:signup"]

    def location(self, item):
        return reverse(item)
