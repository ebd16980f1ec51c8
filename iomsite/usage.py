"""Where images and documents are used, and whether that use is live.

The uses are found from the content apps' declarations (``iomsite.content``): every
foreign key and many-to-many of a declared model that points to an image or a document,
and links to a document (``/documents/<id>/``) or renditions of an image
(``/media/renditions/<id>/``) inside rich text. A use is live when the item using it is
what visitors see: ``published()`` where the model has it, and its owner (a chapter's
publication) and listing parent (an event's series) live too. Nothing here names a
content app. See docs/decisions/017-media-publishing.md.
"""

import functools
import operator
from dataclasses import dataclass
from datetime import timedelta

from django.apps import apps
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from iomsite import content


@dataclass(frozen=True)
class Relation:
    """A field of a content model that names a media row (``field`` is the lookup from that model)."""

    model: type
    field: str
    many: bool


@functools.cache
def relations(media_model):
    """The foreign keys and many-to-many fields of declared content models that point to ``media_model``."""
    found = []
    for item in content.content_models():
        for field in item.model._meta.get_fields():
            if not field.concrete or not (field.many_to_one or field.many_to_many):
                continue
            if field.related_model is media_model:
                found.append(Relation(item.model, field.name, field.many_to_many))
    return tuple(found)


@functools.cache
def rich_text_fields(model):
    """The database columns of ``model`` holding rich text (each language's column included)."""
    from iomsite.richtext import RichTextField

    return tuple(field.name for field in model._meta.concrete_fields if isinstance(field, RichTextField))


def rich_text_models():
    models = [item.model for item in content.content_models()]
    return [(model, rich_text_fields(model)) for model in models if rich_text_fields(model)]


def rich_text_needle(media_model, pk):
    """What a rich text holds when it links the media row: its download address or a rendition's."""
    if media_model._meta.model_name == "document":
        return f"/documents/{pk}/"
    return f"/media/renditions/{pk}/"


def live_rows(model, now=None):
    """The rows of a declared model that visitors see (now, or at ``now``); None when the seam does not know it."""
    item = content.get(model)
    if item is None:
        return None
    queryset = model._default_manager.all()
    if hasattr(queryset, "published"):
        queryset = queryset.published(now)
    elif item.owner is None:
        return None  # no publishing of its own and no owner: not a public surface
    for name, related in item.relations():
        rows = live_rows(related.model, now)
        if rows is not None:
            queryset = queryset.filter(**{f"{name}__in": rows})
    return queryset


def _any(conditions):
    return functools.reduce(operator.or_, conditions) if conditions else Q(pk__in=[])


def live_use_q(media_model, now=None):
    """Media rows used by at least one live item through a foreign key or many-to-many (one correlated query)."""
    conditions = []
    for relation in relations(media_model):
        rows = live_rows(relation.model, now)
        if rows is not None:
            conditions.append(Exists(rows.filter(**{relation.field: OuterRef("pk")})))
    return _any(conditions)


def live_rich_text_q(media_model, pk, now=None):
    """Whether a live item's rich text links ``pk`` (one query; asked only when no foreign key answered)."""
    needle = rich_text_needle(media_model, pk)
    conditions = []
    for model, fields in rich_text_models():
        rows = live_rows(model, now)
        if rows is not None:
            conditions.append(Exists(rows.filter(_any([Q(**{f"{name}__contains": needle}) for name in fields]))))
    return _any(conditions)


def is_used_live(obj, now=None):
    """Whether a live item uses ``obj`` (now, or at ``now``): at most two queries."""
    model = type(obj)
    queryset = model._default_manager.filter(pk=obj.pk)
    if queryset.filter(live_use_q(model, now)).exists():
        return True
    return queryset.filter(live_rich_text_q(model, obj.pk, now)).exists()


def is_published(obj):
    """Whether visitors see ``obj`` now or will without anyone's action (a scheduled item uses it).

    The admin keeps changes to such media as drafts until a publisher publishes them.
    """
    if getattr(obj, "standalone", False):
        return True
    later = timezone.now() + timedelta(days=365 * 100)
    return is_used_live(obj) or is_used_live(obj, now=later)


@dataclass
class Use:
    """One item using a media row: the item (its owner for an inline row), how, and whether it is live."""

    item: object
    via: str
    live: bool

    @property
    def label(self):
        return f"{self.item._meta.verbose_name.capitalize()}: {self.item}"

    @property
    def admin_url(self):
        from django.contrib.admin.utils import quote
        from django.urls import NoReverseMatch, reverse

        opts = self.item._meta
        try:
            return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[quote(self.item.pk)])
        except NoReverseMatch:
            return None


def _owner(obj):
    """The item an inline row belongs to (a chapter's publication), itself otherwise."""
    item = content.get(obj)
    while item is not None and item.owner is not None:
        obj = getattr(obj, item.part_of)
        item = item.owner
    return obj


def uses(obj, limit=200):
    """Every item using ``obj``, live and draft, in every language (one query per relation and per rich-text model).

    For the media change page and the refused delete; a row that is part of another item
    (a theme's document) is listed as that item.
    """
    model = type(obj)
    found = {}

    def add(row, via, live):
        owner = _owner(row)
        key = (owner._meta.label, owner.pk)
        previous = found.get(key)
        found[key] = Use(owner, via, live or (previous.live if previous else False))

    for relation in relations(model):
        rows = relation.model._default_manager.filter(**{relation.field: obj.pk})
        item = content.get(relation.model)
        if item.part_of:
            rows = rows.select_related(item.part_of)
        live = live_rows(relation.model)
        live_pks = set()
        if live is not None:
            live_pks = set(live.filter(**{relation.field: obj.pk}).values_list("pk", flat=True))
        verbose = str(relation.model._meta.get_field(relation.field).verbose_name)
        for row in rows[:limit]:
            add(row, verbose, row.pk in live_pks)
    needle = rich_text_needle(model, obj.pk)
    for rich_model, fields in rich_text_models():
        condition = _any([Q(**{f"{name}__contains": needle}) for name in fields])
        rows = rich_model._default_manager.filter(condition)
        live = live_rows(rich_model)
        live_pks = set(live.filter(condition).values_list("pk", flat=True)) if live is not None else set()
        for row in rows[:limit]:
            add(row, _("link in the text"), row.pk in live_pks)
    return sorted(found.values(), key=lambda use: (not use.live, use.label))


def media_models():
    return (apps.get_model("iomsite", "Image"), apps.get_model("iomsite", "Document"))
