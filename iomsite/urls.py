from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path, re_path

from iomsite import content, views
from iomsite.api import api as open_data_api
from iomsite.feeds import LatestContentAtomFeed, LatestContentFeed
from iomsite.reports import report_abuse
from iomsite.security import csp_report

handler400 = "iomsite.views.bad_request"
handler403 = "iomsite.views.permission_denied"
handler404 = "iomsite.views.page_not_found"
handler500 = "iomsite.views.server_error"

urlpatterns = [
    path(settings.ADMIN_URL, include("iomsite.accounts.urls")),  # account security, password reset, passkeys
    path(settings.ADMIN_URL, include("iomsite.workflow.urls")),  # checked "view on site", before the admin's own
    path(settings.ADMIN_URL, admin.site.urls),
    path("healthz", views.healthz, name="healthz"),
    path("readyz", views.readyz, name="readyz"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path("csp-report", csp_report, name="csp_report"),
    # An index of the sections, each in pages of bounded size (iomsite/sitemaps.py).
    path(
        "sitemap.xml",
        sitemap_views.index,
        {"sitemaps": content.sitemaps(), "sitemap_url_name": "sitemap_section"},
        name="sitemap",
    ),
    path(
        "sitemap-<str:section>.xml",
        sitemap_views.sitemap,
        {"sitemaps": content.sitemaps()},
        name="sitemap_section",
    ),
    path(
        "media/renditions/<int:pk>/<str:version>-<int:width>-<slug:crop>.<str:ext>",
        views.rendition_crop,
        name="rendition_crop",
    ),
    path(
        "media/renditions/<int:pk>/<str:version>-<int:width>.<str:ext>",
        views.rendition,
        name="rendition",
    ),
    re_path(r"^media/(?P<path>.+)$", views.serve_media, name="media"),
    path("documents/<int:pk>/<str:filename>", views.document_download, name="document_download"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", open_data_api.urls),  # the open data API (iomsite/api.py, decision 021)
]

if settings.IOMSITE_BENCH:
    urlpatterns.append(path("bench/ceiling/", views.bench_ceiling))

urlpatterns += i18n_patterns(
    path("", views.home, name="home"),
    path("feed/", LatestContentFeed(), name="feed"),
    path("feed/atom/", LatestContentAtomFeed(), name="feed_atom"),
    *content.url_patterns(),  # each content app under its prefix (iomsite/content.py)
    path("search/", include("iomsite.search.urls")),
    path("newsletter/", include("iomsite.newsletter.urls")),
    path("report-abuse/form/", report_abuse, name="report_abuse"),
    path("<slug:slug>/", views.page_detail, name="page"),
)
