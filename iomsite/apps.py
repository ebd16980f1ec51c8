from django.utils.translation import gettext_lazy as _

from iomsite.content import Content, ContentAppConfig, Search


class IomsiteConfig(ContentAppConfig):
    """The core is a content app too: basic pages go through the same seam as every other type."""

    name = "iomsite"
    verbose_name = _("Site")
    content = (Content("Page", search=Search("page", _("Page"))),)
    sitemaps = {"pages": "iomsite.sitemaps.PageSitemap", "newsletter": "iomsite.newsletter.sitemaps.NewsletterSitemap"}
    order = 10
    demo = "iomsite.demo.load"
    generate = "iomsite.generate.generate"

    def ready(self):
        from iomsite import checks, freshness, redirects  # noqa: F401

        freshness.connect()
        redirects.connect()
