from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def main_topics():
    """Six live main topics. A top-level theme has no ancestor to hide it: the plain publishing rule
    is enough, and it spares the tree check over every theme (``published()``) on the home page."""
    from iomsite.models import live_q
    from themes.models import Theme

    return Theme.objects.filter(live_q(), parent=None).select_related("image")[:6]


class ThemesConfig(AppConfig):
    name = "themes"
    verbose_name = _("Thematic pages")

    def ready(self):
        from django.urls import reverse_lazy

        from iomsite.registry import HomeSection, registry
        from themes import demo
        from themes.models import Theme
        from themes.sitemaps import ThemeSitemap

        registry.add_sitemap("themes", ThemeSitemap)
        registry.add_home_section(
            HomeSection(
                key="themes",
                title=_("Themes"),
                template="themes/includes/home_section.html",
                get_items=main_topics,
                order=10,
                more_url=reverse_lazy("themes:index"),
            )
        )
        registry.add_search_model(Theme, "theme", _("Theme"))
        registry.add_search_facet("theme", _("Theme"), Theme)
        registry.add_demo_loader(30, "themes", demo.load)
