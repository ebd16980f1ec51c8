"""Sign-up rate limit per IP, counted in Django's shared cache (per address: ``Subscriber.claim_signup_mail``).

Fixed one-hour windows: the window number is part of the key, so the limit holds the
same way on every cache backend (some reset an entry's timeout on ``incr``). Addresses
and IPs only enter the cache as keyed hashes; no raw IP is stored anywhere.
"""

import time

from django.core.cache import cache
from django.utils.crypto import salted_hmac

WINDOW = 60 * 60
PER_IP = 5


def hashed(kind, value):
    return salted_hmac(f"iomsite.newsletter.limit.{kind}", value).hexdigest()[:32]


def client_ip(request):
    # REMOTE_ADDR, or the hop added by our trusted proxies (DJANGO_PROXY_COUNT): see iomsite.security.
    from iomsite.security import client_ip as trusted_client_ip

    return trusted_client_ip(request)


def hit(kind, value, limit):
    """Count one request for ``value``; True while the window's count is within ``limit``."""
    window = int(time.time() // WINDOW)
    key = f"newsletter:limit:{kind}:{hashed(kind, value)}:{window}"
    cache.add(key, 0, timeout=WINDOW)
    try:
        count = cache.incr(key)
    except ValueError:  # evicted between add and incr
        cache.set(key, 1, timeout=WINDOW)
        count = 1
    cache.touch(key, WINDOW)
    return count <= limit


def ip_allowed(request):
    return hit("ip", client_ip(request), PER_IP)
