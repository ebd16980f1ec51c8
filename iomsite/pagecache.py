"""Whole-page cache for anonymous visitors.

Anonymous GET pages are kept in the shared cache under a key holding the content
version and the next scheduled publishing change, so an edit or the clock passing a
scheduled moment retires them (``iomsite.freshness`` says how). Never cached: requests
with a session cookie (staff, previews), responses that set cookies, render a CSRF
token or say ``private``/``no-cache``; errors; POSTs.
"""

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError
from django.http import HttpResponseNotModified
from django.utils.cache import patch_cache_control
from django.utils.http import http_date

from iomsite.freshness import content_version, next_scheduled_change, timeout_until


class PageCacheMiddleware:
    """Serve and store anonymous GET pages. Placed before sessions: a hit costs no query."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not self.cacheable_request(request):
            return self.get_response(request)
        version = content_version()
        try:
            next_change = next_scheduled_change(version)
        except DatabaseError:
            return self.get_response(request)  # the view answers (503 page when the database is down)
        key = self.key(request, version, next_change)
        hit = cache.get(key)
        if hit is not None:
            response = self.conditional(request, hit)
            response["X-Page-Cache"] = "hit"
            return response
        response = self.get_response(request)
        if self.cacheable_response(request, response):
            timeout = timeout_until(next_change)
            content = response.content
            etag = '"%s"' % hashlib.md5(content, usedforsecurity=False).hexdigest()  # noqa: UP031
            response["ETag"] = etag
            response["Last-Modified"] = http_date()
            patch_cache_control(response, public=True, max_age=min(timeout, settings.IOMSITE_BROWSER_CACHE_SECONDS))
            headers = {k: v for k, v in response.items() if k.lower() not in {"set-cookie", "x-page-cache"}}
            cache.set(key, (response.status_code, headers, content), timeout)
            response["X-Page-Cache"] = "miss"
        return response

    @staticmethod
    def cacheable_request(request):
        if not settings.IOMSITE_PAGE_CACHE or request.method not in ("GET", "HEAD"):
            return False
        if settings.SESSION_COOKIE_NAME in request.COOKIES:
            return False  # staff, previews, anything session-bound
        return not request.path.startswith(("/" + settings.ADMIN_URL, "/media/", "/static/", "/documents/"))

    @staticmethod
    def cacheable_response(request, response):
        if response.status_code != 200 or response.streaming or response.cookies:
            return False
        control = response.get("Cache-Control", "")
        if any(word in control for word in ("private", "no-cache", "no-store", "max-age=0")):
            return False
        if request.META.get("CSRF_COOKIE_NEEDS_UPDATE") or request.META.get("CSRF_COOKIE_USED"):
            return False  # the page holds a per-visitor CSRF token
        user = getattr(request, "user", None)
        return not (user is not None and getattr(user, "is_authenticated", False))

    @staticmethod
    def key(request, version, next_change):
        epoch = int(next_change.timestamp()) if next_change else 0
        raw = f"{request.get_host()}|{request.get_full_path()}|{version}|{epoch}"
        return "pagecache:page:" + hashlib.sha256(raw.encode()).hexdigest()

    @staticmethod
    def conditional(request, hit):
        from django.http import HttpResponse

        status, headers, content = hit
        if request.headers.get("If-None-Match") and request.headers["If-None-Match"] == headers.get("ETag"):
            response = HttpResponseNotModified()
            for name in ("ETag", "Cache-Control", "Last-Modified", "Vary"):
                if name in headers:
                    response[name] = headers[name]
            return response
        response = HttpResponse(content, status=status)
        for name, value in headers.items():
            response[name] = value
        return response
