"""Keeping the search index right without anyone thinking of it.

Every save or delete of a registered model (or of a model it depends on, or of a
tree ancestor) re-indexes the affected objects when the transaction commits (so
many-to-many changes made after ``save()`` are seen). Scheduled changes are caught
up lazily: ``sync_scheduled()`` re-indexes whatever crossed its ``publish_at`` or
``unpublish_at`` since the last sync; the search view calls it first.
"""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db import transaction
from django.db.models import Q
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone, translation

from iomsite import content
from iomsite.freshness import bump_models, next_publishing_change
from iomsite.models import Status
from iomsite.search.models import SearchEntry

SYNC_KEY = "search:synced-until"
NEXT_KEY = "search:next-due"


def _publishable(model):
    return any(field.name == "publish_at" for field in model._meta.get_fields())


def _is_tree(model):
    return hasattr(model, "_mptt_meta")


def _facet_string(data, roots=None):
    """',theme:5,theme:1,region:9,': exact ids plus the top-level node of each tree.

    ``roots`` ({facet name: {pk: root pk}}) avoids queries when indexing in bulk.
    """
    parts = set()
    for facet in content.search_facets():
        ids = [int(i) for i in data.get(f"{facet.name}_ids") or []]
        if not ids:
            continue
        if roots is not None:
            top = {roots[facet.name].get(pk) for pk in ids} - {None}
        else:
            nodes = facet.model._default_manager.filter(pk__in=ids).values_list("tree_id", flat=True)
            top = set(facet.model._default_manager.filter(tree_id__in=set(nodes), level=0).values_list("pk", flat=True))
        parts.update(f"{facet.name}:{pk}" for pk in [*ids, *top])
    return "," + ",".join(sorted(parts)) + "," if parts else ""


def _root_maps():
    maps = {}
    for facet in content.search_facets():
        rows = list(facet.model._default_manager.values_list("pk", "tree_id", "level"))
        root_of_tree = {tree_id: pk for pk, tree_id, level in rows if level == 0}
        maps[facet.name] = {pk: root_of_tree.get(tree_id) for pk, tree_id, _level in rows}
    return maps


def _window(obj):
    publish_at = getattr(obj, "publish_at", None) or timezone.now()
    return publish_at, getattr(obj, "unpublish_at", None)


def build_entries(obj, spec, content_type, roots=None):
    """Unsaved SearchEntry rows for ``obj``, one per language."""
    publish_at, unpublish_at = _window(obj)
    entries, facets = [], None
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            data = obj.search_data()
            if facets is None:
                facets = _facet_string(data, roots)
            translated = code == settings.LANGUAGE_CODE or bool(getattr(obj, f"title_{code}", None))
            date = data.get("date")
            entries.append(
                SearchEntry(
                    content_type=content_type,
                    object_id=obj.pk,
                    language=code,
                    translated=translated,
                    kind=spec.kind,
                    title=(data.get("title") or "")[:2000],
                    summary=data.get("summary") or "",
                    body=data.get("body") or "",
                    url=obj.get_absolute_url(),
                    date=date,
                    year=date.year if date else None,
                    facets=facets[:2000],
                    publish_at=publish_at,
                    unpublish_at=unpublish_at,
                )
            )
    return entries


def index_object(obj, spec=None):
    """Write (or remove) the entries of ``obj`` in every language."""
    spec = spec or content.search_spec(type(obj))
    if spec is None:
        return
    content_type = ContentType.objects.get_for_model(spec.model)
    with transaction.atomic():
        SearchEntry.objects.filter(content_type=content_type, object_id=obj.pk).delete()
        if spec.live_queryset().filter(pk=obj.pk).exists():
            SearchEntry.objects.bulk_create(build_entries(obj, spec, content_type))


def remove_object(model, pk):
    content_type = ContentType.objects.get_for_model(model)
    SearchEntry.objects.filter(content_type=content_type, object_id=pk).delete()


def _affected(obj):
    """``(spec, object)`` pairs to index again after ``obj`` changed."""
    model = type(obj)
    spec = content.search_spec(model)
    pairs = []
    if spec:
        pairs.append((spec, obj))
        if _is_tree(model) and obj.pk:
            pairs.extend((spec, node) for node in obj.get_descendants())
    for other in content.search_specs():
        for parent_model, lookup in other.depends_on:
            if isinstance(obj, parent_model):
                pairs.extend((other, child) for child in other.model._default_manager.filter(**{lookup: obj}))
    return pairs


def reindex_related(obj):
    for spec, target in _affected(obj):
        index_object(target, spec)


def _watched(model):
    return content.search_spec(model) is not None or any(
        issubclass(model, parent) for spec in content.search_specs() for parent, _lookup in spec.depends_on
    )


_paused = {"on": False}


class paused:
    """``with paused(): …`` skips index updates (bulk loaders), then call ``rebuild()``."""

    def __enter__(self):
        _paused["on"] = True

    def __exit__(self, *exc):
        _paused["on"] = False


def _schedule(model, pk):
    def run():
        obj = model._default_manager.filter(pk=pk).first()
        if obj is not None:
            reindex_related(obj)
        # Cached pages and search counts read the index: retire them once it is written,
        # not only when the change was saved (a search in between would keep the old index).
        bump_models([SearchEntry])  # pages and counts that read the index

    transaction.on_commit(run)


def on_save(sender, instance, raw=False, **kwargs):
    if raw or _paused["on"] or not _watched(sender):
        return
    note_scheduled(instance)
    _schedule(sender, instance.pk)


def on_delete(sender, instance, **kwargs):
    if content.search_spec(sender) is not None:
        remove_object(sender, instance.pk)


def on_m2m(sender, instance, action, **kwargs):
    if action.startswith("post_") and not _paused["on"] and _watched(type(instance)):
        _schedule(type(instance), instance.pk)


def connect():
    post_save.connect(on_save, dispatch_uid="search-save")
    post_delete.connect(on_delete, dispatch_uid="search-delete")
    m2m_changed.connect(on_m2m, dispatch_uid="search-m2m")


def _next_due(now):
    """The earliest future publish or unpublish time among indexed models and their parents."""
    models = set()
    for spec in content.search_specs():
        if _publishable(spec.model):
            models.add(spec.model)
        models.update(parent for parent, _lookup in spec.depends_on if _publishable(parent))
    return next_publishing_change(models, now)


def note_scheduled(instance):
    """A saved object with a future time may make the next sync earlier (no query)."""
    now = timezone.now()
    times = [getattr(instance, name, None) for name in ("publish_at", "unpublish_at")]
    times = [t for t in times if t and t > now]
    if not times:
        return
    due = cache.get(NEXT_KEY)
    if due is None:
        return  # unknown: the next search computes it
    if due == "none" or min(times) < due:
        cache.set(NEXT_KEY, min(times), None)


def sync_scheduled(now=None):
    """Re-index what crossed a publish or unpublish time since the last sync.

    Costs no query until the next scheduled moment is due.
    """
    now = now or timezone.now()
    last, due = cache.get(SYNC_KEY), cache.get(NEXT_KEY)
    if last is not None and due is not None and (due == "none" or due > now):
        return 0
    count = 0
    if last is not None:
        window = Q(publish_at__gt=last, publish_at__lte=now) | Q(unpublish_at__gt=last, unpublish_at__lte=now)
        for spec in content.search_specs():
            if _publishable(spec.model):
                for obj in spec.model._default_manager.filter(status=Status.PUBLISHED).filter(window):
                    reindex_related(obj)
                    count += 1
            for parent_model, _lookup in spec.depends_on:
                for parent in parent_model._default_manager.filter(status=Status.PUBLISHED).filter(window):
                    reindex_related(parent)
                    count += 1
    cache.set(SYNC_KEY, now, None)
    cache.set(NEXT_KEY, _next_due(now) or "none", None)
    if count:
        bump_models([SearchEntry])  # pages and counts that read the index
    return count


def next_due():
    """The next scheduled change the index will catch up with (None: none known), as ``sync_scheduled`` left it."""
    due = cache.get(NEXT_KEY)
    return None if due in (None, "none") else due


def rebuild(stdout=None, batch_size=500):
    """Empty the index and fill it again from every registered model, in bulk."""
    total = 0
    roots = _root_maps()
    with transaction.atomic():
        SearchEntry.objects.all().delete()
        for spec in content.search_specs():
            content_type = ContentType.objects.get_for_model(spec.model)
            batch, count = [], 0
            for obj in spec.live_queryset().iterator(chunk_size=batch_size):
                batch.extend(build_entries(obj, spec, content_type, roots))
                count += 1
                if len(batch) >= batch_size * 3:
                    SearchEntry.objects.bulk_create(batch)
                    batch = []
            SearchEntry.objects.bulk_create(batch)
            total += count
            if stdout:
                stdout.write(f"  {spec.kind}: {count}")
    cache.set(SYNC_KEY, timezone.now(), None)
    cache.delete(NEXT_KEY)
    bump_models([SearchEntry])  # every page and count that read the old index
    return total
