"""Rich text: written in a WYSIWYG editor, stored as sanitised HTML.

The allow-list is ours (nh3) and is applied in ``pre_save``, so every path that
saves a model (admin, shell, demo loader, import) stores clean HTML. Templates
render it with the ``richtext`` filter (``render``), which also gives links to the
site's own content their current address.

A link chosen from the site (the editor's "Link to site content" button,
``static/iomsite/sitelink.js``) keeps a reference to its target:
``<a data-ref="iomsite.page:12" href="/en/about-us/">``. ``data-ref`` is the one
attribute the chooser adds to the allow-list, and only in that form. At output the
reference wins over the stored ``href``: the link follows moves and slug changes and
points at the page in the reader's language; a link to something that is not (or no
longer) live is shown as plain text, never a 404, and the link checker reports it
(``iomsite.workflow.links``).
"""

import html
import re
from collections import defaultdict

import nh3
from django.urls import NoReverseMatch, reverse_lazy
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from django_prose_editor.fields import ProseEditorField

EDITOR_EXTENSIONS = {
    "Bold": True,
    "Italic": True,
    "Heading": {"levels": [2, 3, 4]},
    "BulletList": True,
    "OrderedList": True,
    "ListItem": True,
    "Blockquote": True,
    "HardBreak": True,
    "Link": {"enableTarget": False},
    "Table": True,
    "TableRow": True,
    "TableHeader": True,
    "TableCell": True,
    "History": True,
    "HTML": True,
    # Links by reference to the site's own content (settings.DJANGO_PROSE_EDITOR_EXTENSIONS).
    "SiteLink": {"url": reverse_lazy("workflow_explore_choose")},
}


def site_link_allowlist(config, shared_config):
    """The prose editor's allow-list processor for ``SiteLink`` (ours, ``sanitize_html``, is what saves)."""
    from django_prose_editor.config import add_tags_and_attributes

    add_tags_and_attributes(shared_config, ["a"], {"a": ["data-ref"]})


ALLOWED_TAGS = {
    "p", "br", "h2", "h3", "h4", "strong", "em", "b", "i", "ul", "ol", "li",
    "blockquote", "a", "table", "thead", "tbody", "tr", "th", "td", "caption", "hr",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "hreflang", "data-ref"},
    "ol": {"start", "type"},
    "th": {"colspan", "rowspan", "scope"},
    "td": {"colspan", "rowspan"},
}
URL_SCHEMES = {"http", "https", "mailto", "tel"}
REF = re.compile(r"^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*:[1-9][0-9]{0,17}$")


def _attribute_filter(tag, attribute, value):
    """``data-ref`` only as ``app_label.model_name:pk``; every other allowed attribute as it is."""
    if attribute == "data-ref":
        return value if REF.match(value) else None
    return value


_cleaner = nh3.Cleaner(
    tags=ALLOWED_TAGS,
    attributes=ALLOWED_ATTRIBUTES,
    attribute_filter=_attribute_filter,
    url_schemes=URL_SCHEMES,
    link_rel="noopener noreferrer",
    strip_comments=True,
)
_EMPTY = re.compile(r"^\s*(<p>\s*(<br>)?\s*</p>\s*)*$")


def sanitize_html(value):
    """Return ``value`` reduced to the allow-list; '' for an empty editor document."""
    if not value:
        return ""
    cleaned = _cleaner.clean(str(value)).strip()
    return "" if _EMPTY.match(cleaned) else cleaned


# Output of the sanitiser: attributes double-quoted, ``<a>`` never nested.
_REF_LINK = re.compile(r'<a\s([^>]*?\bdata-ref="([^"]+)"[^>]*)>(.*?)</a>', re.S)
_HREF = re.compile(r'\bhref="[^"]*"')


def parse_ref(ref):
    """``(model, pk)`` of a reference to a content model with an address, or None."""
    from django.apps import apps

    from iomsite import content

    if not isinstance(ref, str) or not REF.match(ref):
        return None
    label, pk = ref.split(":")
    try:
        model = apps.get_model(label)
    except (LookupError, ValueError):
        return None
    item = content.get(model)
    if item is None or not hasattr(model, "get_absolute_url"):
        return None
    return model, int(pk)


def live_targets(refs):
    """``{ref: object}`` of the referenced objects visitors may see: one query per model named."""
    from iomsite import content

    wanted = defaultdict(set)
    for ref in refs:
        parsed = parse_ref(ref)
        if parsed:
            wanted[parsed[0]].add(parsed[1])
    found = {}
    for model, pks in wanted.items():
        item = content.get(model)
        queryset = model._default_manager.filter(pk__in=pks)
        if hasattr(queryset, "published"):
            queryset = queryset.published()
        elif item.owner is not None:
            queryset = queryset.filter(**{f"{item.part_of}__in": item.owner.model._default_manager.published()})
        else:
            continue
        related = item.address_fields()
        for obj in queryset.select_related(*related) if related else queryset:
            found[f"{model._meta.label_lower}:{obj.pk}"] = obj
    return found


def render(value):
    """Stored rich text for a page: links by reference get their target's address in the active language.

    No query when the text holds no reference; else one per model it names.
    """
    if not value:
        return ""
    value = str(value)
    if "data-ref=" not in value:
        return mark_safe(value)  # sanitised on save (pre_save)
    targets = live_targets({match.group(2) for match in _REF_LINK.finditer(value)})

    def replace(match):
        attributes, ref, inner = match.groups()
        obj = targets.get(ref)
        if obj is None:
            if parse_ref(ref) is None:
                return match.group(0)  # not a reference we know: the link as stored
            return inner  # its target is not live: the words without the link, never a 404
        try:
            address = obj.get_absolute_url()
        except NoReverseMatch:
            return inner
        attributes = _HREF.sub(lambda _m: f'href="{html.escape(address)}"', attributes)
        if 'href="' not in attributes:
            attributes += f' href="{html.escape(address)}"'
        return f"<a {attributes}>{inner}</a>"

    return mark_safe(_REF_LINK.sub(replace, value))  # sanitised on save; addresses escaped


_TAG = re.compile(r"<[^>]*>|<[^>]*$")
_SPACE = re.compile(r"\s+")
_BLOCK_END = re.compile(r"</(p|h[1-6]|li|td|th|blockquote)>|<br\s*/?>", re.IGNORECASE)


def html_to_text(value, words=None):
    """Plain text from HTML, for excerpts and search (computed at save time)."""
    if not value:
        return ""
    text = _BLOCK_END.sub(" ", str(value))
    text = html.unescape(_TAG.sub("", text))
    text = _SPACE.sub(" ", text.replace("<", " ").replace(">", " ")).strip()
    if words:
        text = Truncator(text).words(words, truncate="…")
    return text


def store_plain_text(instance, source, target, words=None):
    """Set ``target`` to the plain text of ``source``, per language when translated."""
    from django.conf import settings

    fields = {f.name for f in instance._meta.get_fields()}
    pairs = [(f"{source}_{code}", f"{target}_{code}") for code, _name in settings.LANGUAGES]
    pairs = [(s, t) for s, t in pairs if s in fields and t in fields] or [(source, target)]
    for src, dst in pairs:
        setattr(instance, dst, html_to_text(getattr(instance, src), words=words))


class RichTextField(ProseEditorField):
    """A text field edited with the prose editor and sanitised on every save."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("extensions", dict(EDITOR_EXTENSIONS))
        kwargs.setdefault("sanitize", sanitize_html)
        kwargs.setdefault("blank", True)
        super().__init__(*args, **kwargs)

    def pre_save(self, model_instance, add):
        # The untranslated name (``body``) of a translated field reads and writes the active
        # language's field: saved while French is active, the English fallback would be
        # written into ``body_fr``. The untranslated column holds the default language's text.
        from django.conf import settings
        from django.utils import translation

        with translation.override(settings.LANGUAGE_CODE):
            value = sanitize_html(getattr(model_instance, self.attname))
            setattr(model_instance, self.attname, value)
        return value

    def deconstruct(self):
        # Migrations see a plain TextField: editor settings are not schema.
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.TextField", args, kwargs
