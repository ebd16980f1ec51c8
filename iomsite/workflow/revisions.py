"""Revisions of one object: its inline rows, a field-by-field comparison, a restore.

django-reversion stores one revision per admin save with every object saved in it
(the item and its inline rows, or many items for a bulk action). Restoring works on
one item and its own inline rows only, never on the other items of a bulk revision.
Tree position and publishing state are not restored: a restore brings back content;
moving and publishing stay separate decisions.
"""

import difflib
import re
from collections import defaultdict

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import formats, timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from reversion.revisions import _get_options  # the options reversion was registered with (follow, fields)

from iomsite.models import PublishableModel, Status

PUBLISHING_FIELDS = ("status", "publish_at", "unpublish_at")
WORDS = re.compile(r"(\s+)")


def child_relations(model):
    """(accessor, child model, foreign key attname) for the reverse relations reversion follows: inline rows."""
    relations = []
    try:
        follow = _get_options(model).follow
    except Exception:  # not registered with reversion
        return relations
    for rel in model._meta.related_objects:
        if rel.one_to_many and rel.get_accessor_name() in follow:
            relations.append((rel.get_accessor_name(), rel.related_model, rel.field.attname))
    return relations


def object_versions(version):
    """``version`` and, from the same revision, the versions of its inline rows (recursively)."""
    by_type = defaultdict(list)
    for sibling in version.revision.version_set.all():
        by_type[sibling.content_type_id].append(sibling)
    result = [version]
    frontier = [(version._model, str(version.object_id))]
    while frontier:
        model, object_id = frontier.pop()
        for _accessor, child_model, fk_attname in child_relations(model):
            content_type = ContentType.objects.get_for_model(child_model)
            for child in by_type.get(content_type.pk, ()):
                if str(child._local_field_dict.get(fk_attname)) == object_id:
                    result.append(child)
                    frontier.append((child_model, str(child.object_id)))
    return result


def current_rows(obj):
    """The inline rows (recursively) an object has now."""
    for accessor, _child_model, _fk in child_relations(type(obj)):
        for child in getattr(obj, accessor).all():
            yield child
            yield from current_rows(child)


def tree_fields(model):
    if not hasattr(model, "_mptt_meta"):
        return ()
    opts = model._mptt_meta
    fields = [opts.tree_id_attr, opts.left_attr, opts.right_attr, opts.level_attr, f"{opts.parent_attr}_id"]
    if any(field.name == "path" for field in model._meta.concrete_fields):
        fields.append("path")
    return fields


def restore(version, user_can_publish):
    """Write ``version``'s object and inline rows back; rows added since are deleted.

    Run inside a transaction; the admin then saves the form as a new revision.
    """
    versions = object_versions(version)
    wanted = {(item.content_type_id, str(item.object_id)) for item in versions}
    current = version._model._default_manager.get(pk=version._object_version.object.pk)
    for row in reversed(list(current_rows(current))):
        if (ContentType.objects.get_for_model(row).pk, str(row.pk)) not in wanted:
            row.delete()
    for item in versions:
        model = item._model
        restored = item._object_version.object
        stored = model._default_manager.filter(pk=restored.pk).first()
        if stored is not None:
            for name in tree_fields(model):
                setattr(restored, name, getattr(stored, name))
        if issubclass(model, PublishableModel):
            if stored is not None:
                for name in PUBLISHING_FIELDS:
                    setattr(restored, name, getattr(stored, name))
            elif not user_can_publish:
                restored.status = Status.DRAFT
        item._object_version.save()


# Comparison -------------------------------------------------------------------------------


def translated_originals(model):
    """Fields modeltranslation copies per language: compare ``title_en`` etc., not ``title``."""
    try:
        from modeltranslation.translator import NotRegistered, translator
    except ImportError:  # pragma: no cover
        return set()
    try:
        return set(translator.get_options_for_model(model).all_fields)
    except NotRegistered:
        return set()


def comparable_fields(model, skip=()):
    originals = translated_originals(model)
    fields = []
    for name in _get_options(model).fields:
        field = model._meta.get_field(name)
        if field.primary_key or name in originals or name in skip:
            continue
        if not field.editable and name not in PUBLISHING_FIELDS:
            continue
        fields.append(field)
    return fields


class Display:
    """Turns stored values into what an editor reads; related objects looked up once each."""

    def __init__(self, visible=None):
        self.cache = {}
        self.visible = visible or (lambda model, pk: True)

    def related(self, model, pk):
        key = (model, str(pk))
        if key not in self.cache:
            obj = model._default_manager.filter(pk=pk).first()
            if obj is None:
                self.cache[key] = _("#%(pk)s (deleted)") % {"pk": pk}
            elif not self.visible(model, pk):
                self.cache[key] = _("(outside your sections)")
            else:
                self.cache[key] = str(obj)
        return self.cache[key]

    def __call__(self, field, value):
        if value is None or value == "" or value == []:
            return "—"
        if field.many_to_many:
            return ", ".join(sorted(self.related(field.related_model, pk) for pk in value))
        if field.many_to_one or field.one_to_one:
            return self.related(field.related_model, value)
        if field.choices:
            return str(dict(field.flatchoices).get(value, value))
        if isinstance(field, models.BooleanField):
            return _("yes") if value else _("no")
        if isinstance(field, models.DateTimeField):
            return formats.date_format(timezone.localtime(value), "DATETIME_FORMAT")
        return str(value)


def word_diff(old, new):
    """Old and new text with deletions and insertions marked; every piece HTML-escaped."""
    before, after = WORDS.split(old), WORDS.split(new)
    parts = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, before, after, autojunk=False).get_opcodes():
        if op == "equal":
            parts.append(escape("".join(before[i1:i2])))
            continue
        if op in ("delete", "replace"):
            parts.append(f"<del>{escape(''.join(before[i1:i2]))}</del>")
        if op in ("insert", "replace"):
            parts.append(f"<ins>{escape(''.join(after[j1:j2]))}</ins>")
    return mark_safe("".join(parts))  # built from escaped pieces only


def field_rows(fields, old, new, display, only_changed=False):
    rows = []
    for field in fields:
        old_value, new_value = old.get(field.attname), new.get(field.attname)
        changed = _blank(old_value) != _blank(new_value)
        if only_changed and not changed:
            continue
        row = {
            "label": str(field.verbose_name),
            "old": display(field, old_value),
            "new": display(field, new_value),
            "changed": changed,
            "diff": None,
        }
        if changed and isinstance(field, models.TextField) and old_value and new_value:
            row["diff"] = word_diff(str(old_value), str(new_value))
        rows.append(row)
    return rows


def _blank(value):
    return "" if value is None else value  # an empty translation is stored as NULL or "" depending on the path


def compare(older, newer, visible=None):
    """The comparison of two versions of one object: its fields, then each kind of inline row.

    ``visible(model, pk)`` says whether the reader may see a related object's name.
    """
    display = Display(visible)
    model = older._model
    result = {
        "fields": field_rows(comparable_fields(model), older.field_dict, newer.field_dict, display),
        "inlines": [],
    }
    old_rows, new_rows = _rows_by_model(older), _rows_by_model(newer)
    for child_model in sorted({*old_rows, *new_rows}, key=lambda m: str(m._meta.verbose_name_plural)):
        skip = {fk for _a, child, fk in _all_relations(model) if child is child_model}
        fields = comparable_fields(child_model, skip={name.removesuffix("_id") for name in skip})
        before, after = old_rows.get(child_model, {}), new_rows.get(child_model, {})
        rows = []
        for object_id in sorted({*before, *after}, key=lambda pk: (len(pk), pk)):
            old_version, new_version = before.get(object_id), after.get(object_id)
            if old_version and new_version:
                changes = field_rows(fields, old_version.field_dict, new_version.field_dict, display, only_changed=True)
                state = "changed" if changes else "same"
                label = new_version.object_repr
            elif new_version:
                changes = field_rows(fields, {}, new_version.field_dict, display, only_changed=True)
                state, label = "added", new_version.object_repr
            else:
                changes = field_rows(fields, old_version.field_dict, {}, display, only_changed=True)
                state, label = "removed", old_version.object_repr
            rows.append({"label": label, "state": state, "fields": changes})
        result["inlines"].append({"title": str(child_model._meta.verbose_name_plural).capitalize(), "rows": rows})
    return result


def _all_relations(model):
    relations = list(child_relations(model))
    for _accessor, child_model, _fk in list(relations):
        relations.extend(_all_relations(child_model))
    return relations


def _rows_by_model(version):
    rows = defaultdict(dict)
    for item in object_versions(version)[1:]:
        rows[item._model][str(item.object_id)] = item
    return rows
