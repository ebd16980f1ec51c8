"""Drafts of live items: snapshot the object and its rows, apply a snapshot in one transaction.

One mechanism for every content app (decision 016). The rows a draft carries are the seam's
parts of the model (``iomsite.content.get(model).parts``, recursively) and the rows of the
model's admin inlines. A snapshot is Django's JSON serialisation of the object and those rows
(the format django-reversion stores). Applying one writes the object's content fields (never
its publishing fields nor tree columns), updates kept rows through ``save()``, creates new
rows with new keys and deletes the rows the draft no longer has.
"""

import json
from contextlib import contextmanager

import reversion
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.db import models, transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from iomsite import content
from iomsite.models import PublishableModel, Status

PUBLISHING_FIELDS = ("status", "publish_at", "unpublish_at")
KEEP_FIELDS = {"created_at", "updated_at", "updated_by"}


def owner_draft_rows(owner_model, model, pk):
    """The pk of the ``owner_model`` object whose draft holds the row ``model``/``pk`` (not live yet), or None."""
    from iomsite.workflow.models import Draft

    label = model._meta.label_lower
    for draft in Draft.objects.filter(content_type=ContentType.objects.get_for_model(owner_model)).only(
        "object_id", "data"
    ):
        if any(row.get("model") == label and str(row.get("pk")) == str(pk) for row in draft.data.get("rows", ())):
            return draft.object_id
    return None


def is_drafted(obj):
    """Whether changes to ``obj`` go to a draft: a publishable item that is published (live, scheduled, expired)."""
    return (
        obj is not None
        and obj.pk is not None
        and isinstance(obj, PublishableModel)
        and obj.status == Status.PUBLISHED
        and content.get(obj) is not None
        and content.get(obj).owner is None
    )


# Which rows ---------------------------------------------------------------------------------


def _foreign_key_to(child, parent, name=None):
    if name:
        return child._meta.get_field(name)
    for field in child._meta.concrete_fields:
        if field.many_to_one and field.related_model is parent:
            return field
    return None


def relations(model):
    """``[(child model, foreign key)]``: the rows that belong to a draft of ``model``, parents first."""
    found = []
    item = content.get(model)
    for part in item.parts if item else ():
        if not part.declaration.drafted:
            continue  # rows visitors create (registrations) are never part of a draft
        found.append((part.model, part.model._meta.get_field(part.part_of)))
    model_admin = admin.site._registry.get(model)
    for inline in getattr(model_admin, "inlines", ()):
        child = inline.model
        known_part = content.get(child)
        if known_part is not None and not known_part.declaration.drafted:
            continue
        if any(known is child for known, _fk in found):
            continue
        field = _foreign_key_to(child, model, getattr(inline, "fk_name", None))
        if field is not None:
            found.append((child, field))
    return found


def _rows(model, pk):
    """``[(child model, foreign key, queryset)]`` of the rows of one object, recursively (parts of parts)."""
    result = []
    for child, field in relations(model):
        queryset = child._default_manager.filter(**{field.attname: pk})
        if hasattr(child, "_mptt_meta"):
            opts = child._mptt_meta
            queryset = queryset.order_by(opts.tree_id_attr, opts.left_attr)
        else:
            queryset = queryset.order_by("pk")
        result.append((child, field, queryset))
    return result


# Snapshot ------------------------------------------------------------------------------------


def _serialize(objects):
    return json.loads(serializers.serialize("json", objects))


def snapshot(obj):
    """The object and its rows as JSON-safe data: ``{"object": {...}, "rows": [{...}, ...]}``."""
    rows = []
    for child, _field, queryset in _rows(type(obj), obj.pk):
        rows.extend(_serialize(queryset))
        for row in queryset:
            rows.extend(_nested(child, row))
    return {"object": _serialize([obj])[0], "rows": rows}


def _nested(model, obj):
    found = []
    if not content.get(model) or not content.get(model).parts:
        return found
    for child, _field, queryset in _rows(model, obj.pk):
        found.extend(_serialize(queryset))
        for row in queryset:
            found.extend(_nested(child, row))
    return found


def snapshot_of(obj):
    """One object alone, serialised as in a snapshot."""
    return _serialize([obj])[0]


def deserialize_object(record):
    return _deserialize([record])[0].object


def _deserialize(records):
    return list(serializers.deserialize("json", json.dumps(records), ignorenonexistent=True))


# Apply ---------------------------------------------------------------------------------------


def _skipped(model):
    from iomsite.workflow.revisions import translated_originals, tree_fields

    skip = set(KEEP_FIELDS) | set(tree_fields(model)) | translated_originals(model)
    skip.discard(f"{model._mptt_meta.parent_attr}_id" if hasattr(model, "_mptt_meta") else "")
    return skip


def _copy(source, target, remap, keep_publishing=False):
    """Content fields of ``source`` onto ``target``; foreign keys to rows made in this apply follow ``remap``.

    ``keep_publishing``: the target's publishing fields stay (the item itself, and rows with a state of their own).
    """
    model = type(target)
    skip = _skipped(model)
    if keep_publishing and isinstance(target, PublishableModel):
        skip |= set(PUBLISHING_FIELDS)
    for field in model._meta.concrete_fields:
        if field.primary_key or field.attname in skip or field.name in skip:
            continue
        value = getattr(source, field.attname)
        if field.many_to_one and (field.related_model, value) in remap:
            value = remap[(field.related_model, value)]
        setattr(target, field.attname, value)


def apply(obj, data):
    """Write the snapshot ``data`` onto ``obj`` and its rows. Run inside a transaction."""
    with transaction.atomic():
        model = type(obj)
        remap = {}
        top = _deserialize([data["object"]])[0]
        stored = model._default_manager.get(pk=obj.pk)
        _copy(top.object, stored, remap, keep_publishing=True)
        stored.save()
        _set_many(stored, top.m2m_data)
        by_model = {}
        for item in _deserialize(data.get("rows", [])):
            by_model.setdefault(type(item.object), []).append(item)
        _apply_rows(model, stored.pk, by_model, remap)
        obj.refresh_from_db()
        return stored


def _apply_rows(model, pk, by_model, remap):
    for child, field, queryset in _rows(model, pk):
        current = {row.pk: row for row in queryset}
        wanted = [item for item in by_model.get(child, ()) if getattr(item.object, field.attname) == pk]
        kept = set()
        for item in wanted:
            source = item.object
            target = current.get(source.pk)
            if target is None:
                old_pk = source.pk
                target = child()
                _copy(source, target, remap)
                setattr(target, field.attname, pk)
                if old_pk is not None and not child._default_manager.filter(pk=old_pk).exists():
                    # The key the draft gave it (addresses and links to it keep working); a key taken
                    # since (SQLite may give a rolled-back key again) means a new one.
                    target.pk = old_pk
                    target.save(force_insert=True)
                else:
                    target.save()
                    remap[(child, old_pk)] = target.pk
                if content.get(child) and content.get(child).parts:
                    by_model = _rekey(by_model, child, old_pk, target.pk)
                    _apply_rows(child, target.pk, by_model, remap)
            else:
                _copy(source, target, remap, keep_publishing=True)
                if hasattr(child, "_mptt_meta"):
                    target.refresh_from_db(fields=_tree_columns(child))
                target.save()
                if content.get(child) and content.get(child).parts:
                    _apply_rows(child, target.pk, by_model, remap)
            _set_many(target, item.m2m_data)
            kept.add(target.pk)
        for row_pk in [row_pk for row_pk in current if row_pk not in kept]:
            row = child._default_manager.filter(pk=row_pk).first()  # a deleted parent may have taken it along
            if row is not None:
                row.delete()


def _rekey(by_model, parent_model, old_pk, new_pk):
    """Rows of a new row point at its key in the snapshot; give them the new one."""
    result = {}
    for child, items in by_model.items():
        for relation_child, field in relations(parent_model):
            if relation_child is child:
                for item in items:
                    if getattr(item.object, field.attname) == old_pk:
                        setattr(item.object, field.attname, new_pk)
        result[child] = items
    return result


def _tree_columns(model):
    opts = model._mptt_meta
    return [opts.tree_id_attr, opts.left_attr, opts.right_attr, opts.level_attr]


def _set_many(obj, m2m_data):
    for name, values in (m2m_data or {}).items():
        field = obj._meta.get_field(name)
        if field.remote_field.through._meta.auto_created:
            getattr(obj, name).set(values)


@contextmanager
def rolled_back():
    """A transaction that never commits: the draft is applied, read or saved, then undone."""
    state = revision_state()
    try:
        with transaction.atomic():
            yield
            transaction.set_rollback(True)
    finally:
        forget_versions(state)


def revision_state():
    """The versions django-reversion has gathered so far for the revision being made (None: none is)."""
    from reversion import revisions

    if not revisions.is_active():
        return None
    return revisions._copy_db_versions(revisions._current_frame().db_versions)


def forget_versions(state):
    """Drop what reversion gathered since ``revision_state()``: those saves were rolled back."""
    from reversion import revisions

    if state is not None and revisions.is_active():
        revisions._update_frame(db_versions=state)


# Drafts ----------------------------------------------------------------------------------------


def get_draft(obj):
    from iomsite.workflow.models import Draft

    if obj is None or obj.pk is None:
        return None
    return Draft.objects.for_object(obj).first()


def save_draft(obj, data, user, draft=None):
    from iomsite.workflow.models import Draft

    if draft is None:
        draft = Draft(
            content_type=ContentType.objects.get_for_model(obj),
            object_id=obj.pk,
            base_updated_at=obj.updated_at,
            created_by=user,
        )
    draft.data = data
    draft.object_repr = str(obj)[:300]
    draft.updated_by = user
    draft.save()
    return draft


def draft_name(draft):
    """ "the draft of 12 May" (the day it was started), for messages and the activity log."""
    when = formats.date_format(timezone.localtime(draft.created_at), "j F")
    return _("the draft of %(when)s") % {"when": when}


def publish_draft(obj, draft, user, comment=None):
    """Apply ``draft`` to the live rows, record a revision, delete the draft: one transaction."""
    from iomsite.workflow.models import Activity

    name = draft_name(draft)
    with transaction.atomic():
        with reversion.create_revision():
            stored = apply(obj, draft.data)
            stored.updated_by = user
            stored.save(update_fields=["updated_by"])
            reversion.add_to_revision(stored)
            for _child, _field, queryset in _rows(type(stored), stored.pk):
                for row in queryset:
                    reversion.add_to_revision(row)
            if user is not None:
                reversion.set_user(user)
            reversion.set_comment(comment or _("Published %(draft)s.") % {"draft": name})
        draft.delete()
        record(user, Activity.Action.PUBLISHED, stored, comment or _("Published %(draft)s.") % {"draft": name})
    return stored


def record(user, action, obj, message):
    """One line of the activity log."""
    from iomsite.workflow.models import Activity

    return Activity.objects.create(
        user=user if user is not None and user.is_authenticated else None,
        action=action,
        content_type=ContentType.objects.get_for_model(obj),
        object_id=obj.pk,
        object_repr=str(obj)[:300],
        message=str(message)[:500],
    )


def has_changes(obj, data):
    """Whether the snapshot differs from the live rows (ignoring timestamps)."""
    live = snapshot(obj)
    return _comparable(live) != _comparable(data)


def _comparable(data):
    def strip(record):
        skip = KEEP_FIELDS | {"lft", "rght", "tree_id", "level", *PUBLISHING_FIELDS}
        fields = {k: v for k, v in record["fields"].items() if k not in skip}
        return record["model"], record["pk"], json.dumps(fields, sort_keys=True, default=str)

    return strip(data["object"]), sorted(strip(record) for record in data.get("rows", []))


def field_names(model):
    """Concrete field names, for callers that compare snapshots."""
    return [field.name for field in model._meta.concrete_fields if not isinstance(field, models.AutoField)]
