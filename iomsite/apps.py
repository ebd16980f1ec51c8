import os
import stat

from django.db.backends.signals import connection_created
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
        from iomsite import checks, freshness, languages, redirects  # noqa: F401

        freshness.connect()
        redirects.connect()
        languages.connect()
        connection_created.connect(private_sqlite_file, dispatch_uid="iomsite-private-sqlite")


def private_sqlite_file(sender, connection, **kwargs):
    """The SQLite database holds password hashes and sessions: readable by its owner only."""
    if connection.vendor != "sqlite":
        return
    name = str(connection.settings_dict["NAME"])
    if name.startswith("file:") or name == ":memory:" or not os.path.isfile(name):
        return
    if stat.S_IMODE(os.stat(name).st_mode) & 0o077:
        os.chmod(name, 0o600)
