"""The seam between the core and the content apps.

A content app's config subclasses ``ContentAppConfig`` and says, in one place, what it
brings: its URL prefix, its models and how they take part in the site (``Content``),
its sitemaps, its home section, its demo loader and generator, its benchmark pages. The
core reads these declarations through the functions below and builds the rest from them:
URLs, reserved slugs, page-cache invalidation, roles, sections, link checking, preview,
redirects, search, sitemaps, the home page, demo content, generation and the benchmark.
Nothing in ``iomsite`` names a content app; ``manage.py check`` refuses an app that is
not wired (``iomsite.checks``). See docs/decisions/009-content-app-seam.md.

Dotted paths (``"news.demo.load"``) are imported when first used, so an app config
never imports its models at class definition.
"""

import functools
from dataclasses import dataclass

from django.apps import AppConfig, apps
from django.urls import include, path, reverse
from django.utils.functional import cached_property
from django.utils.module_loading import import_string

TREE, LIST, SINGLE = "tree", "list", "single"
SHAPES = (TREE, LIST, SINGLE)


def resolve(value):
    """A callable given as itself or as a dotted path."""
    return import_string(value) if isinstance(value, str) else value


@dataclass(frozen=True)
class Search:
    """A searchable model. Its instances provide ``search_data()`` (see ``iomsite.search.index``).

    ``queryset`` (a callable or dotted path; default ``published()``) is what may be indexed,
    with what ``search_data()`` reads joined. ``facet`` (trees only) labels the filter by
    the top-level nodes of the tree; results carry ``<key>_ids`` from ``search_data()``.
    """

    kind: str
    label: str
    queryset: object = None
    facet: str = None
    # A callable or dotted path ``(entries, query)`` run on the results page for this kind's
    # entries: it may replace ``entry.snippet`` and set ``entry.where`` / ``entry.where_url``
    # (a hit inside a chapter's PDF: "page 3 of the PDF"). A fixed number of queries per page.
    results: object = None


@dataclass(frozen=True)
class Home:
    """A block of the home page. ``items`` returns published items (maybe none).

    ``key`` names the block (its ``id`` on the page); it defaults to the app's label, so an
    app that declares several blocks names all but one.
    """

    title: str
    template: str
    items: object
    order: int = 50
    more_url: str = None  # a URL name ("news:index")
    key: str = None


@dataclass(frozen=True)
class Content:
    """How one model of a content app takes part in the site.

    ``shape``: ``TREE`` (a django-mptt tree), ``LIST`` or ``SINGLE`` (one row).
    ``part_of``: the foreign key to the content object this row is part of (a chapter of
    its publication, a key figure of its region): a part has no publishing state, page
    permissions or sections of its own; it follows its owner everywhere.
    ``listed_in``: the foreign key to the object whose page lists it (an event in its
    series, an office in its country); its address hangs under that object's.
    ``sections``: how its objects map onto the section trees, ``{tree key: lookup path}``
    (``{"region": "country"}``); a ``section_root`` tree maps onto itself.
    ``key``: a short, stable name (default: the model name) for section trees, search
    facets and, later, cache tags.
    ``topics``: the top-level nodes of this tree are the newsletter's topics.
    ``redirects``: when its address changes, the old one answers with a permanent redirect.
    ``drafted``: a part that belongs to its owner's text is drafted, revised and published with
    it; False for rows visitors create (an event's registrations), which no draft may rewrite.
    ``review_days``: how long an item stays current before its owner should review it
    (``iomsite.reviews``); None: not reviewed.
    """

    model: str
    shape: str = LIST
    key: str = None
    part_of: str = None
    listed_in: str = None
    sections: dict = None
    section_root: bool = False
    search: Search = None
    topics: bool = False
    redirects: bool = True
    drafted: bool = True
    review_days: int = 365


class ContentModel:
    """A ``Content`` declaration bound to its app and model class."""

    def __init__(self, app, declaration):
        self.app = app
        self.declaration = declaration
        label = declaration.model if "." in declaration.model else f"{app.label}.{declaration.model}"
        self.model = apps.get_model(label)
        self.key = declaration.key or self.model._meta.model_name

    def __repr__(self):
        return f"<ContentModel {self.model._meta.label} ({self.shape})>"

    def __getattr__(self, name):
        return getattr(self.declaration, name)

    @property
    def is_tree(self):
        return self.shape == TREE

    @cached_property
    def owner(self):
        """The ``ContentModel`` this one is a part of, or None."""
        if not self.part_of:
            return None
        return get(self.model._meta.get_field(self.part_of).related_model)

    @property
    def parts(self):
        """The declarations of the rows that are part of this model (inline rows), in declaration order."""
        return [item for item in content_models() if item.owner is self]

    @property
    def publishing(self):
        """The model whose publishing state decides whether this one is visible: its own, or its owner's."""
        return self.owner.publishing if self.owner else self

    @property
    def is_publishable(self):
        from iomsite.models import PublishableModel

        return issubclass(self.model, PublishableModel)

    def section_paths(self):
        """``{tree key: lookup}`` from this model to each section tree it belongs to (empty: not sectioned)."""
        if self.section_root:
            return {self.key: "pk"}
        if self.sections:
            return dict(self.sections)
        if self.owner is None:
            return {}
        return {
            tree: self.part_of if lookup == "pk" else f"{self.part_of}__{lookup}"
            for tree, lookup in self.owner.section_paths().items()
        }

    def address_fields(self):
        """The foreign keys an address is built from (owner, listing parent), for ``select_related``."""
        return [name for name in (self.part_of, self.listed_in) if name]

    @property
    def has_address(self):
        return self.redirects and hasattr(self.model, "get_absolute_url")

    @cached_property
    def search_spec(self):
        if self.search is None:
            return None
        depends_on = tuple((related.model, name) for name, related in self.relations() if related.is_publishable)
        return SearchSpec(
            self.model, self.search.kind, self.search.label, self.search.queryset, depends_on, self.search.results
        )

    def relations(self):
        """``(foreign key name, ContentModel)`` of the owner and listing parent."""
        found = []
        for name in self.address_fields():
            related = get(self.model._meta.get_field(name).related_model)
            if related is not None:
                found.append((name, related))
        return found

    @property
    def admin(self):
        """The model's admin on the site's admin, or None (looked up when asked: no admin import at load)."""
        from django.contrib import admin

        return admin.site._registry.get(self.model)


@dataclass
class SearchSpec:
    """What the search index needs of a searchable model (built from its ``Search`` declaration)."""

    model: type
    kind: str
    label: str
    queryset: object = None
    depends_on: tuple = ()
    results: object = None

    def live_queryset(self):
        if self.queryset:
            return resolve(self.queryset)()
        return self.model._default_manager.published()


@dataclass(frozen=True)
class SearchFacet:
    """A tree whose top-level nodes filter search results."""

    name: str
    label: str
    model: type


@dataclass
class HomeSection:
    """A block of the home page, from an app's ``Home`` declaration (``key`` is the app label)."""

    key: str
    title: str
    template: str
    get_items: object
    order: int = 50
    more_url_name: str = None

    def items(self):
        return resolve(self.get_items)()

    @property
    def more_url(self):
        return reverse(self.more_url_name) if self.more_url_name else None


@dataclass(frozen=True)
class Step:
    """A demo loader or a generator of one app, with the app's building order."""

    order: int
    name: str
    function: object

    def __call__(self, *args):
        return resolve(self.function)(*args)


class ContentAppConfig(AppConfig):
    """An app that brings content to the site. Declare, don't register:

    ``url_prefix`` — its pages live under ``/<language>/<url_prefix>/`` (``urls`` module,
    default ``<app>.urls``, with an ``app_name``); the prefix is a reserved page slug.
    ``title`` — the section's name (the demo's main menu).
    ``content`` — ``Content(...)`` for every publishable model and every part of one.
    ``sitemaps`` — ``{section name: dotted path of a SectionSitemap}``.
    ``home`` — a ``Home(...)`` block for the home page, or a tuple of them.
    ``order`` — where the app comes when demo content and benchmark content are built:
    after the apps it links to.
    ``demo`` — dotted path of ``load(stdout)``, idempotent demo content.
    ``generate`` — dotted path of ``generate(context) -> {what: count}``, benchmark volume.
    ``bench`` — dotted path of ``pages() -> [(label, path)]``, the pages ``make bench`` measures.
    """

    # Never chosen by itself for an app whose apps.py imports it; each subclass is (Django picks the one
    # ``AppConfig`` subclass of apps.py with ``default`` true).
    default = False

    url_prefix = None
    urls = None
    title = None
    content = ()
    sitemaps = {}
    home = None
    order = 50
    demo = None
    generate = None
    bench = None

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if "default" not in cls.__dict__:
            cls.default = True

    @property
    def urls_module(self):
        return self.urls or f"{self.name}.urls"


# Reading the declarations ------------------------------------------------------------------


def content_apps():
    """The installed content apps, in ``INSTALLED_APPS`` order."""
    return [config for config in apps.get_app_configs() if isinstance(config, ContentAppConfig)]


@functools.cache
def content_models():
    """Every declared model, bound (``ContentModel``), app by app."""
    return [ContentModel(app, declaration) for app in content_apps() for declaration in app.content]


def get(model):
    """The ``ContentModel`` of a model class (or instance), or None when the seam does not know it."""
    if not isinstance(model, type):
        model = type(model)
    return _by_model().get(model._meta.concrete_model)


@functools.cache
def _by_model():
    return {item.model: item for item in content_models()}


@functools.cache
def content_app_labels():
    return frozenset(app.label for app in content_apps())


def is_content(model):
    """Whether a model belongs to a content app (its changes are content: caches, roles, link checks)."""
    return model._meta.app_label in content_app_labels()


def all_content_models():
    """Every Django model of the content apps, declared or not (labels such as a publication series)."""
    labels = content_app_labels()
    return [model for model in apps.get_models() if model._meta.app_label in labels]


def publishable_models():
    """The declared models with a publishing state of their own."""
    return [item for item in content_models() if item.is_publishable]


def section_paths(model):
    item = get(model)
    return item.section_paths() if item else {}


def publishing_model(model):
    """The model whose change permission and publishing state decide what one may see of ``model``."""
    item = get(model)
    return item.publishing.model if item else model


@functools.cache
def section_trees():
    """``{key: ContentModel}`` of the trees a section may be limited to, in app order."""
    return {item.key: item for item in content_models() if item.section_root}


def search_specs():
    return [item.search_spec for item in content_models() if item.search_spec is not None]


def search_spec(model):
    item = get(model)
    return item.search_spec if item else None


def search_facets():
    return [
        SearchFacet(item.key, item.search.facet, item.model)
        for item in content_models()
        if item.search is not None and item.search.facet
    ]


def topics_model():
    """The tree whose top-level nodes are the newsletter's topics, or None."""
    return next((item.model for item in content_models() if item.topics), None)


def home_blocks(app):
    """The ``Home`` blocks an app declares (none, one, or a tuple)."""
    if app.home is None:
        return ()
    return app.home if isinstance(app.home, (tuple, list)) else (app.home,)


def home_sections():
    sections = [
        HomeSection(home.key or app.label, home.title, home.template, home.items, home.order, home.more_url)
        for app in content_apps()
        for home in home_blocks(app)
    ]
    return sorted(sections, key=lambda section: section.order)


@functools.cache
def sitemaps():
    """``{section name: sitemap class}`` for ``/sitemap.xml``, app by app."""
    return {name: resolve(dotted) for app in content_apps() for name, dotted in app.sitemaps.items()}


def _steps(attribute):
    steps = [Step(app.order, app.label, getattr(app, attribute)) for app in content_apps() if getattr(app, attribute)]
    return sorted(steps, key=lambda step: step.order)


def demo_loaders():
    """Each app's demo loader, in building order."""
    return _steps("demo")


def generators():
    """Each app's benchmark generator, in building order."""
    return _steps("generate")


def bench_pages():
    """``[(label, path)]`` of the pages the benchmark measures, app by app."""
    return [page for app in content_apps() if app.bench for page in resolve(app.bench)()]


def url_patterns():
    """``path("<prefix>/", include(...))`` for every content app with pages, for ``i18n_patterns``."""
    return [path(f"{app.url_prefix}/", include(app.urls_module)) for app in content_apps() if app.url_prefix]


# Addresses the core's own pages take at the top level, beside the content apps' prefixes.
CORE_SLUGS = frozenset(
    {
        "admin", "search", "newsletter", "media", "static", "documents", "feed", "feeds", "sitemap",
        "robots", "healthz", "readyz", "preview", "i18n",
    }
)  # fmt: skip


def reserved_slugs():
    """Top-level slugs a basic page may not take: the core's own and every content app's prefix."""
    return CORE_SLUGS | {app.url_prefix for app in content_apps() if app.url_prefix}
