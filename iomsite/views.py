import mimetypes
from pathlib import Path

from csp.decorators import csp as csp_override
from django.conf import settings
from django.core.files.storage import default_storage
from django.db import connection
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.template import loader
from django.utils._os import safe_join
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from iomsite.models import Document, Image, Page
from iomsite.registry import registry
from iomsite.renditions import make_rendition
from iomsite.security import DOWNLOAD_POLICY


def can_preview(request, model):
    """Staff who may change ``model`` see drafts. Anonymous visitors never touch the session
    (no ``Vary: Cookie``, so shared caches can keep their pages)."""
    if settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return False
    user = request.user
    opts = model._meta
    return user.is_authenticated and user.is_staff and user.has_perm(f"{opts.app_label}.change_{opts.model_name}")


class PreviewMixin:
    """Visitors see ``published()`` only; staff who may change the model also see drafts.

    A draft shown to staff carries ``preview=True`` (the banner) and is never cached.
    """

    def can_preview(self):
        return can_preview(self.request, self.model)

    def get_queryset(self):
        queryset = super().get_queryset()
        if not self.can_preview():
            return queryset.published()
        from iomsite.workflow.preview import previewable

        return previewable(self.request, queryset)  # drafts only inside the editor's sections

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["preview"] = not self.object.is_live
        return context

    def render_to_response(self, context, **kwargs):
        response = super().render_to_response(context, **kwargs)
        if context.get("preview"):
            add_never_cache_headers(response)
        return response


def mark_preview(response, obj):
    if not obj.is_live:
        add_never_cache_headers(response)
    return response


@require_safe
def home(request):
    sections = []
    for section in registry.home_sections:
        items = list(section.get_items())
        if items:
            sections.append({"section": section, "items": items})
    return render(
        request, "home.html", {"sections": sections, "is_home": True, "organization_json": organization_json(request)}
    )


def organization_json(request):
    """JSON-LD for the home page: the organisation, its address and its profiles."""
    import json

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
    data = {key: value for key, value in data.items() if value}
    # Safe inside <script>: no "<" can close the element.
    return json.dumps(data, ensure_ascii=False).replace("<", "\\u003c").replace(">", "\\u003e")


@require_safe
def page_detail(request, slug):
    queryset = Page.objects.all()
    if can_preview(request, Page):
        from iomsite.workflow.preview import previewable

        queryset = previewable(request, queryset)
    else:
        queryset = queryset.published()
    page = get_object_or_404(queryset, slug=slug)
    response = render(request, "iomsite/page.html", {"page": page, "preview": not page.is_live})
    return mark_preview(response, page)


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
def serve_media(request, path):
    """Media files when no web server sits in front (make run). Never outside MEDIA_ROOT."""
    try:
        full = Path(safe_join(settings.MEDIA_ROOT, path))
    except (ValueError, Exception):  # SuspiciousFileOperation: traversal
        raise Http404("No such file.") from None
    if not full.is_file() or "\x00" in path:
        raise Http404("No such file.")
    content_type, _encoding = mimetypes.guess_type(full.name)
    inline = content_type in {"image/jpeg", "image/png", "image/webp", "image/gif", "application/pdf"}
    response = FileResponse(
        full.open("rb"), content_type=content_type or "application/octet-stream", as_attachment=not inline
    )
    patch_cache_control(response, public=True, max_age=86400)
    return response


@require_safe
@download_policy
def document_download(request, pk, filename):
    document = get_object_or_404(Document, pk=pk)
    if filename != document.download_name:
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
    patch_cache_control(response, public=True, max_age=3600)
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
