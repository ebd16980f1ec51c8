import csv
import io
import json

from django.core.exceptions import FieldDoesNotExist
from django.db.models import Exists, OuterRef, Prefetch, Q
from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_safe
from django.views.generic import TemplateView

from iomsite.preview import never_cache_preview, visible
from iomsite.spreadsheets import spreadsheet_cell
from iomsite.views import TreePageView
from regions.figures import bar_charts, figure_rows, format_value, json_number, plain_number
from regions.maps import region_map
from regions.models import KeyFigure, Office, Region, Trend

RESOURCE_LIMIT = 20  # per list on the Resources tab: a fixed page size whatever the content

TABS = (
    ("overview", gettext_lazy("Overview"), "regions:detail"),
    ("trends", gettext_lazy("Trends"), "regions:trends"),
    ("coverage", gettext_lazy("Coverage"), "regions:coverage"),
    ("resources", gettext_lazy("Resources"), "regions:resources"),
)


def related_model(name):
    """The model behind a reverse relation other apps add to Region (None while it does not exist)."""
    try:
        return Region._meta.get_field(name).related_model
    except FieldDoesNotExist:
        return None


def subtree(region, prefix=""):
    """The node and its descendants, as a filter on ``prefix``-related regions."""
    return Q(
        **{
            f"{prefix}tree_id": region.tree_id,
            f"{prefix}lft__gte": region.lft,
            f"{prefix}rght__lte": region.rght,
        }
    )


def outer_subtree(prefix=""):
    """``subtree()`` against the region of the enclosing query (for ``Exists``)."""
    return Q(
        **{
            f"{prefix}tree_id": OuterRef("tree_id"),
            f"{prefix}lft__gte": OuterRef("lft"),
            f"{prefix}rght__lte": OuterRef("rght"),
        }
    )


class RegionContent:
    """What a node holds, seen through ``nodes`` (published regions, or every region in a preview).

    Every list is one query, whatever the number of countries, offices or figures.
    """

    def __init__(self, nodes, preview=False):
        self.nodes = nodes
        self.preview = preview

    def flags(self):
        """``Exists`` annotations deciding which tabs a node shows: no extra query per tab."""
        flags = {
            "has_trends": Exists(Trend.objects.filter(region=OuterRef("pk"))),
            "has_countries": Exists(self.nodes.filter(outer_subtree(), kind=Region.Kind.COUNTRY)),
            "has_documents": Exists(Region.documents.through.objects.filter(region=OuterRef("pk"))),
        }
        publication = related_model("publications")
        if publication is not None:
            links = Region.publications.through.objects.filter(
                outer_subtree("region__"),
                region__in=self.nodes,
                publication__in=publication.objects.published(),
            )
            flags["has_publications"] = Exists(links)
        event = related_model("consultation_events")
        if event is not None:
            flags["has_consultations"] = Exists(
                self.events(event).filter(outer_subtree("country__"), country__in=self.nodes)
            )
        return flags

    @staticmethod
    def events(model):
        queryset = model.objects.published()
        if hasattr(queryset, "in_published_series"):  # an event of a draft series is hidden with it
            queryset = queryset.in_published_series()
        return queryset

    def countries(self, region=None):
        """The countries of ``region`` (all countries without one), each with its offices: two queries."""
        offices = (Office.objects.all() if self.preview else Office.objects.published()).order_by("sort_order", "name")
        countries = self.nodes.filter(kind=Region.Kind.COUNTRY)
        if region is not None:
            countries = countries.filter(subtree(region))
        countries = list(countries.select_related("parent").prefetch_related(Prefetch("offices", queryset=offices)))
        for country in countries:
            for office in country.offices.all():
                office.country = country  # its URL needs the country: no query per office
        return countries

    def publications(self, region):
        model = related_model("publications")
        if model is None:
            return []
        regions = self.nodes.filter(subtree(region))
        return list(model.objects.published().filter(regions__in=regions).distinct()[:RESOURCE_LIMIT])

    def consultations(self, region):
        model = related_model("consultation_events")
        if model is None:
            return []
        countries = self.nodes.filter(subtree(region), kind=Region.Kind.COUNTRY)
        events = self.events(model).filter(country__in=countries).select_related("series", "country")
        return list(events[:RESOURCE_LIMIT])


class RegionView(TreePageView):
    """One tab of a node of the tree. Anonymous visitors get published nodes only."""

    model = Region
    context_object_name = "region"
    tabs = TABS
    tab = "overview"
    index_crumb = (gettext_lazy("Regions"), "regions:index")
    missing = gettext_lazy("There is no such region or country.")

    @cached_property
    def content(self):
        return RegionContent(Region.objects.published())

    def get_queryset(self):
        published = Region.objects.published()
        return (
            super()
            .get_queryset()
            .annotate(is_public=Exists(published.filter(pk=OuterRef("pk"))), **self.content.flags())
        )

    def find_node(self, queryset):
        region = super().find_node(queryset)
        if not region.is_public:
            # A preview shows the draft's own drafts too; the flags must say the same.
            self.content = RegionContent(Region.objects.all(), preview=True)
            region = Region.objects.annotate(**self.content.flags()).get(pk=region.pk)
            region.is_public = False
        return region

    def tab_shown(self, region, tab):
        if tab == "trends":
            return region.has_trends
        if tab == "coverage":
            return region.has_countries
        if tab == "resources":
            return any(
                getattr(region, flag, False) for flag in ("has_documents", "has_publications", "has_consultations")
            )
        return True

    def is_preview(self, region, ancestors):
        return not region.is_public  # live with every ancestor, from one annotation

    def navigation(self, region):
        """Ancestors (breadcrumbs), siblings and children (side navigation), in one query."""
        nodes = list(
            self.content.nodes.filter(
                Q(tree_id=region.tree_id, lft__lt=region.lft, rght__gt=region.rght)
                | Q(parent_id=region.parent_id)
                | Q(parent_id=region.pk)
            )
        )
        ancestors = [n for n in nodes if n.tree_id == region.tree_id and n.lft < region.lft and n.rght > region.rght]
        siblings = [n for n in nodes if n.parent_id == region.parent_id]
        if region.parent_id is None:
            siblings.sort(key=lambda n: n.tree_id)
        children = [n for n in nodes if n.parent_id == region.pk]
        return sorted(ancestors, key=lambda n: n.level), siblings, children

    def get_tabs(self, region):
        tabs = super().get_tabs(region)
        for tab in tabs:
            if tab["key"] == "coverage":
                tab["label"] = _("Offices") if region.is_country else _("Countries and offices")
        return tabs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if len(context["tabs"]) < 2:
            context["tabs"] = []  # one tab: no tab bar
        return context

    def map(self, countries):
        region = self.object
        drawing = region_map(countries, current=region)
        if drawing is None:
            return None
        if region.is_country:
            drawing["caption"] = _("Map of %(country)s and its neighbours.") % {"country": region.title}
        else:
            drawing["caption"] = ngettext(
                "Map of %(region)s: the %(count)s country we cover is shaded (listed under “%(tab)s”).",
                "Map of %(region)s: the %(count)s countries we cover are shaded (listed under “%(tab)s”).",
                len(drawing["shapes"]),
            ) % {"region": region.title, "count": len(drawing["shapes"]), "tab": _("Countries and offices")}
        return drawing

    def place_ld(self, region, ancestors):
        data = {
            "@type": "Country" if region.is_country else "Place",
            "name": region.title,
            "url": self.request.build_absolute_uri(region.get_absolute_url()),
        }
        if ancestors:
            parent = ancestors[-1]
            data["containedInPlace"] = {
                "@type": "Place",
                "name": parent.title,
                "url": self.request.build_absolute_uri(parent.get_absolute_url()),
            }
        return data

    def json_ld(self, region, ancestors, crumbs):
        return {"@context": "https://schema.org", **self.place_ld(region, ancestors)}


class RegionOverview(RegionView):
    template_name = "regions/region_overview.html"

    def get_context_data(self, **kwargs):
        figures = list(self.object.figures.all())
        if self.object.is_public:
            # Visitors only ever see attributed figures (the admin refuses to publish others);
            # a preview shows them all, the incomplete ones flagged.
            figures = [figure for figure in figures if figure.is_attributed]
        for figure in figures:
            figure.display_value = format_value(figure.value, figure.unit, figure.currency_code)
        self.figures = figures
        context = super().get_context_data(**kwargs)
        context["figures"] = figures
        context["charts"] = bar_charts(figures)
        context["map"] = self.map(self.content.countries(self.object))
        return context

    def json_ld(self, region, ancestors, crumbs):
        data = super().json_ld(region, ancestors, crumbs)
        if not self.figures:
            return data
        absolute = self.request.build_absolute_uri
        dataset = {
            "@type": "Dataset",
            "name": _("Key figures: %(region)s") % {"region": region.title},
            "description": "; ".join(
                f"{figure.label}: {figure.display_value} ({figure.year}, {figure.source})" for figure in self.figures
            ),
            "url": absolute(region.get_absolute_url()),
            "distribution": [
                {
                    "@type": "DataDownload",
                    "encodingFormat": "text/csv",
                    "contentUrl": absolute(reverse("regions:figures_csv", kwargs={"path": region.path})),
                },
                {
                    "@type": "DataDownload",
                    "encodingFormat": "application/json",
                    "contentUrl": absolute(reverse("regions:figures_json", kwargs={"path": region.path})),
                },
            ],
        }
        return {"@context": "https://schema.org", "@graph": [self.place_ld(region, ancestors), dataset]}


class RegionTrends(RegionView):
    template_name = "regions/region_trends.html"
    tab = "trends"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["trends"] = self.object.trends.all()
        return context


def group_countries(countries, region):
    """``[(group_title or None, [countries])]``: by sub-region inside a region, in tree order."""
    groups = {}
    for country in countries:
        parent = country.parent if country.parent_id and country.parent_id != region.pk else None
        key = parent.pk if parent and parent.kind == Region.Kind.SUBREGION else None
        groups.setdefault(key, (parent.title if key else None, []))[1].append(country)
    return list(groups.values())


def office_ld(request, office, country):
    data = {
        "@type": "Organization",
        "name": office.name,
        "url": request.build_absolute_uri(office.get_absolute_url()),
        "address": {"@type": "PostalAddress", "streetAddress": office.address, "addressCountry": country.iso_code},
    }
    if office.phone:
        data["telephone"] = office.phone
    if office.email:
        data["email"] = office.email
    return data


class RegionCoverage(RegionView):
    template_name = "regions/region_coverage.html"
    tab = "coverage"

    def get_context_data(self, **kwargs):
        countries = self.content.countries(self.object)
        self.countries = countries
        context = super().get_context_data(**kwargs)
        context["groups"] = group_countries(countries, self.object)
        context["grouped"] = any(title for title, _countries in context["groups"])
        context["office_count"] = sum(len(country.offices.all()) for country in countries)
        context["map"] = self.map(countries)
        return context

    def json_ld(self, region, ancestors, crumbs):
        offices = [office_ld(self.request, office, c) for c in self.countries for office in c.offices.all()]
        return {"@context": "https://schema.org", "@graph": [self.place_ld(region, ancestors), *offices]}


class RegionResources(RegionView):
    template_name = "regions/region_resources.html"
    tab = "resources"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        region = self.object
        context["publications"] = self.content.publications(region) if region.has_publications else []
        context["consultations"] = self.content.consultations(region) if region.has_consultations else []
        context["documents"] = region.documents.order_by("title") if region.has_documents else []
        context["consultations_ready"] = related_model("consultation_events") is not None
        return context


def _region_or_404(request, path):
    """The node for a download: what the request may see (``iomsite.preview``)."""
    try:
        region = (
            visible(request, Region.objects.all())
            .annotate(is_public=Exists(Region.objects.published().filter(pk=OuterRef("pk"))))
            .get(path=path)
        )
    except Region.DoesNotExist:
        raise Http404(_("There is no such region or country.")) from None
    return region


def _download_figures(region):
    figures = KeyFigure.objects.filter(region=region)
    if region.is_public:
        figures = [figure for figure in figures if figure.is_attributed]
    return figure_rows(figures)


def _preview_headers(response, region):
    """Live means live with every ancestor: a draft anywhere above makes this a preview."""
    return never_cache_preview(response, not region.is_public)


def _attachment(response, region, ext):
    response["Content-Disposition"] = f'attachment; filename="{region.slug}-key-figures.{ext}"'
    return response


@require_safe
def figures_csv(request, path):
    region = _region_or_404(request, path)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    columns = ["label", "value", "unit", "currency", "year", "source", "source_url"]
    writer.writerow(columns)
    for row in _download_figures(region):
        row["value"] = plain_number(row["value"])
        writer.writerow([spreadsheet_cell(row[column]) for column in columns])  # no formulas (CSV injection)
    # A byte-order mark so that spreadsheet programs read the accents right.
    response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    return _preview_headers(_attachment(response, region, "csv"), region)


@require_safe
def figures_json(request, path):
    region = _region_or_404(request, path)
    rows = _download_figures(region)
    for row in rows:
        row["value"] = json_number(row["value"])
    data = {
        "region": region.title,
        "url": request.build_absolute_uri(region.get_absolute_url()),
        "figures": rows,
    }
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json; charset=utf-8"
    )
    return _preview_headers(_attachment(response, region, "json"), region)


class RegionIndex(TemplateView):
    template_name = "regions/index.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        nodes = list(Region.objects.published().filter(level__lte=1))
        roots = [node for node in nodes if node.level == 0]
        children = {}
        for node in nodes:
            if node.parent_id:
                children.setdefault(node.parent_id, []).append(node)
        context["regions"] = [(root, children.get(root.pk, [])) for root in roots]
        context["crumbs"] = [(_("Regions"), reverse("regions:index"))]
        return context


class OfficeList(TemplateView):
    """Countries and offices: every published country, by region, with its offices."""

    template_name = "regions/offices.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        published = Region.objects.published()
        roots = {root.tree_id: root for root in published.filter(level=0)}
        countries = RegionContent(published).countries()
        groups = {}
        for country in countries:
            root = roots.get(country.tree_id)
            key = root.pk if root and root.pk != country.pk else None
            groups.setdefault(key, (root if key else None, []))[1].append(country)
        context["groups"] = list(groups.values())
        context["map"] = region_map(countries, world_view=True)
        if context["map"]:
            context["map"]["caption"] = _("Map of the world: the countries we cover are shaded, each listed below.")
        context["crumbs"] = [(_("Regions"), reverse("regions:index")), (_("Countries and offices"), "")]
        offices = [office_ld(self.request, o, c) for c in countries for o in c.offices.all()]
        context["json_ld"] = {"@context": "https://schema.org", "@graph": offices} if offices else None
        return context
