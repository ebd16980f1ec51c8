"""Fixed-window rate limits for endpoints anyone can call: one implementation for the whole site.

The window number is part of the key, so a limit holds the same way on every store (some
cache backends reset an entry's timeout on ``incr``). Values (addresses, IPs) are stored only
as keyed hashes. ``durable=True`` counts in the database (``RateLimitCount``) instead of the
shared cache: a flood of distinct URLs filling the page cache cannot evict those counters
(the newsletter's sign-ups, password resets). Cheap, high-volume limits (CSP reports) stay in
the cache.
"""

import time
from datetime import UTC, datetime

from django.core.cache import cache
from django.db import connection
from django.utils.crypto import salted_hmac


def hashed(scope, value):
    return salted_hmac(f"iomsite.ratelimit.{scope}", str(value)).hexdigest()[:32]


def hit(scope, value, limit, window, durable=False):
    """Count one request for ``value`` in ``scope``; True while the window's count is within ``limit``."""
    number = int(time.time() // window)
    key = f"ratelimit:{scope}:{hashed(scope, value)}"
    count = _count_in_database(key, number, window) if durable else _count_in_cache(f"{key}:{number}", window)
    return count <= limit


def _count_in_cache(key, window):
    cache.add(key, 0, timeout=window)
    try:
        count = cache.incr(key)
    except ValueError:  # evicted between add and incr
        cache.set(key, 1, timeout=window)
        count = 1
    cache.touch(key, window)
    return count


def _count_in_database(key, number, window):
    """One statement: start the window's row or add one to it (PostgreSQL and SQLite both upsert)."""
    from iomsite.accounts.models import RateLimitCount

    q = connection.ops.quote_name
    table, k, w, c, e = (q(name) for name in (RateLimitCount._meta.db_table, "key", "window", "count", "ends_at"))
    ends_at = datetime.fromtimestamp((number + 1) * window, UTC)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({k}, {w}, {c}, {e}) VALUES (%s, %s, 1, %s) "
            f"ON CONFLICT ({k}, {w}) DO UPDATE SET {c} = {table}.{c} + 1 RETURNING {c}",
            [key, number, ends_at],
        )
        count = cursor.fetchone()[0]
    if count == 1:  # a window started: drop those that ended
        RateLimitCount.objects.filter(ends_at__lt=datetime.fromtimestamp(time.time(), UTC)).delete()
    return count
