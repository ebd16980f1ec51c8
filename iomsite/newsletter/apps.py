from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NewsletterConfig(AppConfig):
    name = "iomsite.newsletter"
    label = "newsletter"
    verbose_name = _("Newsletter")

    def ready(self):
        from iomsite.newsletter.sitemaps import NewsletterSitemap
        from iomsite.registry import registry

        registry.add_sitemap("newsletter", NewsletterSitemap)
