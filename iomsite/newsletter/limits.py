"""Sign-up rate limit per IP (per address: ``Subscriber.claim_signup_mail``), counted in the database.

One-hour windows through ``iomsite.ratelimit`` (``durable``: a flood of page addresses
cannot evict the counters from the shared cache). IPs are stored only as keyed hashes.
"""

from iomsite import ratelimit

WINDOW = 60 * 60
PER_IP = 5


def client_ip(request):
    # REMOTE_ADDR, or the hop added by our trusted proxies (DJANGO_PROXY_COUNT): see iomsite.security.
    from iomsite.security import client_ip as trusted_client_ip

    return trusted_client_ip(request)


def hit(kind, value, limit):
    """Count one request for ``value``; True while the window's count is within ``limit``."""
    return ratelimit.hit(f"newsletter-{kind}", value, limit, WINDOW, durable=True)


def ip_allowed(request):
    return hit("ip", client_ip(request), PER_IP)
