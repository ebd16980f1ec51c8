"""XLIFF 2.0 for translators: the English text of some items out, their translation back in.

No maintained library fits: django-modeltranslation-xliff is a 2018 beta for Django 2,
djangocms-xliff is for django CMS pages. The format needed here is small (one ``<file>``
per item, one ``<unit>`` per translated field, ``<source>`` and ``<target>``), so it is
written with ``xml.etree`` and read with ``defusedxml`` (no entity expansion, no external
entities: an uploaded file is untrusted). Rich text travels as its HTML, escaped, in
``<source>``: nothing of its formatting is lost, and what comes back goes through the
rich-text sanitiser like any save. See docs/decisions/024-languages.md.
"""

from dataclasses import dataclass
from xml.etree import ElementTree

from defusedxml import ElementTree as SafeElementTree
from defusedxml.common import DefusedXmlException
from django.apps import apps
from django.conf import settings
from django.utils.translation import gettext as _

from iomsite import languages
from iomsite.richtext import RichTextField, sanitize_html

NS = "urn:oasis:names:tc:xliff:document:2.0"
MAX_BYTES = 5 * 1024 * 1024


class XliffError(ValueError):
    """A file that cannot be imported; the message is for the editor."""


def item_key(obj):
    return f"{obj._meta.label_lower}:{obj.pk}"


def export(objects, language):
    """XLIFF 2.0 bytes: per object, its English text and the current ``language`` text, if any."""
    ElementTree.register_namespace("", NS)
    root = ElementTree.Element(
        f"{{{NS}}}xliff", {"version": "2.0", "srcLang": settings.LANGUAGE_CODE, "trgLang": language}
    )
    for obj in objects:
        node = ElementTree.SubElement(root, f"{{{NS}}}file", {"id": f"f{obj.pk}", "original": item_key(obj)})
        notes = ElementTree.SubElement(node, f"{{{NS}}}notes")
        ElementTree.SubElement(notes, f"{{{NS}}}note").text = str(obj)
        for field in languages.translated_fields(obj):
            source = getattr(obj, f"{field}_{settings.LANGUAGE_CODE}", None) or ""
            if not source:
                continue
            unit = ElementTree.SubElement(node, f"{{{NS}}}unit", {"id": field})
            segment = ElementTree.SubElement(unit, f"{{{NS}}}segment")
            ElementTree.SubElement(segment, f"{{{NS}}}source").text = source
            current = getattr(obj, f"{field}_{language}", None)
            if current:
                ElementTree.SubElement(segment, f"{{{NS}}}target").text = current
    return ElementTree.tostring(root, encoding="utf-8", xml_declaration=True)


@dataclass
class Change:
    obj: object
    field: str
    label: str
    old: str
    new: str


def _model_of(label):
    try:
        model = apps.get_model(label)
    except (LookupError, ValueError):
        return None
    return model if languages.tracked(model) else None


def read(data, model=None):
    """``(language, [Change])`` from an uploaded file: only fields whose text changes.

    Raises ``XliffError`` for anything that is not an XLIFF 2.0 file of this site's items
    (of ``model`` when given). Rich text is sanitised as a save would.
    """
    if isinstance(data, str):
        data = data.encode("utf-8")
    if len(data) > MAX_BYTES:
        raise XliffError(_("The file is too large (at most 5 MB)."))
    try:
        root = SafeElementTree.fromstring(data)
    except (ElementTree.ParseError, DefusedXmlException, ValueError):
        raise XliffError(_("This is not an XLIFF file: it cannot be read as XML.")) from None
    if root.tag != f"{{{NS}}}xliff" or root.get("version") != "2.0":
        raise XliffError(_("This is not an XLIFF 2.0 file."))
    language = root.get("trgLang")
    if language not in languages.other_languages() or root.get("srcLang") != settings.LANGUAGE_CODE:
        raise XliffError(_("The file must translate from English into French or Spanish."))
    wanted = {}
    for node in root.findall(f"{{{NS}}}file"):
        label, _sep, pk = (node.get("original") or "").rpartition(":")
        found = _model_of(label)
        if found is None or (model is not None and found is not model) or not pk.isdigit():
            raise XliffError(_("The file names an item this list does not have: %(item)s.") % {"item": label})
        wanted.setdefault(found, {})[int(pk)] = node
    changes = []
    for found, nodes in wanted.items():
        objects = found._default_manager.in_bulk(list(nodes))
        fields = languages.translated_fields(found)
        for pk, node in nodes.items():
            obj = objects.get(pk)
            if obj is None:
                raise XliffError(_("An item of the file no longer exists (number %(pk)s).") % {"pk": pk})
            for unit in node.iter(f"{{{NS}}}unit"):
                field = unit.get("id")
                if field not in fields:
                    raise XliffError(_("The file names a field that is not translated: %(field)s.") % {"field": field})
                targets = [target.text or "" for target in unit.iter(f"{{{NS}}}target")]
                if not targets:
                    continue  # not translated yet
                new = "".join(targets).strip()
                if isinstance(found._meta.get_field(field), RichTextField):
                    new = sanitize_html(new)
                old = getattr(obj, f"{field}_{language}", None) or ""
                if new != old:
                    label = str(found._meta.get_field(field).verbose_name)
                    changes.append(Change(obj, field, label, old, new))
    return language, changes


def apply(language, changes):
    """Write the changes, one save per item (the status rows follow); returns the items saved."""
    by_object = {}
    for change in changes:
        by_object.setdefault((type(change.obj), change.obj.pk), (change.obj, []))[1].append(change)
    for obj, items in by_object.values():
        for change in items:
            setattr(obj, f"{change.field}_{language}", change.new)
        obj.save()
    return [obj for obj, _items in by_object.values()]
