import json

from django import template
from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.core.serializers.json import DjangoJSONEncoder
from django.urls import translate_url
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, get_language_info
from django.utils.translation import gettext_lazy as _

from iomsite import languages
from iomsite.validators import is_safe_link

register = template.Library()

# Inside <script>, "</script>" or "<!--" in a value would end or change the element: these never appear.
JSON_ESCAPES = {ord("<"): "\\u003c", ord(">"): "\\u003e", ord("&"): "\\u0026"}


@register.simple_tag
def json_ld(data):
    """``<script type="application/ld+json">`` holding ``data`` (a dict; nothing when empty), safe inside HTML."""
    if not data:
        return ""
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(JSON_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))


@register.simple_tag
def image(img, sizes="100vw", max_width=None, css_class="", loading="lazy", alt=None, crop=None):
    """An ``<img>`` with WebP renditions in ``srcset``, width and height (no layout shift).

    ``crop="card"`` or ``"header"``: cut to those proportions around the image's focal point.
    """
    if not img:
        return ""
    renditions = img.crop_renditions(crop, max_width=max_width) if crop else img.renditions(max_width=max_width)
    src, width, height = renditions[-1]
    srcset = ", ".join(f"{url} {w}w" for url, w, _h in renditions)
    return format_html(
        '<img src="{}" srcset="{}" sizes="{}" width="{}" height="{}" alt="{}"{}{} decoding="async">',
        src,
        srcset,
        sizes,
        width,
        height,
        img.alt_text if alt is None else alt,
        format_html(' class="{}"', css_class) if css_class else "",
        format_html(' loading="{}"', loading) if loading else "",
    )


def field_language(obj, field):
    """The language the visitor actually gets for ``obj.field`` (English when it falls back)."""
    return languages.field_language(obj, field)


@register.simple_tag
def lang_attr(obj, field):
    """`` lang="en"`` when the field shows the English fallback on a French or Spanish page."""
    lang = field_language(obj, field)
    if lang != (get_language() or settings.LANGUAGE_CODE):
        return format_html(' lang="{}"', lang)
    return ""


def translation_subject(context):
    """The content object a page is about (``translation_object``, else a detail view's ``object``), or None.

    Only objects with translated fields count: their language decides the page's fallback note,
    ``hreflang`` and canonical address (``iomsite.languages``).
    """
    for name in ("translation_object", "object"):
        obj = context.get(name)
        if obj is not None and languages.translated_fields(obj):
            return obj
    return None


@register.simple_tag(takes_context=True)
def language_links(context):
    """``[(code, name, url, current, translated)]``: this page in each language.

    ``translated`` is false where the page's content object has no translation in that
    language: the switcher still leads there (the same item, with the fallback note), but
    ``hreflang`` does not announce it. Filters and search words are kept; a page number
    is not: a listing may have fewer pages in another language (search results), so the
    visitor starts at its first page.
    """
    request = context.get("request")
    current = get_language()
    subject = translation_subject(context)
    path = "/"
    if request is not None:
        query = request.GET.copy()
        query.pop("page", None)
        path = request.path + (f"?{query.urlencode()}" if query else "")
    return [
        (
            code,
            get_language_info(code)["name_local"],
            translate_url(path, code),
            code == current,
            subject is None or languages.is_translated(subject, code),
        )
        for code, _name in settings.LANGUAGES
    ]


@register.simple_tag(takes_context=True)
def canonical_path(context):
    """The page's own path; the default language's when its content is shown in English for want of a translation.

    So search engines never index English text under ``/fr/`` or ``/es/``.
    """
    request = context.get("request")
    path = request.path if request is not None else "/"
    subject = translation_subject(context)
    if subject is not None and not languages.is_translated(subject):
        return translate_url(path, settings.LANGUAGE_CODE)
    return path


FALLBACK_NOTICES = {
    "fr": _("This page is not yet available in French; it is shown in English."),
    "es": _("This page is not yet available in Spanish; it is shown in English."),
}
PARTIAL_NOTICES = {
    "fr": _("Parts of this page are not yet available in French; they are shown in English."),
    "es": _("Parts of this page are not yet available in Spanish; they are shown in English."),
}
OTHER_FALLBACK = _("This page is not yet available in your language; it is shown in English.")
OTHER_PARTIAL = _("Parts of this page are not yet available in your language; they are shown in English.")


@register.simple_tag(takes_context=True)
def language_fallback(context):
    """A note, in the reader's language, when the page's content falls back to English in whole or in part."""
    subject = translation_subject(context)
    code = get_language() or settings.LANGUAGE_CODE
    if subject is None or code == settings.LANGUAGE_CODE:
        return ""
    if languages.source_language(subject) != settings.LANGUAGE_CODE:
        return ""  # written in another language, and the page says which (a French edition)
    state = languages.state_of(subject, code)
    if state == languages.MISSING:
        text = FALLBACK_NOTICES.get(code, OTHER_FALLBACK)
    elif state == languages.PARTIAL:
        text = PARTIAL_NOTICES.get(code, OTHER_PARTIAL)
    else:
        return ""
    return format_html('<p class="language-fallback" role="note" data-state="{}">{}</p>', state, text)


@register.simple_tag(takes_context=True)
def absolute_url(context, path):
    """``path`` with the scheme and host of the request; the bare path when the host is refused.

    The 400 page for a Host outside ALLOWED_HOSTS renders this too: asking for the host
    again there would turn the 400 into a 500.
    """
    request = context.get("request")
    if request is None:
        return path
    try:
        return request.build_absolute_uri(path)
    except DisallowedHost:
        return path


@register.filter
def og_image_url(img):
    """The largest rendition up to 1280 px, for social cards."""
    return img.renditions(max_width=1280)[-1][0] if img else ""


@register.filter
def get_count(counter, key):
    """``counter[key]`` for Counters and dicts in templates (0 when missing)."""
    try:
        return counter.get(key, 0) or counter.get(str(key), 0)
    except AttributeError:
        return 0


@register.filter
def facet_count(counter, name):
    """A view of facet counts (``'theme:5'`` keys) by node pk."""
    prefix = f"{name}:"
    return {int(key[len(prefix) :]): value for key, value in counter.items() if key.startswith(prefix)}


@register.filter
def field_value(form, name):
    value = form[name].value()
    return "" if value is None else str(value)


@register.filter
def safe_link(value):
    """``value`` if it is a link the link fields accept (``iomsite.validators.is_safe_link``), else ""."""
    return value if is_safe_link(value) else ""


@register.filter
def richtext(value):
    """Stored (sanitised) rich text for a page; links chosen from the site get their current address.

    See ``iomsite.richtext.render``: a text without such a link costs no query.
    """
    from iomsite.richtext import render

    return render(value)
