"""The open data API: read-only JSON over published content (issue 24, decision 021).

django-ninja builds the OpenAPI 3 schema (``/api/v1/openapi.json``) and the docs page
(``/api/v1/docs``). Content apps add their routers in ``AppConfig.ready()``
(``api.add_router``); the core names none of them. Every answer: ``published()`` only,
an ETag and ``Cache-Control`` like the pages (a matching ``If-None-Match`` gets 304), a
rate limit per client address without accounts (``iomsite.ratelimit``, addresses only as
keyed hashes), bad input a 400 with a JSON message, never a 500.
"""

import hashlib

from django.conf import settings
from django.http import HttpResponseNotModified
from django.utils import translation
from django.utils.cache import patch_cache_control
from ninja import NinjaAPI
from ninja.errors import ValidationError
from ninja.throttling import BaseThrottle

from iomsite import ratelimit
from iomsite.security import client_ip

REQUESTS_PER_MINUTE = 120
PER_PAGE = 20


class ClientThrottle(BaseThrottle):
    """At most ``REQUESTS_PER_MINUTE`` requests a minute from one address (counted under a keyed hash)."""

    def allow_request(self, request):
        return ratelimit.hit("api", client_ip(request), REQUESTS_PER_MINUTE, 60)

    def wait(self):
        return 60


class OpenDataAPI(NinjaAPI):
    def create_response(self, request, data, *, status=None, temporal_response=None):
        response = super().create_response(request, data, status=status, temporal_response=temporal_response)
        if request.method in ("GET", "HEAD") and response.status_code == 200:
            etag = '"%s"' % hashlib.md5(response.content, usedforsecurity=False).hexdigest()  # noqa: UP031
            if etag in [tag.strip() for tag in request.headers.get("If-None-Match", "").split(",")]:
                response = HttpResponseNotModified()
            response["ETag"] = etag
            patch_cache_control(response, public=True, max_age=settings.IOMSITE_BROWSER_CACHE_SECONDS)
            response["Vary"] = "Accept-Encoding"
        return response


api = OpenDataAPI(
    title="Open data",
    version="1",
    description="Published content of the site, read-only. Use ?lang=en|fr|es; items say when a text "
    "falls back to English (translated: false).",
    urls_namespace="api",
    throttle=[ClientThrottle()],
)


@api.exception_handler(ValidationError)
def bad_input(request, error):
    return api.create_response(request, {"detail": "Invalid parameters.", "errors": error.errors}, status=400)


def language_of(lang):
    """The requested content language (one of the site's), else the default."""
    codes = [code for code, _name in settings.LANGUAGES]
    return lang if lang in codes else settings.LANGUAGE_CODE


def is_translated(obj, field, language):
    """False when ``field`` shows the English text for want of a translation (modeltranslation fallback)."""
    return language == settings.LANGUAGE_CODE or bool(getattr(obj, f"{field}_{language}", None))


def page_of(queryset, page, request_path, per_page=PER_PAGE):
    """``(rows, meta)`` for page ``page`` (1-based): two queries (count, rows)."""
    count = queryset.count()
    pages = max(1, -(-count // per_page))
    rows = list(queryset[(page - 1) * per_page : page * per_page])
    return rows, {"count": count, "page": page, "pages": pages, "per_page": per_page}


override = translation.override
