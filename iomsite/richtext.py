"""Rich text: written in a WYSIWYG editor, stored as sanitised HTML.

The allow-list is ours (nh3) and is applied in ``pre_save``, so every path that
saves a model (admin, shell, demo loader, import) stores clean HTML. Templates
may then mark the stored value safe.
"""

import html
import re

import nh3
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
}

ALLOWED_TAGS = {
    "p", "br", "h2", "h3", "h4", "strong", "em", "b", "i", "ul", "ol", "li",
    "blockquote", "a", "table", "thead", "tbody", "tr", "th", "td", "caption", "hr",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "hreflang"},
    "ol": {"start", "type"},
    "th": {"colspan", "rowspan", "scope"},
    "td": {"colspan", "rowspan"},
}
URL_SCHEMES = {"http", "https", "mailto", "tel"}

_cleaner = nh3.Cleaner(
    tags=ALLOWED_TAGS,
    attributes=ALLOWED_ATTRIBUTES,
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
