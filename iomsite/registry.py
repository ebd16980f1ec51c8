"""Small registries that content apps fill in ``AppConfig.ready()``.

``iomsite`` never imports a content app; the apps tell it what they have.
"""

from dataclasses import dataclass, field


@dataclass
class HomeSection:
    """A block of the home page: ``get_items()`` returns published items (maybe empty)."""

    key: str
    title: str
    template: str
    get_items: callable
    order: int = 50
    more_url: callable = None


@dataclass
class SearchSpec:
    """A searchable model. Instances provide ``search_data()`` (see ``add_search_model``)."""

    model: type
    kind: str
    label: str
    queryset: callable = None
    depends_on: tuple = ()

    def live_queryset(self):
        return self.queryset() if self.queryset else self.model._default_manager.published()


@dataclass
class SearchFacet:
    """A tree model (themes, regions) whose top-level nodes filter search results."""

    name: str
    label: str
    model: type


@dataclass
class Registry:
    home_sections: list = field(default_factory=list)
    sitemaps: dict = field(default_factory=dict)
    search_models: list = field(default_factory=list)
    search_facets: list = field(default_factory=list)
    demo_loaders: list = field(default_factory=list)

    def add_home_section(self, section):
        self.home_sections = [s for s in self.home_sections if s.key != section.key] + [section]
        self.home_sections.sort(key=lambda s: s.order)

    def add_sitemap(self, name, sitemap):
        self.sitemaps[name] = sitemap

    def add_search_model(self, model, kind, label, queryset=None, depends_on=()):
        """Make ``model`` searchable.

        ``model.search_data()`` returns, in the active language, a dict with ``title``,
        ``summary``, ``body`` (plain text), ``date`` (a date or None), ``theme_ids`` and
        ``region_ids`` (lists of pks, for filters). ``queryset()`` (default
        ``model.objects.published()``) says what may be indexed. ``depends_on`` lists
        ``(ParentModel, "lookup")`` pairs: when a parent changes, the objects with
        ``lookup=parent`` are indexed again (chapters follow their publication).
        """
        self.search_models = [s for s in self.search_models if s.kind != kind]
        self.search_models.append(SearchSpec(model, kind, label, queryset, tuple(depends_on)))

    def add_search_facet(self, name, label, model):
        """Filter search by the top-level nodes of a tree model (themes, regions)."""
        self.search_facets = [f for f in self.search_facets if f.name != name] + [SearchFacet(name, label, model)]

    def search_spec(self, model):
        return next((spec for spec in self.search_models if spec.model is model), None)

    def add_demo_loader(self, order, name, loader):
        """``loader(stdout)`` creates or updates the app's demo content idempotently."""
        self.demo_loaders = [d for d in self.demo_loaders if d[1] != name] + [(order, name, loader)]
        self.demo_loaders.sort(key=lambda d: d[0])


registry = Registry()
