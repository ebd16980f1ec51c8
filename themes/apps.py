from django.utils.translation import gettext_lazy as _

from iomsite.content import TREE, Content, ContentAppConfig, Home, Search


def main_topics():
    """Six live main topics. A top-level theme has no ancestor to hide it: the plain publishing rule
    is enough, and it spares the tree check over every theme (``published()``) on the home page."""
    from iomsite.models import live_q
    from themes.models import Theme

    return Theme.objects.filter(live_q(), parent=None).select_related("image")[:6]


class ThemesConfig(ContentAppConfig):
    name = "themes"
    verbose_name = _("Thematic pages")
    url_prefix = "themes"
    title = _("Themes")
    content = (
        Content(
            "Theme",
            shape=TREE,
            key="theme",
            section_root=True,
            topics=True,
            search=Search("theme", _("Theme"), facet=_("Theme")),
        ),
        Content("Infographic", part_of="theme"),
        Content("FeaturedProject", part_of="theme"),
        Content("ThemeDocument", part_of="theme"),
        Content("ThemeLink", part_of="theme"),
        Content("Video", part_of="theme"),
    )
    sitemaps = {"themes": "themes.sitemaps.ThemeSitemap"}
    home = Home(_("Themes"), "themes/includes/home_section.html", main_topics, order=10, more_url="themes:index")
    order = 30
    demo = "themes.demo.load"
    generate = "themes.generate.generate"
    bench = "themes.generate.bench_pages"
