"""Whole-page cache for anonymous visitors, invalidated by a content version.

Every save, delete or many-to-many change of a content model bumps one version
number kept in the shared cache; the version is part of every page key, so one
edit retires every cached page at once, in every process. Scheduled publishing
needs no job either: a page is kept no longer than the time until the next
``publish_at``/``unpublish_at`` of any content, and that moment is part of the key.
"""

import hashlib

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponseNotModified
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.http import http_date

from iomsite.models.base import next_publishing_change

VERSION_KEY = "pagecache:version"
SCHEDULE_KEY = "pagecache:next-change:{version}"
CONTENT_APPS = {"iomsite", "themes", "consultations", "regions", "publications"}
IGNORED_MODELS = {"search.searchentry"}


def content_version():
    version = cache.get(VERSION_KEY)
    if version is None:
        version = int(timezone.now().timestamp() * 1000)
        cache.add(VERSION_KEY, version, None)
        version = cache.get(VERSION_KEY, version)
    return version


def bump_version(**kwargs):
    """Retire every cached page and derived value: now, and again when the change commits.

    Now, so this process never serves what it just changed; at the commit, because a
    request in another process between the two still read the old rows and may have
    cached them under the new version.
    """
    sender = kwargs.get("sender")
    if sender is not None:
        label = sender._meta.label_lower
        if sender._meta.app_label not in CONTENT_APPS or label in IGNORED_MODELS:
            return
    _increment()
    using = kwargs.get("using")
    if transaction.get_connection(using).in_atomic_block:
        transaction.on_commit(_increment, using=using)


def _increment():
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        cache.set(VERSION_KEY, int(timezone.now().timestamp() * 1000), None)


def connect():
    post_save.connect(bump_version, dispatch_uid="pagecache-save")
    post_delete.connect(bump_version, dispatch_uid="pagecache-delete")
    m2m_changed.connect(bump_version, dispatch_uid="pagecache-m2m")


def _publishable_models():
    from iomsite.models import PublishableModel

    return [m for m in apps.get_models() if issubclass(m, PublishableModel)]


def next_scheduled_change(version):
    """The earliest future publish or unpublish time of any content (cached per version)."""
    key = SCHEDULE_KEY.format(version=version)
    now = timezone.now()
    cached = cache.get(key)
    if cached is not None and (cached == "none" or cached > now):
        return None if cached == "none" else cached
    upcoming = next_publishing_change(_publishable_models(), now)
    cache.set(key, upcoming or "none", settings.IOMSITE_PAGE_CACHE_SECONDS)
    return upcoming


def timeout_until(next_change):
    """The page cache's lifetime, shortened to end at ``next_change`` (a scheduled publishing change) if any."""
    timeout = settings.IOMSITE_PAGE_CACHE_SECONDS
    if next_change is not None:
        # 0 (under a second to go) stores nothing: a value must not outlive the moment.
        timeout = max(0, min(timeout, int((next_change - timezone.now()).total_seconds())))
    return timeout


def remember(name, compute):
    """Small data derived from published content, shared by every process until it may change.

    ``compute()`` returns ``(value, next change)``, the next scheduled publishing moment
    that could alter the value (None: none). The value is kept under the content version,
    so any edit retires it, and for no longer than that moment.
    """
    key = f"pagecache:data:{content_version()}:{name}"
    value = cache.get(key)
    if value is None:
        value, moment = compute()
        cache.set(key, value, timeout_until(moment))
    return value


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
