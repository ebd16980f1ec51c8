"""The Explore view: the whole site as one tree, opened a level at a time.

The tree is built from the seam's declarations (``iomsite.content``), never from app names:

- the first level is the content apps (the core's basic pages too) with a model the user may see;
- an app holds its *entry* models: declared, with an admin, neither ``part_of`` nor ``listed_in``
  (trees show their top-level nodes);
- an object holds its tree children, the rows ``listed_in`` it (events of a series, offices of a
  country) and the trees that are ``part_of`` it (a publication's parts and chapters). Parts that
  are plain inline rows (key figures, infographics) are edited on their owner's form, not here.

Each level costs one query per kind of child (whether a node has children rides along as an
``EXISTS`` or comes from the nested-set columns), never one per node, and at most ``LIMIT`` nodes
per kind; "more" pages on. Sectioned users see what their sections hold (the admins'
``scope_filter``), a sectioned tree starting at their section roots.

A node is named ``<app_label>.<model_name>:<pk>`` (the same reference rich-text links store) or
``app:<app_label>``.
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef
from django.urls import NoReverseMatch, reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from iomsite import content
from iomsite.workflow.sections import get_scope

LIMIT = 50
SEARCH_LIMIT = 20
MAX_OPEN = 30


@dataclass
class Source:
    """One kind of child under one kind of parent: ``item`` rows whose ``fk`` names the parent."""

    item: object  # ContentModel
    fk: str  # the foreign key to the parent ("parent", "series", "publication")
    roots_only: bool = False  # a tree that is part of the parent: its top-level nodes

    @property
    def label(self):
        return self.item.model._meta.label_lower


@dataclass
class Node:
    id: str
    title: str
    kind: str
    obj: object = None
    state: str = ""
    state_label: str = ""
    languages: list = field(default_factory=list)
    updated_at: object = None
    updated_by: str = ""
    actions: list = field(default_factory=list)
    has_children: bool = False
    is_open: bool = False
    children: list = field(default_factory=list)
    more: list = field(default_factory=list)  # (label, url) of the kinds with more children than shown
    loaded: bool = False
    toggle_url: str = ""
    children_url: str = ""
    reveal_url: str = ""

    @property
    def dom_id(self):
        return "node-" + self.id.replace(":", "-").replace(".", "-")


def node_id(obj):
    return f"{obj._meta.label_lower}:{obj.pk}"


class Explorer:
    """What one request may explore. Built once per request; each method says what it queries."""

    def __init__(self, request):
        self.request = request
        self.scope = get_scope(request.user)
        self.admins = {}
        for item in content.content_models():
            model_admin = item.admin
            if model_admin is None or not model_admin.has_view_or_change_permission(request):
                continue
            if item.part_of and not item.is_tree:
                continue  # an inline row: edited on its owner's form
            self.admins[item.model] = model_admin
        self.by_label = {model._meta.label_lower: content.get(model) for model in self.admins}
        self.apps = {app.label: app for app in content.content_apps() if self.entry_models(app)}

    # The shape of the tree ---------------------------------------------------------------

    def entry_models(self, app):
        return [
            item
            for item in content.content_models()
            if item.app is app and item.model in self.admins and not item.part_of and not item.listed_in
        ]

    def sources(self, item):
        """The kinds of child an object of ``item`` has."""
        found = []
        if item.is_tree:
            found.append(Source(item, item.model._mptt_meta.parent_attr))
        for other in content.content_models():
            if other.model not in self.admins or other is item:
                continue
            for name in (other.listed_in, other.part_of if other.is_tree else None):
                if name and other.model._meta.get_field(name).related_model is item.model:
                    found.append(Source(other, name, roots_only=other.is_tree))
        return found

    # Queries --------------------------------------------------------------------------------

    def queryset(self, item):
        """Rows of ``item`` the user may see, with what titles, states and addresses read."""
        model = item.model
        queryset = model._default_manager.all()
        model_admin = self.admins[model]
        if hasattr(model_admin, "scope_filter"):
            queryset = model_admin.scope_filter(self.request, queryset, choosing=False)
        related = [name for name in item.address_fields() if name]
        if any(f.name == "updated_by" for f in model._meta.concrete_fields):
            related.append("updated_by")
        if related:
            queryset = queryset.select_related(*related)
        for source in self.sources(item):
            if source.item is item and item.is_tree:
                continue  # the nested-set columns say it
            children = source.item.model._default_manager.filter(**{source.fk: OuterRef("pk")})
            queryset = queryset.annotate(**{self._flag(source): Exists(children)})
        if item.is_tree:
            opts = model._mptt_meta
            queryset = queryset.order_by(opts.tree_id_attr, opts.left_attr)
        return queryset

    @staticmethod
    def _flag(source):
        return f"explore_has_{source.item.model._meta.model_name}"

    def top_level(self, item):
        queryset = self.queryset(item)
        if not item.is_tree:
            return queryset
        parent_attr = item.model._mptt_meta.parent_attr
        if self.scope is not None and content.section_paths(item.model):
            # A sectioned tree starts at the nodes whose parent lies outside the user's sections.
            return queryset.exclude(**{f"{parent_attr}__in": self.queryset(item).values("pk")})
        return queryset.filter(**{f"{parent_attr}__isnull": True})

    def children(self, node, offset=0, only=None):
        """Fill ``node.children`` (and ``node.more``): one query per kind of child."""
        node.loaded = True
        if node.obj is None:  # an app
            app = self.apps[node.id.split(":", 1)[1]]
            pairs = [(item, self.top_level(item)) for item in self.entry_models(app)]
        else:
            pairs = []
            for source in self.sources(content.get(node.obj)):
                queryset = self.queryset(source.item).filter(**{source.fk: node.obj.pk})
                if source.roots_only:
                    queryset = queryset.filter(**{f"{source.item.model._mptt_meta.parent_attr}__isnull": True})
                pairs.append((source.item, queryset))
        for item, queryset in pairs:
            label = item.model._meta.label_lower
            if only and label != only:
                continue
            start = offset if only else 0
            rows = list(queryset[start : start + LIMIT + 1])
            for obj in rows[:LIMIT]:
                node.children.append(self.object_node(obj, item))
            if len(rows) > LIMIT:
                query = urlencode({"node": node.id, "kind": label, "offset": start + LIMIT})
                node.more.append((item.model._meta.verbose_name_plural, f"{reverse('workflow_explore')}?{query}"))
        return node

    def find(self, ident):
        """The node named ``ident`` if the user may see it (one query for an object), else None."""
        if not isinstance(ident, str) or ":" not in ident:
            return None
        label, pk = ident.split(":", 1)
        if label == "app":
            return self.app_node(self.apps[pk]) if pk in self.apps else None
        item = self.by_label.get(label)
        if item is None:
            return None
        try:
            obj = self.queryset(item).filter(pk=pk).first()
        except (ValueError, TypeError, ValidationError):
            return None  # not a key of this model: not found
        return self.object_node(obj, item) if obj is not None else None

    def path_to(self, node):
        """Node ids from the top down to ``node``'s parent (a query or two per step up: reveal a search result)."""
        steps = []
        obj = node.obj
        item = content.get(obj)
        while True:
            if item.is_tree and getattr(obj, f"{item.model._mptt_meta.parent_attr}_id"):
                ancestors = list(obj.get_ancestors())
                steps[:0] = [node_id(ancestor) for ancestor in ancestors]
                obj = ancestors[0]
            owner_fk = item.listed_in or (item.part_of if item.is_tree else None)
            if not owner_fk:
                steps.insert(0, f"app:{item.app.label}")
                return steps
            obj = getattr(obj, owner_fk)
            item = content.get(obj)
            steps.insert(0, node_id(obj))

    def search(self, term):
        """Objects whose admin search matches ``term``: one query per kind, ``SEARCH_LIMIT`` each."""
        results = []
        for model, model_admin in self.admins.items():
            if not model_admin.search_fields:
                continue
            item = content.get(model)
            queryset, _duplicates = model_admin.get_search_results(self.request, self.queryset(item), term)
            for obj in queryset.distinct()[:SEARCH_LIMIT] if _duplicates else queryset[:SEARCH_LIMIT]:
                results.append(self.object_node(obj, item))
        return results

    # Nodes ----------------------------------------------------------------------------------

    def app_node(self, app):
        node = Node(id=f"app:{app.label}", title=str(app.title or app.verbose_name), kind=_("Section"))
        node.has_children = True
        for item in self.entry_models(app):
            model_admin = self.admins[item.model]
            if model_admin.has_add_permission(self.request):
                opts = item.model._meta
                name = _("Add %(kind)s") % {"kind": opts.verbose_name}
                node.actions.append((name, _admin_url(opts, "add"), "add"))
        return node

    def top(self):
        return [self.app_node(app) for app in self.apps.values()]

    def object_node(self, obj, item):
        from iomsite.admin import STATE_LABELS

        opts = obj._meta
        node = Node(id=node_id(obj), title=str(obj), kind=opts.verbose_name, obj=obj)
        stateful = obj
        if not hasattr(obj, "publication_state") and item.part_of:
            stateful = getattr(obj, item.part_of)  # a part: its owner's state
        if hasattr(stateful, "publication_state"):
            node.state = stateful.publication_state
            node.state_label = STATE_LABELS[node.state]
        node.languages = coverage(obj)
        node.updated_at = getattr(obj, "updated_at", None)
        user = getattr(obj, "updated_by", None) if "updated_by" in _cached(obj) else None
        node.updated_by = user.get_username() if user else ""
        sources = self.sources(item)
        for source in sources:
            if source.item is item and item.is_tree and not source.roots_only:
                node.has_children = node.has_children or not obj.is_leaf_node()
            else:
                node.has_children = node.has_children or bool(getattr(obj, self._flag(source), False))
        node.actions = self.actions(obj, item, sources, stateful)
        return node

    def actions(self, obj, item, sources, stateful):
        model_admin = self.admins[item.model]
        opts = obj._meta
        found = []
        if model_admin.has_change_permission(self.request, obj):
            found.append((_("Edit"), _admin_url(opts, "change", obj.pk), "edit"))
        elif model_admin.has_view_permission(self.request, obj):
            found.append((_("View"), _admin_url(opts, "change", obj.pk), "edit"))
        for source in sources:
            child_admin = self.admins[source.item.model]
            if child_admin.has_add_permission(self.request):
                child_opts = source.item.model._meta
                url = _admin_url(child_opts, "add")
                if url:
                    url = f"{url}?{urlencode({source.fk: obj.pk})}"
                    found.append((_("Add %(kind)s") % {"kind": child_opts.verbose_name}, url, "add"))
        if hasattr(obj, "get_absolute_url"):
            try:
                address = obj.get_absolute_url()
            except NoReverseMatch:
                address = None
            if address:
                live = getattr(stateful, "is_live", False)
                found.append((_("View live") if live else _("Preview"), address, "view" if live else "preview"))
        history = _admin_url(opts, "history", obj.pk)
        if history:
            found.append((_("History"), history, "history"))
        return [action for action in found if action[1]]

    # The page ---------------------------------------------------------------------------------

    def build(self, open_ids):
        """The first level, with every node named in ``open_ids`` opened (one level of queries each)."""
        wanted = [ident for ident in open_ids if isinstance(ident, str)][:MAX_OPEN]
        nodes = self.top()
        self._open(nodes, set(wanted))
        return nodes

    def _open(self, nodes, wanted):
        for node in nodes:
            if node.id in wanted and node.has_children:
                node.is_open = True
                self.children(node)
                self._open(node.children, wanted)


def set_links(nodes, open_ids):
    """Each node's links: open or close it without JavaScript, its children for the script, show it in the tree."""
    base = reverse("workflow_explore")
    for node in nodes:
        ids = [ident for ident in open_ids if ident != node.id] if node.is_open else [*open_ids, node.id]
        node.toggle_url = f"{base}?{urlencode({'open': ','.join(ids)})}#{node.dom_id}" if ids else base
        node.children_url = f"{base}?{urlencode({'node': node.id, 'fragment': 1})}"
        node.reveal_url = f"{base}?{urlencode({'reveal': node.id})}#{node.dom_id}"
        set_links(node.children, open_ids)


def coverage(obj):
    """``[(code, present)]`` per language of the object's title (or first translated field); no query."""
    from modeltranslation.translator import NotRegistered, translator

    try:
        fields = translator.get_options_for_model(type(obj)).fields
    except NotRegistered:
        return []
    name = "title" if "title" in fields else next(iter(fields), None)
    if name is None:
        return []
    return [(code, bool(getattr(obj, f"{name}_{code.replace('-', '_')}", None))) for code, _label in settings.LANGUAGES]


def _cached(obj):
    return obj._state.fields_cache


def _admin_url(opts, view, *args):
    try:
        return reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}", args=args)
    except NoReverseMatch:
        return None
