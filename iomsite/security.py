"""Security headers, the Host guard and the CSP violation reports.

The Content-Security-Policy itself comes from django-csp (``CONTENT_SECURITY_POLICY`` in
settings): scripts from 'self' and, where a page needs an inline one (the rich-text
editor's import map in the admin), a per-response nonce. Nothing in the page is trusted
for being there: an injected ``<script>`` has no nonce and is refused, and the browser
reports it to ``csp_report``. Public pages print no nonce, so the page cache stores none.
"""

import json
import logging
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import DisallowedHost, RequestDataTooBig
from django.http import HttpResponse
from django.utils.cache import add_never_cache_headers
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from iomsite import ratelimit

PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), "
    "payment=(), usb=(), interest-cohort=()"
)

# Files served by Django (documents, media under `make run`, renditions): never a page of
# our origin. img-src and inline styles let the browser show an image on its own.
DOWNLOAD_POLICY = {
    "default-src": ["'none'"],
    "img-src": ["'self'"],
    "style-src": ["'unsafe-inline'"],
    "sandbox": True,
}

logger = logging.getLogger("iomsite.csp")


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
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


# ----------------------------------------------------------------------------- reports

REPORT_MAX_BYTES = 16 * 1024
REPORTS_PER_IP = 30  # a minute: one page can break several rules at once
REPORTS_IN_ALL = 300  # a minute, from everyone: a flood never fills the logs
REPORT_FIELDS = {
    # report-uri name (application/csp-report) and Reporting API name (application/reports+json)
    "directive": ("effective-directive", "effectiveDirective"),
    "blocked": ("blocked-uri", "blockedURL"),
    "document": ("document-uri", "documentURL"),
    "source": ("source-file", "sourceFile"),
    "line": ("line-number", "lineNumber"),
    "column": ("column-number", "columnNumber"),
    "disposition": ("disposition", "disposition"),
}


def without_personal_data(value):
    """A URL cut to scheme, host and path (queries and fragments can carry tokens or addresses)."""
    value = str(value)[:500]
    parts = urlsplit(value)
    if parts.scheme in ("http", "https"):
        return f"{parts.scheme}://{parts.netloc.rpartition('@')[2]}{parts.path}"[:200]
    return value.split("?")[0].split("#")[0][:60]  # 'inline', 'eval', 'data', 'blob'


def clean_report(body):
    clean = {}
    for name, keys in REPORT_FIELDS.items():
        value = next((body[key] for key in keys if key in body), None)
        if value is None:
            continue
        if name in ("line", "column"):
            clean[name] = value if isinstance(value, int) else None
        elif name in ("directive", "disposition"):
            clean[name] = str(value)[:40]
        else:
            clean[name] = without_personal_data(value)
    if "directive" not in clean and "violated-directive" in body:
        clean["directive"] = str(body["violated-directive"]).split(" ")[0][:40]
    return clean


def parse_reports(raw):
    """The report bodies of a ``report-uri`` or Reporting API request; ValueError if it is neither."""
    data = json.loads(raw)
    if isinstance(data, dict) and isinstance(data.get("csp-report"), dict):
        return [data["csp-report"]]
    if isinstance(data, list):
        bodies = [
            item.get("body") for item in data[:20] if isinstance(item, dict) and item.get("type") == "csp-violation"
        ]
        return [body for body in bodies if isinstance(body, dict)]
    raise ValueError("not a CSP report")


@csrf_exempt
@require_POST
def csp_report(request):
    """Where browsers report what the Content-Security-Policy refused: logged, without personal data.

    No IP, user agent, query string, referrer or script sample is kept. Rate-limited per
    address and in all; anything malformed is a 400, never an error.
    """
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > REPORT_MAX_BYTES:
        return HttpResponse(status=413)
    if not (
        ratelimit.hit("csp-ip", client_ip(request), REPORTS_PER_IP, 60)
        and ratelimit.hit("csp-all", "", REPORTS_IN_ALL, 60)
    ):
        return HttpResponse(status=429)
    try:
        raw = request.body
        if len(raw) > REPORT_MAX_BYTES:
            return HttpResponse(status=413)
        reports = parse_reports(raw)
    except (ValueError, RequestDataTooBig, UnicodeDecodeError):
        return HttpResponse(status=400)
    for body in reports:
        logger.warning("CSP violation %s", json.dumps(clean_report(body), sort_keys=True))
    return HttpResponse(status=204)
