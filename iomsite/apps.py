from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IomsiteConfig(AppConfig):
    name = "iomsite"
    verbose_name = _("Site")

    def ready(self):
        from iomsite import demo, pagecache, signals  # noqa: F401
        from iomsite.models import Page
        from iomsite.registry import registry
        from iomsite.sitemaps import PageSitemap

        pagecache.connect()
        registry.add_sitemap("pages", PageSitemap)
        registry.add_search_model(Page, "page", _("Page"))
        registry.add_demo_loader(10, "site", demo.load)
