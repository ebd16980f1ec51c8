"""The draft of a live item as visitors will see it, and compared with the live page as text.

The public view itself renders the page inside a transaction in which the draft is applied,
then the transaction is rolled back (``drafts.rolled_back``): what the preview shows is what
publishing will show, in each language. Staff only (the admin's views), never cached.
"""

import copy
import re

from django.conf import settings
from django.http import Http404
from django.urls import Resolver404, resolve
from django.utils import translation
from django.utils.cache import add_never_cache_headers

from iomsite.richtext import html_to_text
from iomsite.workflow import drafts
from iomsite.workflow.revisions import word_diff

SUBPAGE = re.compile(r"^(?:[a-z0-9-]+/)*$")  # a tab under the item's address ("resources/")
MAIN = re.compile(r"<main\b[^>]*>(.*?)</main>", re.DOTALL | re.IGNORECASE)
NOISE = re.compile(r"<(script|style|svg)\b.*?</\1>", re.DOTALL | re.IGNORECASE)


def _language(language):
    codes = [code for code, _name in settings.LANGUAGES]
    return language if language in codes else codes[0]


def _render(request, obj, draft, language, subpage=""):
    """The public page of ``obj`` (with ``draft`` applied when given), rendered, then every write undone."""
    language = _language(language)
    with drafts.rolled_back(), translation.override(language):
        if draft is not None:
            drafts.apply(obj, draft.data)
            obj.refresh_from_db()
        url = obj.get_absolute_url() + (subpage if subpage and SUBPAGE.match(subpage) else "")
        try:
            match = resolve(url)
        except Resolver404:
            raise Http404 from None
        public = copy.copy(request)
        public.path = public.path_info = url
        public.META = {**request.META, "PATH_INFO": url, "QUERY_STRING": ""}
        public.GET = public.GET.__class__("")
        public.resolver_match = match
        public.LANGUAGE_CODE = language
        public.draft_preview = draft is not None
        response = match.func(public, *match.args, **match.kwargs)
        if hasattr(response, "render") and not response.is_rendered:
            response.render()
    return response


def render_draft(request, obj, draft, language=None, subpage=""):
    response = _render(request, obj, draft, language, subpage)
    add_never_cache_headers(response)
    response["X-Robots-Tag"] = "noindex"
    return response


def page_text(response):
    if response.status_code != 200:
        return ""
    html = response.content.decode()
    found = MAIN.search(html)
    return html_to_text(NOISE.sub(" ", found.group(1) if found else html))


def _text_or_blank(request, obj, draft, language, subpage):
    try:
        return page_text(_render(request, obj, draft, language, subpage))
    except Http404:  # not on the site now (expired, scheduled): nothing to read
        return ""


def compare_text(request, obj, draft, language=None, subpage=""):
    """``{"live": text, "draft": text, "diff": marked-up words, "changed": bool}`` of the page's main content."""
    live, changed_text = (_text_or_blank(request, obj, version, language, subpage) for version in (None, draft))
    return {"live": live, "draft": changed_text, "diff": word_diff(live, changed_text), "changed": live != changed_text}
