"""How long what the site keeps in its shared cache stays right: cache tags, one sequence, one clock.

Three things can make a cached page or value wrong, and this module answers all three:

- **An edit.** Every cached page and remembered value records the *tags* of what it shows
  (decision 018): each content object it loaded (``theme:12``, from ``post_init``) and each
  content table it read (``theme:list``, from the SQL it ran: a listing, a count, an empty
  result all read the table). A save, delete or many-to-many change of a content model
  (``iomsite.content.is_content``) bumps only the tags it touches (``tags_for_change``): the
  object's own, its owner's and listing parent's (the seam's ``part_of``/``listed_in``), and
  its table's list tag when the change can alter what a list holds (created, deleted,
  published, unpublished, moved, re-ordered: any field other than display text). Each tag
  has a version in the shared cache; a copy stays valid while the versions it was stored
  with are the current ones. Bumped now and again when the change commits.
- **The clock.** Published content may be scheduled to appear or leave. A cached copy
  lives no longer than the next ``publish_at``/``unpublish_at`` that could change it
  (``next_change``, ``next_scheduled_change``, ``timeout_until``); under a second away,
  nothing is stored.
- **Everything at once.** ``purge_everything()`` (``manage.py purge_cache``, an admin action
  for Site managers, bulk loaders) bumps the ``all`` tag every copy carries.

A global *sequence* (``content_version()``) moves with every bump. A render notes it before it
starts and stores its copy only if it has not moved when the tags are known (a change in
between may have been read half-way); a shared copy whose sequence is still the current one
needs no tag check at all.

``remember(name, compute)`` keeps small derived data (menus, counts, filter options) the same
way. The page cache middleware (``iomsite.pagecache``) uses the same pieces.
Decisions 003, 011, 018 and 019 say why.
"""

import contextvars
import functools
import re
import time

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.backends.signals import connection_created
from django.db.models import FileField, Min, Q, SlugField, TextField
from django.db.models.fields import CharField
from django.db.models.signals import m2m_changed, post_delete, post_init, post_save, pre_save
from django.utils import timezone

from iomsite import content
from iomsite.models.base import Status

SEQUENCE_KEY = "pagecache:version"
HIDDEN_KEY = "pagecache:hidden"  # moves when a change may hide something: no stale copy is served after it
TAG_KEY = "pagecache:tag:"
SCHEDULE_KEY = "pagecache:next-change:{version}"
ALL = "all"


# Collecting the tags of what a render shows ------------------------------------------------

_collector = contextvars.ContextVar("iomsite_freshness_tags", default=None)


class collect:
    """``with collect() as tags:`` gathers the tags of what the code inside shows; nested ones feed their parent."""

    def __enter__(self):
        self.tags = set()
        self.parent = _collector.get()
        self.token = _collector.set(self.tags)
        return self.tags

    def __exit__(self, *exc):
        _collector.reset(self.token)
        if self.parent is not None:
            self.parent.update(self.tags)


def shows(*tags):
    """Declare tags for the render in progress (a cached copy of an object read without a query)."""
    tags_now = _collector.get()
    if tags_now is not None:
        tags_now.update(tags)


def shows_object(obj):
    """The render shows ``obj`` (an object read from a cache, which ``post_init`` does not see)."""
    key = model_key(type(obj))
    if key is not None and obj.pk is not None:
        shows(f"{key}:{obj.pk}", f"{key}:list")


@functools.cache
def model_key(model):
    """The tag name of a content model (its seam ``key``, else its model name), or None: not content."""
    model = model._meta.concrete_model
    if not content.is_content(model):
        return None
    declared = content.get(model)
    return declared.key if declared else model._meta.model_name


def object_tag(obj):
    return f"{model_key(type(obj))}:{obj.pk}"


def list_tag(model):
    return f"{model_key(model) or model._meta.model_name}:list"


def _loaded(sender, instance, **kwargs):
    tags_now = _collector.get()
    if tags_now is not None and instance.pk is not None:
        key = model_key(sender)
        if key is not None:
            tags_now.add(f"{key}:{instance.pk}")


# The core's own tables derived from content (the search index): read by pages, written in bulk.
DERIVED_APPS = ("search",)


@functools.cache
def _table_tags():
    """``{db table: list tag}`` for every table of the content apps (many-to-many tables included) and the index."""
    from django.apps import apps

    labels = {*content.content_app_labels(), *DERIVED_APPS}
    found = {}
    for model in apps.get_models(include_auto_created=True):
        if model._meta.app_label in labels and not model._meta.proxy:
            key = model_key(model._meta.concrete_model) if not model._meta.auto_created else None
            found[model._meta.db_table] = f"{key or model._meta.model_name}:list"
    return found


_QUOTED = re.compile(r'"([A-Za-z0-9_]+)"')


_MAIN_TABLE = re.compile(r'FROM "([A-Za-z0-9_]+)"')


@functools.lru_cache(maxsize=4096)
def _sql_tags(sql):
    """The list tags of the content tables ``sql`` reads.

    Not a table joined only to load the rows the main table points at, and not the main table
    of a ``QuerySet.get()`` (Django's ``LIMIT 21``) read once: one object
    looked up (a detail page by its slug) is shown, not a list; its own tag (``post_init``)
    covers its changes. Joined tables, and the same table read again in a subquery (a tree's
    hidden ancestors), still count.
    """
    tables = _table_tags()
    found = {tables[name] for name in _QUOTED.findall(sql) if name in tables}
    head, _where, tail = sql.partition(" WHERE ")
    if not re.search(r"GROUP BY|COUNT\(|SUM\(|MAX\(|MIN\(|EXISTS", sql):
        # A table only joined in to load a row the main one points at (``select_related``), not
        # read by the conditions: the main rows decide what is listed; the joined objects'
        # own tags cover their changes (a menu showing its linked pages).
        for name in set(_QUOTED.findall(head)):
            if name in tables and f'JOIN "{name}"' in head and f'FROM "{name}"' not in sql and f'"{name}"' not in tail:
                found.discard(tables[name])
    if sql.rstrip().endswith("LIMIT 21"):
        main = _MAIN_TABLE.search(sql)
        if main and main.group(1) in tables and len(re.findall(rf'(?:FROM|JOIN) "{main.group(1)}"', sql)) == 1:
            other_uses = {name for name in _QUOTED.findall(sql) if name in tables and name != main.group(1)}
            if tables[main.group(1)] not in {tables[name] for name in other_uses}:
                found.discard(tables[main.group(1)])
    return frozenset(found)


def _sql_wrapper(execute, sql, params, many, context):
    tags_now = _collector.get()
    if tags_now is not None and isinstance(sql, str):
        tags_now.update(_sql_tags(sql))
    return execute(sql, params, many, context)


def _watch_connection(sender, connection, **kwargs):
    if _sql_wrapper not in connection.execute_wrappers:
        connection.execute_wrappers.append(_sql_wrapper)


# Versions in the shared cache --------------------------------------------------------------


def _fresh():
    """A starting value no earlier counter of the same key can have reached (milliseconds since 1970)."""
    return int(time.time() * 1000)


def tag_key(tag):
    return TAG_KEY + tag


def content_version():
    """The global sequence: moves with every bump of any tag (now and at commit)."""
    version = cache.get(SEQUENCE_KEY)
    if version is None:
        cache.add(SEQUENCE_KEY, _fresh(), None)
        version = cache.get(SEQUENCE_KEY)
    return version


def _incr(key):
    try:
        return cache.incr(key)
    except ValueError:
        value = _fresh()
        cache.set(key, value, None)
        return value


def _bump_now(tags, hides=False):
    if hides:
        _incr(HIDDEN_KEY)
    _incr(SEQUENCE_KEY)  # first: a render that reads the new tag versions then sees a moved sequence
    for tag in sorted(tags):
        _incr(tag_key(tag))
    _purger().purge(tags)


def bump(tags, using=None, hides=False):
    """Retire every copy carrying one of ``tags``: now, and again when the change commits.

    Now, so this process never serves what it just changed; at the commit, because a
    request in another process between the two still read the old rows and may have
    cached them under the new versions. ``hides``: the change may hide something
    (unpublish, delete, move): no retired copy may be served stale while a page renders.
    """
    tags = frozenset(tags)
    if not tags:
        return
    _bump_now(tags, hides)
    if transaction.get_connection(using).in_atomic_block:
        transaction.on_commit(lambda: _bump_now(tags, hides), using=using)


def purge_everything(**kwargs):
    """The emergency purge: every cached page and remembered value, in every process."""
    bump({ALL}, using=kwargs.get("using"), hides=True)


def bump_version(**kwargs):
    """Kept for callers of decision 003: the purge of everything."""
    purge_everything(**kwargs)


def bump_models(models, using=None):
    """Bulk work wrote rows of these models without signals: retire every list drawn from them."""
    bump({list_tag(model) for model in models}, using=using)


def versions(tags):
    """``{tag: version}`` of ``tags`` in one round trip, starting the missing ones (rare: a tag never bumped)."""
    keys = [tag_key(tag) for tag in tags]
    found = cache.get_many(keys)
    missing = [key for key in keys if key not in found]
    if missing:
        for key in missing:
            cache.add(key, _fresh(), None)
        found.update(cache.get_many(missing))
    return tuple(found.get(key) for key in keys)


# Which tags a change touches ---------------------------------------------------------------


# Stamped on every save (``iomsite.models.base.TimestampedModel``): no list is drawn by them.
BOOKKEEPING = ("created_at", "updated_at")


def _display_only(field):
    """Text shown on the object's own renders: its change cannot alter what a list holds or where it is."""
    if field.is_relation:
        return field.related_model is not None and model_key(field.related_model) is None  # who edited it
    if isinstance(field, SlugField) or field.name == "path" or field.primary_key or field.choices:
        return False  # addresses, and states or kinds lists filter by (``status``)
    return isinstance(field, (TextField, CharField, FileField))


@functools.cache
def _structural_fields(model):
    """The fields whose change may move the object in or out of a list, or re-order one."""
    return tuple(
        field.attname
        for field in model._meta.concrete_fields
        if not _display_only(field) and not getattr(field, "auto_now", False) and field.name not in BOOKKEEPING
    )


def _before_save(sender, instance, raw=False, **kwargs):
    if model_key(sender) is None:
        return
    instance._freshness_moved = True
    if raw or instance._state.adding or instance.pk is None:
        return
    fields = _structural_fields(sender._meta.concrete_model)
    old = sender._base_manager.using(kwargs.get("using")).filter(pk=instance.pk).values(*fields).first()
    if old is not None:
        instance._freshness_moved = any(old[name] != getattr(instance, name) for name in fields)


def changes_tag(model):
    """Bumped by every change of the model: what shows its latest change (a sitemap's lastmod) carries it."""
    return f"{model_key(model) or model._meta.model_name}:changes"


def tags_for_change(instance, moved=True):
    """The tags an edit of ``instance`` retires: itself, its owner and listing parent, its list when it moved."""
    model = type(instance)._meta.concrete_model
    tags = {object_tag(instance), changes_tag(model)}
    if moved:
        tags.add(list_tag(model))
    declared = content.get(model)
    if declared is not None:
        for name, related in declared.relations():
            related_pk = getattr(instance, model._meta.get_field(name).attname, None)
            if related_pk is not None:
                tags.add(f"{related.key}:{related_pk}")
    return tags


def _saved(sender, instance, created=False, **kwargs):
    if model_key(sender) is None:
        return
    moved = created or getattr(instance, "_freshness_moved", True)
    bump(tags_for_change(instance, moved), using=kwargs.get("using"), hides=moved and not created)


def _deleted(sender, instance, **kwargs):
    if model_key(sender) is None:
        return
    bump(tags_for_change(instance, True), using=kwargs.get("using"), hides=True)


def _m2m(sender, instance, action, model=None, pk_set=None, **kwargs):
    if not action.startswith("post_") or model_key(type(instance)) is None:
        return
    tags = {object_tag(instance), f"{sender._meta.model_name}:list"}
    other = model_key(model) if model is not None else None
    if other:
        tags.update(f"{other}:{pk}" for pk in pk_set or ())
    bump(tags, using=kwargs.get("using"), hides=action != "post_add")


def connect():
    pre_save.connect(_before_save, dispatch_uid="pagecache-before-save")
    post_save.connect(_saved, dispatch_uid="pagecache-save")
    post_delete.connect(_deleted, dispatch_uid="pagecache-delete")
    m2m_changed.connect(_m2m, dispatch_uid="pagecache-m2m")
    post_init.connect(_loaded, dispatch_uid="pagecache-loaded")
    connection_created.connect(_watch_connection, dispatch_uid="pagecache-sql")
    from django.db import connections

    for alias in connections:  # connections opened before the app was ready
        if hasattr(connections._connections, alias):
            _watch_connection(None, connections[alias])
    post_save.connect(site_settings_changed, dispatch_uid="site-settings-save")
    post_delete.connect(site_settings_changed, dispatch_uid="site-settings-delete")


def site_settings_changed(sender, **kwargs):
    """The site settings have their own cached copy per language (``SiteSettings.load``)."""
    from iomsite.models import SiteSettings

    if sender is SiteSettings:
        SiteSettings.forget()


# Telling a cache in front (Varnish, a CDN) -------------------------------------------------


class NoPurge:
    """Nothing in front of the site (the default)."""

    def purge(self, tags):
        pass


@functools.cache
def _purger_for(path):
    from django.utils.module_loading import import_string

    return import_string(path)() if path else NoPurge()


def _purger():
    return _purger_for(getattr(settings, "IOMSITE_PURGE_BACKEND", None) or "")


# The clock --------------------------------------------------------------------------------


def next_change(queryset, now=None):
    """The earliest future ``publish_at`` or ``unpublish_at`` of the published rows of ``queryset``.

    One aggregate query; None when nothing is scheduled.
    """
    now = now or timezone.now()
    row = queryset.filter(status=Status.PUBLISHED).aggregate(
        p=Min("publish_at", filter=Q(publish_at__gt=now)), u=Min("unpublish_at", filter=Q(unpublish_at__gt=now))
    )
    return min((moment for moment in row.values() if moment), default=None)


def next_publishing_change(publishable_models, now=None):
    """The earliest future ``publish_at`` or ``unpublish_at`` of published rows of these models.

    One aggregate query per model; None when nothing is scheduled. The page cache and the
    search index both bound their freshness by it.
    """
    now = now or timezone.now()
    moments = [next_change(model._default_manager.all(), now) for model in publishable_models]
    return min((moment for moment in moments if moment), default=None)


def next_scheduled_change(version):
    """The earliest future publish or unpublish time of any content (cached per sequence value)."""
    key = SCHEDULE_KEY.format(version=version)
    now = timezone.now()
    cached = cache.get(key)
    if cached is not None and (cached == "none" or cached > now):
        return None if cached == "none" else cached
    with collect():  # not what a page shows: its own key follows the sequence
        upcoming = next_publishing_change([item.model for item in content.publishable_models()], now)
        from iomsite.workflow.schedule import next_draft_change  # scheduled drafts of live items (decision 016)

        drafted = next_draft_change()
    if drafted is not None and drafted > now:
        upcoming = min(upcoming or drafted, drafted)
    cache.set(key, upcoming or "none", settings.IOMSITE_PAGE_CACHE_SECONDS)
    return upcoming


def timeout_until(next_change):
    """The page cache's lifetime, shortened to end at ``next_change`` (a scheduled publishing change) if any."""
    timeout = settings.IOMSITE_PAGE_CACHE_SECONDS
    if next_change is not None:
        # 0 (under a second to go) stores nothing: a value must not outlive the moment.
        timeout = max(0, min(timeout, int((next_change - timezone.now()).total_seconds())))
    return timeout


# Both -------------------------------------------------------------------------------------


class Copy:
    """What a cached page or value was stored with: its tags, their versions, the sequence, its end,
    and the hiding changes' counter (a stale copy is served only while that has not moved)."""

    __slots__ = ("keys", "versions", "sequence", "expires", "hidden")

    def __init__(self, keys, versions, sequence, expires, hidden=None):
        self.keys, self.versions, self.sequence, self.expires, self.hidden = keys, versions, sequence, expires, hidden

    def __getstate__(self):
        return (self.keys, self.versions, self.sequence, self.expires, self.hidden)

    def __setstate__(self, state):
        self.keys, self.versions, self.sequence, self.expires = state[:4]
        self.hidden = state[4] if len(state) > 4 else None

    @property
    def tags(self):
        return [key[len(TAG_KEY) :] for key in self.keys]

    def current(self, found):
        """Whether ``found`` (``{key: value}`` from the shared cache) still has the versions stored."""
        return all(found.get(key) == version for key, version in zip(self.keys, self.versions, strict=True))


def seal(tags, sequence, timeout):
    """A ``Copy`` for what was rendered with ``tags`` since ``sequence`` was read, or None: do not store.

    None when the sequence moved meanwhile (a change the render may have read half-way) or
    the copy would not outlive a second.
    """
    if timeout <= 0:
        return None
    tags = sorted({*tags, ALL})
    keys = tuple(tag_key(tag) for tag in tags)
    found = versions(tags)
    now = cache.get_many((SEQUENCE_KEY, HIDDEN_KEY))
    if now.get(SEQUENCE_KEY) != sequence:
        return None
    hidden = now.get(HIDDEN_KEY)
    if hidden is None:  # first copy since the cache was emptied
        cache.add(HIDDEN_KEY, _fresh(), None)
        hidden = cache.get(HIDDEN_KEY)
    return Copy(keys, found, sequence, time.time() + timeout, hidden)


def remember(name, compute):
    """Small data derived from published content, shared by every process until what it shows changes.

    ``compute()`` returns ``(value, next change)``, the next scheduled publishing moment
    that could alter the value (None: none). The value carries the tags of what ``compute``
    read; an edit of any of them retires it, and it lives no longer than that moment. The
    tags also go to the page being rendered.
    """
    key = f"pagecache:data:{name}"
    stored = cache.get(key)
    if stored is not None:
        value, copy = stored
        if copy.expires > time.time() and copy.current(cache.get_many(copy.keys)):
            shows(*copy.tags)
            return value
    sequence = content_version()
    with collect() as tags:
        value, moment = compute()
    timeout = timeout_until(moment)
    copy = seal(tags, sequence, timeout)
    if copy is not None:
        cache.set(key, (value, copy), timeout)
    return value
