"""Security headers: a strict Content-Security-Policy and a Permissions-Policy.

Scripts: 'self' only, never 'unsafe-inline'. The few inline scripts that Django's
admin and the rich-text editor render (an import map, JSON data blocks) are allowed
by the SHA-256 hash of their exact content, computed on the response, so an
injected script (whose hash nobody allowed) cannot run. django-csp's nonces would
need every third-party template to print the nonce, which the admin's do not.
"""

import base64
import hashlib
import re

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.utils.cache import add_never_cache_headers

INLINE_SCRIPT = re.compile(rb"<script(?![^>]*\bsrc=)([^>]*)>(.*?)</script>", re.DOTALL | re.IGNORECASE)
DATA_TYPES = (b"application/ld+json", b"application/json")

BASE_POLICY = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'", "data:"],
    "connect-src": ["'self'"],
    "frame-src": ["https://www.youtube-nocookie.com", "https://player.vimeo.com"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}

PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), "
    "payment=(), usb=(), interest-cohort=()"
)


def script_hashes(content):
    hashes = set()
    for attrs, body in INLINE_SCRIPT.findall(content):
        if any(kind in attrs.lower() for kind in DATA_TYPES):
            continue  # data blocks are never executed
        digest = base64.b64encode(hashlib.sha256(body).digest()).decode()
        hashes.add(f"'sha256-{digest}'")
    return sorted(hashes)


def build_policy(extra_scripts=()):
    policy = {key: list(values) for key, values in BASE_POLICY.items()}
    policy["script-src"].extend(extra_scripts)
    parts = [f"{key} {' '.join(values)}" for key, values in policy.items()]
    if getattr(settings, "SECURE_SSL_REDIRECT", False):
        parts.append("upgrade-insecure-requests")
    return "; ".join(parts)


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        content_type = response.get("Content-Type", "")
        if "Content-Security-Policy" not in response:
            hashes = []
            if content_type.startswith("text/html") and not response.streaming:
                hashes = script_hashes(response.content)
            response["Content-Security-Policy"] = build_policy(hashes)
        response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        response.setdefault("X-Content-Type-Options", "nosniff")
        return response


class HostGuardMiddleware:
    """Answer a Host outside ALLOWED_HOSTS with the site's 400 page, before anything asks for it.

    Placed before every middleware that calls ``get_host()`` (the HTTPS redirect, WhiteNoise's
    static files go by too, the page cache's key, CommonMiddleware), so static files, media and
    pages all get the same 400. Nothing is logged: scanners send any Host all day.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            request.get_host()
        except DisallowedHost:
            from iomsite.views import bad_request

            response = bad_request(request)
            add_never_cache_headers(response)
            return response
        return self.get_response(request)


def client_ip(request):
    """The visitor's address: REMOTE_ADDR, or the hop our trusted proxies added."""
    count = settings.IOMSITE_PROXY_COUNT
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if count and forwarded:
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if len(hops) >= count:
            return hops[-count]
    return request.META.get("REMOTE_ADDR", "")
