from csp.decorators import csp as csp_override
from django.conf import settings
from django.core.files.storage import default_storage
from django.db import connection
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.template import loader
from django.urls import reverse
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from django.views.generic import DetailView

from iomsite import content
from iomsite.media import media_in_scope
from iomsite.models import Document, Image, Page
from iomsite.preview import PreviewMixin, may_preview, never_cache_preview, visible
from iomsite.renditions import make_rendition
from iomsite.security import DOWNLOAD_POLICY
from iomsite.usage import is_used_live


@require_safe
def home(request):
    sections = []
    for section in content.home_sections():
        items = list(section.items())
        if items:
            sections.append({"section": section, "items": items})
    return render(request, "home.html", {"sections": sections, "is_home": True, "organization": organization(request)})


def organization(request):
    """JSON-LD for the home page: the organisation, its address and its profiles."""
    from iomsite.models import SiteSettings

    site = SiteSettings.load()
    lines = [line.strip() for line in (site.address or "").splitlines() if line.strip()]
    data = {
        "@context": "https://schema.org",
        "@type": "Organization",
        "name": site.name,
        "alternateName": site.short_name or None,
        "url": request.build_absolute_uri("/"),
        "telephone": site.phone or None,
        "email": site.email or None,
        "address": {"@type": "PostalAddress", "streetAddress": ", ".join(lines)} if lines else None,
        "sameAs": [url for _label, url in site.social_links] or None,
    }
    return {key: value for key, value in data.items() if value}


@require_safe
def page_detail(request, slug):
    page = get_object_or_404(visible(request, Page.objects.all()), slug=slug)
    response = render(
        request, "iomsite/page.html", {"page": page, "translation_object": page, "preview": not page.is_live}
    )
    return never_cache_preview(response, not page.is_live)


# Files are never pages of the site: no script, no access to its origin, even shown inline.
download_policy = csp_override(DOWNLOAD_POLICY)


@require_safe
@download_policy
def rendition(request, pk, version, width, ext):
    image = get_object_or_404(Image.objects.only("pk", "file", "width", "height"), pk=pk)
    if version != image.version or ext != image.rendition_ext() or not image.allows_rendition_width(width):
        raise Http404("No such rendition.")
    name = make_rendition(image, width)
    response = FileResponse(default_storage.open(name, "rb"), content_type="image/webp")
    patch_cache_control(response, public=True, max_age=31536000, immutable=True)
    return response


@require_safe
@download_policy
def rendition_crop(request, pk, version, width, crop, ext):
    """A card or header crop around the image's focal point."""
    image = get_object_or_404(Image.objects.only("pk", "file", "width", "height", "focal_x", "focal_y"), pk=pk)
    if version != image.crop_version or ext != "webp" or not image.allows_crop_width(crop, width):
        raise Http404("No such rendition.")
    name = make_rendition(image, width, crop)
    response = FileResponse(default_storage.open(name, "rb"), content_type="image/webp")
    patch_cache_control(response, public=True, max_age=31536000, immutable=True)
    return response


@require_safe
@download_policy
def serve_media(request, path):
    """Nothing under /media/ but renditions (``rendition``): originals are private.

    An image's original and every document are read through their views only, which check
    what may be shown; a replaced or deleted file is removed (``iomsite.media_files``).
    """
    raise Http404("No such file.")


def document_access(request, document):
    """``"public"``, ``"preview"`` or None: who may download this document now (decision 017).

    Visitors: while a live item links it (a foreign key or a link in rich text), or a
    publisher made it downloadable on its own. Previewers (``iomsite.preview``): always,
    inside their sections. Anyone holding a valid signed key: until the key expires.
    """
    if document.standalone or is_used_live(document):
        return "public"
    key = request.GET.get("key")
    if key is not None and document.preview_key_valid(key):
        return "preview"
    if may_preview(request, Document) and media_in_scope(request.user, document):
        return "preview"
    return None


@require_safe
@download_policy
def document_download(request, pk, filename):
    document = get_object_or_404(Document, pk=pk)
    if filename != document.download_name:
        raise Http404("No such document.")
    access = document_access(request, document)
    if access is None:
        raise Http404("No such document.")
    try:
        handle = document.file.open("rb")
    except FileNotFoundError:
        raise Http404("No such document.") from None
    response = FileResponse(
        handle,
        content_type=document.content_type,
        as_attachment=document.kind != "pdf",
        filename=document.download_name,
    )
    if access == "public":
        patch_cache_control(response, public=True, max_age=3600)
    else:
        # For one person before it is public: never kept by a cache, never indexed, the key never passed on.
        add_never_cache_headers(response)
        patch_cache_control(response, private=True)
        response["X-Robots-Tag"] = "noindex, nofollow"
        response["Referrer-Policy"] = "no-referrer"
    return response


@never_cache
def healthz(request):
    return HttpResponse("ok", content_type="text/plain")


@never_cache
def readyz(request):
    try:
        connection.ensure_connection()
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:
        return JsonResponse({"database": "unavailable"}, status=503)
    return JsonResponse({"database": "ok"})


@require_safe
def robots_txt(request):
    sitemap = request.build_absolute_uri("/sitemap.xml")
    lines = ["User-agent: *", f"Disallow: /{settings.ADMIN_URL}", "Disallow: /*/search/", f"Sitemap: {sitemap}", ""]
    return HttpResponse("\n".join(lines), content_type="text/plain")


def bad_request(request, exception=None):
    return render(request, "400.html", status=400)


def permission_denied(request, exception=None):
    return render(request, "403.html", status=403)


def csrf_failure(request, reason=""):
    """A refused form (missing or stale CSRF token) gets the site's 403 page."""
    return render(request, "403.html", status=403)


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    # No context processors: the 500 page must render with the database down.
    return HttpResponse(loader.get_template("500.html").render(), status=500)


BENCH_PAGE = ("<!doctype html><html lang=en><title>ceiling</title><p>" + "x" * 20400 + "</p></html>").encode()


def bench_ceiling(request):
    """The benchmark's ceiling: a bare view returning a fixed 20 KB page (IOMSITE_BENCH only)."""
    return HttpResponse(BENCH_PAGE)


class TreePageView(PreviewMixin, DetailView):
    """One tab of a node of a slug-path tree (``iomsite.models.tree.SlugPathNode``).

    The node comes by its path in one query (an old path is answered by the redirects,
    ``iomsite.redirects``), only if the request may see it (``iomsite.preview``). The
    page has its tabs, its ancestors (breadcrumbs), siblings and children (side
    navigation), and JSON-LD. Subclasses set ``tabs`` (``(key, label, URL name)``, the
    first is the node's own page), ``tab``, ``index_crumb`` (label, URL name) and the
    404 messages, say which tabs a node shows (``tab_shown``) and read its neighbours
    (``navigation``) with the fields their templates need.
    """

    tabs = ()
    tab = None
    index_crumb = None
    missing = gettext_lazy("Not found.")
    missing_tab = gettext_lazy("This page has no such section.")

    def get_object(self, queryset=None):
        node = self.find_node(self.get_queryset() if queryset is None else queryset)
        if not self.tab_shown(node, self.tab):
            raise Http404(self.missing_tab)
        return node

    def find_node(self, queryset):
        node = queryset.filter(path=self.kwargs["path"]).first()
        if node is None:
            raise Http404(self.missing)
        return node

    def tab_shown(self, node, key):
        return True

    def get_tabs(self, node):
        return [
            {"key": key, "label": label, "url": reverse(name, kwargs={"path": node.path}), "current": key == self.tab}
            for key, label, name in self.tabs
            if self.tab_shown(node, key)
        ]

    def navigation(self, node):
        """``(ancestors, siblings, children)`` of the node, as the request may see them."""
        raise NotImplementedError

    def is_preview(self, node, ancestors):
        """Live means live with every ancestor: a draft anywhere above makes the page a preview."""
        return not (node.is_live and all(ancestor.is_live for ancestor in ancestors))

    def extra_crumbs(self):
        return []

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        node = self.object
        ancestors, siblings, children = self.navigation(node)
        tabs = self.get_tabs(node)
        current_tab = next((tab for tab in tabs if tab["current"]), None)
        label, url_name = self.index_crumb
        crumbs = [(label, reverse(url_name))]
        crumbs += [(ancestor.title, ancestor.get_absolute_url()) for ancestor in ancestors]
        crumbs.append((node.title, node.get_absolute_url()))
        if current_tab is not None and self.tab != self.tabs[0][0]:
            crumbs.append((current_tab["label"], current_tab["url"]))
        crumbs += self.extra_crumbs()
        context.update(
            {
                "ancestors": ancestors,
                "parent": ancestors[-1] if ancestors else None,
                "siblings": siblings,
                "children": children,
                "crumbs": crumbs,
                "tabs": tabs,
                "tab": self.tab,
                "current_tab": current_tab,
                "preview": self.is_preview(node, ancestors),
            }
        )
        context["json_ld"] = self.json_ld(node, ancestors, crumbs)
        return context

    def json_ld(self, node, ancestors, crumbs):
        return {"@context": "https://schema.org", "@type": "WebPage", "breadcrumb": self.breadcrumb_ld(crumbs)}

    def breadcrumb_ld(self, crumbs):
        absolute = self.request.build_absolute_uri
        return {
            "@type": "BreadcrumbList",
            "itemListElement": [
                {"@type": "ListItem", "position": index, "name": str(label), "item": absolute(url)}
                for index, (label, url) in enumerate(crumbs, start=1)
            ],
        }
