from django.utils.translation import gettext_lazy as _

from iomsite.content import TREE, Content, ContentAppConfig, Home, Search


def home_items():
    """The regions at the top of the tree, in the order editors give them."""
    from iomsite.models import live_q
    from regions.models import Region

    # Top-level nodes have no ancestor to hide them: the plain publishing rule, without the tree check.
    return list(Region.objects.filter(live_q(), parent=None, kind=Region.Kind.REGION))


def searchable_regions():
    from regions.models import Region

    return Region.objects.published().prefetch_related("trends")


class RegionsConfig(ContentAppConfig):
    name = "regions"
    verbose_name = _("Regions")
    url_prefix = "regions"
    title = _("Regions")
    content = (
        Content(
            "Region",
            shape=TREE,
            key="region",
            section_root=True,
            search=Search("region", _("Regions and countries"), queryset=searchable_regions, facet=_("Region")),
        ),
        Content("KeyFigure", part_of="region"),
        Content("Trend", part_of="region"),
        # An office has its own publishing (an inline of its country in the admin); its address is an anchor.
        Content("Office", listed_in="country", sections={"region": "country"}, redirects=False),
    )
    sitemaps = {"regions": "regions.sitemaps.RegionSitemap", "regions-pages": "regions.sitemaps.OfficeListSitemap"}
    home = Home(_("Regions"), "regions/includes/home_section.html", home_items, order=40, more_url="regions:index")
    order = 20
    demo = "regions.demo.load"
    generate = "regions.generate.generate"
    bench = "regions.generate.bench_pages"
