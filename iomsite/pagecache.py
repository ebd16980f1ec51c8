"""Whole-page cache for anonymous visitors.

Anonymous GET pages are kept in the shared cache with the tags of what they show and the
versions those tags had (``iomsite.freshness`` says how), for no longer than the next
scheduled publishing change. A hit costs one round trip to the shared cache and no query
(decision 019): a small in-process tier keeps recent pages, checked against the shared tag
versions in one ``get_many``; a page found only in the shared cache comes back in one
``get_many`` with the global sequence, and needs a tag check only when something changed
since it was stored. Never cached: requests with a session cookie that may be a session
(staff, previews), responses that set cookies, render a CSRF token or say
``private``/``no-cache``; errors; POSTs.
"""

import hashlib
import threading
import time
from collections import OrderedDict
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.sessions.backends.base import VALID_KEY_CHARS
from django.core.cache import cache, caches
from django.core.cache.backends.redis import RedisCache
from django.db import DatabaseError
from django.http import HttpResponse, HttpResponseNotModified
from django.utils.cache import patch_cache_control
from django.utils.http import http_date

from iomsite import freshness

# Query parameters no view reads: campaign tracking added by mail clients and social sites.
IGNORED_PARAMS = ("utm_", "fbclid", "gclid", "mc_cid", "mc_eid", "_ga")


class LocalTier:
    """The most recent pages of this process (least recently used first out), never trusted alone."""

    def __init__(self, size):
        self.size = size
        self.entries = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key):
        with self.lock:
            entry = self.entries.get(key)
            if entry is not None:
                self.entries.move_to_end(key)
            return entry

    def put(self, key, entry):
        if self.size <= 0:
            return
        with self.lock:
            self.entries[key] = entry
            self.entries.move_to_end(key)
            while len(self.entries) > self.size:
                self.entries.popitem(last=False)

    def drop(self, key):
        with self.lock:
            self.entries.pop(key, None)

    def clear(self):
        with self.lock:
            self.entries.clear()


local = LocalTier(getattr(settings, "IOMSITE_PAGE_CACHE_LOCAL_ENTRIES", 500))


def fetch(keys):
    """``cache.get_many(keys)`` for keys holding integers (tag versions, counters): one ``MGET``.

    With Django's Redis backend the keys are made once per process and the ``MGET`` goes to
    the client directly: ``get_many`` makes and validates every key on every call, which is
    most of a hit's cost for a page with a few hundred tags. Other backends: ``get_many``.
    """
    backend = caches["default"]
    if not isinstance(backend, RedisCache):
        return cache.get_many(keys)
    made = _raw_keys.setdefault((backend.key_prefix, backend.version), {})
    if len(made) > 100_000:
        made.clear()
    raw = []
    for key in keys:
        full = made.get(key)
        if full is None:
            full = made[key] = backend.make_and_validate_key(key)
        raw.append(full)
    values = backend._cache.get_client(raw[0]).mget(raw)
    return {key: int(value) for key, value in zip(keys, values, strict=True) if value is not None}


_raw_keys = {}


class PageCacheMiddleware:
    """Serve and store anonymous GET pages. Placed before sessions: a hit costs no query."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not self.cacheable_request(request):
            return self.get_response(request)
        key = self.key(request)
        entry, state, stale = self.lookup(key)
        if entry is not None:
            response = self.conditional(request, entry)
            response["X-Page-Cache"] = "hit"
            return response
        lock = key + ":rendering"
        if cache.add(lock, 1, settings.IOMSITE_PAGE_CACHE_RENDER_SECONDS):
            try:
                return self.render(request, key, state.get(freshness.SEQUENCE_KEY))
            finally:
                cache.delete(lock)
        # Another process renders this page now: its last copy meanwhile, if only an edit
        # retired it (a change that may hide something forbids it) and it is within its time.
        if stale is not None and stale[3].hidden is not None and stale[3].hidden == state.get(freshness.HIDDEN_KEY):
            return self.stale(stale)
        return self.render(request, key, state.get(freshness.SEQUENCE_KEY))

    def lookup(self, key):
        """``(entry, state, stale)``: the valid stored page or None, the shared state read with it
        (the sequence and the hiding changes' counter), and a retired copy still within its time.

        One ``get_many`` when the page is in this process's tier (its tags' versions) or is
        in the shared cache and nothing changed since it was stored (the page and the
        sequence); a second one only to check the tags of a shared copy older than a change.
        """
        now = time.time()
        entry = local.get(key)
        if entry is not None:
            copy = entry[3]
            found = fetch((freshness.SEQUENCE_KEY, freshness.HIDDEN_KEY, *copy.keys))
            if copy.expires > now and copy.current(found):
                return entry, found, None
            local.drop(key)
            return None, found, entry if copy.expires > now else None
        found = cache.get_many((key, freshness.SEQUENCE_KEY, freshness.HIDDEN_KEY))
        entry = found.pop(key, None)
        if entry is None:
            return None, found, None
        copy = entry[3]
        if copy.expires <= now:
            return None, found, None
        if copy.sequence != found.get(freshness.SEQUENCE_KEY) and not copy.current(cache.get_many(copy.keys)):
            return None, found, entry
        local.put(key, entry)
        return entry, found, None

    @staticmethod
    def stale(entry):
        """A retired copy while the page renders elsewhere: for this request only, kept by no cache."""
        status, headers, content, _copy = entry
        response = HttpResponse(content, status=status)
        for name, value in headers.items():
            if name.lower() not in {"xkey", "surrogate-key", "surrogate-control", "etag", "cache-control"}:
                response[name] = value
        patch_cache_control(response, no_cache=True)
        response["X-Page-Cache"] = "stale"
        return response

    def render(self, request, key, sequence):
        if sequence is None:
            sequence = freshness.content_version()
        try:
            next_change = freshness.next_scheduled_change(sequence)
        except DatabaseError:
            return self.get_response(request)  # the view answers (503 page when the database is down)
        with freshness.collect() as tags:
            response = self.get_response(request)
        if not self.cacheable_response(request, response):
            return response
        timeout = freshness.timeout_until(next_change)
        content = response.content
        etag = '"%s"' % hashlib.md5(content, usedforsecurity=False).hexdigest()  # noqa: UP031
        response["ETag"] = etag
        response["Last-Modified"] = http_date()
        patch_cache_control(response, public=True, max_age=min(timeout, settings.IOMSITE_BROWSER_CACHE_SECONDS))
        copy = freshness.seal(tags, sequence, timeout)
        if copy is not None:
            surrogate = " ".join(copy.tags)
            response["xkey"] = surrogate
            response["Surrogate-Key"] = surrogate
            response["Surrogate-Control"] = f"max-age={timeout}"  # a cache in front: to the next scheduled moment
            headers = {k: v for k, v in response.items() if k.lower() not in {"set-cookie", "x-page-cache"}}
            entry = (response.status_code, headers, content, copy)
            cache.set(key, entry, timeout)
            local.put(key, entry)
        response["X-Page-Cache"] = "miss"
        return response

    @staticmethod
    def cacheable_request(request):
        if not settings.IOMSITE_PAGE_CACHE or request.method not in ("GET", "HEAD"):
            return False
        if settings.SESSION_COOKIE_NAME in request.COOKIES and has_session(request):
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
    def key(request):
        """Host, path and the query in a canonical order, without the tracking parameters no view reads."""
        query = sorted(
            (name, value)
            for name, values in request.GET.lists()
            if not name.startswith(IGNORED_PARAMS)
            for value in values
        )
        raw = f"{request.get_host()}|{request.path}?{urlencode(query)}"
        return "pagecache:page:" + hashlib.sha256(raw.encode()).hexdigest()

    @staticmethod
    def conditional(request, hit):
        status, headers, content, _copy = hit
        if request.headers.get("If-None-Match") and request.headers["If-None-Match"] == headers.get("ETag"):
            response = HttpResponseNotModified()
            for name in ("ETag", "Cache-Control", "Last-Modified", "Vary", "xkey", "Surrogate-Key"):
                if name in headers:
                    response[name] = headers[name]
            return response
        response = HttpResponse(content, status=status)
        for name, value in headers.items():
            response[name] = value
        return response


def has_session(request):
    """Whether the session cookie may name a session: a bogus value must not bypass the cache.

    Django's session keys are 32 lower-case letters and digits; anything else names no
    session and the session middleware would ignore it. A well-formed key is taken for a
    session without asking the store (that would cost a query on every hit).
    """
    value = request.COOKIES.get(settings.SESSION_COOKIE_NAME, "")
    return len(value) == 32 and all(char in VALID_KEY_CHARS for char in value)


class VarnishPurge:
    """Tell Varnish (``docs/varnish/iomsite.vcl``, vmod xkey) which tags changed: one ``PURGE`` per Varnish.

    ``IOMSITE_PURGE_BACKEND = "iomsite.pagecache.VarnishPurge"`` and ``IOMSITE_VARNISH_URLS``
    (``http://127.0.0.1:6081``, several for several caches). A Varnish that does not answer is
    logged and skipped: the site's own cache is already retired, but that Varnish keeps its
    copy until its TTL (at most ``IOMSITE_PAGE_CACHE_SECONDS``), so watch the warning.
    """

    timeout = 2

    def purge(self, tags):
        import logging
        import urllib.request

        header = " ".join(sorted(tags))
        for url in settings.IOMSITE_VARNISH_URLS:
            request = urllib.request.Request(url.rstrip("/") + "/", method="PURGE", headers={"xkey-purge": header})
            try:
                with urllib.request.urlopen(request, timeout=self.timeout) as response:
                    response.read()
            except OSError as error:
                logging.getLogger("iomsite.pagecache").warning("Varnish purge of %s failed: %s", url, error)
