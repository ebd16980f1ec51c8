from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def home_items():
    """The regions at the top of the tree, in the order editors give them."""
    from iomsite.models import live_q
    from regions.models import Region

    # Top-level nodes have no ancestor to hide them: the plain publishing rule, without the tree check.
    return list(Region.objects.filter(live_q(), parent=None, kind=Region.Kind.REGION))


def home_more_url():
    from django.urls import reverse

    return reverse("regions:index")


class RegionsConfig(AppConfig):
    name = "regions"
    verbose_name = _("Regions")

    def ready(self):
        from iomsite.registry import HomeSection, registry
        from regions import demo
        from regions.models import Region
        from regions.sitemaps import OfficeListSitemap, RegionSitemap

        registry.add_sitemap("regions", RegionSitemap)
        registry.add_sitemap("regions-pages", OfficeListSitemap)
        registry.add_home_section(
            HomeSection(
                key="regions",
                title=_("Regions"),
                template="regions/includes/home_section.html",
                get_items=home_items,
                order=40,
                more_url=home_more_url,
            )
        )
        registry.add_search_model(Region, "region", _("Regions and countries"))
        registry.add_search_facet("region", _("Region"), Region)
        registry.add_demo_loader(20, "regions", demo.load)
