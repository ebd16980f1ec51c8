import json

from django import template
from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.core.serializers.json import DjangoJSONEncoder
from django.urls import translate_url
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, get_language_info

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
def image(img, sizes="100vw", max_width=None, css_class="", loading="lazy", alt=None):
    """An ``<img>`` with WebP renditions in ``srcset``, width and height (no layout shift)."""
    if not img:
        return ""
    renditions = img.renditions(max_width=max_width)
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
    lang = get_language() or settings.LANGUAGE_CODE
    if lang == settings.LANGUAGE_CODE:
        return lang
    localized = getattr(obj, f"{field}_{lang.replace('-', '_')}", None)
    return lang if localized else settings.LANGUAGE_CODE


@register.simple_tag
def lang_attr(obj, field):
    """`` lang="en"`` when the field shows the English fallback on a French or Spanish page."""
    lang = field_language(obj, field)
    if lang != (get_language() or settings.LANGUAGE_CODE):
        return format_html(' lang="{}"', lang)
    return ""


@register.simple_tag(takes_context=True)
def language_links(context):
    """``[(code, name, url, current)]``: this page in each language.

    Filters and search words are kept; a page number is not: a listing may have fewer
    pages in another language (search results), so the visitor starts at its first page.
    """
    request = context.get("request")
    current = get_language()
    path = "/"
    if request is not None:
        query = request.GET.copy()
        query.pop("page", None)
        path = request.path + (f"?{query.urlencode()}" if query else "")
    return [
        (code, get_language_info(code)["name_local"], translate_url(path, code), code == current)
        for code, _name in settings.LANGUAGES
    ]


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
