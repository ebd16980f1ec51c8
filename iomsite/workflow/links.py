"""Broken links in content: internal ones through the site itself, external ones by HEAD requests.

Internal links (``/en/about-us/…``) are requested through Django's own request handler as an
anonymous visitor, so they are judged exactly as visitors see them: an address that
does not resolve, or names a draft or unpublished item, answers 404. External links are
checked only when asked, with a short timeout, a bounded number of addresses and an
overall time limit; addresses on private networks are skipped (no probing of the
server's own network from content).

A link chosen from the site (``data-ref``, ``iomsite.richtext``) is checked at its target's
current address, as visitors get it: a target that is a draft, unpublished or gone is reported.
"""

import ipaddress
import logging
import socket
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.contrib.staticfiles import finders
from django.db import models, transaction
from django.test import Client
from django.utils import timezone

from iomsite.content import all_content_models
from iomsite.richtext import RichTextField
from iomsite.workflow.models import BrokenLink
from iomsite.workflow.revisions import translated_originals

SKIPPED_SCHEMES = ("mailto:", "tel:", "javascript:", "data:", "#")
USER_AGENT = "iomsite-link-checker/1.0"


@dataclass
class Link:
    url: str
    places: list = field(default_factory=list)  # (model, pk, repr, field name)


class _LinkParser(HTMLParser):
    def __init__(self):
        super().__init__()
        self.urls = []
        self.refs = []  # (stored href, reference) of links chosen from the site

    def handle_starttag(self, tag, attrs):
        wanted = {"a": "href", "img": "src"}.get(tag)
        attrs = dict(attrs)
        value = attrs.get(wanted)
        if tag == "a" and attrs.get("data-ref"):
            self.refs.append(((value or "").strip(), attrs["data-ref"]))
        elif value:
            self.urls.append(value.strip())


def urls_in_html(html):
    parser = _LinkParser()
    parser.feed(html or "")
    return parser.urls


def links_in_html(html):
    """(plain urls, [(stored href, reference)])."""
    parser = _LinkParser()
    parser.feed(html or "")
    return parser.urls, parser.refs


def current_addresses(refs):
    """``{reference: address}`` of the referenced objects that exist, in any state (one query per model)."""
    from django.urls import NoReverseMatch
    from django.utils import translation

    from iomsite import content
    from iomsite.richtext import parse_ref

    wanted = {}
    for ref in refs:
        parsed = parse_ref(ref)
        if parsed:
            wanted.setdefault(parsed[0], set()).add(parsed[1])
    found = {}
    with translation.override(settings.LANGUAGE_CODE):
        for model, pks in wanted.items():
            related = content.get(model).address_fields()
            queryset = model._default_manager.filter(pk__in=pks)
            for obj in queryset.select_related(*related) if related else queryset:
                try:
                    found[f"{model._meta.label_lower}:{obj.pk}"] = obj.get_absolute_url()
                except NoReverseMatch:
                    continue
    return found


def link_fields(model):
    """(attname, is_html) of the fields of ``model`` that hold links, per language for translated ones."""
    originals = translated_originals(model)
    found = []
    for model_field in model._meta.concrete_fields:
        if model_field.name in originals:
            continue
        if isinstance(model_field, RichTextField):
            found.append((model_field.attname, True))
        elif isinstance(model_field, models.URLField) or (
            isinstance(model_field, models.CharField) and model_field.name.startswith("url")
        ):
            found.append((model_field.attname, False))
    return found


def collect():
    """Every link in content: ``{absolute-or-site url: Link}``."""
    links = {}
    by_ref = []  # (stored href, reference, base, place)
    for model in all_content_models():
        fields = link_fields(model)
        if not fields:
            continue
        for obj in model._default_manager.all().iterator(chunk_size=200):
            base = _base_url(obj)
            for attname, is_html in fields:
                value = getattr(obj, attname, None) or ""
                urls, refs = links_in_html(value) if is_html else ([value.strip()], [])
                place = (model, obj.pk, str(obj)[:300], attname)
                for url in urls:
                    target = _normalise(url, base)
                    if target is None:
                        continue
                    links.setdefault(target, Link(target)).places.append(place)
                by_ref.extend((href, ref, base, place) for href, ref in refs)
    addresses = current_addresses({ref for _href, ref, _base, _place in by_ref})
    for href, ref, base, place in by_ref:
        # Where visitors are sent: the target's address now; the stored one when the target is gone.
        target = addresses.get(ref) or _normalise(href, base)
        if target is not None:
            links.setdefault(target, Link(target)).places.append(place)
    return links


def _base_url(obj):
    try:
        return obj.get_absolute_url()
    except Exception:  # no public page (a menu item, an inline row) or no URL for a broken one
        return "/"


def _normalise(url, base):
    if not url or url.lower().startswith(SKIPPED_SCHEMES):
        return None
    if url.startswith("//"):
        url = "https:" + url
    if not url.startswith(("http://", "https://", "/")):
        url = urljoin(base or "/", url)
    return url.split("#", 1)[0] or None


def is_external(url):
    return url.startswith(("http://", "https://"))


# Internal ---------------------------------------------------------------------------------


def default_host():
    for host in settings.ALLOWED_HOSTS:
        if host and host != "*":
            return host.lstrip(".")
    return "localhost"


def check_internal(urls, host=None):
    """``{url: (status, problem)}`` for the broken ones among site paths."""
    client = Client(HTTP_HOST=host or default_host(), raise_request_exception=False)
    secure = getattr(settings, "SECURE_SSL_REDIRECT", False)
    broken = {}
    request_log = logging.getLogger("django.request")
    level = request_log.level
    request_log.setLevel(logging.ERROR)  # the 404s are the report, not log warnings
    try:
        for url in urls:
            _check_path(client, url, secure, broken)
    finally:
        request_log.setLevel(level)
    return broken


def _check_path(client, url, secure, broken):
    if url.startswith(settings.STATIC_URL):
        if not finders.find(url[len(settings.STATIC_URL) :].split("?", 1)[0]):
            broken[url] = (404, "No such static file.")
        return
    response = client.get(url, follow=True, secure=secure)
    if response.status_code >= 400:
        problem = "Not found on the site (missing, or not published)." if response.status_code == 404 else ""
        broken[url] = (response.status_code, problem or f"The site answers {response.status_code}.")


# External ---------------------------------------------------------------------------------


def _public_host(url):
    host = urlsplit(url).hostname
    if not host:
        return False
    try:
        infos = socket.getaddrinfo(host, None)
    except (socket.gaierror, UnicodeError):
        return True  # let the request report the name error
    for info in infos:
        address = ipaddress.ip_address(info[4][0])
        if address.is_private or address.is_loopback or address.is_link_local or address.is_reserved:
            return False
    return True


class _SafeRedirects(urllib.request.HTTPRedirectHandler):
    def __init__(self, allow_private):
        super().__init__()
        self.allow_private = allow_private

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        if not self.allow_private and not _public_host(newurl):
            raise urllib.error.URLError("redirects to a private network address")
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def check_one(url, timeout, allow_private=False):
    """(status, problem); problem is None when the link works."""
    if not allow_private and not _public_host(url):
        return None, "Not checked: a private network address."
    opener = urllib.request.build_opener(_SafeRedirects(allow_private))
    for method in ("HEAD", "GET"):
        request = urllib.request.Request(url, method=method, headers={"User-Agent": USER_AGENT})
        try:
            with opener.open(request, timeout=timeout) as response:
                if response.status < 400:
                    return response.status, None
                return response.status, f"The website answers {response.status}."
        except urllib.error.HTTPError as error:
            if method == "HEAD" and error.code in (403, 405, 501):
                continue  # some servers refuse HEAD; ask once with GET
            return error.code, f"The website answers {error.code} {error.reason}."
        except (urllib.error.URLError, TimeoutError, OSError, ValueError) as error:
            reason = getattr(error, "reason", error)
            return None, f"Unreachable: {reason}."
    return None, "Unreachable."


def check_external(urls, timeout=5.0, limit=200, time_limit=120.0, allow_private=False, workers=8):
    """``({url: (status, problem)}, unchecked count)``: at most ``limit`` addresses within ``time_limit``."""
    urls = sorted(urls)
    chosen, unchecked = urls[:limit], max(0, len(urls) - limit)
    broken = {}
    deadline = time.monotonic() + time_limit
    executor = ThreadPoolExecutor(max_workers=workers)
    futures = {executor.submit(check_one, url, timeout, allow_private): url for url in chosen}
    try:
        for future in as_completed(futures, timeout=max(0.0, deadline - time.monotonic())):
            status, problem = future.result()
            if problem and not problem.startswith("Not checked"):
                broken[futures[future]] = (status, problem)
    except TimeoutError:
        unchecked += sum(1 for future in futures if not future.done())
    finally:
        executor.shutdown(wait=False, cancel_futures=True)
    return broken, unchecked


# Report -----------------------------------------------------------------------------------


def store(links, broken, kinds):
    """Replace the report rows of the kinds checked now with the broken links found."""
    now = timezone.now()
    rows = []
    for url, (status, problem) in broken.items():
        kind = BrokenLink.Kind.EXTERNAL if is_external(url) else BrokenLink.Kind.INTERNAL
        for model, pk, label, attname in links[url].places:
            rows.append(
                BrokenLink(
                    content_type=ContentType.objects.get_for_model(model),
                    object_id=pk,
                    object_repr=label,
                    field=attname,
                    url=url[:2000],
                    kind=kind,
                    status_code=status,
                    problem=problem[:300],
                    checked_at=now,
                )
            )
    with transaction.atomic():
        BrokenLink.objects.filter(kind__in=kinds).delete()
        BrokenLink.objects.bulk_create(rows)
    return rows
