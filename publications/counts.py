"""Counts without tracking (decision 022): views and downloads per item × language × day.

A page view is counted by a 1×1 image (the "beacon") that the page embeds: it is requested
even when the page itself comes from the page cache or a CDN, it needs no JavaScript and no
cookie, and crawlers that read HTML without fetching images mostly skip it. A download is
counted as the document's file is served. Either way the request only increments a counter
in the shared cache (Redis in production): no database write, and nothing about the visitor
(address, browser string, cookie) is stored; requests whose browser string names a known
bot are not counted at all. ``flush()`` (the ``flush_counts`` command, run every few minutes
by the operator's timer, and the editors' report before it reads) moves closed buckets into
``DailyCount`` rows in one transaction.

Counters live in five-minute buckets. The first hit of a key in a bucket takes a slot number
from an atomic counter and writes the key under it, so ``flush()`` finds every key of a
bucket without listing the cache (which Django's cache API cannot do).
"""

import re
import time
from datetime import date

from django.core.cache import cache
from django.db import transaction
from django.db.models import F
from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.translation import get_language

BUCKET_SECONDS = 300
KEEP_SECONDS = 7 * 24 * 3600  # a bucket not flushed within a week is lost, not kept for ever
PREFIX = "counts"
# Known crawlers, link checkers and scripted clients (the words most of them put in their user agent).
BOT_AGENTS = re.compile(
    r"bot|crawl|spider|slurp|archiver|facebookexternalhit|embedly|preview|monitor|checker|"
    r"curl|wget|python-requests|python-urllib|httpx|aiohttp|go-http-client|java/|okhttp|libwww|"
    r"headlesschrome|phantomjs|lighthouse|pingdom|uptime",
    re.IGNORECASE,
)
# The smallest transparent GIF.
PIXEL = (
    b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\x00\x00\x00!\xf9\x04\x01\x00\x00\x00\x00"
    b",\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;"
)


def is_bot(request):
    agent = request.META.get("HTTP_USER_AGENT", "")
    if not agent or BOT_AGENTS.search(agent):
        return True
    # Browsers' speculative fetches are not reads.
    return (
        request.META.get("HTTP_SEC_PURPOSE", "").startswith("prefetch")
        or request.META.get("HTTP_PURPOSE") == "prefetch"
    )


def _bucket(now=None):
    return int((now or time.time()) // BUCKET_SECONDS)


def record(kind, pk, language, now=None):
    """Count one view (``kind`` "p" publication, "c" entry) or download ("d" document): cache only."""
    day = date.fromtimestamp(now or time.time()).isoformat()
    bucket = _bucket(now)
    key = f"{PREFIX}:{bucket}:{kind}:{pk}:{language}:{day}"
    if cache.add(key, 1, KEEP_SECONDS):
        cache.add(f"{PREFIX}:{bucket}:n", 0, KEEP_SECONDS)
        slot = cache.incr(f"{PREFIX}:{bucket}:n")
        cache.set(f"{PREFIX}:{bucket}:slot:{slot}", key, KEEP_SECONDS)
    else:
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.add(key, 1, KEEP_SECONDS)


def beacon(request, kind, pk):
    """The 1×1 image a page embeds; counts unless a bot asks. Never cached anywhere."""
    if not is_bot(request):
        record(kind, pk, (get_language() or "en")[:2])
    response = HttpResponse(PIXEL, content_type="image/gif")
    add_never_cache_headers(response)
    return response


class DownloadCountMiddleware:
    """Counts a document served whole (status 200) by the download view; a 304 or a range is not a download."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        if (
            response.status_code == 200
            and request.method == "GET"
            and match is not None
            and match.url_name == "document_download"
            and "HTTP_RANGE" not in request.META
            and not is_bot(request)
        ):
            record("d", match.kwargs["pk"], "")
        return response


def _collect(bucket, total):
    """``[(kind, pk, language, day, count)]`` of one closed bucket (``total`` keys), removed from the cache."""
    slots = [f"{PREFIX}:{bucket}:slot:{slot}" for slot in range(1, total + 1)]
    keys = list(cache.get_many(slots).values())
    counts = cache.get_many(keys)
    cache.delete_many([*slots, *keys, f"{PREFIX}:{bucket}:n"])
    rows = []
    for key, count in counts.items():
        _prefix, _bucket_id, kind, pk, language, day = key.split(":")
        rows.append((kind, int(pk), language, date.fromisoformat(day), int(count)))
    return rows


def flush(now=None):
    """Write every closed bucket's counters to ``DailyCount``; returns the number of hits written."""
    from publications.models import DailyCount, Publication, TocEntry

    # Buckets before the previous one: a grace bucket for requests in flight and clocks a little apart.
    current = _bucket(now)
    names = [f"{PREFIX}:{bucket}:n" for bucket in range(current - KEEP_SECONDS // BUCKET_SECONDS, current - 1)]
    rows = []
    for name, total in cache.get_many(names).items():  # one round trip for a week of buckets
        rows.extend(_collect(int(name.split(":")[1]), total))
    if not rows:
        return 0
    # Resolve what was counted: entries to their publication, documents to what offers them.
    entry_ids = {pk for kind, pk, *_rest in rows if kind == "c"}
    document_ids = {pk for kind, pk, *_rest in rows if kind == "d"}
    entries = dict(TocEntry.objects.filter(pk__in=entry_ids).values_list("pk", "publication_id"))
    offered = {}
    for pk, publication_id, document_id in TocEntry.objects.filter(document_id__in=document_ids).values_list(
        "pk", "publication_id", "document_id"
    ):
        offered.setdefault(document_id, []).append((publication_id, pk))
    for pk, document_id in Publication.objects.filter(document_id__in=document_ids).values_list("pk", "document_id"):
        offered.setdefault(document_id, []).append((pk, None))
    languages = dict(
        Publication.objects.filter(pk__in={p for items in offered.values() for p, _e in items}).values_list(
            "pk", "language"
        )
    )
    viewed = {pk for kind, pk, *_rest in rows if kind == "p"}
    publications = set(Publication.objects.filter(pk__in=viewed).values_list("pk", flat=True))
    totals = {}
    for kind, pk, language, day, count in rows:
        if kind == "p" and pk in publications:
            targets, field = [(pk, None, language)], "views"
        elif kind == "c" and pk in entries:
            targets, field = [(entries[pk], pk, language)], "views"
        elif kind == "d":
            # A download is in the language of what was downloaded: the publication's.
            targets = [(p, e, languages.get(p, "en")) for p, e in offered.get(pk, [])]
            field = "downloads"
        else:
            continue  # deleted since
        for publication_id, entry_id, lang in targets:
            slot = totals.setdefault((day, lang, publication_id, entry_id), {"views": 0, "downloads": 0})
            slot[field] += count
    written = 0
    with transaction.atomic():
        for (day, lang, publication_id, entry_id), values in totals.items():
            updated = DailyCount.objects.filter(
                day=day, language=lang, publication_pk=publication_id, entry_pk=entry_id
            ).update(views=F("views") + values["views"], downloads=F("downloads") + values["downloads"])
            if not updated:
                DailyCount.objects.create(
                    day=day, language=lang, publication_pk=publication_id, entry_pk=entry_id, **values
                )
            written += values["views"] + values["downloads"]
    return written


def report(days=30, language="", now=None):
    """The editors' report: ``[row]`` most read first, each with views and downloads per language.

    Three queries (counts grouped in the database, then the titles), whatever the number of days or items.
    """
    from django.conf import settings
    from django.db.models import Sum

    from publications.models import DailyCount, Publication, TocEntry

    since = timezone.localdate(now) - timezone.timedelta(days=days - 1)
    counts = DailyCount.objects.filter(day__gte=since)
    if language:
        counts = counts.filter(language=language)
    grouped = list(
        counts.values("publication_pk", "entry_pk", "language")
        .annotate(views=Sum("views"), downloads=Sum("downloads"))
        .order_by()
    )
    shown = Publication.objects.filter(pk__in={row["publication_pk"] for row in grouped})
    publications = {pk: (title, slug) for pk, title, slug in shown.values_list("pk", "title", "slug")}
    entries = {
        pk: (str(TocEntry(number=number, title=title)), slug)
        for pk, number, title, slug in TocEntry.objects.filter(
            pk__in={row["entry_pk"] for row in grouped if row["entry_pk"]}
        ).values_list("pk", "number", "title", "slug")
    }
    items = {}
    for row in grouped:
        key = (row["publication_pk"], row["entry_pk"])
        if key[0] not in publications or (key[1] and key[1] not in entries):
            continue  # deleted since
        item = items.get(key)
        if item is None:
            title, slug = publications[key[0]]
            entry_title, entry_slug = entries[key[1]] if key[1] else ("", "")
            item = items[key] = {
                "title": f"{title} › {entry_title}" if entry_title else title,
                "publication": slug,
                "entry": entry_slug,
                "views": 0,
                "downloads": 0,
                "languages": {code: [0, 0] for code, _name in settings.LANGUAGES},
            }
        item["views"] += row["views"]
        item["downloads"] += row["downloads"]
        pair = item["languages"].setdefault(row["language"], [0, 0])
        pair[0] += row["views"]
        pair[1] += row["downloads"]
    return sorted(items.values(), key=lambda item: (-item["views"], -item["downloads"], item["title"]))
