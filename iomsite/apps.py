import os
import stat

from django.apps import AppConfig
from django.db.backends.signals import connection_created
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
        connection_created.connect(private_sqlite_file, dispatch_uid="iomsite-private-sqlite")
        registry.add_sitemap("pages", PageSitemap)
        registry.add_search_model(Page, "page", _("Page"))
        registry.add_demo_loader(10, "site", demo.load)


def private_sqlite_file(sender, connection, **kwargs):
    """The SQLite database holds password hashes and sessions: readable by its owner only."""
    if connection.vendor != "sqlite":
        return
    name = str(connection.settings_dict["NAME"])
    if name.startswith("file:") or name == ":memory:" or not os.path.isfile(name):
        return
    if stat.S_IMODE(os.stat(name).st_mode) & 0o077:
        os.chmod(name, 0o600)
