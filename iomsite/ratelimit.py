"""Fixed-window rate limits counted in the shared cache, for endpoints anyone can call.

The window number is part of the key, so a limit holds the same way on every cache
backend (some reset an entry's timeout on ``incr``). Values (addresses, IPs) only enter
the cache as keyed hashes.
"""

import time

from django.core.cache import cache
from django.utils.crypto import salted_hmac


def hashed(scope, value):
    return salted_hmac(f"iomsite.ratelimit.{scope}", str(value)).hexdigest()[:32]


def hit(scope, value, limit, window):
    """Count one request for ``value`` in ``scope``; True while the window's count is within ``limit``."""
    number = int(time.time() // window)
    key = f"ratelimit:{scope}:{hashed(scope, value)}:{number}"
    cache.add(key, 0, timeout=window)
    try:
        count = cache.incr(key)
    except ValueError:  # evicted between add and incr
        cache.set(key, 1, timeout=window)
        count = 1
    return count <= limit
